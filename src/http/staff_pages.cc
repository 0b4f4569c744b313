#include <map>
#include <nlohmann/json.hpp>

#include "core/wareki.h"
#include "http/site_handlers.h"

namespace civicdesk::http {
namespace {

constexpr const char* kUnitSeparator = "／";

// The choices of 部／課 from the organisation chart, `selected` marked; value "部／課".
nlohmann::json UnitChoices(const std::vector<std::pair<std::string, std::string>>& chart,
                           const std::string& department, const std::string& section) {
  nlohmann::json choices = nlohmann::json::array();
  for (const auto& [unit_department, unit_section] : chart) {
    choices.push_back({{"value", unit_department + kUnitSeparator + unit_section},
                       {"label", unit_department + " " + unit_section},
                       {"selected", unit_department == department && unit_section == section}});
  }
  return choices;
}

Response UsersForm(RequestContext& context, const std::vector<UserSummary>& users,
                   const Status& problem, const std::map<std::string, std::string>& form) {
  Result<std::vector<std::pair<std::string, std::string>>> chart =
      context.app().OrganisationChart();
  const std::vector<std::pair<std::string, std::string>> units =
      chart.ok() ? *chart : std::vector<std::pair<std::string, std::string>>{};
  nlohmann::json rows = nlohmann::json::array();
  for (const UserSummary& user : users) {
    const std::string role(RoleName(user.principal.role));
    nlohmann::json roles = nlohmann::json::array();
    for (const char* option : {"admin", "publisher", "section"}) {
      roles.push_back({{"value", option},
                       {"label", context.Message(std::string("role_") + option)},
                       {"selected", role == option}});
    }
    rows.push_back(
        {{"id", user.principal.user_id},
         {"login", user.principal.login},
         {"name", user.principal.display_name},
         {"role_label", context.Message("role_" + role)},
         {"roles", roles},
         {"units", UnitChoices(units, user.principal.department, user.principal.section)},
         {"active", user.active},
         {"self", context.principal()->user_id == user.principal.user_id}});
  }
  auto value = [&](const char* key) {
    auto found = form.find(key);
    return found == form.end() ? std::string() : found->second;
  };
  nlohmann::json data = {{"users", rows},
                         {"units", UnitChoices(units, value("department"), value("section"))},
                         {"reset_login", value("reset_login")},
                         {"reset_link", value("reset_link")},
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

// The 部 and 課 the form names: "unit" (a choice of the chart, "部／課") or, from older forms and
// scripts, "department" and "section". A section account must be placed in the organisation
// chart: InvalidArgument naming "unit" otherwise.
Status UnitFromForm(RequestContext& context, Role role, std::map<std::string, std::string>& form) {
  if (!form["unit"].empty()) {
    const size_t separator = form["unit"].find(kUnitSeparator);
    if (separator == std::string::npos)
      return Status::InvalidArgument("http.unit_not_in_chart", {{"unit", form["unit"]}}, "unit");
    form["department"] = form["unit"].substr(0, separator);
    form["section"] = form["unit"].substr(separator + std::string_view(kUnitSeparator).size());
  }
  if (role != Role::kSectionStaff) return Status::Ok();
  if (form["department"].empty() || form["section"].empty())
    return Status::InvalidArgument("http.section_required", "unit");
  CIVICDESK_ASSIGN_OR_RETURN(auto chart, context.app().OrganisationChart());
  for (const auto& [department, section] : chart)
    if (department == form["department"] && section == form["section"]) return Status::Ok();
  return Status::InvalidArgument("http.unit_not_in_chart",
                                 {{"unit", form["department"] + " " + form["section"]}}, "unit");
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

// The own-password page, with `problem` (a refused change) or the confirmation of one.
Response PasswordPageWith(RequestContext& context, const Status& problem, bool changed) {
  nlohmann::json data = {{"changed", changed}};
  if (!problem.ok()) {
    data["error"] = context.Format(problem);
    data["error_field"] = problem.field();
    data["current_invalid"] = problem.field() == "current_password";
    data["new_invalid"] = problem.field() == "new_password";
  }
  return context.Page("http/password", context.Message("password_title"), data,
                      problem.ok() ? 200 : 400);
}

Result<Response> PasswordPage(RequestContext& context) {
  return PasswordPageWith(context, Status::Ok(),
                          context.request().QueryParam("changed").has_value());
}

Result<Response> ChangePassword(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  Status changed = context.app().accounts().ChangeOwnPassword(
      context.principal()->user_id, form["current_password"], form["new_password"],
      context.csrf_token());
  if (changed.code() == StatusCode::kUnauthenticated ||
      changed.code() == StatusCode::kInvalidArgument)
    return PasswordPageWith(context, changed, false);
  CIVICDESK_RETURN_IF_ERROR(changed);
  return RedirectResponse("/staff/password?changed=1");
}

// POST /staff/users/{id}/reset: the accounts page again, showing the one-time link once.
Result<Response> IssueResetLink(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_ASSIGN_OR_RETURN(std::string token, context.app().accounts().IssuePasswordReset(
                                                    id, context.principal()->login));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<UserSummary> users, context.app().accounts().List());
  std::string login;
  for (const UserSummary& user : users)
    if (user.principal.user_id == id) login = user.principal.login;
  const std::string link = context.app().PublicUrl() + "/password-reset/" + token;
  Response page =
      UsersForm(context, users, Status::Ok(), {{"reset_login", login}, {"reset_link", link}});
  // The link is in this response only; the page must not be stored anywhere on the way.
  page.AddHeader("Cache-Control", "no-store");
  return page;
}

// The reset page: the new-password form while the token is usable, otherwise why not.
Response ResetPageWith(RequestContext& context, bool usable, const Status& problem) {
  nlohmann::json data = {{"usable", usable}, {"token", context.request().PathParam("token")}};
  if (!problem.ok()) {
    data["error"] = context.Format(problem);
    data["error_field"] = problem.field();
  }
  Response page = context.Page("http/password_reset", context.Message("password_reset_title"), data,
                               !usable ? 404 : (problem.ok() ? 200 : 400));
  page.AddHeader("Cache-Control", "no-store");
  return page;
}

Result<Response> PasswordResetPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(bool usable, context.app().accounts().PasswordResetUsable(
                                              context.request().PathParam("token")));
  return ResetPageWith(context, usable, Status::Ok());
}

Result<Response> ResetPassword(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  Status reset = context.app().accounts().ResetPassword(context.request().PathParam("token"),
                                                        form["new_password"]);
  if (reset.code() == StatusCode::kInvalidArgument) return ResetPageWith(context, true, reset);
  if (reset.code() == StatusCode::kNotFound) return ResetPageWith(context, false, reset);
  CIVICDESK_RETURN_IF_ERROR(reset);
  return RedirectResponse("/login?reset=1");
}

Result<Response> UsersPage(RequestContext& context) { return UsersPageWith(context, Status::Ok()); }

Result<Response> AddUser(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  Result<Role> role = ParseRole(form["role"]);
  if (!role.ok()) return UsersPageWith(context, role.status(), form);
  if (Status unit = UnitFromForm(context, *role, form); !unit.ok())
    return UsersPageWith(context, unit, form);
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
  if (Status unit = UnitFromForm(context, *role, form); !unit.ok())
    return UsersPageWith(context, unit);
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

Result<std::vector<AuditEntry>> HttpAuditTrail(storage::Database& database,
                                               const AuditQuery& query) {
  const auto [sql, params] = AuditTrailStatement(
      "SELECT at, user_login, action, entity, before_value, after_value, id FROM http_audit",
      query);
  Result<storage::QueryResult> rows = database.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<AuditEntry> entries;
  for (const auto& row : rows->rows) {
    entries.push_back({storage::AsText(row[0]), storage::AsText(row[1]), "http",
                       storage::AsText(row[2]), storage::AsText(row[3]), storage::AsText(row[4]),
                       storage::AsText(row[5]), storage::AsInt(row[6])});
  }
  return entries;
}

}  // namespace civicdesk::http
