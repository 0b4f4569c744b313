#include "http/http_module.h"

#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/wareki.h"
#include "embedded/accessibility_files.h"
#include "embedded/http_files.h"

namespace civicdesk::http {
namespace {

storage::ModuleMigrations Migrations() {
  return {"http",
          {
              {1, "staff accounts and sessions",
               "CREATE TABLE http_user ("
               " id {{id}},"
               " login TEXT NOT NULL UNIQUE,"
               " display_name TEXT NOT NULL,"
               " password_hash TEXT NOT NULL,"
               " role TEXT NOT NULL CHECK (role IN ('admin', 'publisher', 'section')),"
               " department TEXT NOT NULL DEFAULT '',"
               " section TEXT NOT NULL DEFAULT '',"
               " active BIGINT NOT NULL DEFAULT 1,"
               " created_at TEXT NOT NULL);"
               "CREATE TABLE http_session ("
               " token_hash TEXT PRIMARY KEY,"
               " user_id BIGINT NOT NULL REFERENCES http_user (id),"
               " csrf_token TEXT NOT NULL,"
               " remote_address TEXT NOT NULL DEFAULT '',"
               " created_at TEXT NOT NULL,"
               " expires_at TEXT NOT NULL);"
               "CREATE INDEX http_session_user ON http_session (user_id);"
               "CREATE TABLE http_login_failure ("
               " id {{id}},"
               " account TEXT NOT NULL,"
               " remote_address TEXT NOT NULL,"
               " failed_at TEXT NOT NULL);"
               "CREATE INDEX http_login_failure_account ON http_login_failure (account, failed_at);"
               "CREATE INDEX http_login_failure_address ON http_login_failure (remote_address, "
               "failed_at)"},
              {2, "audit trail of account changes",
               "CREATE TABLE http_audit (id {{id}}, at TEXT NOT NULL, user_login TEXT NOT NULL,"
               " action TEXT NOT NULL, entity TEXT NOT NULL, before_value TEXT NOT NULL,"
               " after_value TEXT NOT NULL)"},
          }};
}

std::string_view ContentTypeFor(std::string_view path) {
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  if (path.ends_with(".png")) return "image/png";
  return "application/octet-stream";
}

Response Healthz(RequestContext& context) {
  Result<storage::QueryResult> ping = context.app().database().Query("SELECT 1");
  if (!ping.ok())
    return context.Json(503, {{"status", "unavailable"}, {"database", ping.status().message()}});
  return context.Json(200, {{"status", "ok"}, {"database", "ok"}});
}

Response StaticFile(RequestContext& context) {
  std::string name = context.request().PathParam("file");
  std::optional<std::string_view> content = http_files::FindEmbeddedFile("static/" + name);
  if (!content)
    return context.Error(Status::NotFound("ファイルが見つかりません / file not found: " + name));
  Response response;
  response.content_type = std::string(ContentTypeFor(name));
  response.body = std::string(*content);
  response.AddHeader("Cache-Control", "public, max-age=3600");
  return response;
}

Response LoginForm(RequestContext& context, const Status& failure = Status::Ok()) {
  nlohmann::json data = {{"login", context.request().Form()["login"]}};
  if (!failure.ok()) data["error"] = failure.message();
  return context.Page("http/login", context.Message("login_title"), data,
                      failure.ok() ? 200 : HttpStatusFor(failure.code()));
}

Response Login(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  const std::string& login = form["login"];
  const std::string& password = form["password"];
  if (login.empty() || password.empty()) {
    return LoginForm(
        context,
        Status::InvalidArgument(
            "ログイン名とパスワードを入力してください / enter your login name and password",
            login.empty() ? "login" : "password"));
  }
  Result<Principal> principal =
      context.app().accounts().Authenticate(login, password, context.request().remote_address);
  if (!principal.ok()) return LoginForm(context, principal.status());
  // A new session id at every sign-in: an id planted before sign-in never becomes valid.
  if (std::optional<std::string> old = context.request().Cookie(kSessionCookie)) {
    (void)context.app().sessions().Destroy(*old);
  }
  Result<std::string> token =
      context.app().sessions().Create(principal->user_id, context.request().remote_address);
  if (!token.ok()) return context.Error(token.status());
  Response response = RedirectResponse("/staff");
  CookieOptions options;
  options.secure = context.app().options().secure_cookies;
  response.AddHeader("Set-Cookie", SetCookieHeader(kSessionCookie, *token, options));
  return response;
}

Response Logout(RequestContext& context) {
  if (std::optional<std::string> token = context.request().Cookie(kSessionCookie)) {
    (void)context.app().sessions().Destroy(*token);
  }
  Response response = RedirectResponse("/");
  CookieOptions options;
  options.secure = context.app().options().secure_cookies;
  options.max_age_seconds = 0;
  response.AddHeader("Set-Cookie", SetCookieHeader(kSessionCookie, "", options));
  return response;
}

Response StaffHome(RequestContext& context) {
  if (!context.principal()) return RedirectResponse("/login");
  const Principal& principal = *context.principal();
  std::string role_key = "role_" + std::string(RoleName(principal.role));
  return context.Page("http/staff", context.Message("staff_title"),
                      {{"role_label", context.Message(role_key)},
                       {"scoped", principal.role == Role::kSectionStaff},
                       {"is_admin", principal.role == Role::kAdmin}});
}

// The audit trail of every module, newest first, for admins; filtered by ?user= and ?action=.
Response AuditPage(RequestContext& context) {
  if (!context.principal()) return RedirectResponse("/login");
  if (Status allowed = context.RequireRole({Role::kAdmin}); !allowed.ok())
    return context.Error(allowed);
  constexpr size_t kShown = 500;
  Result<std::vector<AuditEntry>> entries = context.app().AuditTrail(kShown * 4);
  if (!entries.ok()) return context.Error(entries.status());
  const std::string user = context.request().QueryParam("user").value_or("");
  const std::string action = context.request().QueryParam("action").value_or("");
  nlohmann::json rows = nlohmann::json::array();
  for (const AuditEntry& entry : *entries) {
    if (!user.empty() && entry.user_login != user) continue;
    if (!action.empty() && entry.action.find(action) == std::string::npos) continue;
    if (rows.size() >= kShown) break;
    rows.push_back({{"at", FormatWarekiTimestamp(entry.at)},
                    {"user", entry.user_login},
                    {"module", entry.module},
                    {"action", entry.action},
                    {"entity", entry.entity},
                    {"before", entry.before},
                    {"after", entry.after}});
  }
  return context.Page("http/audit", context.Message("audit_title"),
                      {{"entries", rows},
                       {"has_entries", !rows.empty()},
                       {"user_filter", user},
                       {"action_filter", action}});
}

// The accessibility policy (対応度表記) with the latest automated test results, from
// data/accessibility/latest.json (written by the browser suite).
Response AccessibilityPage(RequestContext& context) {
  std::optional<std::string_view> file = accessibility_files::FindEmbeddedFile("latest.json");
  nlohmann::json report =
      file ? nlohmann::json::parse(*file, nullptr, false) : nlohmann::json::object();
  if (!report.is_object()) report = nlohmann::json::object();
  nlohmann::json pages = nlohmann::json::array();
  int64_t checks = 0;
  int64_t violations = 0;
  for (const nlohmann::json& page : report.value("pages", nlohmann::json::array())) {
    checks += page.value("checks", 0);
    violations += page.value("violations", 0);
    pages.push_back(
        {{"path", page.value("path", "")},
         {"kind", context.Message(page.value("staff", false) ? "a11y_staff" : "a11y_public")},
         {"checks", page.value("checks", 0)},
         {"violations", page.value("violations", 0)}});
  }
  std::string tested_on = report.value("tested_on", "");
  if (Result<Date> date = ParseIsoDate(tested_on); date.ok()) {
    tested_on = context.language() == "en" ? tested_on + " (" + FormatWarekiDate(*date) + ")"
                                           : FormatWarekiDate(*date);
  }
  auto join = [](const nlohmann::json& list) {
    std::string text;
    for (const nlohmann::json& item : list)
      text +=
          (text.empty() ? "" : ", ") + (item.is_string() ? item.get<std::string>() : item.dump());
    return text;
  };
  std::string conditions = context.Message("a11y_conditions_value");
  for (auto [token, value] :
       {std::pair<std::string, std::string>{"{widths}",
                                            join(report.value("widths", nlohmann::json::array()))},
        {"{languages}", join(report.value("languages", nlohmann::json::array()))}}) {
    if (size_t at = conditions.find(token); at != std::string::npos)
      conditions.replace(at, token.size(), value);
  }
  return context.Page("http/accessibility", context.Message("a11y_title"),
                      {{"tested_on", tested_on},
                       {"tool", report.value("tool", "")},
                       {"browser", report.value("browser", "")},
                       {"rules", report.value("rules", "")},
                       {"conditions", conditions},
                       {"pages", pages},
                       {"page_count", pages.size()},
                       {"check_count", checks},
                       {"violation_count", violations}});
}

Status RequireAdmin(RequestContext& context) { return context.RequireRole({Role::kAdmin}); }

Response UsersPage(RequestContext& context, const Status& problem = Status::Ok(),
                   const std::map<std::string, std::string>& form = {}) {
  if (!context.principal()) return RedirectResponse("/login");
  if (Status allowed = RequireAdmin(context); !allowed.ok()) return context.Error(allowed);
  Result<std::vector<UserSummary>> users = context.app().accounts().List();
  if (!users.ok()) return context.Error(users.status());
  nlohmann::json rows = nlohmann::json::array();
  for (const UserSummary& user : *users) {
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
    data["error"] = problem.message();
    data["error_field"] = problem.field();
    status = problem.code() == StatusCode::kConflict ? 409 : 400;
  }
  return context.Page("http/users", context.Message("users_title"), data, status);
}

Response AddUser(RequestContext& context) {
  if (Status allowed = RequireAdmin(context); !allowed.ok()) return context.Error(allowed);
  std::map<std::string, std::string> form = context.request().Form();
  Result<Role> role = ParseRole(form["role"]);
  if (!role.ok())
    return UsersPage(context, Status::InvalidArgument(role.status().message(), "role"), form);
  NewUser user{form["login"], form["name"],       form["password"],
               *role,         form["department"], form["section"]};
  if (*role != Role::kSectionStaff) user.department = user.section = "";
  Result<int64_t> added = context.app().accounts().Add(user);
  if (!added.ok()) return UsersPage(context, added.status(), form);
  if (Status audited = context.app().accounts().AuditAdded(*added, context.principal()->login);
      !audited.ok())
    return context.Error(audited);
  return RedirectResponse("/staff/users");
}

Response UpdateUser(RequestContext& context) {
  if (Status allowed = RequireAdmin(context); !allowed.ok()) return context.Error(allowed);
  int64_t id = 0;
  const std::string text = context.request().PathParam("id");
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size())
    return context.Error(Status::NotFound("職員が見つかりません / no such account"));
  std::map<std::string, std::string> form = context.request().Form();
  Result<Role> role = ParseRole(form["role"]);
  if (!role.ok())
    return UsersPage(context, Status::InvalidArgument(role.status().message(), "role"));
  UserChange change{*role, form["department"], form["section"], form["active"] == "1"};
  // An admin cannot lock themself out: their own role and access stay.
  if (id == context.principal()->user_id && (*role != Role::kAdmin || !change.active)) {
    return UsersPage(context, Status::InvalidArgument(
                                  "自分の管理者権限は外せません / you cannot remove your own "
                                  "admin access",
                                  "role"));
  }
  Status updated = context.app().accounts().Update(id, change, context.principal()->login);
  if (updated.code() == StatusCode::kNotFound) return context.Error(updated);
  if (!updated.ok()) return UsersPage(context, updated);
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

Status Install(App& app) {
  Status added = AddEmbeddedTemplatesAndMessages(app, "http", http_files::EmbeddedFilePaths(),
                                                 http_files::FindEmbeddedFile);
  if (!added.ok()) return added;
  Router& router = app.router();
  router.Get("/healthz", Healthz);
  router.Get("/static/{file}", StaticFile);
  router.Get("/login", [](RequestContext& context) { return LoginForm(context); });
  router.Post("/login", Login);
  router.Post("/logout", Logout);
  router.Get("/staff", StaffHome);
  router.Get("/staff/audit", AuditPage);
  router.Get("/staff/users", [](RequestContext& context) { return UsersPage(context); });
  router.Post("/staff/users", AddUser);
  router.Post("/staff/users/{id}", UpdateUser);
  router.Get("/accessibility", PublicCache(kPublicPageSeconds, AccessibilityPage));
  return Status::Ok();
}

}  // namespace

Module HttpModule() {
  Module module{"http", Migrations(), Install, nullptr};
  module.audit_trail = HttpAuditTrail;
  return module;
}

}  // namespace civicdesk::http
