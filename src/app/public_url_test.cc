// Issue 17, deliverable 8: `serve --public-url` makes every absolute URL the site gives (CKAN,
// DCAT); by default http://HOST:PORT; never the request's Host header.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "app/cli.h"
#include "http/testing.h"
#include "storage/testing.h"

namespace civicdesk::app {
namespace {

uint16_t UnusedPort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

TEST(PublicUrl, ABadPublicUrlIsAUsageErrorNamingTheOption) {
  for (const char* bad : {"ftp://opendata.example.jp", "opendata.example.jp", "https://",
                          "https://opendata.example.jp/?q=1", "https://a b.example.jp",
                          "https://user@opendata.example.jp", "https://x.example.jp/#top"}) {
    std::istringstream in;
    std::ostringstream out, err;
    const int code =
        RunCli({"serve", "--db", "sqlite:/nonexistent/x.db", "--public-url", bad}, in, out, err);
    EXPECT_EQ(code, 2) << bad;
    EXPECT_NE(err.str().find("--public-url"), std::string::npos) << bad << ": " << err.str();
  }
}

TEST(TrustedProxy, ATrustedProxyThatIsNoAddressIsAUsageErrorNamingTheOption) {
  for (const char* bad : {"nope", "127.0.0.1:80", "10.0.0.0/8", "nginx.local"}) {
    std::istringstream in;
    std::ostringstream out, err;
    const int code =
        RunCli({"serve", "--db", "sqlite:/nonexistent/x.db", "--trusted-proxy", bad}, in, out, err);
    EXPECT_EQ(code, 2) << bad;
    EXPECT_NE(err.str().find("--trusted-proxy"), std::string::npos) << bad << ": " << err.str();
  }
}

// The real binary on an empty SQLite file, with `extra` options; the resource URL that
// package_show gives for plan-kpis when asked with Host: evil.example.
std::string ResourceUrlServed(const std::vector<std::string>& extra, uint16_t port) {
  storage::testing::TestDatabase scratch("sqlite");
  const std::string url = scratch.url() + ".public-url.db";
  pid_t child = fork();
  if (child < 0) return "fork failed";
  if (child == 0) {
    const std::string port_text = std::to_string(port);
    std::vector<std::string> words = {CIVICDESK_BINARY, "serve", "--db", url, "--port", port_text};
    words.insert(words.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (std::string& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    execv(CIVICDESK_BINARY, argv.data());
    _exit(127);
  }
  bool up = false;
  for (int attempt = 0; attempt < 300 && !up; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    up = http::testing::SendRaw(port,
                                "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
             .find(" 200 ") != std::string::npos;
  }
  std::string resource = "server did not come up";
  if (up) {
    http::testing::ClientResponse shown = http::testing::Send(
        port, "GET", "/api/3/action/package_show?id=plan-kpis", {}, {{"Host", "evil.example"}});
    nlohmann::json package = nlohmann::json::parse(shown.body, nullptr, false);
    resource = package.is_object() ? package["result"]["resources"][0]["url"].get<std::string>()
                                   : shown.body;
    if (shown.body.find("evil.example") != std::string::npos) resource += " (evil.example!)";
  }
  kill(child, SIGTERM);
  int status = 0;
  waitpid(child, &status, 0);
  const std::string path = url.substr(std::string("sqlite:").size());
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  return resource;
}

TEST(PublicUrl, TheBinaryMakesAbsoluteUrlsFromTheOptionOrHostAndPort) {
  const uint16_t port = UnusedPort();
  EXPECT_EQ(ResourceUrlServed({"--public-url", "https://opendata.example.jp/"}, port),
            "https://opendata.example.jp/opendata/files/plan-kpis.csv");
  const uint16_t other = UnusedPort();
  EXPECT_EQ(ResourceUrlServed({}, other),
            "http://127.0.0.1:" + std::to_string(other) + "/opendata/files/plan-kpis.csv");
}

}  // namespace
}  // namespace civicdesk::app
