#ifndef CIVICDESK_HTTP_SESSIONS_H_
#define CIVICDESK_HTTP_SESSIONS_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/accounts.h"
#include "storage/database.h"

namespace civicdesk::http {

struct SessionData {
  Principal principal;
  std::string csrf_token;
};

// Signed-in sessions, stored in the database (http_session) so that several app servers can
// share one PostgreSQL. The cookie holds a random 256-bit token; the table holds only its
// BLAKE2b hash, so a leaked table does not let anyone sign in. Thread-safe.
class Sessions {
 public:
  explicit Sessions(storage::Database& database, int lifetime_hours = 12)
      : database_(database), lifetime_hours_(lifetime_hours) {}

  // A new session for the user, with a fresh id and CSRF token. Returns the cookie token.
  Result<std::string> Create(int64_t user_id, std::string_view remote_address);

  // The session for a cookie token; nullopt when unknown or expired.
  Result<std::optional<SessionData>> Find(std::string_view token);

  Status Destroy(std::string_view token);

 private:
  storage::Database& database_;
  int lifetime_hours_;
};

// 32 random bytes as 64 lowercase hex characters.
std::string RandomToken();

// The BLAKE2b-256 hash of a token, in hex: what tables store instead of the token itself.
std::string HashToken(std::string_view token);

// Compares two tokens in constant time for equal lengths.
bool TokensEqual(std::string_view a, std::string_view b);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_SESSIONS_H_
