#ifndef CIVICDESK_HTTP_SERVER_H_
#define CIVICDESK_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/message.h"

namespace civicdesk::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see Server::port)
  int threads = 4;
  size_t max_header_bytes = 16 * 1024;  // larger: 431
  size_t max_body_bytes = 1024 * 1024;  // larger: 413
  int read_timeout_seconds = 30;
  // The address of a reverse proxy (nginx) in front of this server: from it, and only from it,
  // the client's address is the last X-Forwarded-For entry (http/client_address.h). Empty: the
  // socket's peer is the client.
  std::string trusted_proxy;
  // The words for a request refused before it could be read (message ids
  // "http.headers_too_large", "http.body_too_large", "http.malformed_request"); unset: the id.
  std::function<std::string(std::string_view message_id)> words;
};

// The HTTP/1.1 server (Boost.Beast), hidden behind this header. It parses requests, enforces
// the size limits and timeouts, and hands each complete request to the handler, which must not
// throw. Malformed requests are answered 400 without reaching the handler.
class Server {
 public:
  using RequestHandler = std::function<Response(Request)>;

  Server(ServerOptions options, RequestHandler handler);
  ~Server();

  // Binds and listens, then serves on `threads` threads in the background.
  // kUnavailable when the address cannot be bound (in use, bad host).
  Status Start();

  // The bound port (useful with port 0). REQUIRES: Start() succeeded.
  uint16_t port() const;

  // Blocks until SIGINT or SIGTERM, then stops.
  void WaitForSignal();

  // Stops accepting and serving, and joins the threads. Idempotent.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_SERVER_H_
