#include "http/server.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <cctype>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "core/log.h"
#include "http/client_address.h"

namespace civicdesk::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr size_t kStreamChunkBytes = 64 * 1024;
constexpr size_t kDrainLimitBytes = 4 * 1024 * 1024;

// A deadline for blocking sends on `socket` (SO_SNDTIMEO): a send that makes no progress for
// that long fails instead of blocking forever.
void SetSendTimeout(tcp::socket& socket, int seconds) {
  timeval timeout{};
  timeout.tv_sec = seconds;
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
}

Request ToRequest(bhttp::request<bhttp::string_body>&& source, std::string remote,
                  Status& invalid) {
  Request request;
  request.method = std::string(source.method_string());
  request.target = std::string(source.target());
  for (const auto& field : source) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string& value = request.headers[name];
    if (!value.empty()) value += name == "cookie" ? "; " : ", ";
    value += std::string(field.value());
  }
  request.body = std::move(source.body());
  request.remote_address = std::move(remote);

  std::string_view target = request.target;
  size_t question = target.find('?');
  Result<std::string> path = PercentDecode(target.substr(0, question), false);
  if (!path.ok() || path->empty() || path->front() != '/') {
    invalid = Status::InvalidArgument("http.path_invalid");
    return request;
  }
  request.path = std::move(*path);
  if (question != std::string_view::npos) {
    Result<std::map<std::string, std::string>> query = ParseUrlEncoded(target.substr(question + 1));
    if (!query.ok()) {
      invalid = Status::InvalidArgument("http.query_invalid", query.status().field());
      return request;
    }
    request.query = std::move(*query);
  }
  return request;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const ServerOptions& options, const Server::RequestHandler& handler)
      : stream_(std::move(socket)), options_(options), handler_(handler) {}

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    parser_->body_limit(options_.max_body_bytes);
    stream_.expires_after(std::chrono::seconds(options_.read_timeout_seconds));
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  std::string Words(std::string_view message_id) const {
    return (options_.words ? options_.words(message_id) : std::string(message_id)) + "\n";
  }

  void OnRead(beast::error_code error, std::size_t) {
    if (error == bhttp::error::end_of_stream || error == asio::error::eof ||
        error == beast::error::timeout || error == asio::error::connection_reset ||
        error == asio::error::operation_aborted) {
      Close();
      return;
    }
    if (error == bhttp::error::header_limit) {
      SendPlain(bhttp::status::request_header_fields_too_large, Words("http.headers_too_large"));
      return;
    }
    if (error == bhttp::error::body_limit) {
      SendPlain(bhttp::status::payload_too_large, Words("http.body_too_large"));
      return;
    }
    if (error) {
      SendPlain(bhttp::status::bad_request, Words("http.malformed_request"));
      return;
    }
    bhttp::request<bhttp::string_body> message = parser_->release();
    bool keep_alive = message.keep_alive();
    unsigned version = message.version();
    bool head = message.method() == bhttp::verb::head;
    beast::error_code endpoint_error;
    tcp::endpoint remote = stream_.socket().remote_endpoint(endpoint_error);
    Status invalid;
    Request request =
        ToRequest(std::move(message), endpoint_error ? "" : remote.address().to_string(), invalid);
    request.parse_error = std::move(invalid);
    if (!options_.trusted_proxy.empty()) {
      const auto forwarded = request.headers.find("x-forwarded-for");
      if (forwarded != request.headers.end()) {
        request.remote_address =
            ClientAddress(request.remote_address, forwarded->second, options_.trusted_proxy);
      }
    }
    Response response = handler_(std::move(request));

    if (response.stream) {
      WriteStreamed(response, version, keep_alive, head);
      return;
    }
    auto reply = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version);
    reply->set(bhttp::field::server, "civicdesk");
    reply->set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) reply->insert(name, value);
    reply->keep_alive(keep_alive);
    if (head) {
      reply->content_length(response.body.size());
    } else {
      reply->body() = std::move(response.body);
      reply->prepare_payload();
    }
    Write(reply, head);
  }

  void Write(std::shared_ptr<bhttp::response<bhttp::string_body>> reply, bool head) {
    stream_.expires_after(std::chrono::seconds(options_.read_timeout_seconds));
    auto self = shared_from_this();
    auto on_written = [self, reply](beast::error_code error, std::size_t) {
      if (error || !reply->keep_alive()) {
        self->Close();
        return;
      }
      self->Read();
    };
    if (head) {
      auto serializer = std::make_shared<bhttp::response_serializer<bhttp::string_body>>(*reply);
      bhttp::async_write_header(
          stream_, *serializer,
          [serializer, on_written](beast::error_code error, std::size_t bytes) {
            on_written(error, bytes);
          });
    } else {
      bhttp::async_write(stream_, *reply, on_written);
    }
  }

  // Sends a streamed body with chunked encoding, synchronously on this connection's thread, in
  // pieces of about 64 KiB. The writes have their own deadline, so a client that stops
  // reading cannot hold the thread.
  void WriteStreamed(const Response& response, unsigned version, bool keep_alive, bool head) {
    bhttp::response<bhttp::empty_body> header(static_cast<bhttp::status>(response.status), version);
    header.set(bhttp::field::server, "civicdesk");
    header.set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) header.insert(name, value);
    header.keep_alive(keep_alive);
    header.chunked(true);
    beast::error_code error;
    stream_.expires_never();
    tcp::socket& socket = stream_.socket();
    // Blocking sends, so that SO_SNDTIMEO bounds each one; later async reads switch back.
    socket.native_non_blocking(false, error);
    SetSendTimeout(socket, options_.read_timeout_seconds);
    bhttp::response_serializer<bhttp::empty_body> serializer(header);
    bhttp::write_header(socket, serializer, error);
    if (!error && !head) {
      std::string pending;
      auto flush = [&]() -> Status {
        if (pending.empty()) return Status::Ok();
        asio::write(socket, bhttp::make_chunk(asio::buffer(pending)), error);
        pending.clear();
        return error ? Status::Unavailable("client gone: " + error.message()) : Status::Ok();
      };
      Status streamed = response.stream([&](std::string_view piece) -> Status {
        pending.append(piece);
        return pending.size() >= kStreamChunkBytes ? flush() : Status::Ok();
      });
      if (streamed.ok()) streamed = flush();
      if (!streamed.ok()) {
        if (!error) Log(LogLevel::kError, "streamed response cut short: " + streamed.message());
        Close();
        return;
      }
      asio::write(socket, bhttp::make_chunk_last(), error);
    }
    if (error || !keep_alive) {
      Close();
      return;
    }
    Read();
  }

  // Answers a request the server refuses before reading it all (malformed, headers or body too
  // large), then closes gracefully: the client may still be sending, and closing with unread
  // data would reset the connection and could destroy the answer before the client reads it.
  void SendPlain(bhttp::status status, std::string body) {
    auto reply = std::make_shared<bhttp::response<bhttp::string_body>>(status, 11);
    reply->set(bhttp::field::server, "civicdesk");
    reply->set(bhttp::field::content_type, "text/plain; charset=utf-8");
    reply->keep_alive(false);
    reply->body() = std::move(body);
    reply->prepare_payload();
    stream_.expires_after(std::chrono::seconds(options_.read_timeout_seconds));
    auto self = shared_from_this();
    bhttp::async_write(stream_, *reply, [self, reply](beast::error_code error, std::size_t) {
      if (error) {
        self->Close();
        return;
      }
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      self->stream_.expires_after(std::chrono::seconds(2));
      self->Drain(0);
    });
  }

  // Reads and discards what the client still sends, for at most 2 seconds or 4 MiB, then closes.
  void Drain(size_t drained) {
    auto self = shared_from_this();
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self, drained](beast::error_code error, std::size_t bytes) {
                              if (error || drained + bytes > kDrainLimitBytes) {
                                beast::error_code ignored;
                                self->stream_.socket().close(ignored);
                                return;
                              }
                              self->Drain(drained + bytes);
                            });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::array<char, 16 * 1024> drain_buffer_{};
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  const ServerOptions& options_;
  const Server::RequestHandler& handler_;
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, RequestHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        io_(options_.threads),
        acceptor_(io_) {}

  Status Start() {
    beast::error_code error;
    asio::ip::address address = asio::ip::make_address(options_.host, error);
    if (error) {
      return Status::InvalidArgument("http.host_invalid", {{"host", options_.host}}, "--host");
    }
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), error);
    if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      return Status::Unavailable("http.cannot_listen", {{"host", options_.host},
                                                        {"port", std::to_string(options_.port)},
                                                        {"reason", error.message()}});
    }
    port_ = acceptor_.local_endpoint().port();
    Accept();
    for (int i = 0; i < std::max(1, options_.threads); ++i) {
      threads_.emplace_back([this] { io_.run(); });
    }
    return Status::Ok();
  }

  void Accept() {
    acceptor_.async_accept(
        asio::make_strand(io_), [this](beast::error_code error, tcp::socket socket) {
          if (error == asio::error::operation_aborted) return;
          if (!error) {
            socket.set_option(tcp::no_delay(true), error);
            std::make_shared<Session>(std::move(socket), options_, handler_)->Start();
          }
          Accept();
        });
  }

  void WaitForSignal() {
    asio::io_context signal_io;
    asio::signal_set signals(signal_io, SIGINT, SIGTERM);
    signals.async_wait([](beast::error_code, int) {});
    signal_io.run();
    Stop();
  }

  void Stop() {
    if (stopped_.exchange(true)) return;
    asio::post(io_, [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
    });
    io_.stop();
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

  uint16_t port() const { return port_; }

 private:
  ServerOptions options_;
  RequestHandler handler_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<bool> stopped_{false};
};

Server::Server(ServerOptions options, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() { Stop(); }

Status Server::Start() { return impl_->Start(); }

uint16_t Server::port() const { return impl_->port(); }

void Server::WaitForSignal() { impl_->WaitForSignal(); }

void Server::Stop() { impl_->Stop(); }

}  // namespace civicdesk::http
