#ifndef CIVICDESK_STORAGE_TESTING_H_
#define CIVICDESK_STORAGE_TESTING_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "storage/database.h"

namespace civicdesk::storage::testing {

// The backends every module's tests run on: "sqlite" always, "postgres" too.
// PostgreSQL is reached through CIVICDESK_TEST_POSTGRES_URL, which `make test` sets to a
// throwaway cluster it starts itself (scripts/test-with-postgres.sh).
std::vector<std::string> BackendNames();

// A fresh, empty database on the named backend, removed when destroyed: a temporary SQLite
// file, or a schema of its own in the test PostgreSQL cluster. When PostgreSQL is not
// configured, `skip_reason` is set (and the test should skip) unless CIVICDESK_REQUIRE_POSTGRES
// is 1, in which case creation fails the test.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend);
  // An empty database to restore a backup of `source` into: on PostgreSQL a database of its own
  // in the test cluster whose URL uses a schema named as `source`'s (a backup is restored into
  // the schema it was taken from), on SQLite a new file.
  static std::unique_ptr<TestDatabase> RestoreTargetFor(const TestDatabase& source);
  ~TestDatabase();

  Database* get() { return database_.get(); }
  Database& operator*() { return *database_; }
  Database* operator->() { return database_.get(); }
  const std::string& url() const { return url_; }
  const std::string& skip_reason() const { return skip_reason_; }

 private:
  std::string backend_;
  std::string url_;
  std::string schema_;
  std::string database_name_;  // PostgreSQL: a database of its own (RestoreTargetFor)
  std::string sqlite_path_;
  std::string skip_reason_;
  std::unique_ptr<Database> database_;
};

// Every table of `database` (in the schema its URL uses) with "N rows, <digest>": a digest of its
// rows read in primary-key order (all columns when it has none), each value with its type, so
// a restored database can be compared with its source table by table.
Result<std::map<std::string, std::string>> TableDigests(Database& database);

}  // namespace civicdesk::storage::testing

// Use at the start of a test body or SetUp: skips, with the reason, when the backend is absent.
#define CIVICDESK_SKIP_IF_UNAVAILABLE(test_database)                      \
  do {                                                                    \
    if (!(test_database).skip_reason().empty()) {                         \
      GTEST_SKIP() << (test_database).skip_reason();                      \
    }                                                                     \
    ASSERT_NE((test_database).get(), nullptr) << "test database missing"; \
  } while (false)

#endif  // CIVICDESK_STORAGE_TESTING_H_
