#include "api/http/http_server.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

namespace tailor::api {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using Response = http::response<http::string_body>;
using Request = http::request<http::string_body>;

// A blocking HTTP client on one TCP connection, so tests can reuse it for keep-alive.
class TestClient {
 public:
  explicit TestClient(uint16_t port) : socket_(io_context_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }

  Response Send(Request request) {
    request.set(http::field::host, "127.0.0.1");
    request.prepare_payload();
    http::write(socket_, request);
    return Read();
  }

  Response Read() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(socket_, buffer_, parser);
    return parser.release();
  }

  void WriteRaw(std::string_view bytes) { net::write(socket_, net::buffer(bytes)); }

  // True when the server has closed the connection: a read ends with EOF (or a reset).
  bool ReadsEof() {
    char byte;
    boost::system::error_code ec;
    socket_.read_some(net::buffer(&byte, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

  tcp::socket& socket() { return socket_; }
  beast::flat_buffer& buffer() { return buffer_; }

 private:
  net::io_context io_context_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

Request MakeRequest(http::verb verb, std::string target, std::string body = "") {
  Request request(verb, target, 11);
  request.body() = std::move(body);
  return request;
}

// The protocol layer's error format, recognisable in assertions.
HttpResponse TestError(int status, std::string message) {
  HttpResponse response;
  response.status = status;
  response.body = "{\"__type\":\"TestError\",\"message\":\"" + message + "\"}";
  return response;
}

HttpServerOptions TestOptions() {
  HttpServerOptions options;
  options.make_error = TestError;
  return options;
}

std::unique_ptr<HttpServer> StartOrDie(HttpServerOptions options, HttpHandler handler) {
  auto server = HttpServer::Start(std::move(options), std::move(handler));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return std::move(server).value();
}

// Answers with the request's body and its method and path in headers.
HttpResponse Echo(const HttpRequest& request) {
  HttpResponse response;
  response.content_type = "text/plain";
  response.headers = {{"X-Method", request.method}, {"X-Path", std::string(request.Path())}};
  response.body = request.body;
  return response;
}

TEST(HttpRequestTest, PathStripsTheQuery) {
  HttpRequest request;
  request.target = "/recommendations?campaignArn=x&userId=1";
  EXPECT_EQ(request.Path(), "/recommendations");
  request.target = "/";
  EXPECT_EQ(request.Path(), "/");
}

TEST(HttpRequestTest, HeaderReturnsTheFirstMatchOrEmpty) {
  HttpRequest request;
  request.headers = {{"x-amz-target", "A"}, {"x-amz-target", "B"}};
  EXPECT_EQ(request.Header("x-amz-target"), "A");
  EXPECT_EQ(request.Header("content-type"), "");
}

TEST(HttpServerTest, PostRoundTripsBodyAndHeaders) {
  std::mutex mu;
  HttpRequest seen;
  auto server = StartOrDie(TestOptions(), [&](const HttpRequest& request) {
    std::lock_guard<std::mutex> lock(mu);
    seen = request;
    HttpResponse response;
    response.content_type = "application/x-amz-json-1.1";
    response.headers = {{"x-amzn-RequestId", "abc"}};
    response.body = "{\"got\":\"" + request.body + "\"}";
    return response;
  });
  TestClient client(server->port());
  Request request = MakeRequest(http::verb::post, "/?Action=x", "hello");
  request.set("X-Amz-Target", "AmazonPersonalize.ListDatasetGroups");
  request.set(http::field::content_type, "application/x-amz-json-1.1");
  Response response = client.Send(std::move(request));

  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "{\"got\":\"hello\"}");
  EXPECT_EQ(response[http::field::content_type], "application/x-amz-json-1.1");
  EXPECT_EQ(response[http::field::content_length], "15");
  EXPECT_EQ(response[http::field::server], "tailor");
  EXPECT_EQ(response["x-amzn-RequestId"], "abc");

  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/?Action=x");
  EXPECT_EQ(seen.Path(), "/");
  EXPECT_EQ(seen.body, "hello");
  EXPECT_EQ(seen.Header("x-amz-target"), "AmazonPersonalize.ListDatasetGroups");
  EXPECT_EQ(seen.Header("content-type"), "application/x-amz-json-1.1");
  for (const auto& [name, value] : seen.headers) {
    for (char c : name) EXPECT_FALSE(c >= 'A' && c <= 'Z') << "header name " << name;
  }
}

TEST(HttpServerTest, GetHasAnEmptyBodyAndAPathWithoutQuery) {
  auto server = StartOrDie(TestOptions(), Echo);
  TestClient client(server->port());
  Response response = client.Send(MakeRequest(http::verb::get, "/healthz?verbose=1"));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response["X-Method"], "GET");
  EXPECT_EQ(response["X-Path"], "/healthz");
  EXPECT_EQ(response[http::field::content_type], "text/plain");
  EXPECT_EQ(response.body(), "");
}

TEST(HttpServerTest, HandlerStatusIsSent) {
  auto server = StartOrDie(TestOptions(), [](const HttpRequest&) {
    HttpResponse response;
    response.status = 404;
    response.body = "{}";
    return response;
  });
  TestClient client(server->port());
  EXPECT_EQ(client.Send(MakeRequest(http::verb::get, "/missing")).result_int(), 404);
}

TEST(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto server = StartOrDie(TestOptions(), Echo);
  TestClient client(server->port());
  for (int i = 0; i < 5; ++i) {
    Response response =
        client.Send(MakeRequest(http::verb::post, "/", "request " + std::to_string(i)));
    EXPECT_EQ(response.body(), "request " + std::to_string(i));
    EXPECT_TRUE(response.keep_alive());
  }
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  auto server = StartOrDie(TestOptions(), Echo);
  TestClient client(server->port());
  client.WriteRaw(
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo");
  EXPECT_EQ(client.Read().body(), "one");
  EXPECT_EQ(client.Read().body(), "two");
}

TEST(HttpServerTest, ConnectionCloseIsHonoured) {
  auto server = StartOrDie(TestOptions(), Echo);
  TestClient client(server->port());
  Request request = MakeRequest(http::verb::post, "/", "bye");
  request.keep_alive(false);
  Response response = client.Send(std::move(request));
  EXPECT_EQ(response.body(), "bye");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServerTest, Http10WithoutKeepAliveIsClosed) {
  auto server = StartOrDie(TestOptions(), Echo);
  TestClient client(server->port());
  client.WriteRaw("GET /old HTTP/1.0\r\n\r\n");
  Response response = client.Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response["X-Path"], "/old");
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServerTest, ManyConcurrentClientsAreAllAnswered) {
  constexpr int kClients = 16;
  constexpr int kRequestsPerClient = 50;
  std::atomic<int> handled{0};
  auto server = StartOrDie(TestOptions(), [&](const HttpRequest& request) {
    handled.fetch_add(1);
    return Echo(request);
  });
  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      // Half the clients reuse one connection, the other half connect for every request.
      std::unique_ptr<TestClient> client;
      for (int i = 0; i < kRequestsPerClient; ++i) {
        if (!client || t % 2 == 1) client = std::make_unique<TestClient>(server->port());
        const std::string body = "client " + std::to_string(t) + " request " + std::to_string(i);
        Response response = client->Send(MakeRequest(http::verb::post, "/", body));
        if (response.result_int() == 200 && response.body() == body) correct.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(correct.load(), kClients * kRequestsPerClient);
  EXPECT_EQ(handled.load(), kClients * kRequestsPerClient);
}

TEST(HttpServerTest, LargeBodyUpToTheLimitRoundTrips) {
  auto server = StartOrDie(TestOptions(), Echo);  // default limit: 4 MiB
  std::string body(4 * 1024 * 1024, '\0');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
  TestClient client(server->port());
  Response response = client.Send(MakeRequest(http::verb::post, "/", body));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_TRUE(response.body() == body) << "echoed " << response.body().size() << " bytes";
}

TEST(HttpServerTest, BodyOverTheLimitGetsA400NamingTheLimit) {
  std::atomic<int> handled{0};
  HttpServerOptions options = TestOptions();
  options.max_body_bytes = 4194304;
  auto server = StartOrDie(options, [&](const HttpRequest& request) {
    handled.fetch_add(1);
    return Echo(request);
  });
  TestClient client(server->port());
  // The whole body is sent before the response is read, so the server must drain it rather than
  // reset the connection under the unread bytes.
  Response response = client.Send(MakeRequest(http::verb::post, "/", std::string(10485760, 'x')));
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(response.body(),
            "{\"__type\":\"TestError\",\"message\":\"Request body of 10485760 bytes is larger than "
            "the limit of 4194304 bytes.\"}");
  EXPECT_EQ(response[http::field::server], "tailor");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_EQ(handled.load(), 0);
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServerTest, ChunkedBodyOverTheLimitGetsA400) {
  HttpServerOptions options = TestOptions();
  options.max_body_bytes = 1000;
  auto server = StartOrDie(options, Echo);
  TestClient client(server->port());
  Request request = MakeRequest(http::verb::post, "/", std::string(5000, 'x'));
  request.set(http::field::host, "127.0.0.1");
  request.chunked(true);
  http::write(client.socket(), request);
  Response response = client.Read();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_NE(response.body().find("Request body is larger than the limit of 1000 bytes."),
            std::string::npos)
      << response.body();
}

TEST(HttpServerTest, WithoutMakeErrorTheErrorBodyIsPlainJson) {
  HttpServerOptions options;
  options.max_body_bytes = 10;
  auto server = StartOrDie(options, Echo);
  TestClient client(server->port());
  Response response = client.Send(MakeRequest(http::verb::post, "/", std::string(11, 'x')));
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_EQ(response.body(),
            "{\"message\":\"Request body of 11 bytes is larger than the limit of 10 bytes.\"}");
}

TEST(HttpServerTest, OverLongHeadersAreRejected) {
  auto server = StartOrDie(TestOptions(), Echo);  // default header limit: 16 KiB
  TestClient client(server->port());
  Request request = MakeRequest(http::verb::get, "/");
  request.set("X-Padding", std::string(20 * 1024, 'p'));
  Response response = client.Send(std::move(request));
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_NE(response.body().find("Request headers are larger than the limit of 16384 bytes."),
            std::string::npos)
      << response.body();
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServerTest, MalformedRequestGets400AndIsClosed) {
  std::atomic<int> handled{0};
  auto server = StartOrDie(TestOptions(), [&](const HttpRequest& request) {
    handled.fetch_add(1);
    return Echo(request);
  });
  TestClient client(server->port());
  client.WriteRaw("NOT HTTP AT ALL\r\n\r\n");
  Response response = client.Read();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_NE(response.body().find("Malformed HTTP request"), std::string::npos) << response.body();
  EXPECT_TRUE(client.ReadsEof());
  EXPECT_EQ(handled.load(), 0);
}

TEST(HttpServerTest, HandlerExceptionGives500AndTheServerKeepsServing) {
  auto server = StartOrDie(TestOptions(), [](const HttpRequest& request) -> HttpResponse {
    if (request.Path() == "/throw") throw std::runtime_error("boom");
    if (request.Path() == "/throw-int") throw 42;
    return Echo(request);
  });
  TestClient client(server->port());
  Response response = client.Send(MakeRequest(http::verb::get, "/throw"));
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_EQ(response.body(), "{\"__type\":\"TestError\",\"message\":\"Internal error\"}");
  EXPECT_EQ(client.Send(MakeRequest(http::verb::get, "/throw-int")).result_int(), 500);
  // Same connection, then a fresh one.
  EXPECT_EQ(client.Send(MakeRequest(http::verb::post, "/", "ok")).body(), "ok");
  TestClient other(server->port());
  EXPECT_EQ(other.Send(MakeRequest(http::verb::post, "/", "still ok")).body(), "still ok");
}

TEST(HttpServerTest, Expect100ContinueGetsAnInterimResponse) {
  auto server = StartOrDie(TestOptions(), Echo);
  TestClient client(server->port());
  client.WriteRaw(
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  std::string interim;
  auto dynamic = net::dynamic_buffer(interim);
  const size_t n = net::read_until(client.socket(), dynamic, "\r\n\r\n");
  EXPECT_EQ(interim.substr(0, n), "HTTP/1.1 100 Continue\r\n\r\n");
  client.WriteRaw("body");
  Response response = client.Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "body");
}

TEST(HttpServerTest, HeadResponseHasLengthButNoBody) {
  auto server = StartOrDie(TestOptions(), [](const HttpRequest&) {
    HttpResponse response;
    response.body = "{\"status\":\"ok\"}";
    return response;
  });
  TestClient client(server->port());
  Request request = MakeRequest(http::verb::head, "/healthz");
  request.set(http::field::host, "x");
  http::write(client.socket(), request);
  http::response_parser<http::empty_body> parser;
  parser.skip(true);  // a HEAD response has no body whatever its Content-Length says
  http::read(client.socket(), client.buffer(), parser);
  EXPECT_EQ(parser.get()[http::field::content_length], "15");
  // The connection is still usable, so no stray body bytes were sent.
  EXPECT_EQ(client.Send(MakeRequest(http::verb::get, "/")).body(), "{\"status\":\"ok\"}");
}

TEST(HttpServerTest, IdleConnectionIsClosedAfterTheTimeout) {
  HttpServerOptions options = TestOptions();
  options.idle_timeout_seconds = 1;
  auto server = StartOrDie(options, Echo);
  TestClient client(server->port());
  EXPECT_EQ(client.Send(MakeRequest(http::verb::post, "/", "x")).body(), "x");
  // Blocks until the server gives up on the idle connection.
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServerTest, PortZeroPicksAFreePort) {
  auto server = StartOrDie(TestOptions(), Echo);
  EXPECT_NE(server->port(), 0);
}

TEST(HttpServerTest, StartOnATakenPortIsUnavailable) {
  auto first = StartOrDie(TestOptions(), Echo);
  HttpServerOptions options = TestOptions();
  options.port = first->port();
  auto second = HttpServer::Start(options, Echo);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.status().IsUnavailable()) << second.status().ToString();
  EXPECT_NE(second.status().message().find(std::to_string(first->port())), std::string::npos)
      << second.status().ToString();
  EXPECT_NE(second.status().message().find("in use"), std::string::npos)
      << second.status().ToString();
}

TEST(HttpServerTest, StartWithAnUnparseableAddressIsInvalidInput) {
  HttpServerOptions options = TestOptions();
  options.address = "not-an-address";
  auto server = HttpServer::Start(options, Echo);
  ASSERT_FALSE(server.ok());
  EXPECT_TRUE(server.status().IsInvalidInput()) << server.status().ToString();
}

TEST(HttpServerTest, StartWithNoThreadsIsInvalidInput) {
  HttpServerOptions options = TestOptions();
  options.threads = 0;
  auto server = HttpServer::Start(options, Echo);
  ASSERT_FALSE(server.ok());
  EXPECT_TRUE(server.status().IsInvalidInput()) << server.status().ToString();
}

TEST(HttpServerTest, ShutdownWithIdleKeepAliveClientsReturnsPromptly) {
  auto server = StartOrDie(TestOptions(), Echo);
  TestClient used(server->port());
  EXPECT_EQ(used.Send(MakeRequest(http::verb::post, "/", "x")).body(), "x");
  TestClient silent(server->port());  // connected, never sends a byte
  const auto start = std::chrono::steady_clock::now();
  server->Shutdown(/*grace_seconds=*/120);
  // Generous bound: the point is that Shutdown does not wait out the grace period.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  EXPECT_TRUE(used.ReadsEof());
  EXPECT_TRUE(silent.ReadsEof());
  server->Shutdown();  // idempotent
}

TEST(HttpServerTest, ShutdownLetsAnInFlightRequestFinish) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto server = StartOrDie(TestOptions(), [&](const HttpRequest& request) {
    if (request.Path() == "/slow") {
      entered.set_value();
      released.wait();
      HttpResponse response;
      response.body = std::string(100000, 's');
      return response;
    }
    return Echo(request);
  });
  const uint16_t port = server->port();

  std::promise<Response> slow_response;
  std::thread slow_client([&] {
    TestClient client(port);
    slow_response.set_value(client.Send(MakeRequest(http::verb::get, "/slow")));
  });
  entered.get_future().wait();

  std::atomic<bool> shutdown_returned{false};
  std::thread shutdown([&] {
    server->Shutdown(/*grace_seconds=*/120);
    shutdown_returned = true;
  });
  // Once connections are refused, Shutdown has begun: only then let the handler finish.
  net::io_context io_context;
  for (;;) {
    tcp::socket probe(io_context);
    boost::system::error_code ec;
    probe.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
    if (ec == net::error::connection_refused) break;
    std::this_thread::yield();
  }
  EXPECT_FALSE(shutdown_returned.load());
  release.set_value();
  shutdown.join();
  slow_client.join();

  Response response = slow_response.get_future().get();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), std::string(100000, 's'));
  EXPECT_FALSE(response.keep_alive());
}

