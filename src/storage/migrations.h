#ifndef CIVICDESK_STORAGE_MIGRATIONS_H_
#define CIVICDESK_STORAGE_MIGRATIONS_H_

#include <string>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::storage {

// One schema change of one module. `sql` holds one or more statements in the portable dialect
// (see Connection); the token {{id}} stands for an auto-numbered 64-bit primary key column
// type, which the backends spell differently.
struct Migration {
  int version = 0;  // strictly increasing within a module, from 1
  std::string name;
  std::string sql;
};

// A module's migrations, in version order. Tables are named after the module ("plan_policy"),
// and a module's migrations touch only its own tables.
struct ModuleMigrations {
  std::string module;
  std::vector<Migration> migrations;
};

struct AppliedMigration {
  std::string module;
  int version = 0;
  std::string name;
  std::string applied_at;
};

// Applies, each in its own transaction, every migration not yet recorded in
// storage_schema_migrations. Safe to run from several processes at once: on PostgreSQL an
// advisory lock serialises them, on SQLite the write lock does. Returns how many were applied.
Result<int> Migrate(Database& database, const std::vector<ModuleMigrations>& modules);

// What has been applied, ordered by module and version.
Result<std::vector<AppliedMigration>> ListAppliedMigrations(Database& database);

}  // namespace civicdesk::storage

#endif  // CIVICDESK_STORAGE_MIGRATIONS_H_
