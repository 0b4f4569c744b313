#include "http/http_module.h"

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
    rows.push_back({{"at", entry.at},
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
  router.Get("/accessibility", PublicCache(kPublicPageSeconds, AccessibilityPage));
  return Status::Ok();
}

}  // namespace

Module HttpModule() { return {"http", Migrations(), Install, nullptr}; }

}  // namespace civicdesk::http
