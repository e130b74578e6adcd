#include "api/http/http_session.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <limits>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/optional/optional.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace tailor::api::internal {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

// After an error response the rest of the request is read and discarded for a while before the
// socket closes. Closing with unread bytes in the kernel's receive buffer makes TCP send a reset,
// and the reset can destroy the error response before the client has read it (the "lingering
// close" of nginx and Apache).
constexpr std::chrono::seconds kDrainTimeout{5};
constexpr std::size_t kMaxDrainBytes = 64 * 1024 * 1024;

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

std::string BodyLimitMessage(const boost::optional<std::uint64_t>& content_length,
                             std::size_t limit) {
  if (content_length) {
    return "Request body of " + std::to_string(*content_length) +
           " bytes is larger than the limit of " + std::to_string(limit) + " bytes.";
  }
  return "Request body is larger than the limit of " + std::to_string(limit) + " bytes.";
}

}  // namespace

bool ConnectionSet::Add(const std::shared_ptr<HttpSession>& session) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return false;
  sessions_.emplace(session.get(), session);
  return true;
}

void ConnectionSet::Remove(const HttpSession* session) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(session);
  if (sessions_.empty()) empty_cv_.notify_all();
}

std::vector<std::shared_ptr<HttpSession>> ConnectionSet::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_.store(true, std::memory_order_release);
  std::vector<std::shared_ptr<HttpSession>> live;
  live.reserve(sessions_.size());
  for (const auto& [raw, weak] : sessions_) {
    // A session whose last reference is gone is in its destructor, waiting to Remove itself.
    if (auto session = weak.lock()) live.push_back(std::move(session));
  }
  return live;
}

bool ConnectionSet::WaitEmpty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  return empty_cv_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
}

void ConnectionSet::BeginDeferred() {
  std::lock_guard<std::mutex> lock(mu_);
  ++deferred_;
}

void ConnectionSet::EndDeferred() {
  std::lock_guard<std::mutex> lock(mu_);
  if (--deferred_ == 0) deferred_cv_.notify_all();
}

void ConnectionSet::WaitDeferredDone() {
  std::unique_lock<std::mutex> lock(mu_);
  deferred_cv_.wait(lock, [this] { return deferred_ == 0; });
}

HttpResponse MakeErrorResponse(const HttpServerOptions& options, int status,
                               const std::string& message) {
  if (options.make_error) {
    try {
      return options.make_error(status, message);
    } catch (const std::exception& e) {
      spdlog::error("HTTP make_error threw: {}", e.what());
    } catch (...) {
      spdlog::error("HTTP make_error threw a non-standard exception");
    }
  }
  HttpResponse response;
  response.status = status;
  response.content_type = "application/json";
  // replace: a message quoting bytes from the request need not be valid UTF-8.
  response.body = nlohmann::json{{"message", message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

HttpSession::HttpSession(net::ip::tcp::socket socket, const HttpServerOptions& options,
                         const HttpHandler& handler, ConnectionSet& connections,
                         net::thread_pool* blocking_pool)
    : options_(options),
      handler_(handler),
      connections_(connections),
      blocking_pool_(blocking_pool),
      stream_(std::move(socket)) {}

HttpSession::~HttpSession() { connections_.Remove(this); }

void HttpSession::Run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::ReadHeader, shared_from_this()));
}

void HttpSession::BeginShutdown() {
  net::post(stream_.get_executor(),
            beast::bind_front_handler(&HttpSession::OnShutdown, shared_from_this()));
}

void HttpSession::OnShutdown() {
  shutting_down_ = true;
  const bool nothing_received = buffer_.size() == 0 && !(parser_ && parser_->got_some());
  if ((state_ == State::kIdle && nothing_received) || state_ == State::kDraining) Close();
  // Otherwise a request is under way; it completes and its response closes the connection.
}

void HttpSession::ReadHeader() {
  if (connections_.closed()) shutting_down_ = true;
  if (shutting_down_ || state_ == State::kClosed) return Close();
  state_ = State::kIdle;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options_.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser_->body_limit(static_cast<std::uint64_t>(options_.max_body_bytes));
  stream_.expires_after(std::chrono::seconds(options_.idle_timeout_seconds));
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&HttpSession::OnHeader, shared_from_this()));
}

