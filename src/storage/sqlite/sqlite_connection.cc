#include "storage/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <functional>
#include <mutex>

namespace civicdesk::storage {
namespace {

class SqliteConnection : public Connection {
 public:
  explicit SqliteConnection(sqlite3* handle) : handle_(handle) {}
  ~SqliteConnection() override { sqlite3_close_v2(handle_); }

  Result<QueryResult> Query(std::string_view sql, const std::vector<Value>& params) override {
    QueryResult result;
    Status run = Run(sql, params, &result.columns, [&](std::vector<Value>& row) {
      result.rows.push_back(std::move(row));
      return Status::Ok();
    });
    if (!run.ok()) return run;
    result.affected_rows = sqlite3_changes64(handle_);
    return result;
  }

  Status QueryEach(std::string_view sql, const std::vector<Value>& params,
                   const std::function<Status(const std::vector<Value>&)>& on_row) override {
    return Run(sql, params, nullptr, [&](std::vector<Value>& row) { return on_row(row); });
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string script(sql);
    char* message = nullptr;
    int code = sqlite3_exec(handle_, script.c_str(), nullptr, nullptr, &message);
    if (code != SQLITE_OK) {
      std::string text = message == nullptr ? sqlite3_errstr(code) : message;
      sqlite3_free(message);
      return Status::Internal("SQLite: " + text);
    }
    return Status::Ok();
  }

  bool healthy() const override { return healthy_; }

 private:
  // Prepares, binds and steps one statement, passing each row to `on_row`.
  Status Run(std::string_view sql, const std::vector<Value>& params,
             std::vector<std::string>* columns,
             const std::function<Status(std::vector<Value>&)>& on_row) {
    sqlite3_stmt* statement = nullptr;
    int code =
        sqlite3_prepare_v2(handle_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
    if (code != SQLITE_OK) return Error(code, sql);
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> owned(statement, sqlite3_finalize);
    if (statement == nullptr) return Status::Ok();  // empty SQL
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i) + 1;
      const Value& param = params[i];
      if (std::holds_alternative<std::monostate>(param)) {
        code = sqlite3_bind_null(statement, index);
      } else if (const auto* integer = std::get_if<int64_t>(&param)) {
        code = sqlite3_bind_int64(statement, index, *integer);
      } else if (const auto* real = std::get_if<double>(&param)) {
        code = sqlite3_bind_double(statement, index, *real);
      } else {
        const std::string& text = std::get<std::string>(param);
        code = sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                                 SQLITE_TRANSIENT);
      }
      if (code != SQLITE_OK) return Error(code, sql);
    }
    int column_count = sqlite3_column_count(statement);
    if (columns != nullptr) {
      for (int column = 0; column < column_count; ++column) {
        columns->emplace_back(sqlite3_column_name(statement, column));
      }
    }
    std::vector<Value> row;
    while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
      row.clear();
      row.reserve(column_count);
      for (int column = 0; column < column_count; ++column) {
        switch (sqlite3_column_type(statement, column)) {
          case SQLITE_NULL:
            row.emplace_back(std::monostate{});
            break;
          case SQLITE_INTEGER:
            row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(statement, column)));
            break;
          case SQLITE_FLOAT:
            row.emplace_back(sqlite3_column_double(statement, column));
            break;
          default: {
            const auto* text =
                reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
            int bytes = sqlite3_column_bytes(statement, column);
            row.emplace_back(std::string(text == nullptr ? "" : text, static_cast<size_t>(bytes)));
          }
        }
      }
      if (Status accepted = on_row(row); !accepted.ok()) return accepted;
    }
    if (code != SQLITE_DONE) return Error(code, sql);
    return Status::Ok();
  }

  Status Error(int code, std::string_view sql) {
    int primary = code & 0xff;
    std::string message = std::string("SQLite: ") + sqlite3_errmsg(handle_);
    if (primary == SQLITE_CONSTRAINT) return Status::Conflict(message);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      return Status::Unavailable("storage.database_busy", {{"detail", message}});
    }
    if (primary == SQLITE_IOERR || primary == SQLITE_CORRUPT || primary == SQLITE_FULL ||
        primary == SQLITE_CANTOPEN || primary == SQLITE_NOTADB) {
      healthy_ = false;
      return Status::Unavailable(message);
    }
    return Status::Internal(message + " in: " + std::string(sql.substr(0, 200)));
  }

  sqlite3* handle_;
  bool healthy_ = true;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqliteConnection(const std::string& path) {
  // SQLite's allocation statistics take one process-wide mutex on every allocation, which every
  // connection's thread then queues for; civicdesk never reads them. Only possible before
  // SQLite is first initialised, so set once, before the first connection opens.
  static std::once_flag statistics_off;
  std::call_once(statistics_off, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* handle = nullptr;
  int code =
      sqlite3_open_v2(path.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (code != SQLITE_OK) {
    std::string message = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(code);
    sqlite3_close_v2(handle);
    return Status::Unavailable("storage.sqlite_cannot_open", {{"path", path}, {"detail", message}});
  }
  auto connection = std::make_unique<SqliteConnection>(handle);
  sqlite3_busy_timeout(handle, 10000);
  for (std::string_view pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    Result<QueryResult> applied = connection->Query(pragma, {});
    if (!applied.ok()) {
      return Status::Unavailable("storage.sqlite_cannot_use",
                                 {{"path", path}, {"detail", applied.status().message()}});
    }
  }
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace civicdesk::storage
