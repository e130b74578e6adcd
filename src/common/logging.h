// Logging goes through spdlog; this sets it up once in main() (no registration before main).
// Thread-safety: InitLogging must run before other threads log; spdlog itself is thread-safe.
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

namespace tailor {

// Sets the default logger's level ("trace".."off") and pattern. Unknown levels mean "info".
void InitLogging(std::string_view level);

}  // namespace tailor