void HttpSession::OnHeader(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) return OnReadError(ec);
  state_ = State::kReading;
  if (parser_->is_done()) return Handle();
  const auto& header = parser_->get();
  // curl and other clients wait (up to a second) for this interim response before sending a
  // large body.
  if (header.version() >= 11 && beast::iequals(header[http::field::expect], "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                       if (write_ec) return self->Close();
                       self->ReadBody();
                     });
    return;
  }
  ReadBody();
}

void HttpSession::ReadBody() {
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::OnBody, shared_from_this()));
}

void HttpSession::OnBody(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) return OnReadError(ec);
  Handle();
}

void HttpSession::OnReadError(beast::error_code ec) {
  if (state_ == State::kClosed) return;
  if (ec == http::error::body_limit) {
    return SendErrorAndClose(400,
                             BodyLimitMessage(parser_->content_length(), options_.max_body_bytes));
  }
  if (ec == http::error::header_limit) {
    return SendErrorAndClose(400, "Request headers are larger than the limit of " +
                                      std::to_string(options_.max_header_bytes) + " bytes.");
  }
  // end_of_stream and partial_message mean the client went away; there is no one to answer.
  if (IsHttpParseError(ec) && ec != http::error::end_of_stream &&
      ec != http::error::partial_message) {
    spdlog::debug("Malformed HTTP request: {}", ec.message());
    return SendErrorAndClose(400, "Malformed HTTP request: " + ec.message() + ".");
  }
  // Timeouts, resets, and cancellation by Shutdown.
  Close();
}

void HttpSession::Handle() {
  state_ = State::kHandling;
  http::request<http::string_body> message = parser_->release();

  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.headers.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
  for (const auto& field : message) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = std::move(message.body());

  const unsigned version = message.version();
  const bool keep_alive = message.keep_alive();
  const bool head_request = message.method() == http::verb::head;
  if (options_.async_handler && options_.is_async && options_.is_async(request)) {
    return InvokeAsync(request, version, keep_alive, head_request);
  }
  if (blocking_pool_ != nullptr && options_.is_blocking && options_.is_blocking(request)) {
    // The pool holds the session alive until the response is back on its strand; the server
    // joins the pool before it destroys the io_context. The work guard keeps the workers
    // running meanwhile: with no pending operation (the acceptor closed by Shutdown), run()
    // would return and the response would never be written.
    net::post(*blocking_pool_, [self = shared_from_this(), request = std::move(request), version,
                                keep_alive, head_request,
                                work = net::make_work_guard(stream_.get_executor())]() mutable {
      HttpResponse response = self->Invoke(request);
      net::post(self->stream_.get_executor(), [self, response = std::move(response), version,
                                               keep_alive, head_request]() mutable {
        self->Respond(std::move(response), version, keep_alive, head_request);
      });
    });
    return;
  }
  Respond(Invoke(request), version, keep_alive, head_request);
}

HttpResponse HttpSession::Invoke(const HttpRequest& request) const {
  HttpResponse response;
  // The catch-all at the HTTP boundary (style.md E4): nothing a handler throws reaches Asio.
  try {
    response = handler_(request);
  } catch (const std::exception& e) {
    spdlog::error("HTTP handler threw on {} {}: {}", request.method, request.target, e.what());
    response = MakeErrorResponse(options_, 500, "Internal error");
  } catch (...) {
    spdlog::error("HTTP handler threw a non-standard exception on {} {}", request.method,
                  request.target);
    response = MakeErrorResponse(options_, 500, "Internal error");
  }
  return Checked(std::move(response), request.method, request.target);
}

HttpResponse HttpSession::Checked(HttpResponse response, std::string_view method,
                                  std::string_view target) const {
  if (response.status < 100 || response.status > 999) {
    spdlog::error("HTTP handler returned status {} on {} {}", response.status, method, target);
    response = MakeErrorResponse(options_, 500, "Internal error");
  }
  return response;
}

