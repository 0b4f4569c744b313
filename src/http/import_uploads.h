#ifndef CIVICDESK_HTTP_IMPORT_UPLOADS_H_
#define CIVICDESK_HTTP_IMPORT_UPLOADS_H_

// Files uploaded on the site's import page (/staff/imports/tables), kept server-side between the
// upload, the mapping step and the confirmation: each under a random token whose SHA-256 alone
// is stored, bound to the staff member who uploaded it and expiring after kUploadHours.
// Table http_import_upload.

#include <cstdint>
#include <string>

#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::http {

inline constexpr int kUploadHours = 2;
// The largest file the page takes; the server refuses larger bodies before any handler, and the
// page that says so names this limit too.
inline constexpr size_t kMaxUploadBytes = 1000 * 1000;

struct Upload {
  std::string kind;  // an Importer::kind
  std::string filename;
  std::string label;  // the name the form asked for, or ""
  std::string bytes;
  std::string state;  // "pending", "importing" (confirmed, running), "imported"
  int64_t rows_written = 0;
};

// Keeps `upload` for `user_id` and returns the token to reach it; uploads past their expiry are
// deleted on the way.
Result<std::string> SaveUpload(storage::Database& database, int64_t user_id, const Upload& upload);

// The upload `token` names. NotFound http.import_upload_not_found when there is none, it
// expired, or another staff member uploaded it (who learns nothing of it).
Result<Upload> GetUpload(storage::Database& database, const std::string& token, int64_t user_id);

// Moves a pending upload to "importing", once: a second confirmation (replayed, or racing the
// first) is Conflict http.import_already_confirmed.
Status ClaimUpload(storage::Database& database, const std::string& token);

// After the import: "imported" with the rows written, or (`imported` false: refused or failed)
// back to "pending", so that the mapping can be changed and confirmed again.
Status FinishUpload(storage::Database& database, const std::string& token, bool imported,
                    int64_t rows_written);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_IMPORT_UPLOADS_H_
