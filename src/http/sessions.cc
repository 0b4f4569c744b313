#include "http/sessions.h"

#include <sodium.h>

#include <chrono>

#include "core/date.h"

namespace civicdesk::http {
namespace {

using storage::AsText;
using storage::QueryResult;

std::string Hex(const unsigned char* bytes, size_t length) {
  std::string hex(length * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, length);
  hex.pop_back();
  return hex;
}

}  // namespace

std::string HashToken(std::string_view token) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof(digest), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return Hex(digest, sizeof(digest));
}

std::string RandomToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof(bytes));
  return Hex(bytes, sizeof(bytes));
}

bool TokensEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> Sessions::Create(int64_t user_id, std::string_view remote_address) {
  std::string token = RandomToken();
  Result<QueryResult> inserted = database_.Query(
      "INSERT INTO http_session (token_hash, user_id, csrf_token, remote_address, created_at, "
      "expires_at)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {HashToken(token), user_id, RandomToken(), std::string(remote_address), NowIso8601Utc(),
       NowIso8601Utc(std::chrono::hours(lifetime_hours_))});
  if (!inserted.ok()) return inserted.status();
  return token;
}

Result<std::optional<SessionData>> Sessions::Find(std::string_view token) {
  if (token.size() != 64) return std::optional<SessionData>();
  Result<QueryResult> found = database_.Query(
      "SELECT u.id, u.login, u.display_name, u.role, u.department, u.section, s.csrf_token"
      " FROM http_session s JOIN http_user u ON u.id = s.user_id"
      " WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
      {HashToken(token), NowIso8601Utc()});
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<SessionData>();
  return std::optional<SessionData>(
      SessionData{PrincipalFromRow(found->rows[0]), AsText(found->rows[0][6])});
}

Status Sessions::Destroy(std::string_view token) {
  Result<QueryResult> deleted =
      database_.Query("DELETE FROM http_session WHERE token_hash = ?", {HashToken(token)});
  return deleted.ok() ? Status::Ok() : deleted.status();
}

}  // namespace civicdesk::http
