// ServerRunner: what `serve` and `quickstart` share: opening the control plane on a data
// folder, starting the HTTP server on it, and shutting both down on SIGTERM or SIGINT.
// Thread-safety: used from main()'s thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "api/http/http_server.h"
#include "api/router.h"
#include "common/status_or.h"
#include "core/control_plane.h"

namespace tailor::cli {

struct ServerOptions {
  std::string data_dir;
  std::string address = "127.0.0.1";
  uint16_t port = 0;
  int http_threads = 2;
  // Threads for PutItems and PutUsers, which write their dataset before they answer. PutEvents
  // needs none: it is answered when the event log's commit completes.
  int blocking_threads = 4;
  int job_threads = 2;
  int job_nice = 10;  // core::ControlPlaneOptions::job_nice
  std::string region = "us-east-1";
  std::string account = "000000000000";
  int64_t transition_delay_ms = 0;
  int max_dataset_groups = core::ControlPlaneOptions().max_dataset_groups;
};

// The default data folder: $TAILOR_DATA_DIR, else $XDG_DATA_HOME/tailor, else
// ~/.local/share/tailor, with `leaf` appended when not empty.
std::string DefaultDataDir(const std::string& leaf);

// Blocks SIGINT and SIGTERM in the calling thread, so threads started later inherit the mask
// and WaitForShutdownSignal() receives them. Call first thing in main().
void BlockShutdownSignals();
// Waits for SIGINT or SIGTERM; returns its number.
int WaitForShutdownSignal();

class ServerRunner {
 public:
  // Opens the control plane and starts serving. The returned object is running.
  static StatusOr<std::unique_ptr<ServerRunner>> Start(const ServerOptions& options);
  ~ServerRunner();  // Shutdown()

  core::ControlPlane& control_plane() { return *control_plane_; }
  uint16_t port() const { return http_->port(); }
  std::string endpoint() const;

  // Stops the HTTP server (letting requests finish), then the jobs. Idempotent.
  void Shutdown();

 private:
  ServerRunner() = default;

  ServerOptions options_;
  std::unique_ptr<core::ControlPlane> control_plane_;
  std::unique_ptr<api::Router> router_;
  std::unique_ptr<api::HttpServer> http_;
};

}  // namespace tailor::cli
