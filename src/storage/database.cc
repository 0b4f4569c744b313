#include "storage/database.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>

#include "core/log.h"
#include "core/semaphore.h"
#include "storage/postgres/postgres_connection.h"
#include "storage/sqlite/sqlite_connection.h"

namespace civicdesk::storage {

// One caller of GroupTransaction: its work, and its outcome once its group committed. It sleeps
// on its own semaphore until it is told either that its group committed or that it leads the
// next group, so a commit wakes only the callers it concerns.
struct CommitWaiter {
  enum class Turn { kWaiting, kLead, kDone };
  const std::function<Status(Connection&)>* work = nullptr;
  Status result;
  Turn turn = Turn::kWaiting;  // written under CommitGroups::mutex
  Semaphore woken;
};

// The callers of GroupTransaction waiting for a commit, and whether a leader is running one.
class CommitGroups {
 public:
  std::mutex mutex;
  std::vector<CommitWaiter*> queued;
  bool leading = false;
};

// Idle connections, and new ones opened up to a limit; beyond it, borrowers wait.
class ConnectionPool {
 public:
  ConnectionPool(Database::ConnectionFactory factory, size_t max_open)
      : factory_(std::move(factory)), max_open_(max_open) {}

  Result<std::unique_ptr<Connection>> Take() {
    {
      std::unique_lock lock(mutex_);
      returned_.wait(lock, [this] { return !idle_.empty() || open_ < max_open_; });
      if (!idle_.empty()) {
        std::unique_ptr<Connection> connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
      }
      ++open_;
    }
    Result<std::unique_ptr<Connection>> opened = factory_();
    if (!opened.ok()) {
      std::lock_guard lock(mutex_);
      --open_;
      returned_.notify_one();
    }
    return opened;
  }

  // A taken connection closed instead of given back.
  void Discard() {
    std::lock_guard lock(mutex_);
    --open_;
    returned_.notify_one();
  }

  void Give(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex_);
    if (connection->healthy()) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
    returned_.notify_one();
  }

 private:
  Database::ConnectionFactory factory_;
  size_t max_open_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;
};

// A borrowed connection, given back to the pool when it goes out of scope.
class Database::Lease {
 public:
  Lease(Database& database, std::unique_ptr<Connection> connection)
      : database_(database), connection_(std::move(connection)) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() { database_.Give(std::move(connection_)); }
  Connection& operator*() { return *connection_; }

 private:
  Database& database_;
  std::unique_ptr<Connection> connection_;
};

// The connection holding SQLite's write lock for WithStartupLock, shared by the connections of
// the database bound to it. Calls are serialised; a thread may re-enter (a query inside
// QueryEach's callback, a transaction inside a transaction).
struct BoundConnection {
  explicit BoundConnection(Connection& held) : connection(held) {}
  Connection& connection;
  std::recursive_mutex mutex;
};

namespace {

// An arbitrary constant naming civicdesk's start-up lock among PostgreSQL advisory locks; the
// second key is the schema, so instances in separate schemas of one database do not wait for
// each other. (The migration lock of migrations.cc is 7261104.)
constexpr int64_t kStartupLockKey = 7261105;
constexpr std::string_view kStartupLockSchema = "hashtext(COALESCE(current_schema(), ''))";

// One of the connections of a database bound to a BoundConnection.
class BorrowedConnection : public Connection {
 public:
  explicit BorrowedConnection(std::shared_ptr<BoundConnection> bound) : bound_(std::move(bound)) {}

  Result<QueryResult> Query(std::string_view sql, const std::vector<Value>& params) override {
    std::lock_guard lock(bound_->mutex);
    return bound_->connection.Query(sql, params);
  }
  Status QueryEach(std::string_view sql, const std::vector<Value>& params,
                   const std::function<Status(const std::vector<Value>&)>& on_row) override {
    std::lock_guard lock(bound_->mutex);
    return bound_->connection.QueryEach(sql, params, on_row);
  }
  Status ExecuteScript(std::string_view sql) override {
    std::lock_guard lock(bound_->mutex);
    return bound_->connection.ExecuteScript(sql);
  }
  bool healthy() const override { return bound_->connection.healthy(); }

