#include "storage/backup.h"

#include <fcntl.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "storage/database.h"

extern char** environ;

namespace civicdesk::storage {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr char kPostgresBin[] = "/usr/lib/postgresql/15/bin";

// ---- SQLite ----

using SqliteHandle = std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)>;

std::string SqliteError(sqlite3* handle, int code) {
  return handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(code);
}

Result<SqliteHandle> OpenSqlite(const std::string& path, int flags, const std::string& field,
                                const char* message_id) {
  sqlite3* handle = nullptr;
  int code = sqlite3_open_v2(path.c_str(), &handle, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  SqliteHandle owned(handle, sqlite3_close_v2);
  if (code != SQLITE_OK) {
    return Status(StatusCode::kInvalidArgument, message_id,
                  {{"path", path}, {"detail", SqliteError(handle, code)}}, field);
  }
  sqlite3_busy_timeout(handle, 10000);
  return owned;
}

// The first column of the first row of `sql`, as text ("" when none); `error` gets SQLite's words.
std::string SqliteScalar(sqlite3* handle, const char* sql, std::string* error) {
  sqlite3_stmt* statement = nullptr;
  int code = sqlite3_prepare_v2(handle, sql, -1, &statement, nullptr);
  std::string value;
  if (code == SQLITE_OK) {
    code = sqlite3_step(statement);
    if (code == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(statement, 0);
      value = text != nullptr ? reinterpret_cast<const char*>(text) : "";
      code = SQLITE_OK;
    } else if (code == SQLITE_DONE) {
      code = SQLITE_OK;
    }
  }
  if (code != SQLITE_OK && error != nullptr) *error = SqliteError(handle, code);
  sqlite3_finalize(statement);
  return value;
}

// Copies all of `from` into `to` in one step (one snapshot of `from`), retrying while either is
// locked by another connection. Empty on success, else SQLite's words.
std::string CopySqlite(sqlite3* to, sqlite3* from) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return sqlite3_errmsg(to);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  int code = SQLITE_OK;
  for (;;) {
    code = sqlite3_backup_step(backup, -1);
    if (code == SQLITE_DONE) break;
    if ((code == SQLITE_BUSY || code == SQLITE_LOCKED) &&
        std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    break;
  }
  sqlite3_backup_finish(backup);
  if (code != SQLITE_DONE) return sqlite3_errstr(code);
  if (int finished = sqlite3_errcode(to); finished != SQLITE_OK) return sqlite3_errmsg(to);
  return {};
}

// Makes `partial` durable and gives it the name `file`.
Status Publish(const std::string& partial, const std::string& file) {
  std::error_code error;
  std::filesystem::rename(partial, file, error);
  if (error) {
    std::filesystem::remove(partial, error);
    return Status::InvalidArgument("storage.backup_file_unwritable",
                                   {{"path", file}, {"detail", error.message()}}, file);
  }
  std::filesystem::path directory = std::filesystem::absolute(file).parent_path();
  if (int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  return Status::Ok();
}

// True when `a` and `b` name one existing file (a backup written over its own database).
bool SameFile(const std::string& a, const std::string& b) {
  std::error_code error;
  return std::filesystem::equivalent(a, b, error) && !error;
}

Status BackupSqlite(const std::string& path, const std::string& file) {
  if (SameFile(path, file)) {
    return Status::InvalidArgument("storage.backup_same_file", {{"path", file}}, file);
  }
  CIVICDESK_ASSIGN_OR_RETURN(SqliteHandle source, OpenSqlite(path, SQLITE_OPEN_READWRITE, "--db",
                                                             "storage.sqlite_cannot_open"));
  const std::string partial = file + ".partial";
  std::remove(partial.c_str());
  Status outcome = [&]() -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(SqliteHandle copy,
                               OpenSqlite(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, file,
                                          "storage.backup_file_unwritable"));
    if (std::string failed = CopySqlite(copy.get(), source.get()); !failed.empty()) {
      return Status::Unavailable("storage.backup_failed", {{"detail", failed}});
    }
    // The copy carries the source's WAL flag; a backup is one self-contained file.
    std::string error;
    SqliteScalar(copy.get(), "PRAGMA journal_mode=DELETE", &error);
    std::string check = SqliteScalar(copy.get(), "PRAGMA quick_check", &error);
    if (!error.empty() || check != "ok") {
      return Status::Unavailable("storage.backup_failed",
                                 {{"detail", error.empty() ? check : error}});
    }
    return Status::Ok();
  }();
  if (!outcome.ok()) {
    std::remove(partial.c_str());
    return outcome;
  }
  return Publish(partial, file);
}

Status RestoreSqlite(const std::string& path, const std::string& file, bool force) {
  if (SameFile(path, file)) {
    return Status::InvalidArgument("storage.backup_same_file", {{"path", file}}, file);
  }
  if (!std::filesystem::is_regular_file(file)) {
    return Status::InvalidArgument("storage.backup_file_unreadable",
                                   {{"path", file}, {"detail", "no such file"}}, file);
  }
  CIVICDESK_ASSIGN_OR_RETURN(SqliteHandle backup, OpenSqlite(file, SQLITE_OPEN_READONLY, file,
                                                             "storage.backup_file_unreadable"));
  std::string error;
  std::string check = SqliteScalar(backup.get(), "PRAGMA quick_check", &error);
  std::string tables =
      SqliteScalar(backup.get(), "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", &error);
  if (!error.empty() || check != "ok" || tables == "0") {
    return Status::InvalidArgument("storage.backup_not_sqlite",
                                   {{"path", file},
                                    {"detail", !error.empty()  ? error
                                               : check != "ok" ? check
                                                               : "no tables"}},
                                   file);
  }
  CIVICDESK_ASSIGN_OR_RETURN(SqliteHandle target,
                             OpenSqlite(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "--db",
                                        "storage.sqlite_cannot_open"));
  std::string held = SqliteScalar(
      target.get(),
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      &error);
  if (!error.empty()) {
    return Status::Unavailable("storage.sqlite_cannot_use", {{"path", path}, {"detail", error}});
  }
  if (held != "0" && !force) {
    return Status(StatusCode::kConflict, "storage.restore_target_not_empty", {{"count", held}},
                  "--db");
  }
  if (std::string failed = CopySqlite(target.get(), backup.get()); !failed.empty()) {
    return Status::Unavailable("storage.restore_failed", {{"detail", failed}});
  }
  check = SqliteScalar(target.get(), "PRAGMA quick_check", &error);
  if (!error.empty() || check != "ok") {
    return Status::Unavailable("storage.restore_failed",
                               {{"detail", error.empty() ? check : error}});
  }
  return Status::Ok();
}

// ---- PostgreSQL ----

// The full path of a PostgreSQL client program: on PATH, else in PostgreSQL 15's directory.
Result<std::string> FindTool(const std::string& tool) {
  std::vector<std::string> directories;
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::stringstream entries(path);
    for (std::string entry; std::getline(entries, entry, ':');)
      if (!entry.empty()) directories.push_back(entry);
  }
  directories.push_back(kPostgresBin);
  for (const std::string& directory : directories) {
    std::string candidate = directory + "/" + tool;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return Status::Unavailable("storage.postgres_tool_missing", {{"tool", tool}});
}

struct ToolRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] a full path) without a shell and collects its output.
Result<ToolRun> RunTool(const std::vector<std::string>& argv) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Status::Internal("pipe failed");
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return Status::Internal("pipe failed");
  }
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t child = ::fork();
  if (child < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    return Status::Internal("fork failed");
  }
  if (child == 0) {
    int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ::execve(args[0], args.data(), environ);
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ToolRun run;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&run.out, &run.err};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t got = ::read(fds[i].fd, buffer, sizeof(buffer));
      if (got > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (const pollfd& fd : fds)
    if (fd.fd >= 0) ::close(fd.fd);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

// The last lines of a tool's complaint, for a message.
std::string Tail(const std::string& text) {
  std::string tail = text.size() > 800 ? text.substr(text.size() - 800) : text;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
  return tail;
}

// The schema the URL's connections use (current_schema()); kInvalidArgument naming --db when its
// search_path names no existing schema.
Result<std::string> CurrentSchema(Database& database) {
  CIVICDESK_ASSIGN_OR_RETURN(QueryResult schema, database.Query("SELECT current_schema()"));
  if (schema.empty() || IsNull(schema.rows[0][0])) {
    return Status::InvalidArgument("storage.postgres_schema_missing", "--db");
  }
  return AsText(schema.rows[0][0]);
}

// "schema" quoted as a pg_dump pattern that matches only that name.
std::string ExactPattern(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

Status BackupPostgres(std::string_view url, const std::string& file) {
  CIVICDESK_ASSIGN_OR_RETURN(std::unique_ptr<Database> database, Database::Open(url));
  CIVICDESK_ASSIGN_OR_RETURN(std::string schema, CurrentSchema(*database));
  database.reset();
  CIVICDESK_ASSIGN_OR_RETURN(std::string pg_dump, FindTool("pg_dump"));
  const std::string partial = file + ".partial";
  std::remove(partial.c_str());
  CIVICDESK_ASSIGN_OR_RETURN(
      ToolRun run, RunTool({pg_dump, "--format=custom", "--schema=" + ExactPattern(schema),
                            "--file=" + partial, "--dbname=" + std::string(url)}));
  if (run.exit_code != 0) {
    std::remove(partial.c_str());
    return Status::Unavailable("storage.backup_failed", {{"detail", Tail(run.err)}});
  }
  return Publish(partial, file);
}

// One entry of `pg_restore --list`: "12; 1259 16390 TABLE public plan_policy owner".
struct TocEntry {
  std::string line;
  std::string type;
  std::string schema;
  std::string name;
};

std::vector<TocEntry> ParseToc(const std::string& listing) {
  std::vector<TocEntry> entries;
  std::stringstream lines(listing);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == ';') continue;
    std::stringstream words(line);
    std::string id, catalog, object;
    TocEntry entry;
    entry.line = line;
    words >> id >> catalog >> object >> entry.type;
    // Two-word types ("TABLE DATA", "SEQUENCE SET", "DEFAULT ACL") keep their second word.
    if (entry.type == "TABLE" || entry.type == "SEQUENCE" || entry.type == "DEFAULT") {
      std::streampos at = words.tellg();
      std::string next;
      words >> next;
      if (next == "DATA" || next == "SET" || next == "OWNED" || next == "ACL")
        entry.type += " " + next;
      else
        words.seekg(at);
    }
    words >> entry.schema >> entry.name;
    entries.push_back(std::move(entry));
  }
  return entries;
}

