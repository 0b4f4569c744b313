#ifndef CIVICDESK_HTTP_ACCOUNTS_H_
#define CIVICDESK_HTTP_ACCOUNTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::http {

// Staff roles. Section staff are scoped to one 部 (department) and 課 (section) and see only
// their section's work; publishers approve and publish; admins manage everything and users.
enum class Role { kAdmin, kPublisher, kSectionStaff };

std::string_view RoleName(Role role);  // "admin", "publisher", "section"
Result<Role> ParseRole(std::string_view name);

// A signed-in staff member.
struct Principal {
  int64_t user_id = 0;
  std::string login;
  std::string display_name;
  Role role = Role::kSectionStaff;
  std::string department;  // 部: required for section staff
  std::string section;     // 課: required for section staff
};

struct NewUser {
  std::string login;  // 3-64 characters of [A-Za-z0-9._-]
  std::string display_name;
  std::string password;  // at least 12 characters
  Role role = Role::kSectionStaff;
  std::string department;
  std::string section;
};

// An account as the admins' user page lists it.
struct UserSummary {
  Principal principal;
  bool active = true;
  std::string created_at;
};

// What an admin may change about an account.
struct UserChange {
  Role role = Role::kSectionStaff;
  std::string department;
  std::string section;
  bool active = true;
};

// Failed sign-ins allowed within a window. Counted per login name AND address, so a stranger
// guessing from elsewhere cannot lock a staff member out; and per address, so one address cannot
// try many names. Each attempt is counted atomically before the password is checked, so
// concurrent guesses cannot slip past the limit.
struct LoginLimits {
  int max_failures_per_login_and_address = 5;  // then 429 for that name from that address
  int max_failures_per_ip = 20;                // then 429 for that address
  int window_minutes = 15;
};

// Staff accounts, with argon2id password hashes (libsodium) in the http_user table.
// Thread-safe.
class Accounts {
 public:
  explicit Accounts(storage::Database& database, LoginLimits limits = {});

  // InvalidArgument naming the field for a bad login, password, role scope; kConflict when the
  // login is taken. Returns the new user id.
  Result<int64_t> Add(const NewUser& user);

  // Checks a login. Every wrong login name or password gets the same kUnauthenticated message
  // and takes the same time (a dummy hash is verified for unknown names), so a response never
  // reveals whether an account exists. After too many failures for the login name or the
  // address within the window, kTooManyRequests, again without revealing anything.
  Result<Principal> Authenticate(std::string_view login, std::string_view password,
                                 std::string_view remote_address);

  // NotFound when no active user has this id.
  Result<Principal> Find(int64_t user_id);

  // Every account, active or not, by login.
  Result<std::vector<UserSummary>> List();

  // Changes an account's role, section and whether it may sign in, recording `admin_login` and
  // the before/after in the audit trail, and ends the account's sessions so the change holds
  // at once. InvalidArgument naming the field as Add; NotFound for an unknown id.
  Status Update(int64_t user_id, const UserChange& change, const std::string& admin_login);

  // Records an account's creation by `admin_login` in the audit trail.
  Status AuditAdded(int64_t user_id, const std::string& admin_login);

  // The signed-in user's own password change: kUnauthenticated ("current_password") unless
  // `current` is their password, InvalidArgument ("new_password") for a new one Add would
  // refuse. Audited (without either password); the user's other sessions end (the one whose
  // CSRF token is `session_csrf_token`, the browser asking, stays signed in).
  Status ChangeOwnPassword(int64_t user_id, std::string_view current, std::string_view new_password,
                           std::string_view session_csrf_token);

  // A one-time link token for `user_id`'s new password, valid for `hours`, issued by
  // `admin_login` (audited). Only the token's hash is stored; an earlier unused token of the
  // account stops working. NotFound for an unknown or suspended account.
  Result<std::string> IssuePasswordReset(int64_t user_id, const std::string& admin_login,
                                         int hours = 24);

  // True when `token` is an unused, unexpired reset token.
  Result<bool> PasswordResetUsable(std::string_view token);

  // Sets the password of the reset token's account and uses the token up, once: a second use,
  // a race of two, an expired or unknown token get NotFound http.reset_link_invalid.
  // InvalidArgument ("new_password") for a password Add would refuse. Ends every session of the
  // account; audited.
  Status ResetPassword(std::string_view token, std::string_view new_password);

  // The distinct (部, 課) of every account, for the organisation chart staff are placed in.
  Result<std::vector<std::pair<std::string, std::string>>> Units();

 private:
  storage::Database& database_;
  LoginLimits limits_;
  std::string dummy_hash_;
};

// Reads a Principal from a row of (id, login, display_name, role, department, section).
Principal PrincipalFromRow(const std::vector<storage::Value>& row);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_ACCOUNTS_H_
