// HttpSession: one accepted TCP connection of HttpServer (internal to src/api/http). It reads
// requests with Beast's parser under the server's size limits, calls the handler synchronously,
// writes the response, and keeps the connection open between requests until the client asks to
// close, the idle timeout fires, or the server shuts down. ConnectionSet tracks the live sessions
// so that Shutdown can tell them to finish and wait for them.
// Thread-safety: a session's work all runs on its own strand; Run and BeginShutdown may be called
// from any thread. ConnectionSet is thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/http/http_server.h"

namespace tailor::api::internal {

class HttpSession;

// The sessions of one server. Shutdown closes the set (so late accepts are refused), tells each
// member to finish, and waits for the set to empty: a session leaves it in its destructor, which
// runs once its last pending operation has completed.
class ConnectionSet {
 public:
  // Adds `session` and returns true, or returns false once Close() has been called (the caller
  // then drops the connection).
  bool Add(const std::shared_ptr<HttpSession>& session);
  // Removes `session`; a no-op when it was never added.
  void Remove(const HttpSession* session);
  // Refuses further Adds and returns the sessions still alive.
  std::vector<std::shared_ptr<HttpSession>> Close();
  // Blocks until the set is empty (true) or `deadline` passes (false).
  bool WaitEmpty(std::chrono::steady_clock::time_point deadline);
  // Count the responders handed to AsyncHttpHandlers that have not been called yet. A session
  // waiting for one may outlive the io_context's run, so the server must not destroy the
  // io_context before they are all done.
  void BeginDeferred();
  void EndDeferred();
  void WaitDeferredDone();
  // Whether Close() has been called. Lets a session whose strand is busy in the handler learn
  // of shutdown before BeginShutdown's task reaches it, so its response says "close".
  bool closed() const { return closed_.load(std::memory_order_acquire); }

 private:
  std::mutex mu_;
  std::condition_variable empty_cv_;
  // Written under mu_; read without it by closed().
  std::atomic<bool> closed_{false};
  // Protected by mu_.
  std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> sessions_;
  int64_t deferred_ = 0;
  std::condition_variable deferred_cv_;
};

// Builds the response the server sends on its own behalf: options.make_error when set (and it
// does not throw), else a plain JSON body {"message": ...}.
HttpResponse MakeErrorResponse(const HttpServerOptions& options, int status,
                               const std::string& message);

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // `socket` must have been accepted on a strand executor. `options`, `handler` and
  // `connections` are borrowed and must outlive the session; the server guarantees it by
  // destroying its io_context (and with it every pending operation) before itself.
  // `blocking_pool` (may be null) runs the requests options.is_blocking selects.
  HttpSession(boost::asio::ip::tcp::socket socket, const HttpServerOptions& options,
              const HttpHandler& handler, ConnectionSet& connections,
              boost::asio::thread_pool* blocking_pool);
  ~HttpSession();

  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // Starts reading the first request.
  void Run();
  // Asks the session to finish: an idle connection closes at once; a request being read or
  // handled completes, its response carries "Connection: close", and the connection closes.
  void BeginShutdown();

 private:
  enum class State {
    kIdle,      // waiting for the first byte of a request
    kReading,   // part of a request has arrived
    kHandling,  // the handler runs or the response is being written
    kDraining,  // an error response was sent; discarding the rest of the request
    kClosed,
  };

  void ReadHeader();
  void OnHeader(boost::beast::error_code ec, std::size_t bytes);
  void ReadBody();
  void OnBody(boost::beast::error_code ec, std::size_t bytes);
  void OnReadError(boost::beast::error_code ec);
  void Handle();
  // Runs the handler, turning whatever it throws into a 500.
  HttpResponse Invoke(const HttpRequest& request) const;
  // Runs the async handler with a responder that posts its response to the strand (once).
  void InvokeAsync(const HttpRequest& request, unsigned version, bool keep_alive,
                   bool head_request);
  // A handler's response, or a 500 when its status is not a valid HTTP status.
  HttpResponse Checked(HttpResponse response, std::string_view method,
                       std::string_view target) const;
  // Sends the handler's response (on the strand).
  void Respond(HttpResponse response, unsigned version, bool keep_alive, bool head_request);
  // Fills response_ with `response` plus Server, Content-Type and Content-Length.
  void PrepareResponse(HttpResponse response, unsigned version, bool keep_alive);
  void Write(HttpResponse response, unsigned version, bool keep_alive, bool head_request);
  void OnWrite(boost::beast::error_code ec, std::size_t bytes);
  void SendErrorAndClose(int status, const std::string& message);
  void OnErrorWritten(boost::beast::error_code ec, std::size_t bytes);
  void Drain();
  void OnDrain(boost::beast::error_code ec, std::size_t bytes);
  void OnShutdown();
  void Close();

  const HttpServerOptions& options_;
  const HttpHandler& handler_;
  ConnectionSet& connections_;
  boost::asio::thread_pool* const blocking_pool_;

  // Touched only on the strand of stream_.
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> response_;
  State state_ = State::kIdle;
  bool shutting_down_ = false;
  std::size_t drained_bytes_ = 0;
  // Allocated only when draining, so that idle connections stay small.
  std::unique_ptr<std::array<char, 16 * 1024>> drain_buffer_;
};

}  // namespace tailor::api::internal
