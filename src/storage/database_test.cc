#include "storage/database.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "storage/migrations.h"
#include "storage/testing.h"

namespace civicdesk::storage {
namespace {

const ModuleMigrations kWidgetMigrations{
    "widget",
    {
        {1, "create widget",
         "CREATE TABLE widget_item ("
         " id {{id}},"
         " name TEXT NOT NULL UNIQUE,"
         " weight DOUBLE PRECISION,"
         " count BIGINT NOT NULL DEFAULT 0);"
         "CREATE INDEX widget_item_weight ON widget_item (weight)"},
        {2, "add note", "ALTER TABLE widget_item ADD COLUMN note TEXT"},
    }};

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  DatabaseTest() : database_(GetParam()) {}
  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(database_);
    Result<int> applied = Migrate(*database_, {kWidgetMigrations});
    ASSERT_TRUE(applied.ok()) << applied.status().message();
    ASSERT_EQ(*applied, 2);
  }
  testing::TestDatabase database_;
};

TEST_P(DatabaseTest, InsertsAndReadsTypedValuesInJapanese) {
  Result<QueryResult> inserted = database_->Query(
      "INSERT INTO widget_item (name, weight, count, note) VALUES (?, ?, ?, ?) RETURNING id",
      {std::string("防災'ラジオ?"), 1.5, int64_t{3}, Null()});
  ASSERT_TRUE(inserted.ok()) << inserted.status().message();
  ASSERT_EQ(inserted->size(), 1u);
  int64_t id = AsInt(inserted->rows[0][0]);
  EXPECT_GT(id, 0);

  Result<QueryResult> rows =
      database_->Query("SELECT name, weight, count, note FROM widget_item WHERE id = ?", {id});
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(AsText(rows->rows[0][0]), "防災'ラジオ?");
  EXPECT_DOUBLE_EQ(AsDouble(rows->rows[0][1]), 1.5);
  EXPECT_EQ(std::get<int64_t>(rows->rows[0][2]), 3);
  EXPECT_TRUE(IsNull(rows->rows[0][3]));
  EXPECT_EQ(rows->columns[1], "weight");
}

TEST_P(DatabaseTest, UniqueViolationIsConflict) {
  ASSERT_TRUE(
      database_->Query("INSERT INTO widget_item (name) VALUES (?)", {std::string("緑")}).ok());
  Result<QueryResult> duplicate =
      database_->Query("INSERT INTO widget_item (name) VALUES (?)", {std::string("緑")});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), StatusCode::kConflict);
}

TEST_P(DatabaseTest, FailedTransactionRollsBackEverything) {
  Status outcome = database_->Transaction([](Connection& connection) -> Status {
    Result<QueryResult> first = connection.Query("INSERT INTO widget_item (name) VALUES ('a')");
    if (!first.ok()) return first.status();
    return Status::InvalidArgument("stop here");
  });
  EXPECT_EQ(outcome.code(), StatusCode::kInvalidArgument);
  Result<QueryResult> count = database_->Query("SELECT COUNT(*) FROM widget_item");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(AsInt(count->rows[0][0]), 0);

  Status committed = database_->Transaction([](Connection& connection) -> Status {
    Result<QueryResult> row = connection.Query("INSERT INTO widget_item (name) VALUES ('b')");
    return row.ok() ? Status::Ok() : row.status();
  });
  ASSERT_TRUE(committed.ok()) << committed.message();
  count = database_->Query("SELECT COUNT(*) FROM widget_item");
  EXPECT_EQ(AsInt(count->rows[0][0]), 1);
}

TEST_P(DatabaseTest, ConcurrentTransactionsAllCommit) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Status outcome = database_->Transaction([&](Connection& connection) -> Status {
          Result<QueryResult> row =
              connection.Query("INSERT INTO widget_item (name, count) VALUES (?, ?)",
                               {"w" + std::to_string(t) + "_" + std::to_string(i), int64_t{i}});
          return row.ok() ? Status::Ok() : row.status();
        });
        if (!outcome.ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  Result<QueryResult> count = database_->Query("SELECT COUNT(*) FROM widget_item");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(AsInt(count->rows[0][0]), kThreads * kPerThread);
}