TEST(HttpServerTest, BlockingRequestsRunOnTheirPoolAndLeaveWorkersFree) {
  // One worker; four requests that block until released. Were they on the worker, the fast
  // request could not be answered until they all were.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> blocked{0};
  HttpServerOptions options = TestOptions();
  options.threads = 1;
  options.blocking_threads = 4;
  options.is_blocking = [](const HttpRequest& r) { return r.Path() == "/disk"; };
  auto server = StartOrDie(options, [&](const HttpRequest& request) {
    if (request.Path() == "/disk") {
      ++blocked;
      released.wait();
    }
    return Echo(request);
  });
  const uint16_t port = server->port();
  std::vector<std::thread> slow;
  std::vector<int> statuses(4, 0);
  for (int i = 0; i < 4; ++i) {
    slow.emplace_back([&, i] {
      TestClient client(port);
      statuses[i] = client.Send(MakeRequest(http::verb::post, "/disk", "d")).result_int();
    });
  }
  while (blocked.load() < 4) std::this_thread::yield();
  TestClient fast(port);
  Response response = fast.Send(MakeRequest(http::verb::post, "/fast", "quick"));
  EXPECT_EQ(response.body(), "quick");
  EXPECT_EQ(blocked.load(), 4);  // all four still waiting
  release.set_value();
  for (auto& t : slow) t.join();
  EXPECT_EQ(statuses, std::vector<int>(4, 200));
}

