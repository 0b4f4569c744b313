#ifndef CIVICDESK_HTTP_TESTING_H_
#define CIVICDESK_HTTP_TESTING_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/app.h"
#include "http/server.h"
#include "storage/testing.h"

namespace civicdesk::http::testing {

struct ClientResponse {
  int status = 0;                              // 0 when the connection failed
  std::map<std::string, std::string> headers;  // lower-case names; repeated ones joined by "\n"
  std::vector<std::string> set_cookies;
  std::string body;
};

// Sends one HTTP/1.1 request to 127.0.0.1:port on a new connection.
ClientResponse Send(uint16_t port, const std::string& method, const std::string& target,
                    const std::string& body = {},
                    const std::map<std::string, std::string>& headers = {});

// Writes raw bytes and returns everything the server answers until it closes the connection.
std::string SendRaw(uint16_t port, const std::string& bytes);

// A client that keeps cookies between requests, as a browser does.
class Browser {
 public:
  explicit Browser(uint16_t port) : port_(port) {}
  ClientResponse Get(const std::string& target);
  ClientResponse PostForm(const std::string& target,
                          const std::map<std::string, std::string>& fields);
  // A form with a file, as multipart/form-data: `fields`, then `file` under the field "file".
  ClientResponse PostFile(const std::string& target,
                          const std::map<std::string, std::string>& fields,
                          const std::string& filename, const std::string& file);
  const std::map<std::string, std::string>& cookies() const { return cookies_; }

 private:
  ClientResponse Remember(ClientResponse response);
  std::string CookieHeader() const;
  uint16_t port_;
  std::map<std::string, std::string> cookies_;
};

// The value of the first hidden csrf_token field in an HTML page ("" when none).
std::string CsrfTokenIn(const std::string& html);

class TestSite;

// Adds a staff account (section staff get the 部 and 課 given) and returns a browser signed in
// as it; the test fails when the account cannot be added or the sign-in is refused.
Browser SignedInBrowser(TestSite& site, const std::string& login, Role role,
                        const std::string& department = {}, const std::string& section = {});

// A real site on a free port over a fresh test database: migrated, the modules installed and
// their initial data loaded. Stopped and removed when destroyed.
class TestSite {
 public:
  TestSite(const std::string& backend, std::vector<Module> modules);
  // With these options instead of the test defaults (no login throttling to speak of).
  TestSite(const std::string& backend, std::vector<Module> modules, AppOptions options);
  ~TestSite();

  const std::string& skip_reason() const { return database_.skip_reason(); }
  // Null until a database could be made (see storage::testing::TestDatabase).
  storage::Database* get() { return database_.get(); }
  storage::Database& database() { return *database_; }
  App& app() { return *app_; }
  uint16_t port() const { return server_ ? server_->port() : 0; }

 private:
  storage::testing::TestDatabase database_;
  std::unique_ptr<App> app_;
  std::unique_ptr<Server> server_;
};

}  // namespace civicdesk::http::testing

#endif  // CIVICDESK_HTTP_TESTING_H_
