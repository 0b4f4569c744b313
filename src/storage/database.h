#ifndef CIVICDESK_STORAGE_DATABASE_H_
#define CIVICDESK_STORAGE_DATABASE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <typeindex>
#include <variant>
#include <vector>

#include "core/result.h"

namespace civicdesk::storage {

// One SQL value. Booleans are stored as 0/1 integers, dates and timestamps as ISO 8601 text.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

inline Value Null() { return std::monostate{}; }

// The rows of one query, fully read. Columns are addressed by position in SELECT order.
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  int64_t affected_rows = 0;

  bool empty() const { return rows.empty(); }
  size_t size() const { return rows.size(); }
};

// Typed accessors for one cell; a NULL cell yields the fallback.
int64_t AsInt(const Value& value, int64_t fallback = 0);
double AsDouble(const Value& value, double fallback = 0);
std::string AsText(const Value& value, std::string fallback = {});
std::optional<std::string> AsOptionalText(const Value& value);
std::optional<double> AsOptionalDouble(const Value& value);
bool IsNull(const Value& value);

enum class Backend { kSqlite, kPostgres };

// One open connection. Not thread-safe: a connection is used by one thread at a time, which the
// Database's pool guarantees.
//
// SQL is written once for both backends with '?' placeholders; the PostgreSQL backend rewrites
// them to $1, $2, ... Use portable SQL: TEXT, BIGINT, DOUBLE PRECISION, INSERT ... RETURNING,
// ON CONFLICT DO NOTHING/UPDATE.
class Connection {
 public:
  virtual ~Connection() = default;

  // Runs one statement. Constraint violations come back as kConflict, SQL errors as kInternal
  // (a bug in our SQL), a lost connection as kUnavailable.
  virtual Result<QueryResult> Query(std::string_view sql,
                                    const std::vector<Value>& params = {}) = 0;

  // Runs one query and hands its rows to `on_row` one at a time, as they arrive, without
  // holding the result in memory (exports of a million rows). A non-Ok Status from `on_row`
  // stops the query and is returned.
  virtual Status QueryEach(std::string_view sql, const std::vector<Value>& params,
                           const std::function<Status(const std::vector<Value>&)>& on_row) = 0;

  // Runs several ';'-separated statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;

  // False once the connection is known to be unusable; the pool then drops it.
  virtual bool healthy() const = 0;
};

// A database reached by URL, with a pool of connections shared by all threads.
// Thread-safe.
struct CommitWaiter;
class CommitGroups;

class Database {
 public:
  using ConnectionFactory = std::function<Result<std::unique_ptr<Connection>>()>;

  // Opens "sqlite:PATH" (the file is created if missing; WAL, synchronous=FULL) or
  // "postgresql://..." / "postgres://..." (libpq URI). Any other URL is InvalidArgument naming
  // the accepted forms; a database that cannot be reached is kUnavailable. One connection is
  // opened at once, so a bad URL fails here rather than at the first request.
  static Result<std::unique_ptr<Database>> Open(std::string_view url);

  Database(Backend backend, ConnectionFactory factory, size_t max_connections);
  ~Database();

  Backend backend() const { return backend_; }

  // Runs one statement outside any explicit transaction.
  Result<QueryResult> Query(std::string_view sql, const std::vector<Value>& params = {});

  // Streams the rows of one query (see Connection::QueryEach).
  Status QueryEach(std::string_view sql, const std::vector<Value>& params,
                   const std::function<Status(const std::vector<Value>&)>& on_row);

  // Runs `work` inside one transaction on one connection: committed when `work` returns Ok and
  // the commit succeeds (durably: the commit is on disk when this returns Ok), rolled back
  // otherwise. Returns the failing Status. On SQLite the transaction takes the write lock at
  // its start (BEGIN IMMEDIATE), so concurrent writers wait instead of failing mid-way.
  Status Transaction(const std::function<Status(Connection&)>& work);

