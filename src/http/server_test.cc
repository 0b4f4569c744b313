#include "http/server.h"

#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "http/testing.h"

namespace civicdesk::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Send;
using testing::SendRaw;

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

Response Text(std::string body) {
  Response response;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

// A connection that sends one request and never reads (its receive buffer kept small).
class NeverReads {
 public:
  NeverReads(uint16_t port, const std::string& target) : socket_(io_) {
    socket_.open(tcp::v4());
    socket_.set_option(asio::socket_base::receive_buffer_size(4096));
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    asio::write(socket_, asio::buffer("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
};

// An idle connection: connected, sends nothing.
struct Idle {
  explicit Idle(uint16_t port) : socket(io) {
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  asio::io_context io;
  tcp::socket socket;
};

TEST(Server, HandlersRunOffTheIoThread) {
  ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.threads = 2;
  Server server(options, [](Request request) {
    if (request.path == "/slow") std::this_thread::sleep_for(seconds(2));
    return Text("ok");
  });
  ASSERT_TRUE(server.Start().ok());
  auto slow = std::async(std::launch::async, [&] { return Send(server.port(), "GET", "/slow"); });
  std::this_thread::sleep_for(milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Send(server.port(), "GET", "/ping").status, 200);
  EXPECT_LT(MillisecondsSince(start), 1000);
  EXPECT_EQ(slow.get().status, 200);
}

TEST(Server, FullHandlerQueueIsAnswered503WithRetryAfter) {
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.queue_limit = 1;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started{0};
  Server server(options, [&](Request request) {
    if (request.path == "/block") {
      ++started;
      released.wait();
    }
    return Text("done");
  });
  ASSERT_TRUE(server.Start().ok());
  auto running =
      std::async(std::launch::async, [&] { return Send(server.port(), "GET", "/block"); });
  while (started.load() == 0) std::this_thread::sleep_for(milliseconds(10));
  auto queued =
      std::async(std::launch::async, [&] { return Send(server.port(), "GET", "/block"); });
  std::this_thread::sleep_for(milliseconds(300));  // read and queued behind the first

  testing::ClientResponse refused = Send(server.port(), "GET", "/other");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.headers["retry-after"], "1");
  EXPECT_NE(refused.body.find("http.server_busy"), std::string::npos);

  release.set_value();
  EXPECT_EQ(running.get().status, 200);
  EXPECT_EQ(queued.get().status, 200);
  EXPECT_EQ(Send(server.port(), "GET", "/other").status, 200);
}

TEST(Server, AKeptPageIsAnsweredAtOnceEvenWhenEveryHandlerIsBusy) {
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.queue_limit = 1;
  options.answer_at_once = [](const Request& request) -> std::optional<Response> {
    if (request.path == "/kept") return Text("from memory");
    return std::nullopt;
  };
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> handled{0};
  Server server(options, [&](Request request) {
    ++handled;
    if (request.path == "/block") released.wait();
    return Text("handled");
  });
  ASSERT_TRUE(server.Start().ok());
  auto running =
      std::async(std::launch::async, [&] { return Send(server.port(), "GET", "/block"); });
  while (handled.load() == 0) std::this_thread::sleep_for(milliseconds(10));
  auto queued =
      std::async(std::launch::async, [&] { return Send(server.port(), "GET", "/block"); });
  std::this_thread::sleep_for(milliseconds(300));  // the handler and its queue are full

  testing::ClientResponse kept = Send(server.port(), "GET", "/kept");
  EXPECT_EQ(kept.status, 200);
  EXPECT_EQ(kept.body, "from memory");
  EXPECT_EQ(Send(server.port(), "GET", "/other").status, 503);  // needs a handler
  release.set_value();
  EXPECT_EQ(running.get().status, 200);
  EXPECT_EQ(queued.get().status, 200);
  EXPECT_EQ(handled.load(), 2);
}

TEST(Server, StreamedBodyArrivesWhole) {
  ServerOptions options;
  options.port = 0;
  options.max_buffered_bytes = 128 * 1024;
  std::string expected;
  for (int i = 0; expected.size() < 5'000'000; ++i)
    expected += std::string(static_cast<size_t>(i % 9000), static_cast<char>('a' + i % 26));
  Server server(options, [&](Request) {
    Response response;
    response.content_type = "text/plain";
    response.stream = [&](const BodyWriter& write) -> Status {
      for (size_t at = 0, i = 0; at < expected.size(); ++i) {
        const size_t size = std::min<size_t>(expected.size() - at, i % 7 == 0 ? 100000 : 3000);
        CIVICDESK_RETURN_IF_ERROR(write(std::string_view(expected).substr(at, size)));
        at += size;
      }
      return Status::Ok();
    };
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  testing::ClientResponse response = Send(server.port(), "GET", "/file");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers["transfer-encoding"], "chunked");
  EXPECT_TRUE(response.body == expected) << response.body.size() << " bytes";
  // HEAD: the headers, no producer run.
  EXPECT_EQ(Send(server.port(), "HEAD", "/file").status, 200);
}

// The case of issue 18: a client that requests a large download and never reads held an I/O
// thread (blocking sends) until it went away.
TEST(Server, ProducerOfANeverReadingClientIsPausedThenStopped) {
  ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.threads = 1;
  options.write_timeout_seconds = 1;
  options.max_buffered_bytes = 256 * 1024;
  std::atomic<size_t> produced{0};
  std::promise<Status> finished;
  Server server(options, [&](Request request) {
    if (request.path != "/endless") return Text("pong");
    Response response;
    response.content_type = "application/octet-stream";
    response.stream = [&](const BodyWriter& write) -> Status {
      const std::string piece(64 * 1024, 'x');
      Status status;
      while ((status = write(piece)).ok() && produced.load() < (1u << 30)) produced += piece.size();
      finished.set_value(status);
      return status;
    };
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  std::future<Status> done = finished.get_future();
  NeverReads client(server.port(), "/endless");
  std::this_thread::sleep_for(milliseconds(300));
  // Stalled, it holds neither the I/O thread nor the handler thread.
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Send(server.port(), "GET", "/ping").status, 200);
  EXPECT_LT(MillisecondsSince(start), 500);
  // The write deadline closes the connection and the producer stops, having run ahead of the
  // client by no more than the sockets' buffers and the pipe.
  ASSERT_EQ(done.wait_for(seconds(10)), std::future_status::ready);
  EXPECT_FALSE(done.get().ok());
  EXPECT_LT(produced.load(), 64u * 1024 * 1024);
}

TEST(Server, ConnectionsBeyondTheCapAreAnswered503) {
  ServerOptions options;
  options.port = 0;
  options.max_connections = 2;
  options.read_timeout_seconds = 1;
  Server server(options, [](Request) { return Text("ok"); });
  ASSERT_TRUE(server.Start().ok());
  {
    Idle first(server.port());
    Idle second(server.port());
    std::this_thread::sleep_for(milliseconds(200));
    const std::string answer = SendRaw(server.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
    EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos) << answer;
  }
  std::this_thread::sleep_for(milliseconds(300));  // the idle ones are gone
  EXPECT_EQ(Send(server.port(), "GET", "/").status, 200);
}

TEST(Server, SlowlorisIsClosedByTheReadDeadline) {
  ServerOptions options;
  options.port = 0;
  options.read_timeout_seconds = 1;
  Server server(options, [](Request) { return Text("ok"); });
  ASSERT_TRUE(server.Start().ok());
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  const std::string request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n";
  const auto start = std::chrono::steady_clock::now();
  boost::system::error_code error;
  for (size_t at = 0; at + 2 < request.size() && !error; ++at) {
    asio::write(socket, asio::buffer(request.substr(at, 1)), error);
    std::this_thread::sleep_for(milliseconds(100));
  }
  char byte;
  socket.read_some(asio::buffer(&byte, 1), error);  // EOF or reset: closed, not answered
  EXPECT_TRUE(error);
  EXPECT_LT(MillisecondsSince(start), 6000);
}

}  // namespace
}  // namespace civicdesk::http