Status RestorePostgres(std::string_view url, const std::string& file, bool force) {
  if (!std::filesystem::is_regular_file(file)) {
    return Status::InvalidArgument("storage.backup_file_unreadable",
                                   {{"path", file}, {"detail", "no such file"}}, file);
  }
  CIVICDESK_ASSIGN_OR_RETURN(std::string pg_restore, FindTool("pg_restore"));
  CIVICDESK_ASSIGN_OR_RETURN(ToolRun listing, RunTool({pg_restore, "--list", file}));
  if (listing.exit_code != 0) {
    return Status::InvalidArgument("storage.backup_not_postgres",
                                   {{"path", file}, {"detail", Tail(listing.err)}}, file);
  }
  std::vector<TocEntry> toc = ParseToc(listing.out);
  std::string backup_schema;
  std::set<std::string> backup_tables;
  for (const TocEntry& entry : toc) {
    if (entry.type != "TABLE") continue;
    backup_schema = entry.schema;
    backup_tables.insert(entry.name);
  }
  if (backup_tables.empty()) {
    return Status::InvalidArgument("storage.backup_not_postgres",
                                   {{"path", file}, {"detail", "no tables"}}, file);
  }

  CIVICDESK_ASSIGN_OR_RETURN(std::unique_ptr<Database> database, Database::Open(url));
  CIVICDESK_ASSIGN_OR_RETURN(std::string schema, CurrentSchema(*database));
  if (schema != backup_schema) {
    return Status(StatusCode::kInvalidArgument, "storage.restore_schema_mismatch",
                  {{"backup", backup_schema}, {"target", schema}}, "--db");
  }
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult held,
      database->Query("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                      "current_schema() ORDER BY table_name"));
  if (!held.empty() && !force) {
    return Status(StatusCode::kConflict, "storage.restore_target_not_empty",
                  {{"count", std::to_string(held.size())}}, "--db");
  }
  // Tables the backup lacks would survive --clean and contradict the restored migration ledger.
  std::string extra;
  for (const auto& row : held.rows) {
    std::string table = AsText(row[0]);
    if (backup_tables.contains(table)) continue;
    std::string quoted = "\"";
    for (char c : table) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    extra += (extra.empty() ? "" : ", ") + quoted + "\"";
  }
  if (!extra.empty()) {
    Result<QueryResult> dropped = database->Query("DROP TABLE IF EXISTS " + extra + " CASCADE");
    if (!dropped.ok()) return dropped.status();
  }
  database.reset();

  // Everything but the schema itself, which the target already has (and may not own).
  char list_path[] = "/tmp/civicdesk-restore-XXXXXX";
  int list_fd = ::mkstemp(list_path);
  if (list_fd < 0) return Status::Internal("cannot create a temporary file");
  std::string list;
  for (const TocEntry& entry : toc) {
    if (entry.type == "SCHEMA" || (entry.type == "COMMENT" && entry.name == "SCHEMA")) continue;
    list += entry.line + "\n";
  }
  bool written = ::write(list_fd, list.data(), list.size()) == static_cast<ssize_t>(list.size());
  ::close(list_fd);
  if (!written) {
    std::remove(list_path);
    return Status::Internal("cannot write a temporary file");
  }
  std::vector<std::string> argv = {pg_restore,
                                   "--single-transaction",
                                   "--exit-on-error",
                                   "--no-owner",
                                   "--no-privileges",
                                   "--use-list=" + std::string(list_path),
                                   "--dbname=" + std::string(url)};
  if (force) {
    argv.push_back("--clean");
    argv.push_back("--if-exists");
  }
  argv.push_back(file);
  Result<ToolRun> run = RunTool(argv);
  std::remove(list_path);
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    return Status::Unavailable("storage.restore_failed", {{"detail", Tail(run->err)}});
  }
  return Status::Ok();
}

}  // namespace

Status BackupDatabase(std::string_view url, const std::string& file) {
  if (file.empty()) return Status::InvalidArgument("storage.backup_file_missing", "FILE");
  if (url.rfind(kSqlitePrefix, 0) == 0) {
    std::string path(url.substr(kSqlitePrefix.size()));
    if (path.empty()) return Status::InvalidArgument("storage.sqlite_path_missing", "--db");
    if (!std::filesystem::exists(path)) {
      return Status::InvalidArgument("storage.sqlite_cannot_open",
                                     {{"path", path}, {"detail", "no such file"}}, "--db");
    }
    return BackupSqlite(path, file);
  }
  // Database::Open names the accepted forms for anything else.
  return BackupPostgres(url, file);
}

Status RestoreDatabase(std::string_view url, const std::string& file, bool force) {
  if (file.empty()) return Status::InvalidArgument("storage.backup_file_missing", "FILE");
  if (url.rfind(kSqlitePrefix, 0) == 0) {
    std::string path(url.substr(kSqlitePrefix.size()));
    if (path.empty()) return Status::InvalidArgument("storage.sqlite_path_missing", "--db");
    return RestoreSqlite(path, file, force);
  }
  return RestorePostgres(url, file, force);
}

}  // namespace civicdesk::storage
