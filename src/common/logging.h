// Logging goes through spdlog; this sets it up once in main() (no registration before main).
// Thread-safety: InitLogging must run before other threads log; spdlog itself is thread-safe.
#pragma once

#include <string_view>

#include <spdlog/spdlog.h>

namespace tailor {

// Sets the default logger's level ("trace".."off") and pattern. Unknown levels mean "info".
void InitLogging(std::string_view level);

}  // namespace tailor
