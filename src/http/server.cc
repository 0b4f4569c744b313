#include "http/server.h"

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/log.h"
#include "http/client_address.h"
#include "http/work_pool.h"

namespace civicdesk::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// A streamed body is sent in chunks of at least this much (or what is left at its end).
constexpr size_t kStreamChunkBytes = 64 * 1024;
constexpr size_t kDrainLimitBytes = 4 * 1024 * 1024;
// Room for a request's bytes read ahead of the parser, beyond its header limit.
constexpr size_t kReadAheadBytes = 128 * 1024;

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

// What the sessions of one server share. Declared before the io_context in Server::Impl, so it
// outlives every session.
struct Core {
  Core(ServerOptions server_options, Server::RequestHandler request_handler)
      : options(std::move(server_options)),
        handler(std::move(request_handler)),
        handlers(options.threads, options.queue_limit),
        streams(options.stream_threads, options.stream_queue_limit) {}

  std::string Words(std::string_view message_id) const {
    return (options.words ? options.words(message_id) : std::string(message_id)) + "\n";
  }

  const ServerOptions options;
  const Server::RequestHandler handler;
  WorkPool handlers;  // runs the request handler
  WorkPool streams;   // runs the producers of streamed bodies
  std::atomic<size_t> connections{0};
  std::atomic<size_t> answering{0};  // requests read and not yet answered in full
  std::atomic<bool> stopping{false};
};

// A streamed body between its producer, on a stream thread, and its connection, on the
// connection's strand. The producer appends while fewer than `limit` bytes wait or are being
// written, and otherwise waits for the socket to drain them; the connection takes a chunk each
// time its previous write completes, and when there was none to take, the producer wakes it.
class BodyPipe {
 public:
  enum class Taken { kChunk, kEnd, kWait };

  BodyPipe(size_t limit, std::chrono::seconds patience, const std::atomic<bool>& stopping)
      : limit_(std::max(limit, 2 * kStreamChunkBytes)), patience_(patience), stopping_(stopping) {}

  // Producer side: appends `piece` once there is room. Unavailable once the connection is gone
  // or the server stops, or when no room came within `patience` (the connection's own write
  // deadline normally closes it long before).
  Status Write(std::string_view piece) {
    std::function<void()> wake;
    {
      std::unique_lock lock(mutex_);
      const auto give_up = std::chrono::steady_clock::now() + patience_;
      while (!cancelled_ && !stopping_.load() && pending_.size() + in_flight_ >= limit_) {
        if (std::chrono::steady_clock::now() >= give_up) {
          cancelled_ = true;
          break;
        }
        room_.wait_for(lock, std::chrono::milliseconds(200));
      }
      if (cancelled_ || stopping_.load()) return Status::Unavailable("client gone");
      pending_.append(piece);
      if (pending_.size() >= kStreamChunkBytes && wake_) {
        wake = std::move(wake_);
        wake_ = nullptr;
      }
    }
    if (wake) wake();
    return Status::Ok();
  }

  // Producer side: the body is complete (Ok) or cut short.
  void Finish(Status status) {
    std::function<void()> wake;
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
      result_ = std::move(status);
      wake = std::move(wake_);
      wake_ = nullptr;
    }
    if (wake) wake();
  }

  // Connection side, when no write is in progress: kChunk moves the next chunk into `chunk`;
  // kEnd when the producer finished and everything was taken (`result` its Status); kWait when
  // there is not a chunk's worth yet, and `wake` is called once there is.
  Taken Take(std::string& chunk, Status& result, std::function<void()> wake) {
    std::lock_guard lock(mutex_);
    in_flight_ = 0;
    if (pending_.size() >= kStreamChunkBytes || (finished_ && !pending_.empty())) {
      chunk.swap(pending_);
      pending_.clear();
      in_flight_ = chunk.size();
      room_.notify_all();
      return Taken::kChunk;
    }
    room_.notify_all();
    if (finished_) {
      result = result_;
      return Taken::kEnd;
    }
    wake_ = std::move(wake);
    return Taken::kWait;
  }

  // Connection side: the client is gone; the producer's next Write fails.
  void Cancel() {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      wake_ = nullptr;
    }
    room_.notify_all();
  }

 private:
  const size_t limit_;
  const std::chrono::seconds patience_;
  const std::atomic<bool>& stopping_;
  std::mutex mutex_;
  std::condition_variable room_;
  std::string pending_;
  size_t in_flight_ = 0;
  bool finished_ = false;
  bool cancelled_ = false;
  Status result_;
  std::function<void()> wake_;
};