 private:
  std::shared_ptr<BoundConnection> bound_;
};

// Holds a database's queue of SQLite writers (Database::sqlite_writers_) for one transaction;
// nothing on PostgreSQL. After the busy timeout it goes on without the queue, so that SQLite
// itself decides (and reports busy) as it would have without it.
class SqliteWriterTurn {
 public:
  SqliteWriterTurn(Backend backend, std::recursive_timed_mutex& writers) {
    if (backend == Backend::kSqlite && writers.try_lock_for(std::chrono::seconds(10)))
      held_ = &writers;
  }
  SqliteWriterTurn(const SqliteWriterTurn&) = delete;
  SqliteWriterTurn& operator=(const SqliteWriterTurn&) = delete;
  ~SqliteWriterTurn() {
    if (held_ != nullptr) held_->unlock();
  }

 private:
  std::recursive_timed_mutex* held_ = nullptr;
};

bool IsBusy(const Status& status) {
  return status.code() == StatusCode::kUnavailable &&
         status.message_id() == "storage.database_busy";
}

}  // namespace

Database::Database(Backend backend, ConnectionFactory factory, size_t max_connections)
    : backend_(backend),
      pool_(std::make_unique<ConnectionPool>(std::move(factory), max_connections)),
      commit_groups_(std::make_unique<CommitGroups>()) {}

Database::~Database() = default;

Result<std::unique_ptr<Connection>> Database::Take() { return pool_->Take(); }

void Database::Give(std::unique_ptr<Connection> connection) { pool_->Give(std::move(connection)); }

Result<std::unique_ptr<Database>> Database::Open(std::string_view url) {
  constexpr std::string_view kSqlitePrefix = "sqlite:";
  std::unique_ptr<Database> database;
  if (url.rfind(kSqlitePrefix, 0) == 0) {
    std::string path(url.substr(kSqlitePrefix.size()));
    if (path.empty()) {
      return Status::InvalidArgument("storage.sqlite_path_missing", "--db");
    }
    database = std::make_unique<Database>(
        Backend::kSqlite, [path] { return OpenSqliteConnection(path); }, 16);
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    std::string uri(url);
    database = std::make_unique<Database>(
        Backend::kPostgres, [uri] { return OpenPostgresConnection(uri); }, 16);
  } else {
    return Status::InvalidArgument("storage.database_url_invalid", {{"url", std::string(url)}},
                                   "--db");
  }
  // Open one connection now so that a wrong path or an unreachable server is reported at once.
  Result<std::unique_ptr<Connection>> first = database->Take();
  if (!first.ok()) return first.status();
  database->Give(std::move(*first));
  return database;
}

Result<QueryResult> Database::Query(std::string_view sql, const std::vector<Value>& params) {
  Result<std::unique_ptr<Connection>> taken = Take();
  if (!taken.ok()) return taken.status();
  Lease lease(*this, std::move(*taken));
  return (*lease).Query(sql, params);
}

Status Database::QueryEach(std::string_view sql, const std::vector<Value>& params,
                           const std::function<Status(const std::vector<Value>&)>& on_row) {
  Result<std::unique_ptr<Connection>> taken = Take();
  if (!taken.ok()) return taken.status();
  Lease lease(*this, std::move(*taken));
  return (*lease).QueryEach(sql, params, on_row);
}

Status Database::Transaction(const std::function<Status(Connection&)>& work) {
  if (bound_) {
    // Within WithStartupLock's transaction on SQLite: a savepoint, one thread at a time.
    std::lock_guard lock(bound_->mutex);
    Connection& connection = bound_->connection;
    if (Result<QueryResult> begun = connection.Query("SAVEPOINT civicdesk_work"); !begun.ok())
      return begun.status();
    Status outcome = work(connection);
    if (!outcome.ok()) {
      (void)connection.Query("ROLLBACK TO SAVEPOINT civicdesk_work");
      (void)connection.Query("RELEASE SAVEPOINT civicdesk_work");
      return outcome;
    }
    if (Result<QueryResult> released = connection.Query("RELEASE SAVEPOINT civicdesk_work");
        !released.ok()) {
      return released.status();
    }
    return Status::Ok();
  }
  SqliteWriterTurn turn(backend_, sqlite_writers_);
  Result<std::unique_ptr<Connection>> taken = Take();
  if (!taken.ok()) return taken.status();
  Lease lease(*this, std::move(*taken));
  Connection& connection = *lease;
  std::string_view begin = backend_ == Backend::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN";
  if (Result<QueryResult> begun = connection.Query(begin); !begun.ok()) return begun.status();
  Status outcome = work(connection);
  if (!outcome.ok()) {
    (void)connection.Query("ROLLBACK");
    return outcome;
  }
  if (Result<QueryResult> committed = connection.Query("COMMIT"); !committed.ok()) {
    (void)connection.Query("ROLLBACK");
    return committed.status();
  }
  return Status::Ok();
}

