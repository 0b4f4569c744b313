#include "consultation/import_uploads.h"

#include <chrono>

#include "core/date.h"
#include "core/digest.h"

namespace civicdesk::consultation {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::QueryResult;

Status NotFound() { return Status::NotFound("consultation.import_upload_not_found"); }

}  // namespace

Result<std::string> SaveImportUpload(storage::Database& database, int64_t user_id,
                                     const ImportUpload& upload) {
  const std::string token = RandomHex(32);
  const std::string now = NowIso8601Utc();
  const std::string expires = NowIso8601Utc(std::chrono::hours(kImportUploadHours));
  Status saved = database.Transaction([&](storage::Connection& connection) -> Status {
    CIVICDESK_RETURN_IF_ERROR(
        connection.Query("DELETE FROM consultation_import_upload WHERE expires_at < ?", {now})
            .status());
    return connection
        .Query(
            "INSERT INTO consultation_import_upload (token_hash, user_id, kind, consultation_id,"
            " filename, content, state, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?,"
            " 'pending', ?, ?)",
            {Sha256Hex(token), user_id, upload.kind, upload.consultation_id, upload.filename,
             Base64Encode(upload.bytes), now, expires})
        .status();
  });
  if (!saved.ok()) return saved;
  return token;
}

Result<ImportUpload> GetImportUpload(storage::Database& database, const std::string& token,
                                     int64_t user_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query("SELECT kind, consultation_id, filename, content, state,"
                     " imported_consultation_id, rows_written FROM consultation_import_upload"
                     " WHERE token_hash = ? AND user_id = ? AND expires_at > ?",
                     {Sha256Hex(token), user_id, NowIso8601Utc()}));
  if (rows.rows.empty()) return NotFound();
  const auto& row = rows.rows[0];
  ImportUpload upload;
  upload.kind = AsText(row[0]);
  upload.consultation_id = AsInt(row[1]);
  upload.filename = AsText(row[2]);
  if (!Base64Decode(AsText(row[3]), upload.bytes)) return NotFound();
  upload.state = AsText(row[4]);
  upload.imported_consultation_id = AsInt(row[5]);
  upload.rows_written = AsInt(row[6]);
  return upload;
}

Status ClaimImportUpload(storage::Database& database, const std::string& token) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult claimed,
      database.Query("UPDATE consultation_import_upload SET state = 'importing' WHERE"
                     " token_hash = ? AND state = 'pending' RETURNING token_hash",
                     {Sha256Hex(token)}));
  if (claimed.rows.empty()) return Status::Conflict("consultation.import_already_confirmed");
  return Status::Ok();
}

Status FinishImportUpload(storage::Database& database, const std::string& token,
                          int64_t consultation_id, int64_t rows_written) {
  return database
      .Query(
          "UPDATE consultation_import_upload SET state = ?, imported_consultation_id = ?,"
          " rows_written = ? WHERE token_hash = ?",
          {std::string(consultation_id != 0 ? "imported" : "pending"), consultation_id,
           rows_written, Sha256Hex(token)})
      .status();
}

}  // namespace civicdesk::consultation
