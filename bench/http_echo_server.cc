// http_echo_server: HttpServer with a trivial JSON handler, the load target of
// bench/http_server_load.sh. It measures the HTTP layer alone (parsing, keep-alive, the worker
// pool, writing), so regressions there are not hidden behind protocol or model work.
//
// Usage: http_echo_server [threads] [port]   (defaults: 2 threads, port 0 = a free port)
// Prints "listening on http://127.0.0.1:<port>" once it accepts connections, then serves until
// SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "api/http/http_server.h"

int main(int argc, char** argv) {
  tailor::api::HttpServerOptions options;
  options.threads = argc > 1 ? std::atoi(argv[1]) : 2;
  options.port = static_cast<uint16_t>(argc > 2 ? std::atoi(argv[2]) : 0);

  // Blocked before the workers start so that they inherit the mask and sigwait below receives
  // the signal.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server =
      tailor::api::HttpServer::Start(options, [](const tailor::api::HttpRequest& request) {
        tailor::api::HttpResponse response;
        response.body = "{\"path\":\"" + std::string(request.Path()) +
                        "\",\"bytes\":" + std::to_string(request.body.size()) + "}";
        return response;
      });
  if (!server.ok()) {
    std::fprintf(stderr, "http_echo_server: %s\n", server.status().ToString().c_str());
    return 1;
  }
  std::printf("listening on http://127.0.0.1:%u with %d threads\n", (*server)->port(),
              options.threads);
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  (*server)->Shutdown(5);
  return 0;
}
