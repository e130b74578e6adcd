// HttpServer: an HTTP/1.1 server on Boost.Beast with keep-alive, a bounded pool of worker
// threads, limits on header and body size, and graceful shutdown. It knows no protocol: every
// request goes to one HttpHandler (the router).
// Thread-safety: Start/port/Shutdown may be called from any thread; the handler is called
// concurrently from the worker threads and must be thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"

namespace tailor::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, e.g. "/recommendations?x=1"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The first header with this lower-case name, or "".
  std::string_view Header(std::string_view lower_name) const;
  // The path part of target (before '?').
  std::string_view Path() const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// Sends the response to a request that a handler answers later; call it once, from any thread.
using HttpResponder = std::function<void(HttpResponse)>;
// A handler that returns before it has the answer and gives it to `respond` later (PutEvents,
// once its events are durable), so that no thread waits with the request. It must copy what
// it needs of the request, which lives only until it returns.
using AsyncHttpHandler = std::function<void(const HttpRequest&, HttpResponder respond)>;

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0 picks a free port; see HttpServer::port()
  int threads = 2;    // worker threads that run the io loop and the handler
  // Requests for which is_blocking returns true (PutEvents, which waits on fdatasync) run on a
  // pool of blocking_threads instead, so that waiting on the disk neither holds a worker from
  // CPU-bound requests nor limits how many calls share one group commit. 0 or no predicate:
  // every request runs on the workers.
  int blocking_threads = 0;
  std::function<bool(const HttpRequest&)> is_blocking;
  // Requests for which is_async returns true go to async_handler (on a worker), which answers
  // through its responder. Shutdown waits for every responder handed out to be called.
  std::function<bool(const HttpRequest&)> is_async;
  AsyncHttpHandler async_handler;
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 4 * 1024 * 1024;
  int idle_timeout_seconds = 60;  // keep-alive connections idle longer are closed
  // Builds the response the server sends itself (over-size body or headers, malformed HTTP),
  // so the protocol layer chooses its error format. Given an HTTP status and a message.
  std::function<HttpResponse(int status, std::string message)> make_error;
};

class HttpServer {
 public:
  // Binds, listens and starts the worker threads. InvalidInput when the address does not parse,
  // Unavailable when the port cannot be bound.
  static StatusOr<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                     HttpHandler handler);
  virtual ~HttpServer() = default;  // shuts down if still running

  // The bound port (the real one when options.port was 0).
  virtual uint16_t port() const = 0;

  // Stops accepting, lets requests in flight finish (waiting at most `grace_seconds`), closes
  // idle connections and joins the workers. Idempotent.
  virtual void Shutdown(int grace_seconds = 10) = 0;
};

}  // namespace tailor::api
