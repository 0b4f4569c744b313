#ifndef CIVICDESK_STORAGE_POSTGRES_POSTGRES_CONNECTION_H_
#define CIVICDESK_STORAGE_POSTGRES_POSTGRES_CONNECTION_H_

#include <memory>
#include <string>

#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::storage {

// Connects with libpq to `uri` ("postgresql://user@host:port/db?options=..."), in UTF-8.
// kUnavailable, with libpq's reason, when the server cannot be reached.
Result<std::unique_ptr<Connection>> OpenPostgresConnection(const std::string& uri);

}  // namespace civicdesk::storage

#endif  // CIVICDESK_STORAGE_POSTGRES_POSTGRES_CONNECTION_H_
