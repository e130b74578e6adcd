// The `tailor` binary: parses the command line, wires the chosen subcommand and runs it.
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands/command.h"
#include "cli/commands/server_runner.h"
#include "tailor/version.h"

int main(int argc, char** argv) {
  // Before any thread starts, so every thread inherits the mask and only sigwait sees them.
  tailor::cli::BlockShutdownSignals();

  CLI::App app{"Tailor: a self-hosted personalization engine that speaks Amazon Personalize's API"};
  app.set_version_flag("--version", std::string("tailor ") + tailor::kVersion);
  app.require_subcommand(1);

  std::vector<std::unique_ptr<tailor::cli::Command>> commands;
  commands.push_back(tailor::cli::NewServeCommand());
  commands.push_back(tailor::cli::NewQuickstartCommand());
  std::vector<std::pair<CLI::App*, tailor::cli::Command*>> registered;
  for (auto& command : commands) registered.emplace_back(command->Register(app), command.get());

  CLI11_PARSE(app, argc, argv);
  for (auto& [sub, command] : registered) {
    if (sub->parsed()) return command->Run();
  }
  return 1;
}
