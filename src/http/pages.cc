#include <map>
#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/wareki.h"
#include "embedded/accessibility_files.h"
#include "embedded/http_files.h"
#include "http/form_errors.h"
#include "http/site_handlers.h"

namespace civicdesk::http {
namespace {

std::string_view ContentTypeFor(std::string_view path) {
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  if (path.ends_with(".png")) return "image/png";
  return "application/octet-stream";
}

// Where to go after signing in: a path on this site (never another host), else the staff menu.
std::string NextPath(const std::string& next) {
  if (next.size() > 1 && next[0] == '/' && next[1] != '/' && next[1] != '\\' &&
      next.rfind("/login", 0) != 0)
    return next;
  return "/staff";
}

Response LoginForm(RequestContext& context, const Status& failure) {
  std::map<std::string, std::string> form = context.request().Form();
  std::string next =
      form.count("next") ? form["next"] : context.request().QueryParam("next").value_or("");
  nlohmann::json data = {{"login", form["login"]},
                         {"next", next},
                         {"password_reset", context.request().QueryParam("reset").has_value()}};
  data.update(FormErrorView(
      context, failure,
      {{"login", {"login", "login_name"}}, {"password", {"password", "login_password"}}}));
  return context.Page("http/login", context.Message("login_title"), data,
                      failure.ok() ? 200 : HttpStatusFor(failure.code()));
}

}  // namespace

Result<Response> Healthz(RequestContext& context) {
  Result<storage::QueryResult> ping = context.app().database().Query("SELECT 1");
  if (!ping.ok())
    return context.Json(503, {{"status", "unavailable"}, {"database", ping.status().message()}});
  return context.Json(200, {{"status", "ok"}, {"database", "ok"}});
}

Result<Response> StaticFile(RequestContext& context) {
  std::string name = context.request().PathParam("file");
  std::optional<std::string_view> content = http_files::FindEmbeddedFile("static/" + name);
  if (!content) return Status::NotFound("http.file_not_found", {{"file", name}});
  Response response;
  response.content_type = std::string(ContentTypeFor(name));
  response.body = std::string(*content);
  response.AddHeader("Cache-Control", "public, max-age=3600");
  return response;
}

Result<Response> LoginPage(RequestContext& context) { return LoginForm(context, Status::Ok()); }

Result<Response> Login(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  const std::string& login = form["login"];
  const std::string& password = form["password"];
  if (login.empty() || password.empty()) {
    return LoginForm(context, Status::InvalidArgument("http.login_required_fields",
                                                      login.empty() ? "login" : "password"));
  }
  Result<Principal> principal =
      context.app().accounts().Authenticate(login, password, context.request().remote_address);
  if (!principal.ok()) return LoginForm(context, principal.status());
  // A new session id at every sign-in: an id planted before sign-in never becomes valid.
  if (std::optional<std::string> old = context.request().Cookie(kSessionCookie)) {
    (void)context.app().sessions().Destroy(*old);
  }
  CIVICDESK_ASSIGN_OR_RETURN(
      std::string token,
      context.app().sessions().Create(principal->user_id, context.request().remote_address));
  Response response = RedirectResponse(NextPath(form["next"]));
  CookieOptions options;
  options.secure = context.app().options().secure_cookies;
  response.AddHeader("Set-Cookie", SetCookieHeader(kSessionCookie, token, options));
  return response;
}

Result<Response> Logout(RequestContext& context) {
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

// The accessibility policy (対応度表記) with the latest automated test results, from
// data/accessibility/latest.json (written by the browser suite).
Result<Response> AccessibilityPage(RequestContext& context) {
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

}  // namespace civicdesk::http
