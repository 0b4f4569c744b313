#include "storage/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace civicdesk::storage {
namespace {

class SqliteConnection : public Connection {
 public:
  explicit SqliteConnection(sqlite3* handle) : handle_(handle) {}
  ~SqliteConnection() override {
    for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.statement);
    sqlite3_close_v2(handle_);
  }

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
    int code = SQLITE_OK;
    Lease lease = Prepare(sql, &code);
    if (code != SQLITE_OK) return Error(code, sql);
    sqlite3_stmt* statement = lease.statement;
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
        // `params` outlives the statement's use: reset and unbound before Run returns.
        code = sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                                 SQLITE_STATIC);
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

  // Prepared statements are kept by their SQL text and reused (an import runs the same few
  // INSERTs a million times; parsing them again each time cost more than executing them).
  struct Cached {
    sqlite3_stmt* statement = nullptr;
    bool in_use = false;
    uint64_t last_used = 0;
  };
  static constexpr size_t kCachedStatements = 64;

  // One statement for one Run: a cached one (reset and unbound when the lease ends) or, when the
  // SQL's statement is already running on this connection (a query inside another's row
  // callback), a fresh one finalized at the end.
  struct Lease {
    sqlite3_stmt* statement = nullptr;
    Cached* cached = nullptr;
    Lease() = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease(Lease&& other) noexcept : statement(other.statement), cached(other.cached) {
      other.statement = nullptr;
      other.cached = nullptr;
    }
    ~Lease() {
      if (statement == nullptr) return;
      if (cached != nullptr) {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
        cached->in_use = false;
      } else {
        sqlite3_finalize(statement);
      }
    }
  };

  Lease Prepare(std::string_view sql, int* code) {
    Lease lease;
    auto found = statements_.find(std::string(sql));
    if (found != statements_.end() && !found->second.in_use) {
      found->second.in_use = true;
      found->second.last_used = ++uses_;
      lease.statement = found->second.statement;
      lease.cached = &found->second;
      return lease;
    }
    const char* tail = nullptr;
    *code = sqlite3_prepare_v2(handle_, sql.data(), static_cast<int>(sql.size()), &lease.statement,
                               &tail);
    if (*code != SQLITE_OK || lease.statement == nullptr) return lease;
    // Only a single, complete statement is kept; a running one's twin is not.
    if (found != statements_.end() || tail != sql.data() + sql.size()) return lease;
    if (statements_.size() >= kCachedStatements) Evict();
    if (statements_.size() >= kCachedStatements) return lease;
    Cached& cached = statements_[std::string(sql)];
    cached = {lease.statement, true, ++uses_};
    lease.cached = &cached;
    return lease;
  }

  // Drops the least recently used statement not running now.
  void Evict() {
    auto oldest = statements_.end();
    for (auto it = statements_.begin(); it != statements_.end(); ++it) {
      if (!it->second.in_use &&
          (oldest == statements_.end() || it->second.last_used < oldest->second.last_used)) {
        oldest = it;
      }
    }
    if (oldest == statements_.end()) return;
    sqlite3_finalize(oldest->second.statement);
    statements_.erase(oldest);
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
  // Pointers to the values stay valid while entries are added (unordered_map nodes are stable).
  std::unordered_map<std::string, Cached> statements_;
  uint64_t uses_ = 0;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqliteConnection(const std::string& path) {
  // SQLite's allocation statistics take one process-wide mutex on every allocation, which every
  // connection's thread then queues for; civicdesk never reads them. Only possible before
  // SQLite is first initialised, so set once, before the first connection opens. (A larger
  // statement-journal spill threshold, SQLITE_CONFIG_STMTJRNL_SPILL, saved a temporary file per
  // group commit but made the first publish of a large consultation fail with SQLITE_FULL.)
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