// One connection. Everything but the handler and the producer runs on the connection's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Core& core)
      : stream_(std::move(socket)),
        buffer_(core.options.max_header_bytes + kReadAheadBytes),
        core_(core) {
    ++core_.connections;
  }

  ~Session() {
    if (pipe_) pipe_->Cancel();
    SetAnswering(false);
    --core_.connections;
  }

  // Reads requests; or, when `refuse` (too many connections), answers 503 and closes.
  void Start(bool refuse) {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this(), refuse] {
      if (refuse) {
        self->SendPlain(bhttp::status::service_unavailable, self->core_.Words("http.server_busy"),
                        true);
      } else {
        self->Read();
      }
    });
  }

 private:
  std::chrono::seconds ReadTimeout() const {
    return std::chrono::seconds(core_.options.read_timeout_seconds);
  }
  std::chrono::seconds WriteTimeout() const {
    return std::chrono::seconds(core_.options.write_timeout_seconds);
  }

  void SetAnswering(bool answering) {
    if (answering == answering_) return;
    answering_ = answering;
    if (answering) {
      ++core_.answering;
    } else {
      --core_.answering;
    }
  }

  // The whole request, headers and body, must arrive within the read timeout.
  void Read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(core_.options.max_header_bytes));
    parser_->body_limit(core_.options.max_body_bytes);
    stream_.expires_after(ReadTimeout());
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code error, std::size_t) {
    if (error == bhttp::error::end_of_stream || error == asio::error::eof ||
        error == beast::error::timeout || error == asio::error::connection_reset ||
        error == asio::error::operation_aborted) {
      Close();
      return;
    }
    if (error == bhttp::error::header_limit) {
      SendPlain(bhttp::status::request_header_fields_too_large,
                core_.Words("http.headers_too_large"), false);
      return;
    }
    if (error == bhttp::error::body_limit && !parser_->get().target().empty()) {
      // The application words the answer (a page in the reader's language naming the limit);
      // the rest of the body is drained before the connection closes, so the browser shows it.
      bhttp::request<bhttp::string_body> head = parser_->get();
      head.body().clear();
      keep_alive_ = false;
      drain_after_answer_ = true;
      version_ = head.version();
      head_ = false;
      Status invalid;
      auto request = std::make_shared<Request>(ToRequest(std::move(head), "", invalid));
      request->parse_error = std::move(invalid);
      request->body_too_large = true;
      request->body_limit_bytes = core_.options.max_body_bytes;
      Dispatch(request);
      return;
    }
    if (error == bhttp::error::body_limit || error == bhttp::error::buffer_overflow) {
      SendPlain(bhttp::status::payload_too_large, core_.Words("http.body_too_large"), false);
      return;
    }
    if (error) {
      SendPlain(bhttp::status::bad_request, core_.Words("http.malformed_request"), false);
      return;
    }
    bhttp::request<bhttp::string_body> message = parser_->release();
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    head_ = message.method() == bhttp::verb::head;
    beast::error_code endpoint_error;
    tcp::endpoint remote = stream_.socket().remote_endpoint(endpoint_error);
    Status invalid;
    auto request = std::make_shared<Request>(
        ToRequest(std::move(message), endpoint_error ? "" : remote.address().to_string(), invalid));
    request->parse_error = std::move(invalid);
    if (!core_.options.trusted_proxy.empty()) {
      const auto forwarded = request->headers.find("x-forwarded-for");
      if (forwarded != request->headers.end()) {
        request->remote_address =
            ClientAddress(request->remote_address, forwarded->second, core_.options.trusted_proxy);
      }
    }
    Dispatch(request);
  }

  // Runs the handler on a handler thread; the answer comes back to this connection's strand.
  void Dispatch(const std::shared_ptr<Request>& request) {
    SetAnswering(true);
    if (core_.options.answer_at_once && request->parse_error.ok()) {
      if (std::optional<Response> kept = core_.options.answer_at_once(*request)) {
        Respond(std::move(*kept));
        return;
      }
    }
    auto self = shared_from_this();
    const bool queued = core_.handlers.TryPost([self, request] {
      auto response = std::make_shared<Response>(self->core_.handler(std::move(*request)));
      asio::post(self->stream_.get_executor(),
                 [self, response] { self->Respond(std::move(*response)); });
    });
    if (!queued) Respond(Busy());
  }

  Response Busy() {
    keep_alive_ = false;
    Response busy;
    busy.status = 503;
    busy.content_type = "text/plain; charset=utf-8";
    busy.body = core_.Words("http.server_busy");
    busy.AddHeader("Retry-After", "1");
    return busy;
  }

  void Respond(Response response) {
    if (response.stream && !head_) {
      StartStream(std::move(response));
      return;
    }
    auto reply = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version_);
    reply->set(bhttp::field::server, "civicdesk");
    reply->set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) reply->insert(name, value);
    reply->keep_alive(keep_alive_);
    if (response.stream) {
      reply->chunked(true);  // HEAD of a streamed body: its headers only
    } else if (head_) {
      reply->content_length(response.body.size());
    } else {
      reply->body() = std::move(response.body);
      reply->prepare_payload();
    }
    reply_ = std::move(reply);
    serializer_.emplace(*reply_);
    if (head_) serializer_->split(true);
    WriteSome();
  }

  // Writes the answer piece by piece, each within the write timeout (a progress deadline: a
  // client that takes a large page slowly but steadily is not cut off).
  void WriteSome() {
    if (serializer_->is_done() || (head_ && serializer_->is_header_done())) {
      serializer_.reset();
      reply_.reset();
      SetAnswering(false);
      if (drain_after_answer_) {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(std::chrono::seconds(2));
        Drain(0);
        return;
      }
      if (!keep_alive_) {
        Close();
        return;
      }
      Read();
      return;
    }
    stream_.expires_after(WriteTimeout());
    auto on_written = [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (error) {
        self->Close();
        return;
      }
      self->WriteSome();
    };
    if (head_) {
      bhttp::async_write_header(stream_, *serializer_, std::move(on_written));
    } else {
      bhttp::async_write_some(stream_, *serializer_, std::move(on_written));
    }
  }

  // Sends a streamed body with chunked encoding. Its producer runs on a stream thread and is
  // pulled as the socket drains (BodyPipe); each chunk must be taken within the write timeout.
  void StartStream(Response response) {
    auto pipe = std::make_shared<BodyPipe>(core_.options.max_buffered_bytes, 2 * WriteTimeout(),
                                           core_.stopping);
    const bool queued =
        core_.streams.TryPost([pipe, produce = std::move(response.stream)]() mutable {
          Status produced = produce([&pipe](std::string_view piece) { return pipe->Write(piece); });
          produce = nullptr;  // what it holds goes now, not when the pool reuses the slot
          pipe->Finish(std::move(produced));
        });
    if (!queued) {
      Respond(Busy());
      return;
    }
    pipe_ = std::move(pipe);
    header_.emplace(static_cast<bhttp::status>(response.status), version_);
    header_->set(bhttp::field::server, "civicdesk");
    header_->set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) header_->insert(name, value);
    header_->keep_alive(keep_alive_);
    header_->chunked(true);
    header_serializer_.emplace(*header_);
    stream_.expires_after(WriteTimeout());
    bhttp::async_write_header(stream_, *header_serializer_,
                              [self = shared_from_this()](beast::error_code error, std::size_t) {
                                if (error) {
                                  self->Close();
                                  return;
                                }
                                self->Pump();
                              });
  }

  // Writes the next chunk of the streamed body, if there is one; otherwise the producer wakes
  // this when there is.
  void Pump() {
    if (!pipe_) return;  // closed meanwhile
    // While it waits for the producer, no I/O is pending: the pipe's wake keeps this alive
    // (until the producer wakes it, which it always does once, when it finishes if not before).
    auto wake = [self = shared_from_this()] {
      asio::post(self->stream_.get_executor(), [self] { self->Pump(); });
    };
    Status result;
    auto on_written = [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (error) {
        self->Close();
        return;
      }
      self->Pump();
    };
    switch (pipe_->Take(chunk_, result, std::move(wake))) {
      case BodyPipe::Taken::kWait:
        return;
      case BodyPipe::Taken::kChunk:
        stream_.expires_after(WriteTimeout());
        asio::async_write(stream_, bhttp::make_chunk(asio::buffer(chunk_)), std::move(on_written));
        return;
      case BodyPipe::Taken::kEnd:
        break;
    }
    pipe_.reset();
    std::string().swap(chunk_);
    if (!result.ok()) {
      if (!core_.stopping.load())
        Log(LogLevel::kError, "streamed response cut short: " + result.message());
      Close();
      return;
    }
    stream_.expires_after(WriteTimeout());
    asio::async_write(stream_, bhttp::make_chunk_last(),
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                        self->header_serializer_.reset();
                        self->header_.reset();
                        self->SetAnswering(false);
                        if (error || !self->keep_alive_) {
                          self->Close();
                          return;
                        }
                        self->Read();
                      });
  }

  // Answers a request the server refuses before reading it all (malformed, headers or body too
  // large, too many connections), then closes gracefully: the client may still be sending, and
  // closing with unread data would reset the connection and could destroy the answer before
  // the client reads it.
  void SendPlain(bhttp::status status, std::string body, bool retry_after) {
    auto reply = std::make_shared<bhttp::response<bhttp::string_body>>(status, 11);
    reply->set(bhttp::field::server, "civicdesk");
    reply->set(bhttp::field::content_type, "text/plain; charset=utf-8");
    if (retry_after) reply->set(bhttp::field::retry_after, "1");
    reply->keep_alive(false);
    reply->body() = std::move(body);
    reply->prepare_payload();
    stream_.expires_after(WriteTimeout());
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
                                self->Close();
                                return;
                              }
                              self->Drain(drained + bytes);
                            });
  }

  void Close() {
    if (pipe_) {
      pipe_->Cancel();
      pipe_.reset();
    }
    SetAnswering(false);
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  Core& core_;
  std::array<char, 16 * 1024> drain_buffer_{};
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // The request being answered.
  bool keep_alive_ = false;
  bool drain_after_answer_ = false;  // the body was not read: drain it, then close
  bool head_ = false;
  unsigned version_ = 11;
  bool answering_ = false;
  // A whole answer being written.
  std::shared_ptr<bhttp::response<bhttp::string_body>> reply_;
  std::optional<bhttp::response_serializer<bhttp::string_body>> serializer_;
  // A streamed answer being written: its headers, its pipe and the chunk on the wire.
  std::optional<bhttp::response<bhttp::empty_body>> header_;
  std::optional<bhttp::response_serializer<bhttp::empty_body>> header_serializer_;
  std::shared_ptr<BodyPipe> pipe_;
  std::string chunk_;
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, RequestHandler handler)
      : core_(std::move(options), std::move(handler)),
        io_(std::max(1, core_.options.io_threads)),
        acceptor_(io_),
        retry_accept_(io_) {}

  Status Start() {
    const ServerOptions& options = core_.options;
    beast::error_code error;
    asio::ip::address address = asio::ip::make_address(options.host, error);
    if (error) {
      return Status::InvalidArgument("http.host_invalid", {{"host", options.host}}, "--host");
    }
    tcp::endpoint endpoint(address, options.port);
    acceptor_.open(endpoint.protocol(), error);
    if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      return Status::Unavailable("http.cannot_listen", {{"host", options.host},
                                                        {"port", std::to_string(options.port)},
                                                        {"reason", error.message()}});
    }
    port_ = acceptor_.local_endpoint().port();
    Accept();
    for (int i = 0; i < std::max(1, options.io_threads); ++i) {
      threads_.emplace_back([this] { io_.run(); });
    }
    return Status::Ok();
  }

  void Accept() {
    acceptor_.async_accept(
        asio::make_strand(io_), [this](beast::error_code error, tcp::socket socket) {
          if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
          if (error) {
            // Out of file descriptors, say: try again shortly rather than spin.
            retry_accept_.expires_after(std::chrono::milliseconds(50));
            retry_accept_.async_wait([this](beast::error_code waited) {
              if (!waited) Accept();
            });
            return;
          }
          socket.set_option(tcp::no_delay(true), error);
          const bool refuse = core_.connections.load() >= core_.options.max_connections;
          std::make_shared<Session>(std::move(socket), core_)->Start(refuse);
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
    asio::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      retry_accept_.cancel();
    });
    // The requests already read are handled to the end (an opinion acknowledged is committed);
    // streamed bodies stop at their next piece.
    core_.stopping = true;
    core_.handlers.Shutdown();
    core_.streams.Shutdown();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (core_.answering.load() > 0 && !threads_.empty() &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    io_.stop();
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

  uint16_t port() const { return port_; }

 private:
  Core core_;  // before io_: sessions use it until the io_context destroys the last of them
  asio::io_context io_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_accept_;
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
