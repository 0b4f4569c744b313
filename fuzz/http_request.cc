// The HTTP request path: raw bytes to a real Server (Boost.Beast parsing, the request built from
// it) in front of the App with every module, over a migrated database with the shipped data —
// as `civicdesk serve` runs it. In an input, @SESSION@ stands for the cookie of a signed-in admin
// and @CSRF@ for that session's form token, so that staff pages and forms are reached too.
//
// What must hold: the server answers (it never dies or hangs), and the answer is never a 5xx —
// bad input gets a 4xx that names what is wrong.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "app/modules.h"
#include "fuzz/support.h"
#include "http/app.h"
#include "http/server.h"
#include "http/sessions.h"

namespace {

using namespace civicdesk;

struct Site {
  std::unique_ptr<http::App> app;
  std::unique_ptr<http::Server> server;
  int64_t admin_id = 0;
  std::string session;
  std::string csrf;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "http_request: %s\n", what.c_str());
  std::abort();
}

Site& GetSite() {
  static Site* site = [] {
    auto* made = new Site;
    // One database for the whole run: the site holds it (fuzz::Database() is not asked again).
    storage::Database& database = fuzz::Database();
    std::vector<http::Module> modules = app::AllModules();
    http::AppOptions options;
    options.login_limits.max_failures_per_ip = 1 << 30;
    made->app = std::make_unique<http::App>(database, options);
    if (Status installed = made->app->Install(modules); !installed.ok()) Die(installed.message());
    Result<int64_t> admin = made->app->accounts().Add(
        {"fuzzadmin", "fuzzadmin", "correct horse battery staple", http::Role::kAdmin, "", ""});
    if (!admin.ok()) Die(admin.status().message());
    made->admin_id = *admin;
    http::ServerOptions server_options;
    server_options.port = 0;
    server_options.threads = 1;
    server_options.read_timeout_seconds = 5;
    http::App* app = made->app.get();
    server_options.words = [app](std::string_view id) {
      return app->messages().FormatBoth(Status::InvalidArgument(std::string(id)));
    };
    made->server = std::make_unique<http::Server>(
        server_options, [app](http::Request request) { return app->Handle(std::move(request)); });
    if (Status started = made->server->Start(); !started.ok()) Die(started.message());
    return made;
  }();
  return *site;
}

// A session for the admin (a new one when an input signed it out or changed its password).
void EnsureSession(Site& site) {
  if (!site.session.empty()) {
    Result<std::optional<http::SessionData>> found = site.app->sessions().Find(site.session);
    if (found.ok() && found->has_value()) return;
  }
  Result<std::string> token = site.app->sessions().Create(site.admin_id, "127.0.0.1");
  if (!token.ok()) Die(token.status().message());
  Result<std::optional<http::SessionData>> found = site.app->sessions().Find(*token);
  if (!found.ok() || !found->has_value()) Die("new session not found");
  site.session = *token;
  site.csrf = (*found)->csrf_token;
}

void ReplaceAll(std::string& text, std::string_view from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// Sends `bytes`, closes the sending side and reads until the server closes.
std::string Exchange(uint16_t port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) Die("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) Die("connect");
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (a refused request)
    sent += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  std::string answer;
  char chunk[16384];
  while (true) {
    pollfd ready{fd, POLLIN, 0};
    // The server's read deadline is 5 s; 30 s without a byte means it hangs.
    if (poll(&ready, 1, 30000) <= 0) Die("no answer within 30 s");
    ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) break;
    answer.append(chunk, static_cast<size_t>(n));
  }
  close(fd);
  return answer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Site& site = GetSite();
  std::string bytes(fuzz::AsText(data, size));
  if (bytes.find('@') != std::string::npos) {
    EnsureSession(site);
    ReplaceAll(bytes, "@SESSION@", site.session);
    ReplaceAll(bytes, "@CSRF@", site.csrf);
  }
  std::string answer = Exchange(site.server->port(), bytes);
  // Every answer on the connection: a 5xx anywhere is a failure.
  for (size_t at = answer.find("HTTP/1."); at != std::string::npos;
       at = answer.find("HTTP/1.", at + 1)) {
    if (at + 9 < answer.size() && answer[at + 8] == ' ' && answer[at + 9] == '5') {
      std::fprintf(stderr, "http_request: a 5xx answer:\n%s\n", answer.substr(at, 2000).c_str());
      std::abort();
    }
  }
  return 0;
}
