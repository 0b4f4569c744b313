// BackupDatabase / RestoreDatabase (`civicdesk db backup` / `db restore`) on both backends: a
// restored database equals its source table by table; a non-empty target is refused without
// force; a backup taken while writers keep writing is whole and consistent.
#include "storage/backup.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "storage/migrations.h"
#include "storage/testing.h"

namespace civicdesk::storage {
namespace {

const ModuleMigrations kLedgerMigrations{
    "ledger",
    {{1, "create ledger",
      "CREATE TABLE ledger_entry (id {{id}}, label TEXT NOT NULL, amount DOUBLE PRECISION,"
      " count BIGINT NOT NULL DEFAULT 0, note TEXT);"
      "CREATE TABLE ledger_tag (entry_id BIGINT NOT NULL, tag TEXT NOT NULL,"
      " PRIMARY KEY (entry_id, tag));"
      "CREATE INDEX ledger_entry_label ON ledger_entry (label)"}}};

std::string TemporaryFile(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("civicdesk_backup_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

class BackupTest : public ::testing::TestWithParam<std::string> {
 protected:
  BackupTest() : database_(GetParam()), file_(TemporaryFile(GetParam() + ".backup")) {}
  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(database_);
    ASSERT_TRUE(Migrate(*database_, {kLedgerMigrations}).ok());
    for (int i = 1; i <= 300; ++i) {
      Result<QueryResult> inserted = database_->Query(
          "INSERT INTO ledger_entry (label, amount, count, note) VALUES (?, ?, ?, ?)",
          {"項目" + std::to_string(i) + "「引用」'", i % 7 == 0 ? Null() : Value(i * 1.25),
           int64_t{i}, i % 3 == 0 ? Value(std::string("備考\n改行")) : Null()});
      ASSERT_TRUE(inserted.ok()) << inserted.status().message();
      ASSERT_TRUE(database_
                      ->Query("INSERT INTO ledger_tag (entry_id, tag) VALUES (?, ?), (?, ?)",
                              {int64_t{i}, std::string("緑"), int64_t{i}, std::string("防災")})
                      .ok());
    }
  }
  void TearDown() override { std::filesystem::remove(file_); }

  std::map<std::string, std::string> Digests(Database& database) {
    Result<std::map<std::string, std::string>> digests = testing::TableDigests(database);
    EXPECT_TRUE(digests.ok()) << digests.status().message();
    return digests.ok() ? *digests : std::map<std::string, std::string>{};
  }

  testing::TestDatabase database_;
  std::string file_;
};

TEST_P(BackupTest, RestoredDatabaseEqualsItsSourceTableByTable) {
  const std::map<std::string, std::string> before = Digests(*database_);
  ASSERT_EQ(before.count("ledger_entry"), 1u);
  EXPECT_EQ(before.at("ledger_entry").rfind("300 rows, ", 0), 0u) << before.at("ledger_entry");
  Status backed_up = BackupDatabase(database_.url(), file_);
  ASSERT_TRUE(backed_up.ok()) << backed_up.ToString();
  EXPECT_FALSE(std::filesystem::exists(file_ + ".partial"));

  std::unique_ptr<testing::TestDatabase> target =
      testing::TestDatabase::RestoreTargetFor(database_);
  ASSERT_NE(target->get(), nullptr);
  Status restored = RestoreDatabase(target->url(), file_, false);
  ASSERT_TRUE(restored.ok()) << restored.ToString();
  EXPECT_EQ(Digests(**target), before);
  // The restored database takes new rows after the restored ones (identity / autoincrement).
  Result<QueryResult> next =
      (*target)->Query("INSERT INTO ledger_entry (label) VALUES ('次') RETURNING id");
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_EQ(AsInt(next->rows[0][0]), 301);
}

TEST_P(BackupTest, RestoreRefusesANonEmptyTargetUnlessForced) {
  const std::map<std::string, std::string> before = Digests(*database_);
  ASSERT_TRUE(BackupDatabase(database_.url(), file_).ok());
  ASSERT_TRUE(database_->Query("DELETE FROM ledger_tag WHERE tag = '緑'").ok());
  ASSERT_TRUE(database_->Query("UPDATE ledger_entry SET note = '変更' WHERE id < 50").ok());

  Status refused = RestoreDatabase(database_.url(), file_, false);
  EXPECT_EQ(refused.code(), StatusCode::kConflict) << refused.ToString();
  EXPECT_EQ(refused.message_id(), "storage.restore_target_not_empty");
  EXPECT_EQ(refused.field(), "--db");
  EXPECT_NE(Digests(*database_), before) << "a refused restore changed nothing";

  Status forced = RestoreDatabase(database_.url(), file_, true);
  ASSERT_TRUE(forced.ok()) << forced.ToString();
  EXPECT_EQ(Digests(*database_), before);
}

TEST_P(BackupTest, BadFilesAreNamed) {
  Status missing = RestoreDatabase(database_.url(), TemporaryFile("absent.backup"), false);
  EXPECT_EQ(missing.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.field(), TemporaryFile("absent.backup"));
  {
    std::ofstream junk(file_);
    junk << "not a backup\n";
  }
  std::unique_ptr<testing::TestDatabase> target =
      testing::TestDatabase::RestoreTargetFor(database_);
  Status junk = RestoreDatabase(target->url(), file_, false);
  EXPECT_EQ(junk.code(), StatusCode::kInvalidArgument) << junk.ToString();
  EXPECT_EQ(junk.field(), file_);
  Status unwritable = BackupDatabase(database_.url(), "/nonexistent-directory/x.backup");
  EXPECT_FALSE(unwritable.ok());
}

// `db backup` naming the database file itself would rename the copy over the live database.
TEST(SqliteBackup, RefusesToWriteOverItsOwnDatabase) {
  testing::TestDatabase database("sqlite");
  ASSERT_TRUE(Migrate(*database, {kLedgerMigrations}).ok());
  ASSERT_TRUE(database->Query("INSERT INTO ledger_entry (label) VALUES ('残す')").ok());
  const std::string path = database.url().substr(std::string("sqlite:").size());
  Status backup = BackupDatabase(database.url(), path);
  EXPECT_EQ(backup.message_id(), "storage.backup_same_file") << backup.ToString();
  EXPECT_EQ(backup.field(), path);
  Status restore = RestoreDatabase(database.url(), path, true);
  EXPECT_EQ(restore.message_id(), "storage.backup_same_file") << restore.ToString();
  Result<QueryResult> kept = database->Query("SELECT COUNT(*) FROM ledger_entry");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(AsInt(kept->rows[0][0]), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, BackupTest, ::testing::ValuesIn(testing::BackendNames()));

// The online backup API while writers keep committing: the backup is one consistent snapshot
// (every entry has both its tags) holding at least what was committed before it began.
TEST(SqliteBackup, TakenWhileWritersCommitIsConsistent) {
  testing::TestDatabase database("sqlite");
  ASSERT_TRUE(Migrate(*database, {kLedgerMigrations}).ok());
  std::atomic<bool> stop{false};
  std::atomic<int64_t> committed{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&] {
      while (!stop) {
        Status written = database->Transaction([&](Connection& connection) -> Status {
          Result<QueryResult> entry = connection.Query(
              "INSERT INTO ledger_entry (label, note) VALUES ('書込中', ?) RETURNING id",
              {std::string(2000, 'x')});
          if (!entry.ok()) return entry.status();
          const Value id = entry->rows[0][0];
          Result<QueryResult> tags = connection.Query(
              "INSERT INTO ledger_tag (entry_id, tag) VALUES (?, 'a'), (?, 'b')", {id, id});
          return tags.ok() ? Status::Ok() : tags.status();
        });
        if (written.ok()) ++committed;
      }
    });
  }
  while (committed < 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const std::string file = TemporaryFile("live.backup");
  const int64_t at_start = committed;
  for (int round = 0; round < 3; ++round) {
    const int64_t before = committed;
    Status backed_up = BackupDatabase(database.url(), file);
    ASSERT_TRUE(backed_up.ok()) << backed_up.ToString();
    Result<std::unique_ptr<Database>> copy = Database::Open("sqlite:" + file);
    ASSERT_TRUE(copy.ok());
    Result<QueryResult> counts = (*copy)->Query(
        "SELECT (SELECT COUNT(*) FROM ledger_entry), (SELECT COUNT(*) FROM ledger_tag)");
    ASSERT_TRUE(counts.ok());
    EXPECT_GE(AsInt(counts->rows[0][0]), before);
    EXPECT_EQ(AsInt(counts->rows[0][1]), 2 * AsInt(counts->rows[0][0]));
    Result<QueryResult> check = (*copy)->Query("PRAGMA integrity_check");
    ASSERT_TRUE(check.ok());
    EXPECT_EQ(AsText(check->rows[0][0]), "ok");
  }
  const int64_t at_end = committed;
  stop = true;
  for (std::thread& writer : writers) writer.join();
  EXPECT_GT(at_end, at_start) << "writers kept committing during the backups";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
}

}  // namespace
}  // namespace civicdesk::storage
