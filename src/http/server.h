#ifndef CIVICDESK_HTTP_SERVER_H_
#define CIVICDESK_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "http/message.h"

namespace civicdesk::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see Server::port)
  // Request handlers run on `threads` threads, never on the `io_threads` that do all socket I/O
  // (asynchronously); at most `queue_limit` requests wait for a handler thread, beyond that the
  // answer is 503 with Retry-After.
  int threads = 4;
  int io_threads = 2;
  size_t queue_limit = 1024;
  // Streamed bodies (Response::stream) are produced on `stream_threads` threads, at most
  // `stream_queue_limit` waiting to start (beyond: 503). A producer writes ahead of the client
  // by at most `max_buffered_bytes` and then waits until the socket drains it.
  int stream_threads = 4;
  size_t stream_queue_limit = 64;
  size_t max_buffered_bytes = 256 * 1024;
  // Open connections beyond this are answered 503 (Retry-After) and closed.
  size_t max_connections = 10000;
  size_t max_header_bytes = 16 * 1024;  // larger: 431
  size_t max_body_bytes = 1024 * 1024;  // larger: 413
  // A request (headers and body), and the next one on a kept-alive connection, must arrive
  // within this, or the connection is closed (slowloris).
  int read_timeout_seconds = 30;
  // Each piece of a response (at most max_buffered_bytes and a little) must be taken by the
  // client within this, or the connection is closed and its producer stopped.
  int write_timeout_seconds = 30;
  // The address of a reverse proxy (nginx) in front of this server: from it, and only from it,
  // the client's address is the last X-Forwarded-For entry (http/client_address.h). Empty: the
  // socket's peer is the client.
  std::string trusted_proxy;
  // The words for a request refused before it could be read (message ids
  // "http.headers_too_large", "http.body_too_large", "http.malformed_request") or for lack of
  // room ("http.server_busy"); unset: the id.
  std::function<std::string(std::string_view message_id)> words;
  // An answer that needs no handler thread (a public page kept in memory), asked on the I/O
  // thread before a well-formed request is handed to a handler. It must be quick, never block
  // and never throw; nullopt hands the request on. Unset: every request goes to a handler.
  std::function<std::optional<Response>(const Request&)> answer_at_once;
};

// The HTTP/1.1 server (Boost.Beast), hidden behind this header. It parses requests, enforces
// the size limits and timeouts, and hands each complete request to the handler (on a handler
// thread), which must not throw. Malformed requests are answered 400 without reaching the
// handler. No client can hold a thread: all socket I/O is asynchronous, and a streamed body is
// produced only as far as the socket drains it (see ServerOptions).
class Server {
 public:
  using RequestHandler = std::function<Response(Request)>;

  Server(ServerOptions options, RequestHandler handler);
  ~Server();

  // Binds and listens, then serves in the background.
  // kUnavailable when the address cannot be bound (in use, bad host).
  Status Start();

  // The bound port (useful with port 0). REQUIRES: Start() succeeded.
  uint16_t port() const;

  // Blocks until SIGINT or SIGTERM, then stops.
  void WaitForSignal();

  // Stops accepting; lets the requests already read finish (their handlers run to the end and
  // their answers are sent, for at most a few seconds), stops streamed bodies, and joins the
  // threads. Idempotent.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_SERVER_H_
