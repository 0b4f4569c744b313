#include "http/accounts.h"

#include <sodium.h>

#include <chrono>
#include <ctime>

#include "core/date.h"
#include "http/sessions.h"

namespace civicdesk::http {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::QueryResult;

const Status kWrongCredentials = Status::Unauthenticated("http.wrong_credentials");

const Status kThrottled = Status::TooManyRequests("http.login_throttled");

std::string HashPassword(std::string_view password) {
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return {};
  }
  return hash;
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool ValidLogin(std::string_view login) {
  if (login.size() < 3 || login.size() > 64) return false;
  for (char c : login) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-';
    if (!allowed) return false;
  }
  return true;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kPublisher:
      return "publisher";
    case Role::kSectionStaff:
      return "section";
  }
  return "section";
}

Result<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "publisher") return Role::kPublisher;
  if (name == "section") return Role::kSectionStaff;
  return Status::InvalidArgument("http.role_invalid", "role");
}

Principal PrincipalFromRow(const std::vector<storage::Value>& row) {
  Principal principal;
  principal.user_id = AsInt(row[0]);
  principal.login = AsText(row[1]);
  principal.display_name = AsText(row[2]);
  Result<Role> role = ParseRole(AsText(row[3]));
  principal.role = role.ok() ? *role : Role::kSectionStaff;
  principal.department = AsText(row[4]);
  principal.section = AsText(row[5]);
  return principal;
}

Accounts::Accounts(storage::Database& database, LoginLimits limits)
    : database_(database), limits_(limits) {
  if (sodium_init() < 0) std::abort();  // libsodium cannot work without its RNG; nothing to recover
  dummy_hash_ = HashPassword("civicdesk-dummy-password-for-timing");
}

Result<int64_t> Accounts::Add(const NewUser& user) {
  if (!ValidLogin(user.login)) {
    return Status::InvalidArgument("http.login_invalid", "login");
  }
  if (user.display_name.empty() || user.display_name.size() > 200) {
    return Status::InvalidArgument("http.display_name_required", "name");
  }
  if (user.password.size() < 12 || user.password.size() > 1024) {
    return Status::InvalidArgument("http.password_too_short", "password");
  }
  if (user.role == Role::kSectionStaff && (user.department.empty() || user.section.empty())) {
    return Status::InvalidArgument("http.section_required", "section");
  }
  std::string hash = HashPassword(user.password);
  if (hash.empty()) return Status::Internal("password hashing failed (out of memory?)");
  Result<QueryResult> inserted = database_.Query(
      "INSERT INTO http_user (login, display_name, password_hash, role, department, section, "
      "active, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?, 1, ?) RETURNING id",
      {user.login, user.display_name, hash, std::string(RoleName(user.role)), user.department,
       user.section, NowIso8601Utc()});
  if (!inserted.ok()) {
    if (inserted.status().code() == StatusCode::kConflict) {
      return Status::Conflict("http.login_taken", {{"login", user.login}});
    }
    return inserted.status();
  }
  return AsInt(inserted->rows[0][0]);
}

Result<std::vector<UserSummary>> Accounts::List() {
  Result<QueryResult> rows = database_.Query(
      "SELECT id, login, display_name, role, department, section, active, created_at FROM "
      "http_user ORDER BY login");
  if (!rows.ok()) return rows.status();
  std::vector<UserSummary> users;
  for (const auto& row : rows->rows) {
    users.push_back(
        {PrincipalFromRow({row.begin(), row.begin() + 6}), AsInt(row[6]) != 0, AsText(row[7])});
  }
  return users;
}

namespace {

std::string DescribeAccount(const std::string& role, const std::string& department,
                            const std::string& section, bool active) {
  std::string text = role;
  if (!department.empty() || !section.empty()) text += " " + department + "/" + section;
  return text + (active ? "" : " (inactive)");
}

// One record of http_audit, on a connection or the database.
template <typename Queryable>
Status WriteAudit(Queryable& queryable, const std::string& admin_login, const std::string& action,
                  const std::string& entity, const std::string& before, const std::string& after) {
  return queryable
      .Query(
          "INSERT INTO http_audit (at, user_login, action, entity, before_value, after_value)"
          " VALUES (?, ?, ?, ?, ?, ?)",
          {NowIso8601Utc(), admin_login, action, entity, before, after})
      .status();
}

}  // namespace