// Group commit (issue 18): callers arriving together share one commit, and a caller whose work
// fails — by its own error or a constraint — loses only its own change.
TEST_P(DatabaseTest, GroupTransactionCommitsEachCallersWorkOrNone) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 20;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::vector<std::string> refused;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int call = t * kPerThread + i;
        // Every 7th call repeats one name (UNIQUE: only the first commits); every 5th writes
        // its row and then fails.
        const std::string name = call % 7 == 3 ? "dup" : "g" + std::to_string(call);
        const bool fails = call % 5 == 4;
        Status outcome = database_->GroupTransaction([&](Connection& connection) -> Status {
          Result<QueryResult> row = connection.Query(
              "INSERT INTO widget_item (name, count) VALUES (?, ?)", {name, int64_t{call}});
          if (!row.ok()) return row.status();
          return fails ? Status::InvalidArgument("widget.refused", "name") : Status::Ok();
        });
        std::lock_guard lock(mutex);
        (outcome.ok() ? acknowledged : refused).push_back(name);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(acknowledged.size() + refused.size(), size_t{kThreads * kPerThread});
  Result<QueryResult> rows = database_->Query("SELECT name FROM widget_item ORDER BY name");
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> stored;
  for (const auto& row : rows->rows) stored.push_back(AsText(row[0]));
  std::sort(acknowledged.begin(), acknowledged.end());
  EXPECT_EQ(stored, acknowledged) << "exactly the acknowledged changes are stored";
  EXPECT_EQ(std::count(acknowledged.begin(), acknowledged.end(), "dup"), 1);
  // 320 calls: 64 fail on purpose; 37 others write "dup", of which exactly one commits.
  EXPECT_EQ(refused.size(), 100u);
  EXPECT_GE(database_->group_commits(), 1);
  EXPECT_LE(database_->group_commits(), kThreads * kPerThread);
}

TEST_P(DatabaseTest, QueryEachStreamsRowsAndStopsOnRequest) {
  Status filled = database_->Transaction([](Connection& connection) -> Status {
    for (int i = 1; i <= 50; ++i) {
      Result<QueryResult> row =
          connection.Query("INSERT INTO widget_item (name, count) VALUES (?, ?)",
                           {"名前" + std::to_string(i), int64_t{i}});
      if (!row.ok()) return row.status();
    }
    return Status::Ok();
  });
  ASSERT_TRUE(filled.ok());
  int64_t sum = 0;
  Status streamed =
      database_->QueryEach("SELECT count, name FROM widget_item WHERE count > ? ORDER BY count",
                           {int64_t{10}}, [&](const std::vector<Value>& row) {
                             sum += AsInt(row[0]);
                             return Status::Ok();
                           });
  ASSERT_TRUE(streamed.ok()) << streamed.message();
  EXPECT_EQ(sum, 1275 - 55);
  int seen = 0;
  Status stopped = database_->QueryEach(
      "SELECT count FROM widget_item ORDER BY count", {}, [&](const std::vector<Value>&) {
        return ++seen == 5 ? Status::Conflict("enough") : Status::Ok();
      });
  EXPECT_EQ(stopped.code(), StatusCode::kConflict);
  EXPECT_EQ(seen, 5);
  // The connection is still usable after a stopped stream.
  Result<QueryResult> count = database_->Query("SELECT COUNT(*) FROM widget_item");
  ASSERT_TRUE(count.ok()) << count.status().message();
  EXPECT_EQ(AsInt(count->rows[0][0]), 50);
  EXPECT_FALSE(database_
                   ->QueryEach("SELECT nonsense FROM nowhere", {},
                               [](const std::vector<Value>&) { return Status::Ok(); })
                   .ok());
}

