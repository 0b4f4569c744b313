#include "storage/testing.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace civicdesk::storage::testing {
namespace {

std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  std::random_device random;
  return std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(random() % 100000);
}

std::string WithSearchPath(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

// `url` naming the database `name` instead of its own.
std::string WithDatabaseName(const std::string& url, const std::string& name) {
  size_t host = url.find("://");
  size_t slash = url.find('/', host == std::string::npos ? 0 : host + 3);
  if (slash == std::string::npos) return url + "/" + name;
  size_t end = url.find('?', slash);
  return url.substr(0, slash + 1) + name + (end == std::string::npos ? "" : url.substr(end));
}

}  // namespace

std::unique_ptr<TestDatabase> TestDatabase::RestoreTargetFor(const TestDatabase& source) {
  if (source.backend_ == "sqlite" || source.schema_.empty()) {
    return std::make_unique<TestDatabase>(source.backend_);
  }
  auto target = std::unique_ptr<TestDatabase>(new TestDatabase("none"));
  target->backend_ = source.backend_;
  const char* base = std::getenv("CIVICDESK_TEST_POSTGRES_URL");
  Result<std::unique_ptr<Database>> admin = Database::Open(base);
  if (!admin.ok()) {
    ADD_FAILURE() << admin.status().message();
    return target;
  }
  target->database_name_ = "restore_" + UniqueSuffix();
  if (Result<QueryResult> created = (*admin)->Query("CREATE DATABASE " + target->database_name_);
      !created.ok()) {
    ADD_FAILURE() << created.status().message();
    return target;
  }
  const std::string own = WithDatabaseName(base, target->database_name_);
  Result<std::unique_ptr<Database>> inside = Database::Open(own);
  if (!inside.ok() || !(*inside)->Query("CREATE SCHEMA " + source.schema_).ok()) {
    ADD_FAILURE() << "cannot create schema " << source.schema_ << " in " << target->database_name_;
    return target;
  }
  target->url_ = WithSearchPath(own, source.schema_);
  Result<std::unique_ptr<Database>> opened = Database::Open(target->url_);
  if (!opened.ok()) {
    ADD_FAILURE() << opened.status().message();
    return target;
  }
  target->database_ = std::move(*opened);
  return target;
}

Result<std::map<std::string, std::string>> TableDigests(Database& database) {
  const bool sqlite = database.backend() == Backend::kSqlite;
  Result<QueryResult> tables = database.Query(
      sqlite ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
               "ORDER BY name"
             : "SELECT table_name FROM information_schema.tables WHERE table_schema = "
               "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
  if (!tables.ok()) return tables.status();
  std::map<std::string, std::string> digests;
  for (const auto& table_row : tables->rows) {
    const std::string table = AsText(table_row[0]);
    Result<QueryResult> keys = database.Query(
        sqlite ? "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk"
               : "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                 " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = CAST(? AS regclass)"
                 " AND i.indisprimary ORDER BY array_position(CAST(i.indkey AS int2[]), a.attnum)",
        {table});
    if (!keys.ok()) return keys.status();
    std::string order;
    for (const auto& key : keys->rows) order += (order.empty() ? "" : ", ") + AsText(key[0]);
    if (order.empty()) {
      // No primary key: every column, in order.
      Result<QueryResult> columns = database.Query("SELECT * FROM " + table + " WHERE 1 = 0");
      if (!columns.ok()) return columns.status();
      for (size_t i = 1; i <= columns->columns.size(); ++i)
        order += (order.empty() ? "" : ", ") + std::to_string(i);
    }
    uint64_t hash = 14695981039346656037ULL;  // FNV-1a
    auto mix = [&hash](std::string_view bytes) {
      for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ULL;
    };
    int64_t rows = 0;
    Status read =
        database.QueryEach("SELECT * FROM " + table + (order.empty() ? "" : " ORDER BY " + order),
                           {}, [&](const std::vector<Value>& row) {
                             ++rows;
                             for (const Value& value : row) {
                               mix(std::string(1, static_cast<char>('0' + value.index())));
                               mix(AsText(value));
                               mix(std::string_view("\x1f", 1));
                             }
                             mix("\n");
                             return Status::Ok();
                           });
    if (!read.ok()) return read;
    char digest[17];
    std::snprintf(digest, sizeof(digest), "%016llx", static_cast<unsigned long long>(hash));
    digests[table] = std::to_string(rows) + " rows, " + digest;
  }
  return digests;
}

std::vector<std::string> BackendNames() { return {"sqlite", "postgres"}; }

TestDatabase::TestDatabase(const std::string& backend) : backend_(backend) {
  if (backend == "none") return;  // filled in by RestoreTargetFor
  if (backend == "sqlite") {
    sqlite_path_ =
        (std::filesystem::temp_directory_path() / ("civicdesk_test_" + UniqueSuffix() + ".db"))
            .string();
    url_ = "sqlite:" + sqlite_path_;
  } else {
    const char* base = std::getenv("CIVICDESK_TEST_POSTGRES_URL");
    if (base == nullptr || *base == '\0') {
      const char* required = std::getenv("CIVICDESK_REQUIRE_POSTGRES");
      if (required != nullptr && std::string(required) == "1") {
        ADD_FAILURE() << "CIVICDESK_REQUIRE_POSTGRES=1 but CIVICDESK_TEST_POSTGRES_URL is not set";
      } else {
        skip_reason_ = "PostgreSQL not configured: run through `make test`, which starts one";
      }
      return;
    }
    Result<std::unique_ptr<Database>> admin = Database::Open(base);
    if (!admin.ok()) {
      ADD_FAILURE() << admin.status().message();
      return;
    }
    schema_ = "test_" + UniqueSuffix();
    Result<QueryResult> created = (*admin)->Query("CREATE SCHEMA " + schema_);
    if (!created.ok()) {
      ADD_FAILURE() << created.status().message();
      return;
    }
    url_ = WithSearchPath(base, schema_);
  }
  Result<std::unique_ptr<Database>> opened = Database::Open(url_);
  if (!opened.ok()) {
    ADD_FAILURE() << opened.status().message();
    return;
  }
  database_ = std::move(*opened);
}

TestDatabase::~TestDatabase() {
  database_.reset();
  if (!sqlite_path_.empty()) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((sqlite_path_ + suffix).c_str());
  }
  if (!database_name_.empty()) {
    if (Result<std::unique_ptr<Database>> admin =
            Database::Open(std::getenv("CIVICDESK_TEST_POSTGRES_URL"));
        admin.ok()) {
      (void)(*admin)->Query("DROP DATABASE IF EXISTS " + database_name_ + " WITH (FORCE)");
    }
  }
  if (!schema_.empty()) {
    if (Result<std::unique_ptr<Database>> admin =
            Database::Open(std::getenv("CIVICDESK_TEST_POSTGRES_URL"));
        admin.ok()) {
      (void)(*admin)->Query("DROP SCHEMA " + schema_ + " CASCADE");
    }
  }
}

}  // namespace civicdesk::storage::testing
