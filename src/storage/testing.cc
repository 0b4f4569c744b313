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

}  // namespace

std::vector<std::string> BackendNames() { return {"sqlite", "postgres"}; }

TestDatabase::TestDatabase(const std::string& backend) : backend_(backend) {
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
  if (!schema_.empty()) {
    if (Result<std::unique_ptr<Database>> admin =
            Database::Open(std::getenv("CIVICDESK_TEST_POSTGRES_URL"));
        admin.ok()) {
      (void)(*admin)->Query("DROP SCHEMA " + schema_ + " CASCADE");
    }
  }
}

}  // namespace civicdesk::storage::testing