// The SQLite connection keeps prepared statements by their SQL: the same SQL run inside its own
// row callback, run again after a stopped stream, with other values, and among more distinct
// statements than are kept, must each give what a fresh statement gives.
TEST_P(DatabaseTest, RepeatedStatementsGiveFreshResults) {
  Status filled = database_->Transaction([](Connection& connection) -> Status {
    for (int i = 1; i <= 20; ++i) {
      Result<QueryResult> row =
          connection.Query("INSERT INTO widget_item (name, count) VALUES (?, ?)",
                           {"w" + std::to_string(i), int64_t{i}});
      if (!row.ok()) return row.status();
    }
    return Status::Ok();
  });
  ASSERT_TRUE(filled.ok()) << filled.message();
  const std::string sql = "SELECT name FROM widget_item WHERE count = ?";
  // (PostgreSQL runs one command at a time on a connection: no query inside a stream there.)
  Status nested = database_->backend() != Backend::kSqlite
                      ? Status::Ok()
                      : database_->Transaction([&](Connection& connection) -> Status {
                          std::vector<std::string> outer, inner;
                          Status read = connection.QueryEach(
                              "SELECT count FROM widget_item WHERE count <= ? ORDER BY count",
                              {int64_t{3}}, [&](const std::vector<Value>& row) -> Status {
                                outer.push_back(std::to_string(AsInt(row[0])));
                                // The same SQL again while it is running: a statement of its own.
                                return connection.QueryEach(
                                    "SELECT count FROM widget_item WHERE count <= ? ORDER BY count",
                                    {int64_t{1}}, [&](const std::vector<Value>& again) {
                                      inner.push_back(std::to_string(AsInt(again[0])));
                                      return Status::Ok();
                                    });
                              });
                          if (!read.ok()) return read;
                          EXPECT_EQ(outer, (std::vector<std::string>{"1", "2", "3"}));
                          EXPECT_EQ(inner, (std::vector<std::string>{"1", "1", "1"}));
                          return Status::Ok();
                        });
  ASSERT_TRUE(nested.ok()) << nested.message();
  for (int round = 0; round < 3; ++round) {
    for (int i = 1; i <= 20; ++i) {
      Result<QueryResult> named = database_->Query(sql, {int64_t{i}});
      ASSERT_TRUE(named.ok()) << named.status().message();
      ASSERT_EQ(named->size(), 1u);
      EXPECT_EQ(AsText(named->rows[0][0]), "w" + std::to_string(i));
    }
    // More distinct statements than a connection keeps, between the runs of `sql`.
    for (int k = 0; k < 100; ++k) {
      Result<QueryResult> other = database_->Query(
          "SELECT COUNT(*) + " + std::to_string(k) + " FROM widget_item WHERE count > ?",
          {int64_t{10}});
      ASSERT_TRUE(other.ok()) << other.status().message();
      EXPECT_EQ(AsInt(other->rows[0][0]), 10 + k);
    }
  }
  // A stream stopped half-way leaves the statement reusable from its start, and a write
  // between runs is seen.
  int seen = 0;
  Status stopped = database_->QueryEach(
      "SELECT count FROM widget_item ORDER BY count", {}, [&](const std::vector<Value>&) {
        return ++seen == 2 ? Status::Conflict("enough") : Status::Ok();
      });
  EXPECT_EQ(stopped.code(), StatusCode::kConflict);
  ASSERT_TRUE(database_->Query("UPDATE widget_item SET name = 'changed' WHERE count = 7").ok());
  Result<QueryResult> changed = database_->Query(sql, {int64_t{7}});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(AsText(changed->rows[0][0]), "changed");
  std::vector<int64_t> counts;
  ASSERT_TRUE(database_
                  ->QueryEach("SELECT count FROM widget_item ORDER BY count", {},
                              [&](const std::vector<Value>& row) {
                                counts.push_back(AsInt(row[0]));
                                return Status::Ok();
                              })
                  .ok());
  ASSERT_EQ(counts.size(), 20u);
  EXPECT_EQ(counts.front(), 1);
  // A statement that failed to run (a constraint) runs again with good values.
  const std::string insert = "INSERT INTO widget_item (name, count) VALUES (?, ?)";
  EXPECT_FALSE(database_->Query(insert, {Null(), int64_t{1}}).ok());
  EXPECT_TRUE(database_->Query(insert, {std::string("after"), int64_t{99}}).ok());
}