Status Database::GroupTransaction(const std::function<Status(Connection&)>& work) {
  if (bound_) return Transaction(work);
  CommitGroups& groups = *commit_groups_;
  CommitWaiter me;
  me.work = &work;
  bool first_in = false;
  {
    std::lock_guard lock(groups.mutex);
    groups.queued.push_back(&me);
    first_in = !groups.leading;
    groups.leading = true;
  }
  if (!first_in) {
    me.woken.Acquire();
    // Either our group committed (result set) or the last leader handed the lead to us.
    std::lock_guard lock(groups.mutex);
    if (me.turn == CommitWaiter::Turn::kDone) return me.result;
  }
  // Lead one group: everything queued now, ourselves included.
  std::vector<CommitWaiter*> group;
  {
    std::lock_guard lock(groups.mutex);
    const size_t taken = std::min(groups.queued.size(), kGroupLimit);
    group.assign(groups.queued.begin(), groups.queued.begin() + static_cast<long>(taken));
    groups.queued.erase(groups.queued.begin(), groups.queued.begin() + static_cast<long>(taken));
  }
  RunCommitGroup(group);
  std::vector<CommitWaiter*> to_wake;
  {
    std::lock_guard lock(groups.mutex);
    for (CommitWaiter* waiter : group) {
      if (waiter == &me) continue;
      waiter->turn = CommitWaiter::Turn::kDone;
      to_wake.push_back(waiter);
    }
    if (groups.queued.empty()) {
      groups.leading = false;
    } else {
      // The caller waiting longest leads the next group (leading stays set).
      groups.queued.front()->turn = CommitWaiter::Turn::kLead;
      to_wake.push_back(groups.queued.front());
    }
  }
  // Last touch of each waiter: once woken it may return and its CommitWaiter is gone.
  for (CommitWaiter* waiter : to_wake) waiter->woken.Release();
  return me.result;
}

void Database::RunCommitGroup(const std::vector<CommitWaiter*>& group) {
  // Each work alone, with Transaction's own commit: after a failed shared BEGIN or COMMIT.
  auto alone = [this, &group] {
    for (CommitWaiter* waiter : group)
      if (waiter->result.ok()) waiter->result = Transaction(*waiter->work);
  };
  SqliteWriterTurn turn(backend_, sqlite_writers_);
  Result<std::unique_ptr<Connection>> taken = Take();
  if (!taken.ok()) {
    for (CommitWaiter* waiter : group) waiter->result = taken.status();
    return;
  }
  Lease lease(*this, std::move(*taken));
  Connection& connection = *lease;
  std::string_view begin = backend_ == Backend::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN";
  if (Result<QueryResult> begun = connection.Query(begin); !begun.ok()) {
    alone();
    return;
  }
  for (CommitWaiter* waiter : group) {
    if (Result<QueryResult> saved = connection.Query("SAVEPOINT civicdesk_group"); !saved.ok()) {
      waiter->result = saved.status();
      continue;
    }
    waiter->result = (*waiter->work)(connection);
    if (waiter->result.ok()) {
      Result<QueryResult> released = connection.Query("RELEASE SAVEPOINT civicdesk_group");
      if (released.ok()) continue;
      waiter->result = released.status();
    }
    (void)connection.Query("ROLLBACK TO SAVEPOINT civicdesk_group");
    (void)connection.Query("RELEASE SAVEPOINT civicdesk_group");
  }
  ++group_commits_;
  if (Result<QueryResult> committed = connection.Query("COMMIT"); !committed.ok()) {
    (void)connection.Query("ROLLBACK");
    alone();
  }
}

