// `tailor serve`: the Personalize-compatible server on one data folder.
#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>

#include "cli/commands/command.h"
#include "cli/commands/server_runner.h"
#include "common/logging.h"

namespace tailor::cli {
namespace {

class ServeCommand final : public Command {
 public:
  CLI::App* Register(CLI::App& app) override {
    CLI::App* cmd = app.add_subcommand("serve", "Serve Personalize's API on one data folder");
    cmd->footer(
        "Serves the control plane (POST / with X-Amz-Target: AmazonPersonalize.<Op>) on one port,\n"
        "so boto3 and the AWS CLI work with endpoint_url pointing here. Prints\n"
        "'tailor: listening on http://ADDRESS:PORT' once ready; GET /healthz answers 200 then.\n"
        "SIGTERM or SIGINT stops it gracefully: requests in flight finish, imports resume on\n"
        "the next start.");
    options_.data_dir = DefaultDataDir("");
    cmd->add_option("--data-dir", options_.data_dir, "Folder for the catalog and datasets")
        ->capture_default_str();
    cmd->add_option("--address", options_.address, "Address to listen on")->capture_default_str();
    cmd->add_option("--port", options_.port, "Port to listen on; 0 picks a free one")
        ->capture_default_str();
    cmd->add_option("--http-threads", options_.http_threads, "Threads answering HTTP requests")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    cmd->add_option("--blocking-threads", options_.blocking_threads,
                    "Threads answering PutItems and PutUsers, which wait on the disk")
        ->check(CLI::Range(0, 1024))
        ->capture_default_str();
    cmd->add_option("--job-threads", options_.job_threads,
                    "Threads running imports, training and model loads")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    cmd->add_option("--job-nice", options_.job_nice,
                    "Nice increment of those threads, so that requests are served first")
        ->check(CLI::Range(0, 19))
        ->capture_default_str();
    cmd->add_option("--region", options_.region, "Region written into ARNs")->capture_default_str();
    cmd->add_option("--account", options_.account, "Account id written into ARNs")
        ->capture_default_str();
    cmd->add_option("--transition-delay-ms", options_.transition_delay_ms,
                    "Pause before each asynchronous status change (to watch PENDING states)")
        ->capture_default_str();
    cmd->add_option("--max-dataset-groups", options_.max_dataset_groups,
                    "Dataset groups allowed per region (Personalize's default quota is 5)")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    cmd->add_option("--log-level", log_level_, "trace, debug, info, warn, error or off")
        ->capture_default_str();
    return cmd;
  }

  int Run() override {
    InitLogging(log_level_);
    auto runner = ServerRunner::Start(options_);
    if (!runner.ok()) {
      std::cerr << "tailor serve: " << runner.status().message() << "\n";
      return 1;
    }
    spdlog::info("data folder {}", options_.data_dir);
    std::printf("tailor: listening on %s\n", (*runner)->endpoint().c_str());
    std::fflush(stdout);
    int signal_number = WaitForShutdownSignal();
    spdlog::info("signal {} received; shutting down", signal_number);
    (*runner)->Shutdown();
    spdlog::info("stopped");
    return 0;
  }

 private:
  ServerOptions options_;
  std::string log_level_ = "info";
};

}  // namespace

std::unique_ptr<Command> NewServeCommand() { return std::make_unique<ServeCommand>(); }

}  // namespace tailor::cli
