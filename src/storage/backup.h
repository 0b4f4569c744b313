#ifndef CIVICDESK_STORAGE_BACKUP_H_
#define CIVICDESK_STORAGE_BACKUP_H_

#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk::storage {

// Copies the database at `url` (as Database::Open takes it) into `file`, consistently, while
// servers keep reading and writing it.
//  - SQLite: the online backup API (sqlite3_backup_*) copies one snapshot of the database in a
//    single step, so writers never restart it (in WAL mode they do not wait for it either). The
//    copy is a self-contained SQLite file (journal mode DELETE), checked (quick_check) before
//    it replaces `file`.
//  - PostgreSQL: pg_dump in its custom format, of the schema the URL uses (current_schema()).
//    pg_dump is found on PATH or in /usr/lib/postgresql/15/bin.
// `file` is written beside itself first (FILE.partial) and renamed when complete, so an existing
// backup is never left half-overwritten. Failures name the file (field) or the tool.
Status BackupDatabase(std::string_view url, const std::string& file);

// Replaces the contents of the database at `url` with the backup in `file`, made by
// BackupDatabase on the same backend. A target that holds any table is refused (kConflict,
// field "--db", the message naming --force) unless `force`, which replaces its tables. Stop the
// servers of the target first: they keep caches of what they read.
//  - SQLite: the online backup API copies the backup file over the target, which is then checked.
//  - PostgreSQL: pg_restore in one transaction (--single-transaction --exit-on-error, without
//    owners or privileges) into the schema the backup was taken from, which must be the schema
//    the target URL uses (current_schema()). With `force`, the backup's tables are dropped and
//    recreated in that same transaction (--clean), and target tables the backup lacks are
//    dropped just before it.
Status RestoreDatabase(std::string_view url, const std::string& file, bool force);

}  // namespace civicdesk::storage

#endif  // CIVICDESK_STORAGE_BACKUP_H_
