#include <map>
#include <nlohmann/json.hpp>

#include "core/wareki.h"
#include "http/site_handlers.h"

namespace civicdesk::http {
namespace {

Response UsersForm(RequestContext& context, const std::vector<UserSummary>& users,
                   const Status& problem, const std::map<std::string, std::string>& form) {
  nlohmann::json rows = nlohmann::json::array();
  for (const UserSummary& user : users) {
    const std::string role(RoleName(user.principal.role));
    nlohmann::json roles = nlohmann::json::array();
    for (const char* option : {"admin", "publisher", "section"}) {
      roles.push_back({{"value", option},
                       {"label", context.Message(std::string("role_") + option)},
                       {"selected", role == option}});
    }
    rows.push_back({{"id", user.principal.user_id},
                    {"login", user.principal.login},
                    {"name", user.principal.display_name},
                    {"role_label", context.Message("role_" + role)},
                    {"roles", roles},
                    {"department", user.principal.department},
                    {"section", user.principal.section},
                    {"active", user.active},
                    {"self", context.principal()->user_id == user.principal.user_id}});
  }
  auto value = [&](const char* key) {
    auto found = form.find(key);
    return found == form.end() ? std::string() : found->second;
  };
  nlohmann::json data = {{"users", rows},
                         {"form",
                          {{"login", value("login")},
                           {"name", value("name")},
                           {"department", value("department")},
                           {"section", value("section")}}}};
  int status = 200;
  if (!problem.ok()) {
    data["error"] = context.Format(problem);
    data["error_field"] = problem.field();
    status = problem.code() == StatusCode::kConflict ? 409 : 400;
  }
  return context.Page("http/users", context.Message("users_title"), data, status);
}

// The accounts page again, with `problem` shown beside the form the admin sent.
Result<Response> UsersPageWith(RequestContext& context, const Status& problem,
                               const std::map<std::string, std::string>& form = {}) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<UserSummary> users, context.app().accounts().List());
  return UsersForm(context, users, problem, form);
}

}  // namespace

Result<Response> StaffHome(RequestContext& context) {
  const Principal& principal = *context.principal();
  std::string role_key = "role_" + std::string(RoleName(principal.role));
  return context.Page("http/staff", context.Message("staff_title"),
                      {{"role_label", context.Message(role_key)},
                       {"scoped", principal.role == Role::kSectionStaff},
                       {"is_admin", principal.role == Role::kAdmin}});
}

Result<Response> UsersPage(RequestContext& context) { return UsersPageWith(context, Status::Ok()); }

Result<Response> AddUser(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  Result<Role> role = ParseRole(form["role"]);
  if (!role.ok()) return UsersPageWith(context, role.status(), form);
  NewUser user{form["login"], form["name"],       form["password"],
               *role,         form["department"], form["section"]};
  if (*role != Role::kSectionStaff) user.department = user.section = "";
  Result<int64_t> added = context.app().accounts().Add(user);
  if (!added.ok()) return UsersPageWith(context, added.status(), form);
  CIVICDESK_RETURN_IF_ERROR(
      context.app().accounts().AuditAdded(*added, context.principal()->login));
  return RedirectResponse("/staff/users");
}

Result<Response> UpdateUser(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  std::map<std::string, std::string> form = context.request().Form();
  Result<Role> role = ParseRole(form["role"]);
  if (!role.ok()) return UsersPageWith(context, role.status());
  UserChange change{*role, form["department"], form["section"], form["active"] == "1"};
  // An admin cannot lock themself out: their own role and access stay.
  if (id == context.principal()->user_id && (*role != Role::kAdmin || !change.active)) {
    return UsersPageWith(context, Status::InvalidArgument("http.own_admin_access", "role"));
  }
  Status updated = context.app().accounts().Update(id, change, context.principal()->login);
  if (updated.code() == StatusCode::kNotFound) return updated;
  if (!updated.ok()) return UsersPageWith(context, updated);
  return RedirectResponse("/staff/users");
}

Result<std::vector<AuditEntry>> HttpAuditTrail(storage::Database& database, size_t limit) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT at, user_login, action, entity, before_value, after_value FROM http_audit"
      " ORDER BY id DESC LIMIT ?",
      {static_cast<int64_t>(limit)});
  if (!rows.ok()) return rows.status();
  std::vector<AuditEntry> entries;
  for (const auto& row : rows->rows) {
    entries.push_back({storage::AsText(row[0]), storage::AsText(row[1]), "http",
                       storage::AsText(row[2]), storage::AsText(row[3]), storage::AsText(row[4]),
                       storage::AsText(row[5])});
  }
  return entries;
}

}  // namespace civicdesk::http