  // Runs `work` as Transaction does, in a transaction shared with the other callers arriving
  // meanwhile (group commit): the first caller to find no group under way becomes its leader,
  // takes every work queued so far (at most kGroupLimit), runs each in its own savepoint on one
  // connection and commits once, so that one fsync acknowledges them all; the others wait for
  // that commit. A work that fails rolls back only its savepoint and its caller gets its Status.
  // When the shared BEGIN or COMMIT fails, each work whose savepoint had succeeded runs again
  // alone through Transaction, so a caller gets Ok only once its own change is durable. `work`
  // may therefore run more than once, and must set its outputs afresh on each run.
  Status GroupTransaction(const std::function<Status(Connection&)>& work);
  static constexpr size_t kGroupLimit = 256;
  // How many shared commits GroupTransaction has run (each acknowledging one or more callers).
  int64_t group_commits() const { return group_commits_.load(); }

  // Runs `work` holding the database's start-up lock, so that of any number of processes
  // starting at once on one database, one migrates and loads its first-start data while the
  // others wait and then find the work done. `work` gets the database to use while the lock is
  // held; the lock is released when it returns.
  //  - PostgreSQL: a session advisory lock (pg_advisory_lock on a fixed key and the schema the
  //    URL uses) held on one connection taken from the pool for the duration; `work` gets this
  //    database, whose other connections it uses as usual.
  //  - SQLite: the write lock, BEGIN IMMEDIATE on one connection for the whole of `work`; `work`
  //    gets a database bound to that connection, whose transactions are savepoints within it,
  //    so what `work` writes commits at once when it returns Ok and not at all otherwise.
  // A process finding the lock taken waits, beyond the busy timeout, for as long as it is held.
  // Called again from within `work` (same thread), it runs the inner work at once.
  Status WithStartupLock(const std::function<Status(Database&)>& work);

  // The one T kept with this database (the search index over its documents, say): made by
  // `make` on the first call, returned to every later caller, destroyed with the database.
  // Thread-safe; `make` runs at most once per type and must not call Attached itself.
  template <typename T>
  T& Attached(const std::function<std::unique_ptr<T>()>& make) {
    std::lock_guard lock(attachments_mutex_);
    std::shared_ptr<void>& slot = attachments_[std::type_index(typeid(T))];
    if (!slot) slot = std::shared_ptr<T>(make());
    return *static_cast<T*>(slot.get());
  }

 private:
  class Lease;
  Result<std::unique_ptr<Connection>> Take();
  // Runs one group of GroupTransaction's callers and sets each one's result.
  void RunCommitGroup(const std::vector<CommitWaiter*>& group);
  void Give(std::unique_ptr<Connection> connection);

  Backend backend_;
  std::unique_ptr<class ConnectionPool> pool_;
  // Set on the database WithStartupLock hands `work` on SQLite: the one connection holding the
  // write lock, which all its borrowed connections share.
  std::shared_ptr<struct BoundConnection> bound_;
  // On PostgreSQL, the thread inside WithStartupLock's work, which may call it again.
  std::atomic<std::thread::id> startup_lock_holder_{};
  std::unique_ptr<CommitGroups> commit_groups_;
  // SQLite: this process's writers queue here for the write lock (woken as soon as it is free)
  // instead of polling it in SQLite's busy handler, which sleeps up to 100 ms between tries.
  // Taken before a connection is borrowed, so waiting writers hold none; timed, so that a
  // writer nested in another's transaction still ends with the busy error, not a deadlock.
  std::recursive_timed_mutex sqlite_writers_;
  std::atomic<int64_t> group_commits_{0};
  std::mutex attachments_mutex_;
  std::map<std::type_index, std::shared_ptr<void>> attachments_;
};

// A scalar subquery, in the backend's dialect, that joins `value` over the rows of `from_where`
// ("FROM ... WHERE ...") with `separator` (an SQL string literal such as '/'), in `order_by`
// order; '' when there are no rows. SQLite 3.40 has no ORDER BY inside group_concat, so it
// orders in a nested query; PostgreSQL uses string_agg(... ORDER BY ...).
std::string OrderedJoinSubquery(Backend backend, std::string_view value, std::string_view separator,
                                std::string_view from_where, std::string_view order_by);

// Replaces each '?' outside quoted strings with $1, $2, ... (PostgreSQL parameter syntax).
std::string NumberPlaceholders(std::string_view sql);

}  // namespace civicdesk::storage

#endif  // CIVICDESK_STORAGE_DATABASE_H_
