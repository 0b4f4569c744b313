#include "http/testing.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace civicdesk::http::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

}  // namespace

ClientResponse Send(uint16_t port, const std::string& method, const std::string& target,
                    const std::string& body, const std::map<std::string, std::string>& headers) {
  ClientResponse result;
  try {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    bhttp::request<bhttp::string_body> request(bhttp::string_to_verb(method), target, 11);
    request.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    bhttp::write(stream, request);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (method == "HEAD") parser.skip(true);
    bhttp::read(stream, buffer, parser);
    const auto& response = parser.get();
    result.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value(field.value());
      if (name == "set-cookie") result.set_cookies.push_back(value);
      std::string& joined = result.headers[name];
      joined += joined.empty() ? value : "\n" + value;
    }
    result.body = response.body();
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  } catch (const std::exception& error) {
    ADD_FAILURE() << "HTTP " << method << " " << target << " failed: " << error.what();
  }
  return result;
}

std::string SendRaw(uint16_t port, const std::string& bytes) {
  std::string answer;
  try {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    asio::write(socket, asio::buffer(bytes));
    beast::error_code error;
    char chunk[4096];
    while (true) {
      size_t read = socket.read_some(asio::buffer(chunk), error);
      answer.append(chunk, read);
      if (error) break;
    }
  } catch (const std::exception& error) {
    answer += std::string("[client error: ") + error.what() + "]";
  }
  return answer;
}

ClientResponse Browser::Get(const std::string& target) {
  std::map<std::string, std::string> headers;
  if (!cookies_.empty()) headers["Cookie"] = CookieHeader();
  return Remember(Send(port_, "GET", target, {}, headers));
}

ClientResponse Browser::PostForm(const std::string& target,
                                 const std::map<std::string, std::string>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += "&";
    body += PercentEncode(name) + "=" + PercentEncode(value);
  }
  std::map<std::string, std::string> headers = {
      {"Content-Type", "application/x-www-form-urlencoded"}};
  if (!cookies_.empty()) headers["Cookie"] = CookieHeader();
  return Remember(Send(port_, "POST", target, body, headers));
}

ClientResponse Browser::PostFile(const std::string& target,
                                 const std::map<std::string, std::string>& fields,
                                 const std::string& filename, const std::string& file) {
  const std::string boundary = "----civicdeskTestBoundary7MA4YWxk";
  std::string body;
  for (const auto& [name, value] : fields) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  }
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
          filename + "\"\r\nContent-Type: text/csv\r\n\r\n" + file + "\r\n--" + boundary + "--\r\n";
  std::map<std::string, std::string> headers = {
      {"Content-Type", "multipart/form-data; boundary=" + boundary}};
  if (!cookies_.empty()) headers["Cookie"] = CookieHeader();
  return Remember(Send(port_, "POST", target, body, headers));
}

ClientResponse Browser::Remember(ClientResponse response) {
  for (const std::string& cookie : response.set_cookies) {
    size_t equals = cookie.find('=');
    size_t end = cookie.find(';');
    if (equals == std::string::npos) continue;
    std::string name = cookie.substr(0, equals);
    std::string value =
        cookie.substr(equals + 1, end == std::string::npos ? std::string::npos : end - equals - 1);
    if (value.empty() || cookie.find("Max-Age=0") != std::string::npos) {
      cookies_.erase(name);
    } else {
      cookies_[name] = value;
    }
  }
  return response;
}

std::string Browser::CookieHeader() const {
  std::string header;
  for (const auto& [name, value] : cookies_) {
    if (!header.empty()) header += "; ";
    header += name + "=" + value;
  }
  return header;
}

std::string CsrfTokenIn(const std::string& html) {
  const std::string marker = "name=\"csrf_token\" value=\"";
  size_t at = html.find(marker);
  if (at == std::string::npos) return {};
  at += marker.size();
  return html.substr(at, html.find('"', at) - at);
}

namespace {

AppOptions TestOptions() {
  AppOptions options;
  options.login_limits.max_failures_per_ip = 1000;
  return options;
}

}  // namespace

TestSite::TestSite(const std::string& backend, std::vector<Module> modules)
    : TestSite(backend, std::move(modules), TestOptions()) {}

TestSite::TestSite(const std::string& backend, std::vector<Module> modules, AppOptions options)
    : database_(backend) {
  if (database_.get() == nullptr) return;
  std::vector<storage::ModuleMigrations> migrations;
  for (const Module& module : modules) migrations.push_back(module.migrations);
  Result<int> migrated = storage::Migrate(*database_, migrations);
  if (!migrated.ok()) {
    ADD_FAILURE() << migrated.status().message();
    return;
  }
  for (const Module& module : modules) {
    if (!module.load_initial_data) continue;
    if (Status loaded = module.load_initial_data(*database_); !loaded.ok()) {
      ADD_FAILURE() << module.name << ": " << loaded.message();
      return;
    }
  }
  app_ = std::make_unique<App>(*database_, options);
  if (Status installed = app_->Install(modules); !installed.ok()) {
    ADD_FAILURE() << installed.message();
    return;
  }
  ServerOptions server_options;
  server_options.port = 0;
  server_options.threads = 2;
  server_options.words = [this](std::string_view id) {
    return app_->messages().FormatBoth(Status::InvalidArgument(std::string(id)));
  };
  server_options.answer_at_once = [this](const Request& request) {
    return app_->KeptPage(request);
  };
  server_ = std::make_unique<Server>(
      server_options, [this](Request request) { return app_->Handle(std::move(request)); });
  if (Status started = server_->Start(); !started.ok()) ADD_FAILURE() << started.message();
}

TestSite::~TestSite() {
  if (server_) server_->Stop();
  server_.reset();
  app_.reset();
}

Browser SignedInBrowser(TestSite& site, const std::string& login, Role role,
                        const std::string& department, const std::string& section) {
  const std::string password = "correct horse battery staple";
  EXPECT_TRUE(site.app().accounts().Add({login, login, password, role, department, section}).ok())
      << "could not add " << login;
  Browser browser(site.port());
  const std::string token = CsrfTokenIn(browser.Get("/login").body);
  EXPECT_EQ(
      browser.PostForm("/login", {{"login", login}, {"password", password}, {"csrf_token", token}})
          .status,
      303)
      << "could not sign in as " << login;
  return browser;
}

}  // namespace civicdesk::http::testing
