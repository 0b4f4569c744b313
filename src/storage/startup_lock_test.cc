// Database::WithStartupLock: several processes starting at once on one empty database migrate
// and load their first-start data once (issue 18: the second `serve` died on a duplicate key).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/testing.h"

namespace civicdesk::storage {
namespace {

const ModuleMigrations kShelfMigrations{
    "shelf",
    {{1, "create shelf", "CREATE TABLE shelf_book (id {{id}}, title TEXT NOT NULL)"},
     {2, "add shelf position", "ALTER TABLE shelf_book ADD COLUMN position BIGINT"}}};

// A module's first-start loading as the loaders do it: look, then write in transactions of its
// own, with time in between for another process to look too.
Status LoadShelfIfEmpty(Database& database) {
  Result<QueryResult> count = database.Query("SELECT COUNT(*) FROM shelf_book");
  if (!count.ok()) return count.status();
  if (AsInt(count->rows[0][0]) > 0) return Status::Ok();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  for (int book = 1; book <= 26; ++book) {
    Status written = database.Transaction([&](Connection& connection) -> Status {
      Result<QueryResult> inserted =
          connection.Query("INSERT INTO shelf_book (title, position) VALUES (?, ?)",
                           {"政策" + std::to_string(book), int64_t{book}});
      return inserted.ok() ? Status::Ok() : inserted.status();
    });
    if (!written.ok()) return written;
  }
  return Status::Ok();
}

Status MigrateAndLoad(Database& database) {
  Result<int> applied = Migrate(database, {kShelfMigrations});
  if (!applied.ok()) return applied.status();
  return LoadShelfIfEmpty(database);
}

class StartupLockTest : public ::testing::TestWithParam<std::string> {
 protected:
  StartupLockTest() : database_(GetParam()) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(database_); }
  testing::TestDatabase database_;
};

// Four "processes" (each its own Database, so its own connections) start at once on one empty
// database: every one succeeds and the data is there once.
TEST_P(StartupLockTest, ProcessesStartingAtOnceMigrateAndLoadOnce) {
  constexpr int kProcesses = 4;
  std::vector<Status> outcomes(kProcesses);
  std::vector<std::thread> processes;
  std::atomic<int> ready{0};
  for (int p = 0; p < kProcesses; ++p) {
    processes.emplace_back([&, p] {
      Result<std::unique_ptr<Database>> opened = Database::Open(database_.url());
      if (!opened.ok()) {
        outcomes[p] = opened.status();
        return;
      }
      ++ready;
      while (ready < kProcesses) std::this_thread::yield();
      outcomes[p] = (*opened)->WithStartupLock(MigrateAndLoad);
    });
  }
  for (std::thread& process : processes) process.join();
  for (const Status& outcome : outcomes) EXPECT_TRUE(outcome.ok()) << outcome.ToString();
  Result<QueryResult> count = database_->Query("SELECT COUNT(*) FROM shelf_book");
  ASSERT_TRUE(count.ok()) << count.status().message();
  EXPECT_EQ(AsInt(count->rows[0][0]), 26);
  Result<std::vector<AppliedMigration>> applied = ListAppliedMigrations(*database_);
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->size(), 2u);
}

// The lock is given back whatever `work` returns: the next start does not wait for ever.
TEST_P(StartupLockTest, TheLockIsReleasedAfterFailedWork) {
  Status failed = database_->WithStartupLock([](Database&) {
    return Status::Unavailable("storage.database_busy", {{"detail", "x"}});
  });
  EXPECT_EQ(failed.code(), StatusCode::kUnavailable);
  Result<std::unique_ptr<Database>> other = Database::Open(database_.url());
  ASSERT_TRUE(other.ok());
  std::atomic<bool> done{false};
  std::thread starting([&] {
    EXPECT_TRUE((*other)->WithStartupLock(MigrateAndLoad).ok());
    done = true;
  });
  for (int waited = 0; waited < 200 && !done; ++waited)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(done) << "the second start still waits for the lock";
  starting.join();
}

// Inside the lock the database works as usual: streamed reads with queries inside, nested
// transactions, and a nested WithStartupLock (which must not wait for itself).
TEST_P(StartupLockTest, WorkInsideTheLockUsesTheDatabaseAsUsual) {
  Status outcome = database_->WithStartupLock([](Database& locked) -> Status {
    CIVICDESK_RETURN_IF_ERROR(MigrateAndLoad(locked));
    CIVICDESK_RETURN_IF_ERROR(locked.WithStartupLock(LoadShelfIfEmpty));
    int64_t seen = 0;
    CIVICDESK_RETURN_IF_ERROR(locked.QueryEach(
        "SELECT id FROM shelf_book ORDER BY id", {}, [&](const std::vector<Value>& row) {
          ++seen;
          Result<QueryResult> one =
              locked.Query("SELECT title FROM shelf_book WHERE id = ?", {row[0]});
          return one.ok() ? Status::Ok() : one.status();
        }));
    if (seen != 26) return Status::Internal("expected 26 books");
    // A failing inner transaction undoes only itself.
    Status refused = locked.Transaction([](Connection& connection) -> Status {
      Result<QueryResult> inserted =
          connection.Query("INSERT INTO shelf_book (title) VALUES ('戻される')");
      if (!inserted.ok()) return inserted.status();
      return Status::Conflict("storage.database_busy", {{"detail", "rolled back"}});
    });
    if (refused.ok()) return Status::Internal("the inner transaction should fail");
    return Status::Ok();
  });
  ASSERT_TRUE(outcome.ok()) << outcome.ToString();
  Result<QueryResult> count = database_->Query("SELECT COUNT(*) FROM shelf_book");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(AsInt(count->rows[0][0]), 26);
}

INSTANTIATE_TEST_SUITE_P(Backends, StartupLockTest, ::testing::ValuesIn(testing::BackendNames()));

// On SQLite the start-up work is one transaction: when it fails, nothing of it is left, so the
// next start begins again from a clean database.
TEST(StartupLockSqlite, FailedStartLeavesNothingBehind) {
  testing::TestDatabase database("sqlite");
  Status failed = database->WithStartupLock([](Database& locked) -> Status {
    CIVICDESK_RETURN_IF_ERROR(MigrateAndLoad(locked));
    return Status::Unavailable("storage.database_busy", {{"detail", "killed mid-load"}});
  });
  EXPECT_FALSE(failed.ok());
  Result<QueryResult> tables =
      database->Query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'shelf_book'");
  ASSERT_TRUE(tables.ok());
  EXPECT_EQ(AsInt(tables->rows[0][0]), 0);
  EXPECT_TRUE(database->WithStartupLock(MigrateAndLoad).ok());
}

}  // namespace
}  // namespace civicdesk::storage
