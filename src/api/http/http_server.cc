#include "api/http/http_server.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "api/http/http_session.h"

namespace tailor::api {

namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string_view HttpRequest::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

std::string_view HttpRequest::Path() const {
  std::string_view path(target);
  return path.substr(0, path.find('?'));
}

namespace {

// The interface's default for Shutdown, used by the destructor.
constexpr int kDefaultGraceSeconds = 10;

class HttpServerImpl final : public HttpServer {
 public:
  HttpServerImpl(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {}
  ~HttpServerImpl() override { Shutdown(kDefaultGraceSeconds); }

  // Binds and listens; the workers are not running yet.
  Status Listen();
  // Starts the workers; Internal when a thread cannot be created.
  Status StartWorkers();

  uint16_t port() const override { return port_; }
  void Shutdown(int grace_seconds) override;

 private:
  void Accept();
  void OnAccept(boost::system::error_code ec, tcp::socket socket);
  void RunWorker();

  const HttpServerOptions options_;
  const HttpHandler handler_;
  // Declared before io_context_ so that it outlives every session, which removes itself here.
  internal::ConnectionSet connections_;
  uint16_t port_ = 0;

  // Serialises Shutdown callers, so that a second caller returns only once the first is done.
  std::mutex shutdown_mu_;
  bool shut_down_ = false;  // Protected by shutdown_mu_.

  // Reset in Shutdown after the workers are joined: destroying the io_context destroys the
  // pending operations and so every session, before options_ and handler_ go away.
  std::optional<net::io_context> io_context_;
  // The acceptor and its retry timer live on one strand; touched only from it after Listen.
  std::optional<tcp::acceptor> acceptor_;
  std::optional<net::steady_timer> accept_retry_timer_;
  std::vector<std::thread> workers_;
  // Runs the requests options_.is_blocking selects; joined in Shutdown before io_context_ goes.
  std::optional<net::thread_pool> blocking_pool_;
};

Status HttpServerImpl::Listen() {
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(options_.address, ec);
  if (ec) {
    return Status::InvalidInput("HTTP listen address \"" + options_.address +
                                "\" is not an IP address: " + ec.message());
  }
  io_context_.emplace(options_.threads);
  if (options_.blocking_threads > 0 && options_.is_blocking) {
    blocking_pool_.emplace(static_cast<size_t>(options_.blocking_threads));
  }
  auto strand = net::make_strand(*io_context_);
  acceptor_.emplace(strand);
  accept_retry_timer_.emplace(strand);
  const tcp::endpoint endpoint(address, options_.port);
  const std::string where = options_.address + ":" + std::to_string(options_.port);
  acceptor_->open(endpoint.protocol(), ec);
  if (ec) return Status::Unavailable("Cannot open a socket for " + where + ": " + ec.message());
  // SO_REUSEADDR lets a restarted server bind while old connections sit in TIME_WAIT; on Linux it
  // still refuses a port another socket is listening on.
  acceptor_->set_option(net::socket_base::reuse_address(true), ec);
  acceptor_->bind(endpoint, ec);
  if (ec) return Status::Unavailable("Cannot bind " + where + ": " + ec.message());
  acceptor_->listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Status::Unavailable("Cannot listen on " + where + ": " + ec.message());
  port_ = acceptor_->local_endpoint(ec).port();
  if (ec) return Status::Unavailable("Cannot read the bound port: " + ec.message());
  Accept();
  return Status::OK();
}

Status HttpServerImpl::StartWorkers() {
  try {
    workers_.reserve(static_cast<size_t>(options_.threads));
    for (int i = 0; i < options_.threads; ++i) workers_.emplace_back([this] { RunWorker(); });
  } catch (const std::system_error& e) {
    return Status::Internal(std::string("Cannot start HTTP worker threads: ") + e.what());
  }
  return Status::OK();
}

void HttpServerImpl::RunWorker() {
  // Sessions catch what the handler throws; this is the last line for anything else, so that
  // one bad operation does not take a worker away.
  for (;;) {
    try {
      io_context_->run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("HTTP worker caught an exception: {}", e.what());
    } catch (...) {
      spdlog::error("HTTP worker caught a non-standard exception");
    }
  }
}

void HttpServerImpl::Accept() {
  // Each connection gets its own strand, so its operations never run concurrently while
  // different connections use all the workers.
  acceptor_->async_accept(net::make_strand(*io_context_),
                          [this](boost::system::error_code ec, tcp::socket socket) {
                            OnAccept(ec, std::move(socket));
                          });
}

void HttpServerImpl::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_->is_open()) return;
  if (ec) {
    // Out of file descriptors and the like: back off rather than spin on a failing accept.
    spdlog::warn("HTTP accept failed: {}", ec.message());
    accept_retry_timer_->expires_after(std::chrono::milliseconds(100));
    accept_retry_timer_->async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec && acceptor_->is_open()) Accept();
    });
    return;
  }
  // Responses are written whole; Nagle's algorithm would only delay the last segment.
  socket.set_option(tcp::no_delay(true), ec);
  auto session =
      std::make_shared<internal::HttpSession>(std::move(socket), options_, handler_, connections_,
                                              blocking_pool_ ? &*blocking_pool_ : nullptr);
  // After Shutdown has begun the set refuses the session, whose destructor closes the socket.
  if (connections_.Add(session)) session->Run();
  Accept();
}

void HttpServerImpl::Shutdown(int grace_seconds) {
  std::lock_guard<std::mutex> lock(shutdown_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  if (io_context_) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(std::max(grace_seconds, 0));
    if (acceptor_) {
      net::post(acceptor_->get_executor(), [this] {
        boost::system::error_code ec;
        acceptor_->close(ec);
        accept_retry_timer_->cancel();
      });
    }
    for (const auto& session : connections_.Close()) session->BeginShutdown();
    if (!connections_.WaitEmpty(deadline)) {
      spdlog::warn(
          "HTTP server: requests still in flight after {} s of shutdown grace; "
          "closing their connections",
          grace_seconds);
    }
    io_context_->stop();
  }
  // A handler still running keeps its worker (or pool thread) until it returns; the joins wait
  // for it. The pool's tasks hold sessions, which must go before the io_context.
  for (auto& worker : workers_) worker.join();
  workers_.clear();
  // Responders still out post to the (stopped) io_context, which must outlive those posts.
  connections_.WaitDeferredDone();
  if (blocking_pool_) {
    blocking_pool_->join();
    blocking_pool_.reset();
  }
  accept_retry_timer_.reset();
  acceptor_.reset();
  io_context_.reset();
}

}  // namespace

StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                        HttpHandler handler) {
  if (options.threads < 1) {
    return Status::InvalidInput("HTTP server threads must be at least 1, not " +
                                std::to_string(options.threads) + ".");
  }
  if (options.idle_timeout_seconds < 1) {
    return Status::InvalidInput("HTTP idle timeout must be at least 1 second, not " +
                                std::to_string(options.idle_timeout_seconds) + ".");
  }
  if (!handler) return Status::InvalidInput("HTTP server needs a handler.");
  // Asio reports failures here with error codes, but creating an io_context or a thread can
  // still throw; none of it crosses this interface (style.md E4).
  try {
    auto server = std::make_unique<HttpServerImpl>(std::move(options), std::move(handler));
    TAILOR_RETURN_IF_ERROR(server->Listen());
    TAILOR_RETURN_IF_ERROR(server->StartWorkers());
    return std::unique_ptr<HttpServer>(std::move(server));
  } catch (const std::exception& e) {
    return Status::Internal(std::string("Cannot start the HTTP server: ") + e.what());
  }
}

}  // namespace tailor::api
