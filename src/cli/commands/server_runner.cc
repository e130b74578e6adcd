#include "cli/commands/server_runner.h"

#include <cstdlib>

#include <pthread.h>
#include <signal.h>

#include "api/errors.h"

namespace tailor::cli {

std::string DefaultDataDir(const std::string& leaf) {
  std::string base;
  if (const char* dir = std::getenv("TAILOR_DATA_DIR"); dir && *dir) {
    base = dir;
  } else if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    base = std::string(xdg) + "/tailor";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::string(home) + "/.local/share/tailor";
  } else {
    base = "./tailor-data";
  }
  return leaf.empty() ? base : base + "/" + leaf;
}

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int signal_number = 0;
  sigwait(&set, &signal_number);
  return signal_number;
}

StatusOr<std::unique_ptr<ServerRunner>> ServerRunner::Start(const ServerOptions& options) {
  std::unique_ptr<ServerRunner> runner(new ServerRunner());
  runner->options_ = options;
  core::ControlPlaneOptions cp_options;
  cp_options.data_dir = options.data_dir;
  cp_options.arn_context.region = options.region;
  cp_options.arn_context.account = options.account;
  cp_options.transition_delay_micros = options.transition_delay_ms * 1000;
  cp_options.job_threads = options.job_threads;
  cp_options.job_nice = options.job_nice;
  cp_options.max_dataset_groups = options.max_dataset_groups;
  TAILOR_ASSIGN_OR_RETURN(runner->control_plane_,
                          core::ControlPlane::Open(Env::Default(), cp_options));
  runner->router_ = std::make_unique<api::Router>(runner->control_plane_.get());

  api::HttpServerOptions http_options;
  http_options.address = options.address;
  http_options.port = options.port;
  http_options.threads = options.http_threads;
  http_options.blocking_threads = options.blocking_threads;
  http_options.is_blocking = &api::Router::WaitsOnDisk;
  http_options.is_async = &api::Router::AnswersLater;
  http_options.async_handler = [router = runner->router_.get()](const api::HttpRequest& r,
                                                                api::HttpResponder respond) {
    router->HandleAsync(r, std::move(respond));
  };
  http_options.make_error = [](int status, std::string message) {
    const char* type = status >= 500   ? "InternalFailure"
                       : status == 413 ? "InvalidInputException"
                                       : "InvalidInputException";
    return api::ErrorResponse(api::Protocol::kControlPlane, type, status, message);
  };
  api::Router* router = runner->router_.get();
  TAILOR_ASSIGN_OR_RETURN(runner->http_,
                          api::HttpServer::Start(http_options, [router](const api::HttpRequest& r) {
                            return router->Handle(r);
                          }));
  return runner;
}

ServerRunner::~ServerRunner() { Shutdown(); }

std::string ServerRunner::endpoint() const {
  std::string host = options_.address == "0.0.0.0" ? "127.0.0.1" : options_.address;
  return "http://" + host + ":" + std::to_string(port());
}

void ServerRunner::Shutdown() {
  if (http_) http_->Shutdown();
  http_.reset();
  router_.reset();
  control_plane_.reset();
}

}  // namespace tailor::cli