TEST(HttpServerTest, ShutdownWaitsForABlockingRequest) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  HttpServerOptions options = TestOptions();
  options.blocking_threads = 2;
  options.is_blocking = [](const HttpRequest&) { return true; };
  auto server = StartOrDie(options, [&](const HttpRequest& request) {
    entered.set_value();
    released.wait();
    return Echo(request);
  });
  std::promise<Response> answer;
  std::thread client([&, port = server->port()] {
    TestClient c(port);
    answer.set_value(c.Send(MakeRequest(http::verb::post, "/", "late")));
  });
  entered.get_future().wait();
  std::thread shutdown([&] { server->Shutdown(/*grace_seconds=*/120); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release.set_value();
  shutdown.join();
  client.join();
  Response response = answer.get_future().get();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "late");
  EXPECT_FALSE(response.keep_alive());
}

// An async handler that keeps its responders for a thread of the test to call later.
class DeferredAnswers {
 public:
  void Keep(const HttpRequest& request, HttpResponder respond) {
    std::lock_guard lock(mu_);
    pending_.emplace_back(request.body, std::move(respond));
    cv_.notify_all();
  }
  void WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return pending_.size() >= n; });
  }
  // Answers every kept request with its body, from this thread.
  void AnswerAll() {
    std::vector<std::pair<std::string, HttpResponder>> pending;
    {
      std::lock_guard lock(mu_);
      pending.swap(pending_);
    }
    for (auto& [body, respond] : pending) {
      HttpResponse response;
      response.body = "later:" + body;
      respond(response);
      respond(response);  // a second call is ignored
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, HttpResponder>> pending_;
};

TEST(HttpServerTest, AsyncRequestsHoldNoWorkerAndAreAnsweredFromAnyThread) {
  // One worker and four requests whose answers come from the test's thread: were the worker
  // waiting with them, the plain request could not be answered until they were.
  DeferredAnswers deferred;
  HttpServerOptions options = TestOptions();
  options.threads = 1;
  options.is_async = [](const HttpRequest& r) { return r.Path() == "/later"; };
  options.async_handler = [&](const HttpRequest& r, HttpResponder respond) {
    deferred.Keep(r, std::move(respond));
  };
  auto server = StartOrDie(options, Echo);
  const uint16_t port = server->port();
  std::vector<std::thread> slow;
  std::vector<std::string> bodies(4);
  for (int i = 0; i < 4; ++i) {
    slow.emplace_back([&, i] {
      TestClient client(port);
      Response r = client.Send(MakeRequest(http::verb::post, "/later", std::to_string(i)));
      bodies[i] = std::to_string(r.result_int()) + " " + r.body();
      // The connection stays usable after a deferred answer.
      bodies[i] += " " + client.Send(MakeRequest(http::verb::post, "/now", "again")).body();
    });
  }
  deferred.WaitFor(4);
  TestClient fast(port);
  EXPECT_EQ(fast.Send(MakeRequest(http::verb::post, "/now", "quick")).body(), "quick");
  deferred.AnswerAll();
  for (auto& t : slow) t.join();
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(bodies[i], "200 later:" + std::to_string(i) + " again");
  }
}

