// Command: one `tailor` subcommand (style.md L5). main() registers every command with CLI11,
// parses once and runs the chosen one.
// Thread-safety: used from main() only.
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

namespace tailor::cli {

class Command {
 public:
  virtual ~Command() = default;
  // Adds the subcommand, its one-line and detailed help and its flags to `app`.
  virtual CLI::App* Register(CLI::App& app) = 0;
  // Runs after a successful parse; returns the process exit code.
  virtual int Run() = 0;
};

std::unique_ptr<Command> NewServeCommand();
std::unique_ptr<Command> NewQuickstartCommand();

}  // namespace tailor::cli
