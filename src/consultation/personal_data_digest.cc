#include "consultation/personal_data_digest.h"

#include "core/date.h"
#include "core/digest.h"

namespace civicdesk::consultation {

const char kDigestKeyMigrationSql[] =
    "CREATE TABLE consultation_digest_key (consultation_id BIGINT PRIMARY KEY REFERENCES"
    " consultation (id), secret TEXT NOT NULL, created_at TEXT NOT NULL)";

namespace {

using storage::AsText;
using storage::Connection;
using storage::QueryResult;

constexpr size_t kKeyBytes = 32;

}  // namespace

Result<std::string> PersonalDataDigest(Connection& connection, int64_t consultation_id,
                                       std::string_view text) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult found,
      connection.Query("SELECT k.secret, c.personal_data_purged_at FROM consultation c LEFT JOIN"
                       " consultation_digest_key k ON k.consultation_id = c.id WHERE c.id = ?",
                       {consultation_id}));
  if (found.empty())
    return Status::NotFound("consultation.not_found", {{"id", std::to_string(consultation_id)}});
  if (!storage::IsNull(found.rows[0][0])) return HmacSha256Hex(AsText(found.rows[0][0]), text);
  if (!storage::IsNull(found.rows[0][1])) return HmacSha256Hex(RandomHex(kKeyBytes), text);
  // Of two transactions making the key at once, the second waits for the first's row and keeps it.
  CIVICDESK_RETURN_IF_ERROR(
      connection
          .Query("INSERT INTO consultation_digest_key (consultation_id, secret, created_at)"
                 " VALUES (?, ?, ?) ON CONFLICT (consultation_id) DO NOTHING",
                 {consultation_id, RandomHex(kKeyBytes), NowIso8601Utc()})
          .status());
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult made,
      connection.Query("SELECT secret FROM consultation_digest_key WHERE consultation_id = ?",
                       {consultation_id}));
  if (made.empty()) return Status::Internal("the consultation's digest key was not stored");
  return HmacSha256Hex(AsText(made.rows[0][0]), text);
}

Result<std::vector<std::string>> DigestsOfEveryKey(Connection& connection,
                                                   std::vector<std::string>& keys,
                                                   std::string_view text) {
  if (keys.empty()) {
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult rows,
        connection.Query("SELECT secret FROM consultation_digest_key ORDER BY consultation_id"));
    for (const auto& row : rows.rows) keys.push_back(AsText(row[0]));
    keys.emplace_back();  // the unkeyed digests of before migration 8, last
  }
  std::vector<std::string> digests;
  digests.reserve(keys.size());
  for (const std::string& key : keys)
    digests.push_back(key.empty() ? Sha256Hex(text) : HmacSha256Hex(key, text));
  return digests;
}

Status ForgetDigestKey(Connection& connection, int64_t consultation_id) {
  return connection
      .Query("DELETE FROM consultation_digest_key WHERE consultation_id = ?", {consultation_id})
      .status();
}

}  // namespace civicdesk::consultation
