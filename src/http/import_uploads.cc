#include "http/import_uploads.h"

#include <chrono>

#include "core/date.h"
#include "core/digest.h"

namespace civicdesk::http {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::QueryResult;

}  // namespace

Result<std::string> SaveUpload(storage::Database& database, int64_t user_id, const Upload& upload) {
  const std::string token = RandomHex(32);
  const std::string now = NowIso8601Utc();
  const std::string expires = NowIso8601Utc(std::chrono::hours(kUploadHours));
  Status saved = database.Transaction([&](storage::Connection& connection) -> Status {
    CIVICDESK_RETURN_IF_ERROR(
        connection.Query("DELETE FROM http_import_upload WHERE expires_at < ?", {now}).status());
    return connection
        .Query(
            "INSERT INTO http_import_upload (token_hash, user_id, kind, filename, label, content,"
            " state, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
            {Sha256Hex(token), user_id, upload.kind, upload.filename, upload.label,
             Base64Encode(upload.bytes), now, expires})
        .status();
  });
  if (!saved.ok()) return saved;
  return token;
}

Result<Upload> GetUpload(storage::Database& database, const std::string& token, int64_t user_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows, database.Query("SELECT kind, filename, label, content, state, rows_written"
                                       " FROM http_import_upload"
                                       " WHERE token_hash = ? AND user_id = ? AND expires_at > ?",
                                       {Sha256Hex(token), user_id, NowIso8601Utc()}));
  const Status not_found = Status::NotFound("http.import_upload_not_found");
  if (rows.rows.empty()) return not_found;
  const auto& row = rows.rows[0];
  Upload upload;
  upload.kind = AsText(row[0]);
  upload.filename = AsText(row[1]);
  upload.label = AsText(row[2]);
  if (!Base64Decode(AsText(row[3]), upload.bytes)) return not_found;
  upload.state = AsText(row[4]);
  upload.rows_written = AsInt(row[5]);
  return upload;
}

Status ClaimUpload(storage::Database& database, const std::string& token) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult claimed,
      database.Query("UPDATE http_import_upload SET state = 'importing' WHERE"
                     " token_hash = ? AND state = 'pending' RETURNING token_hash",
                     {Sha256Hex(token)}));
  if (claimed.rows.empty()) return Status::Conflict("http.import_already_confirmed");
  return Status::Ok();
}

Status FinishUpload(storage::Database& database, const std::string& token, bool imported,
                    int64_t rows_written) {
  return database
      .Query("UPDATE http_import_upload SET state = ?, rows_written = ? WHERE token_hash = ?",
             {std::string(imported ? "imported" : "pending"), rows_written, Sha256Hex(token)})
      .status();
}

}  // namespace civicdesk::http
