#ifndef CIVICDESK_CONSULTATION_IMPORT_UPLOADS_H_
#define CIVICDESK_CONSULTATION_IMPORT_UPLOADS_H_

// Files uploaded on the staff import page (/staff/imports), kept server-side between the upload,
// the mapping step and the confirmation: each under a random token whose SHA-256 alone is
// stored, bound to the staff member who uploaded it and expiring after kImportUploadHours.
// Table consultation_import_upload.

#include <cstdint>
#include <string>

#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::consultation {

inline constexpr int kImportUploadHours = 2;
// The largest file the page takes (the server refuses larger bodies with 413 anyway).
inline constexpr size_t kMaxImportUploadBytes = 1000 * 1000;

struct ImportUpload {
  std::string kind;  // "opinions" (into consultation_id) or "results" (a new consultation)
  int64_t consultation_id = 0;
  std::string filename;
  std::string bytes;
  std::string state;  // "pending", "importing" (confirmed, running), "imported"
  int64_t imported_consultation_id = 0;
  int64_t rows_written = 0;
};

// Keeps `bytes` for `user_id` and returns the token to reach them; uploads past their expiry
// are deleted on the way.
Result<std::string> SaveImportUpload(storage::Database& database, int64_t user_id,
                                     const ImportUpload& upload);

// The upload `token` names. NotFound consultation.import_upload_not_found when there is none,
// it expired, or another staff member uploaded it (a stranger learns nothing of it).
Result<ImportUpload> GetImportUpload(storage::Database& database, const std::string& token,
                                     int64_t user_id);

// Moves a pending upload to "importing", once: a second confirmation (replayed, or racing the
// first) is Conflict consultation.import_already_confirmed.
Status ClaimImportUpload(storage::Database& database, const std::string& token);

// After the import: "imported" with what it wrote, or (`consultation_id` 0, the import refused
// or failed) back to "pending" so that the mapping can be changed and confirmed again.
Status FinishImportUpload(storage::Database& database, const std::string& token,
                          int64_t consultation_id, int64_t rows_written);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_IMPORT_UPLOADS_H_
