#ifndef CIVICDESK_STORAGE_SQLITE_SQLITE_CONNECTION_H_
#define CIVICDESK_STORAGE_SQLITE_SQLITE_CONNECTION_H_

#include <memory>
#include <string>

#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::storage {

// Opens (creating if missing) the SQLite file at `path` in WAL mode with synchronous=FULL, so a
// committed transaction survives a power loss, foreign keys on and a 10 s busy timeout.
Result<std::unique_ptr<Connection>> OpenSqliteConnection(const std::string& path);

}  // namespace civicdesk::storage

#endif  // CIVICDESK_STORAGE_SQLITE_SQLITE_CONNECTION_H_