void HttpSession::InvokeAsync(const HttpRequest& request, unsigned version, bool keep_alive,
                              bool head_request) {
  // The responder holds the session until its response is on the strand, and a work guard, as
  // the blocking pool's tasks do: with no other pending operation (the acceptor closed by
  // Shutdown) the workers would return from run() and never write the response. Only its first
  // call counts: a handler that throws after answering gets no second, 500, answer.
  connections_.BeginDeferred();
  auto answered = std::make_shared<std::atomic<bool>>(false);
  HttpResponder respond = [self = shared_from_this(), answered, method = request.method,
                           target = request.target, version, keep_alive, head_request,
                           work = net::make_work_guard(stream_.get_executor())](
                              HttpResponse response) {
    if (answered->exchange(true)) return;
    response = self->Checked(std::move(response), method, target);
    net::post(self->stream_.get_executor(),
              [self, response = std::move(response), version, keep_alive, head_request]() mutable {
                self->Respond(std::move(response), version, keep_alive, head_request);
              });
    self->connections_.EndDeferred();
  };
  // The catch-all at the HTTP boundary (style.md E4), as in Invoke.
  try {
    options_.async_handler(request, respond);
  } catch (const std::exception& e) {
    spdlog::error("HTTP handler threw on {} {}: {}", request.method, request.target, e.what());
    respond(MakeErrorResponse(options_, 500, "Internal error"));
  } catch (...) {
    spdlog::error("HTTP handler threw a non-standard exception on {} {}", request.method,
                  request.target);
    respond(MakeErrorResponse(options_, 500, "Internal error"));
  }
}

void HttpSession::Respond(HttpResponse response, unsigned version, bool keep_alive,
                          bool head_request) {
  if (connections_.closed()) shutting_down_ = true;
  Write(std::move(response), version, keep_alive && !shutting_down_, head_request);
}

void HttpSession::PrepareResponse(HttpResponse response, unsigned version, bool keep_alive) {
  auto& out = response_.emplace();
  out.version(version);
  out.result(static_cast<unsigned>(response.status));
  out.set(http::field::server, "tailor");
  out.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) out.insert(name, value);
  out.body() = std::move(response.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
}

void HttpSession::Write(HttpResponse response, unsigned version, bool keep_alive,
                        bool head_request) {
  PrepareResponse(std::move(response), version, keep_alive);
  if (head_request) {
    // A HEAD response announces the length of the body it does not carry.
    const auto length = response_->body().size();
    response_->body().clear();
    response_->content_length(length);
  }
  stream_.expires_after(std::chrono::seconds(options_.idle_timeout_seconds));
  http::async_write(stream_, *response_,
                    beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this()));
}

void HttpSession::OnWrite(beast::error_code ec, std::size_t /*bytes*/) {
  const bool keep_alive = response_->keep_alive();
  response_.reset();
  if (ec || !keep_alive || shutting_down_) return Close();
  ReadHeader();
}

void HttpSession::SendErrorAndClose(int status, const std::string& message) {
  state_ = State::kHandling;
  PrepareResponse(MakeErrorResponse(options_, status, message), 11, /*keep_alive=*/false);
  stream_.expires_after(std::chrono::seconds(options_.idle_timeout_seconds));
  http::async_write(stream_, *response_,
                    beast::bind_front_handler(&HttpSession::OnErrorWritten, shared_from_this()));
}

void HttpSession::OnErrorWritten(beast::error_code ec, std::size_t /*bytes*/) {
  response_.reset();
  if (ec || shutting_down_) return Close();
  // Half-close so the client sees the end of the response, then discard what it still sends.
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  state_ = State::kDraining;
  drain_buffer_ = std::make_unique<std::array<char, 16 * 1024>>();
  stream_.expires_after(kDrainTimeout);
  Drain();
}

void HttpSession::Drain() {
  stream_.async_read_some(net::buffer(*drain_buffer_),
                          beast::bind_front_handler(&HttpSession::OnDrain, shared_from_this()));
}

void HttpSession::OnDrain(beast::error_code ec, std::size_t bytes) {
  drained_bytes_ += bytes;
  if (ec || drained_bytes_ > kMaxDrainBytes || state_ == State::kClosed) return Close();
  Drain();
}

void HttpSession::Close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  stream_.close();
}

}  // namespace tailor::api::internal