TEST_P(DatabaseTest, OrderedJoinSubqueryJoinsInOrderOnBothBackends) {
  for (const char* name : {"c", "a", "b"}) {
    ASSERT_TRUE(
        database_->Query("INSERT INTO widget_item (name) VALUES (?)", {std::string(name)}).ok());
  }
  std::string sql = "SELECT " +
                    OrderedJoinSubquery(database_->backend(), "w.name", "'/'",
                                        "FROM widget_item w WHERE w.name <> 'z'", "w.name DESC") +
                    ", " +
                    OrderedJoinSubquery(database_->backend(), "w.name", "'/'",
                                        "FROM widget_item w WHERE w.name = 'z'", "w.name");
  Result<QueryResult> joined = database_->Query(sql);
  ASSERT_TRUE(joined.ok()) << joined.status().message();
  EXPECT_EQ(AsText(joined->rows[0][0]), "c/b/a");
  EXPECT_EQ(AsText(joined->rows[0][1]), "");
}

TEST_P(DatabaseTest, MigrateIsIdempotentAndRecorded) {
  Result<int> again = Migrate(*database_, {kWidgetMigrations});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  Result<std::vector<AppliedMigration>> applied = ListAppliedMigrations(*database_);
  ASSERT_TRUE(applied.ok());
  ASSERT_EQ(applied->size(), 2u);
  EXPECT_EQ((*applied)[1].module, "widget");
  EXPECT_EQ((*applied)[1].version, 2);
  EXPECT_EQ((*applied)[1].name, "add note");
}

TEST_P(DatabaseTest, BrokenMigrationIsReportedAndNotRecorded) {
  ModuleMigrations broken{"broken", {{1, "bad sql", "CREATE TABLE broken_x (id {{id}}, oops"}}};
  Result<int> applied = Migrate(*database_, {broken});
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.status().context().find("broken 1 (bad sql)"), std::string::npos)
      << applied.status().ToString();
  Result<std::vector<AppliedMigration>> listed = ListAppliedMigrations(*database_);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, ::testing::ValuesIn(testing::BackendNames()));

TEST(DatabaseOpen, RejectsUnknownUrlNamingTheForms) {
  for (std::string url : {"mysql://x", "", "sqlite:", "file.db"}) {
    Result<std::unique_ptr<Database>> opened = Database::Open(url);
    ASSERT_FALSE(opened.ok()) << url;
    EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument) << url;
    EXPECT_EQ(opened.status().field(), "--db");
  }
  EXPECT_EQ(Database::Open("sqlite:").status().message_id(), "storage.sqlite_path_missing");
  Result<std::unique_ptr<Database>> mysql = Database::Open("mysql://x");
  EXPECT_EQ(mysql.status().message_id(), "storage.database_url_invalid");
  EXPECT_EQ(mysql.status().arg("url"), "mysql://x");
}

TEST(DatabaseOpen, UnreachablePostgresIsUnavailable) {
  Result<std::unique_ptr<Database>> opened =
      Database::Open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(opened.status().message_id(), "storage.postgres_unreachable");
}

TEST(DatabaseOpen, UnwritableSqlitePathIsUnavailable) {
  Result<std::unique_ptr<Database>> opened = Database::Open("sqlite:/nonexistent-dir/x/y.db");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(opened.status().message_id(), "storage.sqlite_cannot_open");
  EXPECT_EQ(opened.status().arg("path"), "/nonexistent-dir/x/y.db");
}

TEST(NumberPlaceholders, SkipsQuotedQuestionMarks) {
  EXPECT_EQ(NumberPlaceholders("SELECT ? , '?' , \"a?\" , ?"), "SELECT $1 , '?' , \"a?\" , $2");
}

}  // namespace
}  // namespace civicdesk::storage