Status Database::WithStartupLock(const std::function<Status(Database&)>& work) {
  if (bound_ || startup_lock_holder_.load() == std::this_thread::get_id()) return work(*this);
  Result<std::unique_ptr<Connection>> taken = Take();
  if (!taken.ok()) return taken.status();
  std::unique_ptr<Connection> holder = std::move(*taken);

  if (backend_ == Backend::kPostgres) {
    // Blocks until the process holding the lock releases it (or its connection ends).
    Result<QueryResult> locked = holder->Query(
        "SELECT pg_advisory_lock(?, " + std::string(kStartupLockSchema) + ")", {kStartupLockKey});
    if (!locked.ok()) {
      Give(std::move(holder));
      return locked.status();
    }
    startup_lock_holder_ = std::this_thread::get_id();
    Status outcome = work(*this);
    startup_lock_holder_ = std::thread::id();
    Result<QueryResult> unlocked = holder->Query(
        "SELECT pg_advisory_unlock(?, " + std::string(kStartupLockSchema) + ")", {kStartupLockKey});
    if (unlocked.ok()) {
      Give(std::move(holder));
    } else {
      // Never pool a connection that may still hold the lock: closing it releases the lock.
      holder.reset();
      pool_->Discard();
    }
    return outcome;
  }

  // SQLite: wait for the write lock as long as another process holds it; each attempt waits
  // for the busy timeout.
  bool announced = false;
  for (;;) {
    Result<QueryResult> begun = holder->Query("BEGIN IMMEDIATE");
    if (begun.ok()) break;
    if (!IsBusy(begun.status())) {
      Give(std::move(holder));
      return begun.status();
    }
    if (!announced) {
      Log(LogLevel::kInfo, "waiting for another process to finish migrating the database");
      announced = true;
    }
  }
  auto bound = std::make_shared<BoundConnection>(*holder);
  Status outcome;
  {
    Database view(
        backend_,
        [bound]() -> Result<std::unique_ptr<Connection>> {
          return std::unique_ptr<Connection>(std::make_unique<BorrowedConnection>(bound));
        },
        16);
    view.bound_ = bound;
    outcome = work(view);
  }
  if (outcome.ok()) {
    if (Result<QueryResult> committed = holder->Query("COMMIT"); !committed.ok()) {
      outcome = committed.status();
      (void)holder->Query("ROLLBACK");
    }
  } else {
    (void)holder->Query("ROLLBACK");
  }
  Give(std::move(holder));
  return outcome;
}

int64_t AsInt(const Value& value, int64_t fallback) {
  if (const auto* integer = std::get_if<int64_t>(&value)) return *integer;
  if (const auto* real = std::get_if<double>(&value))
    return static_cast<int64_t>(std::llround(*real));
  if (const auto* text = std::get_if<std::string>(&value)) {
    try {
      return std::stoll(*text);
    } catch (...) {
      return fallback;
    }
  }
  return fallback;
}

double AsDouble(const Value& value, double fallback) {
  if (const auto* real = std::get_if<double>(&value)) return *real;
  if (const auto* integer = std::get_if<int64_t>(&value)) return static_cast<double>(*integer);
  if (const auto* text = std::get_if<std::string>(&value)) {
    try {
      return std::stod(*text);
    } catch (...) {
      return fallback;
    }
  }
  return fallback;
}

std::string AsText(const Value& value, std::string fallback) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* integer = std::get_if<int64_t>(&value)) return std::to_string(*integer);
  if (const auto* real = std::get_if<double>(&value)) return std::to_string(*real);
  return fallback;
}

std::optional<std::string> AsOptionalText(const Value& value) {
  if (IsNull(value)) return std::nullopt;
  return AsText(value);
}

std::optional<double> AsOptionalDouble(const Value& value) {
  if (IsNull(value)) return std::nullopt;
  return AsDouble(value);
}

bool IsNull(const Value& value) { return std::holds_alternative<std::monostate>(value); }

std::string OrderedJoinSubquery(Backend backend, std::string_view value, std::string_view separator,
                                std::string_view from_where, std::string_view order_by) {
  std::string sql;
  if (backend == Backend::kSqlite) {
    sql = "(SELECT COALESCE(group_concat(joined_value, " + std::string(separator) +
          "), '') FROM (SELECT " + std::string(value) + " AS joined_value " +
          std::string(from_where) + " ORDER BY " + std::string(order_by) + "))";
  } else {
    sql = "(SELECT COALESCE(string_agg(" + std::string(value) + ", " + std::string(separator) +
          " ORDER BY " + std::string(order_by) + "), '') " + std::string(from_where) + ")";
  }
  return sql;
}

std::string NumberPlaceholders(std::string_view sql) {
  std::string result;
  result.reserve(sql.size() + 16);
  int next = 1;
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      result.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      result.push_back(c);
    } else if (c == '?') {
      result += "$" + std::to_string(next++);
    } else {
      result.push_back(c);
    }
  }
  return result;
}

}  // namespace civicdesk::storage