TEST(HttpServerTest, AsyncHandlerExceptionGives500) {
  HttpServerOptions options = TestOptions();
  options.is_async = [](const HttpRequest&) { return true; };
  options.async_handler = [](const HttpRequest&, HttpResponder) {
    throw std::runtime_error("boom");
  };
  auto server = StartOrDie(options, Echo);
  TestClient client(server->port());
  Response response = client.Send(MakeRequest(http::verb::post, "/", "x"));
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_NE(response.body().find("TestError"), std::string::npos);
}

TEST(HttpServerTest, ShutdownWaitsForADeferredAnswer) {
  DeferredAnswers deferred;
  HttpServerOptions options = TestOptions();
  options.is_async = [](const HttpRequest&) { return true; };
  options.async_handler = [&](const HttpRequest& r, HttpResponder respond) {
    deferred.Keep(r, std::move(respond));
  };
  auto server = StartOrDie(options, Echo);
  std::promise<Response> answer;
  std::thread client([&, port = server->port()] {
    TestClient c(port);
    answer.set_value(c.Send(MakeRequest(http::verb::post, "/", "late")));
  });
  deferred.WaitFor(1);
  std::atomic<bool> shut_down{false};
  std::thread shutdown([&] {
    server->Shutdown(/*grace_seconds=*/120);
    shut_down = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(shut_down.load());
  deferred.AnswerAll();
  shutdown.join();
  client.join();
  Response response = answer.get_future().get();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "later:late");
  EXPECT_FALSE(response.keep_alive());
}

TEST(HttpServerTest, DestructorShutsDownWithOpenClients) {
  auto server = StartOrDie(TestOptions(), Echo);
  TestClient client(server->port());
  EXPECT_EQ(client.Send(MakeRequest(http::verb::post, "/", "x")).body(), "x");
  server.reset();
  EXPECT_TRUE(client.ReadsEof());
}

}  // namespace
}  // namespace tailor::api