Status Accounts::Update(int64_t user_id, const UserChange& change, const std::string& admin_login) {
  if (change.role == Role::kSectionStaff && (change.department.empty() || change.section.empty())) {
    return Status::InvalidArgument("http.section_required", "section");
  }
  const std::string department = change.role == Role::kSectionStaff ? change.department : "";
  const std::string section = change.role == Role::kSectionStaff ? change.section : "";
  return database_.Transaction([&](storage::Connection& connection) -> Status {
    Result<QueryResult> before = connection.Query(
        "SELECT login, role, department, section, active FROM http_user WHERE id = ?", {user_id});
    if (!before.ok()) return before.status();
    if (before->rows.empty()) return Status::NotFound("http.account_not_found");
    const auto& row = before->rows[0];
    Result<QueryResult> updated = connection.Query(
        "UPDATE http_user SET role = ?, department = ?, section = ?, active = ? WHERE id = ?",
        {std::string(RoleName(change.role)), department, section, int64_t{change.active ? 1 : 0},
         user_id});
    if (!updated.ok()) return updated.status();
    Result<QueryResult> ended =
        connection.Query("DELETE FROM http_session WHERE user_id = ?", {user_id});
    if (!ended.ok()) return ended.status();
    // A reset link issued before the change (a role, a suspension) no longer works.
    CIVICDESK_RETURN_IF_ERROR(
        connection
            .Query(
                "UPDATE http_password_reset SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
                {NowIso8601Utc(), user_id})
            .status());
    return WriteAudit(
        connection, admin_login, "update_user", "user " + AsText(row[0]),
        DescribeAccount(AsText(row[1]), AsText(row[2]), AsText(row[3]), AsInt(row[4]) != 0),
        DescribeAccount(std::string(RoleName(change.role)), department, section, change.active));
  });
}

Status Accounts::ChangeOwnPassword(int64_t user_id, std::string_view current,
                                   std::string_view new_password,
                                   std::string_view session_csrf_token) {
  if (new_password.size() < 12 || new_password.size() > 1024)
    return Status::InvalidArgument("http.password_too_short", "new_password");
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult found,
      database_.Query("SELECT login, password_hash FROM http_user WHERE id = ? AND active = 1",
                      {user_id}));
  if (found.rows.empty()) return Status::NotFound("http.account_not_found");
  const std::string login = AsText(found.rows[0][0]);
  if (!VerifyPassword(AsText(found.rows[0][1]), current))
    return Status(StatusCode::kUnauthenticated, "http.current_password_wrong", "current_password");
  const std::string hash = HashPassword(new_password);
  if (hash.empty()) return Status::Internal("password hashing failed (out of memory?)");
  return database_.Transaction([&](storage::Connection& connection) -> Status {
    CIVICDESK_RETURN_IF_ERROR(
        connection.Query("UPDATE http_user SET password_hash = ? WHERE id = ?", {hash, user_id})
            .status());
    // A reset link issued earlier no longer works once the owner has chosen a password.
    CIVICDESK_RETURN_IF_ERROR(
        connection
            .Query(
                "UPDATE http_password_reset SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
                {NowIso8601Utc(), user_id})
            .status());
    // Whoever else holds a session of this account (a forgotten browser, a thief) is signed out.
    CIVICDESK_RETURN_IF_ERROR(
        connection
            .Query("DELETE FROM http_session WHERE user_id = ? AND csrf_token <> ?",
                   {user_id, std::string(session_csrf_token)})
            .status());
    return WriteAudit(connection, login, "change_password", "user " + login, "", "");
  });
}

namespace {

// An instant `hours` from now as the ISO 8601 UTC text the tables hold (it sorts as time).
std::string HoursFromNowIso(int hours) {
  const std::time_t later = std::time(nullptr) + static_cast<std::time_t>(hours) * 3600;
  std::tm utc{};
  gmtime_r(&later, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

Result<std::string> Accounts::IssuePasswordReset(int64_t user_id, const std::string& admin_login,
                                                 int hours) {
  const std::string token = RandomToken();
  Status issued = database_.Transaction([&](storage::Connection& connection) -> Status {
    // The account's row lock first: a second issue for the same account waits here until this
    // one commits, then revokes the link this one made (PostgreSQL reads committed rows per
    // statement; SQLite holds the write lock from the transaction's start). Only the newest
    // link stays usable.
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult found,
        connection.Query("UPDATE http_user SET id = id WHERE id = ? AND active = 1 RETURNING login",
                         {user_id}));
    if (found.rows.empty()) return Status::NotFound("http.account_not_found");
    const std::string now = NowIso8601Utc();
    CIVICDESK_RETURN_IF_ERROR(
        connection
            .Query(
                "UPDATE http_password_reset SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
                {now, user_id})
            .status());
    CIVICDESK_RETURN_IF_ERROR(
        connection
            .Query("INSERT INTO http_password_reset (token_hash, user_id, issued_by, issued_at,"
                   " expires_at) VALUES (?, ?, ?, ?, ?)",
                   {HashToken(token), user_id, admin_login, now, HoursFromNowIso(hours)})
            .status());
    return WriteAudit(connection, admin_login, "issue_password_reset",
                      "user " + AsText(found.rows[0][0]), "", "");
  });
  if (!issued.ok()) return issued;
  return token;
}

Result<bool> Accounts::PasswordResetUsable(std::string_view token) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult found,
      database_.Query("SELECT 1 FROM http_password_reset WHERE token_hash = ? AND used_at IS NULL"
                      " AND expires_at > ?",
                      {HashToken(token), NowIso8601Utc()}));
  return !found.rows.empty();
}

