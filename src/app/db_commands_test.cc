// Issue 18: `civicdesk db backup` / `db restore` on the whole civicdesk schema with its shipped
// data and imported opinions, compared table by table after the round trip, on both backends;
// and the start-up path (migrate + first-start data) taken by several starts at once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/cli.h"
#include "storage/testing.h"

namespace civicdesk::app {
namespace {

struct CommandRun {
  int exit_code = 0;
  std::string out;
  std::string err;
};

CommandRun Civicdesk(const std::vector<std::string>& words) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  CommandRun run;
  run.exit_code = RunCli(words, in, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::string TemporaryPath(const std::string& name) {
  return ::testing::TempDir() + "/db_commands_" + std::to_string(::getpid()) + "_" + name;
}

class DbCommandsTest : public ::testing::TestWithParam<std::string> {
 protected:
  DbCommandsTest() : database_(GetParam()), backup_(TemporaryPath(GetParam() + ".backup")) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(database_); }
  void TearDown() override { std::filesystem::remove(backup_); }

  // Migrates and loads the shipped data as `serve` does, then imports a comment file.
  void FillWithData() {
    Result<Arguments> arguments = Arguments::Parse({"--db", database_.url()}, {"db"});
    ASSERT_TRUE(arguments.ok());
    std::ostringstream out;
    Result<std::unique_ptr<storage::Database>> opened =
        OpenMigrated(*arguments, out, false, /*load_data=*/true);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    std::string csv = "id,text,channel\n";
    for (int i = 1; i <= 40; ++i) {
      csv += "C-" + std::to_string(i) + ",\"駅前の駐輪場を増やしてください。その" +
             std::to_string(i % 5) + "\",郵送\n";
    }
    const std::string file = TemporaryPath("opinions.csv");
    std::ofstream(file, std::ios::binary) << csv;
    CommandRun imported =
        Civicdesk({"import", "opinions", file, "--title", "復元テスト", "--db", database_.url()});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    std::filesystem::remove(file);
  }

  std::map<std::string, std::string> Digests(storage::Database& database) {
    Result<std::map<std::string, std::string>> digests = storage::testing::TableDigests(database);
    EXPECT_TRUE(digests.ok()) << digests.status().message();
    return digests.ok() ? *digests : std::map<std::string, std::string>{};
  }

  storage::testing::TestDatabase database_;
  std::string backup_;
};

TEST_P(DbCommandsTest, RestoredDatabaseEqualsTheBackedUpOneInEveryTable) {
  FillWithData();
  const std::map<std::string, std::string> source = Digests(*database_);
  int filled = 0;
  for (const auto& [table, digest] : source) filled += digest.rfind("0 rows", 0) != 0;
  EXPECT_GE(source.size(), 30u);
  EXPECT_GE(filled, 15) << "the round trip is checked on tables that hold rows";
  EXPECT_EQ(source.count("plan_policy"), 1u);
  EXPECT_EQ(source.at("plan_policy").rfind("26 rows, ", 0), 0u) << source.at("plan_policy");

  CommandRun backup = Civicdesk({"db", "backup", backup_, "--db", database_.url()});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_NE(backup.out.find(backup_), std::string::npos) << backup.out;

  std::unique_ptr<storage::testing::TestDatabase> target =
      storage::testing::TestDatabase::RestoreTargetFor(database_);
  ASSERT_NE(target->get(), nullptr);
  CommandRun restore = Civicdesk({"db", "restore", backup_, "--db", target->url()});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(Digests(**target), source);
  // The restored database is current: nothing left to migrate, and it checks clean.
  CommandRun migrate = Civicdesk({"db", "migrate", "--db", target->url()});
  EXPECT_NE(migrate.out.find("applied 0 migrations"), std::string::npos) << migrate.out;
  CommandRun check = Civicdesk({"db", "check", "--db", target->url()});
  EXPECT_EQ(check.out, "ok\n") << check.err;
}

TEST_P(DbCommandsTest, RestoreOverDataNeedsForce) {
  FillWithData();
  const std::map<std::string, std::string> source = Digests(*database_);
  ASSERT_EQ(Civicdesk({"db", "backup", backup_, "--db", database_.url()}).exit_code, 0);
  ASSERT_TRUE(database_->Query("UPDATE plan_policy SET title = title || '（改）'").ok());

  CommandRun refused = Civicdesk({"db", "restore", backup_, "--db", database_.url()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("civicdesk: --db: "), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_NE(Digests(*database_), source);

  CommandRun forced = Civicdesk({"db", "restore", backup_, "--db", database_.url(), "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(Digests(*database_), source);
}

// Starts at once (threads standing in for processes, each with its own connections) on one
// empty database: all succeed and the shipped data is there once.
TEST_P(DbCommandsTest, StartsAtOnceLoadTheShippedDataOnce) {
  std::vector<Status> outcomes(4);
  std::vector<std::thread> starts;
  for (size_t s = 0; s < outcomes.size(); ++s) {
    starts.emplace_back([&, s] {
      Result<Arguments> arguments = Arguments::Parse({"--db", database_.url()}, {"db"});
      std::ostringstream out;
      Result<std::unique_ptr<storage::Database>> opened =
          OpenMigrated(*arguments, out, false, /*load_data=*/true);
      outcomes[s] = opened.status();
    });
  }
  for (std::thread& start : starts) start.join();
  for (const Status& outcome : outcomes) EXPECT_TRUE(outcome.ok()) << outcome.ToString();
  Result<storage::QueryResult> counts = database_->Query(
      "SELECT (SELECT COUNT(*) FROM plan_policy), (SELECT COUNT(*) FROM consultation WHERE kind "
      "= 'consultation'), (SELECT COUNT(*) FROM text_document WHERE kind = 'plan')");
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(storage::AsInt(counts->rows[0][0]), 26);
  EXPECT_EQ(storage::AsInt(counts->rows[0][1]), 1);
  // Indexed once: a second load would append every plan document again.
  const int64_t plan_documents = storage::AsInt(counts->rows[0][2]);
  Result<Arguments> arguments = Arguments::Parse({"--db", database_.url()}, {"db"});
  std::ostringstream out;
  ASSERT_TRUE(OpenMigrated(*arguments, out, false, /*load_data=*/true).ok());
  Result<storage::QueryResult> again =
      database_->Query("SELECT COUNT(*) FROM text_document WHERE kind = 'plan'");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(storage::AsInt(again->rows[0][0]), plan_documents);
}

INSTANTIATE_TEST_SUITE_P(Backends, DbCommandsTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

// Errors of the two commands name the option or the file.
TEST(DbCommands, ErrorsNameTheOption) {
  CommandRun no_file = Civicdesk({"db", "backup", "--db", "sqlite:/tmp/x.db"});
  EXPECT_EQ(no_file.exit_code, 2);
  EXPECT_NE(no_file.err.find("civicdesk: FILE: "), std::string::npos) << no_file.err;
  CommandRun no_db = Civicdesk({"db", "restore", TemporaryPath("x.backup")});
  EXPECT_EQ(no_db.exit_code, 2);
  EXPECT_NE(no_db.err.find("--db"), std::string::npos) << no_db.err;
  CommandRun force_on_backup =
      Civicdesk({"db", "backup", TemporaryPath("x.backup"), "--db", "sqlite:/tmp/x.db", "--force"});
  EXPECT_EQ(force_on_backup.exit_code, 2);
  EXPECT_NE(force_on_backup.err.find("--force"), std::string::npos) << force_on_backup.err;
  CommandRun bad_url =
      Civicdesk({"db", "backup", TemporaryPath("x.backup"), "--db", "mysql://x/y"});
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_NE(bad_url.err.find("--db"), std::string::npos) << bad_url.err;
  const std::string absent_db = TemporaryPath("absent.db");
  CommandRun absent =
      Civicdesk({"db", "backup", TemporaryPath("x.backup"), "--db", "sqlite:" + absent_db});
  EXPECT_EQ(absent.exit_code, 2);
  EXPECT_NE(absent.err.find("--db"), std::string::npos) << absent.err;
  EXPECT_FALSE(std::filesystem::exists(absent_db)) << "a backup never creates its source";
  const std::string missing = TemporaryPath("missing.backup");
  CommandRun no_backup =
      Civicdesk({"db", "restore", missing, "--db", "sqlite:" + TemporaryPath("t.db")});
  EXPECT_EQ(no_backup.exit_code, 2);
  EXPECT_NE(no_backup.err.find(missing), std::string::npos) << no_backup.err;
  CommandRun help = Civicdesk({"help"});
  EXPECT_NE(help.out.find("db backup   FILE --db URL"), std::string::npos);
  EXPECT_NE(help.out.find("db restore  FILE --db URL [--force]"), std::string::npos);
}

}  // namespace
}  // namespace civicdesk::app