Status Accounts::ResetPassword(std::string_view token, std::string_view new_password) {
  if (new_password.size() < 12 || new_password.size() > 1024)
    return Status::InvalidArgument("http.password_too_short", "new_password");
  const std::string hash = HashPassword(new_password);
  if (hash.empty()) return Status::Internal("password hashing failed (out of memory?)");
  return database_.Transaction([&](storage::Connection& connection) -> Status {
    const std::string now = NowIso8601Utc();
    // One statement takes the token: of two racing requests only one gets the row back.
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult taken,
        connection.Query("UPDATE http_password_reset SET used_at = ? WHERE token_hash = ? AND"
                         " used_at IS NULL AND expires_at > ? RETURNING user_id",
                         {now, HashToken(token), now}));
    if (taken.rows.empty()) return Status::NotFound("http.reset_link_invalid");
    const int64_t user_id = AsInt(taken.rows[0][0]);
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult user,
        connection.Query("UPDATE http_user SET password_hash = ? WHERE id = ? AND active = 1"
                         " RETURNING login",
                         {hash, user_id}));
    if (user.rows.empty()) return Status::NotFound("http.reset_link_invalid");
    CIVICDESK_RETURN_IF_ERROR(
        connection.Query("DELETE FROM http_session WHERE user_id = ?", {user_id}).status());
    const std::string login = AsText(user.rows[0][0]);
    return WriteAudit(connection, login, "reset_password", "user " + login, "", "");
  });
}

Result<std::vector<std::pair<std::string, std::string>>> Accounts::Units() {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database_.Query("SELECT DISTINCT department, section FROM http_user"
                      " WHERE department <> '' AND section <> '' ORDER BY department, section",
                      {}));
  std::vector<std::pair<std::string, std::string>> units;
  for (const auto& row : rows.rows) units.emplace_back(AsText(row[0]), AsText(row[1]));
  return units;
}

Status Accounts::AuditAdded(int64_t user_id, const std::string& admin_login) {
  Result<QueryResult> row = database_.Query(
      "SELECT login, role, department, section FROM http_user WHERE id = ?", {user_id});
  if (!row.ok()) return row.status();
  if (row->rows.empty()) return Status::NotFound("http.account_not_found");
  const auto& account = row->rows[0];
  return WriteAudit(
      database_, admin_login, "add_user", "user " + AsText(account[0]), "",
      DescribeAccount(AsText(account[1]), AsText(account[2]), AsText(account[3]), true));
}

namespace {

// Adds one attempt to the counter of (account, address) in the current window and returns the
// count, in one statement: concurrent attempts each get their own number.
Result<int64_t> CountAttempt(storage::Database& database, const std::string& account,
                             const std::string& address, int64_t window) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult counted,
      database.Query("INSERT INTO http_login_attempt (account, remote_address, window_start,"
                     " attempts) VALUES (?, ?, ?, 1)"
                     " ON CONFLICT (account, remote_address, window_start)"
                     " DO UPDATE SET attempts = http_login_attempt.attempts + 1"
                     " RETURNING attempts",
                     {account, address, window}));
  return AsInt(counted.rows[0][0]);
}

}  // namespace

Result<Principal> Accounts::Authenticate(std::string_view login, std::string_view password,
                                         std::string_view remote_address) {
  const std::string account(login.substr(0, 128));
  const std::string address(remote_address);
  const int64_t window_seconds = int64_t{limits_.window_minutes} * 60;
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const int64_t window = now / std::max<int64_t>(window_seconds, 1);
  // Counted before the check: a guess that is about to be made uses up one attempt. The empty
  // account name counts every attempt from the address.
  CIVICDESK_ASSIGN_OR_RETURN(int64_t pair_attempts,
                             CountAttempt(database_, account, address, window));
  CIVICDESK_ASSIGN_OR_RETURN(int64_t address_attempts,
                             CountAttempt(database_, "", address, window));
  if (pair_attempts > limits_.max_failures_per_login_and_address ||
      address_attempts > limits_.max_failures_per_ip) {
    return kThrottled;
  }

  Result<QueryResult> found = database_.Query(
      "SELECT id, login, display_name, role, department, section, password_hash FROM http_user"
      " WHERE login = ? AND active = 1",
      {account});
  if (!found.ok()) return found.status();
  bool verified = false;
  if (found->empty()) {
    VerifyPassword(dummy_hash_, password);  // same cost as a real check
  } else {
    verified = VerifyPassword(AsText(found->rows[0][6]), password);
  }
  if (!verified) return kWrongCredentials;
  // A successful sign-in gives back this pair's attempts (not the address's); old windows go.
  (void)database_.Query(
      "DELETE FROM http_login_attempt WHERE (remote_address = ? AND account = ?)"
      " OR window_start < ?",
      {address, account, window - 1});
  return PrincipalFromRow(found->rows[0]);
}

Result<Principal> Accounts::Find(int64_t user_id) {
  Result<QueryResult> found = database_.Query(
      "SELECT id, login, display_name, role, department, section FROM http_user WHERE id = ? AND "
      "active = 1",
      {user_id});
  if (!found.ok()) return found.status();
  if (found->empty()) return Status::NotFound("no such user");
  return PrincipalFromRow(found->rows[0]);
}

}  // namespace civicdesk::http
