#include "http/app.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <set>

#include "core/log.h"
#include "core/number_format.h"

namespace civicdesk::http {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

bool IsStateChanging(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

void AddSecurityHeaders(Response& response, bool signed_in) {
  response.AddHeader("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.AddHeader("X-Content-Type-Options", "nosniff");
  response.AddHeader("X-Frame-Options", "DENY");
  response.AddHeader("Referrer-Policy", "same-origin");
  bool has_cache_control = false;
  for (const auto& [name, value] : response.headers)
    has_cache_control = has_cache_control || name == "Cache-Control";
  if (signed_in) {
    response.AddHeader("Cache-Control", "no-store");
  } else if (!has_cache_control) {
    response.AddHeader("Cache-Control", "no-cache");
  }
}

std::string_view ErrorTitleKey(int http_status) {
  switch (http_status) {
    case 400:
      return "error_400";
    case 401:
      return "error_401";
    case 403:
      return "error_403";
    case 404:
      return "error_404";
    case 405:
      return "error_405";
    case 409:
      return "error_409";
    case 415:
      return "error_415";
    case 429:
      return "error_429";
    case 503:
      return "error_503";
    default:
      return "error_500";
  }
}

// A form's csrf_token must equal the session's token when signed in, otherwise the browser's
// CSRF cookie (which a cross-site page can neither read nor set).
bool CsrfTokenValid(RequestContext& context, const Request& request) {
  std::string submitted = request.Form()["csrf_token"];
  if (context.principal()) return TokensEqual(submitted, context.csrf_token());
  std::optional<std::string> cookie = request.Cookie(kCsrfCookie);
  return cookie && TokensEqual(submitted, *cookie);
}

// The query of a GET page without lang, each pair followed by "&": the language switch keeps
// the page as it is (a receipt number asked for, a search).
std::string LanguageSwitchQuery(const Request& request) {
  if (request.method != "GET") return {};
  std::string query;
  for (const auto& [name, value] : request.query) {
    if (name == "lang") continue;
    query += PercentEncode(name) + "=" + PercentEncode(value) + "&";
  }
  return query;
}

}  // namespace

RequestContext::RequestContext(App& app, const Request& request, std::string language,
                               std::optional<SessionData> session)
    : app_(app), request_(request), language_(std::move(language)) {
  if (session) {
    principal_ = std::move(session->principal);
    csrf_token_ = std::move(session->csrf_token);
  }
}

const std::string& RequestContext::csrf_token() {
  if (!csrf_token_.empty()) return csrf_token_;
  std::optional<std::string> cookie = request_.Cookie(kCsrfCookie);
  if (cookie && cookie->size() == 64) {
    csrf_token_ = *cookie;
  } else {
    csrf_token_ = RandomToken();
    CookieOptions options;
    options.secure = app_.options().secure_cookies;
    options.same_site = "Strict";
    extra_headers_.emplace_back("Set-Cookie", SetCookieHeader(kCsrfCookie, csrf_token_, options));
  }
  return csrf_token_;
}

std::string RequestContext::Message(std::string_view key) const {
  return app_.messages().Get(language_, key);
}

std::string RequestContext::Format(const Status& status) const {
  return app_.messages().Format(language_, status);
}

Result<int64_t> RequestContext::PathId(std::string_view name) const {
  std::string text = request_.PathParam(name);
  std::optional<int64_t> id = ParseWholeNumber(text, 1);
  if (!id)
    return Status::InvalidArgument("http.path_id_invalid", {{"value", text}}, std::string(name));
  return *id;
}

bool RequestContext::HasAccess(Access access) const {
  if (access == Access::kPublic) return true;
  if (!principal_) return false;
  switch (access) {
    case Access::kPublic:
    case Access::kStaff:
      return true;
    case Access::kPublisher:
      return principal_->role == Role::kPublisher || principal_->role == Role::kAdmin;
    case Access::kAdmin:
      return principal_->role == Role::kAdmin;
  }
  return false;
}

Result<std::string> RequestContext::Fragment(std::string_view template_name,
                                             nlohmann::json data) const {
  if (!data.is_object()) data = nlohmann::json::object();
  data["msg"] = app_.messages().For(language_);
  data["lang"] = language_;
  return app_.templates().Render(template_name, data);
}

Response RequestContext::Page(std::string_view template_name, const std::string& title,
                              nlohmann::json data, int status) {
  const nlohmann::json& messages = app_.messages().For(language_);
  nlohmann::json common = {
      {"msg", messages},
      {"lang", language_},
      {"lang_is_en", language_ == "en"},
      // A page others may be served from the cache must not hold this visitor's token.
      {"csrf_token", public_cache_seconds_ > 0 && !principal_ ? std::string() : csrf_token()},
      {"title", title},
      {"path", request_.path},
      {"lang_query", LanguageSwitchQuery(request_)},
  };
  // A page with a form that must keep what was typed switches language by re-posting it.
  if (data.is_object() && data.contains("lang_form")) common["lang_form"] = data["lang_form"];
  if (principal_) {
    common["user"] = {{"login", principal_->login},
                      {"display_name", principal_->display_name},
                      {"role", std::string(RoleName(principal_->role))},
                      {"department", principal_->department},
                      {"section", principal_->section}};
  } else {
    common["user"] = false;
  }
  if (!data.is_object()) data = nlohmann::json::object();
  for (const auto& [key, value] : common.items()) {
    if (!data.contains(key)) data[key] = value;
  }
  Result<std::string> content = app_.templates().Render(template_name, data);
  if (!content.ok()) throw std::runtime_error(content.status().message());
  common["content"] = std::move(*content);
  Result<std::string> page = app_.templates().Render("http/layout", common);
  if (!page.ok()) throw std::runtime_error(page.status().message());
  Response response;
  response.status = status;
  response.body = std::move(*page);
  return response;
}

Response RequestContext::Error(const Status& status) {
  int http_status = HttpStatusFor(status.code());
  if (request_.IsApi()) {
    nlohmann::json error = {{"code", std::string(StatusCodeName(status.code()))},
                            {"message_id", status.message_id()},
                            {"message", Format(status)}};
    if (!status.field().empty()) error["field"] = status.field();
    return Json(http_status, {{"error", error}});
  }
  std::string title = Message(ErrorTitleKey(http_status));
  return Page("http/error", title,
              {{"status", http_status}, {"message", Format(status)}, {"field", status.field()}},
              http_status);
}

Response RequestContext::Json(int status, const nlohmann::json& body) {
  return JsonResponse(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

App::App(storage::Database& database, AppOptions options)
    : database_(database),
      options_(std::move(options)),
      accounts_(database, options_.login_limits),
      sessions_(database) {}

Status App::Install(const std::vector<Module>& modules) {
  for (const Module& module : modules) {
    if (module.public_datasets) dataset_sources_.push_back(module.public_datasets);
    for (const Indicator& indicator : module.indicators) indicators_.push_back(indicator);
    if (module.audit_trail) audit_trails_.emplace_back(module.name, module.audit_trail);
    if (module.home_panel) home_panels_.push_back(module.home_panel);
    if (module.organisation_units) organisation_sources_.push_back(module.organisation_units);
    for (const Importer& importer : module.importers) importers_.push_back(importer);
  }
  for (const Module& module : modules) {
    if (!module.messages) continue;
    if (Status added = module.messages(messages_); !added.ok())
      return added.WithContext(module.name);
  }
  for (const Module& module : modules) {
    if (!module.install) continue;
    if (Status installed = module.install(*this); !installed.ok()) {
      return installed.WithContext(module.name);
    }
  }
  messages_.Finalize();
  return Status::Ok();
}

const Importer* App::FindImporter(std::string_view kind) const {
  for (const Importer& importer : importers_)
    if (importer.kind == kind) return &importer;
  return nullptr;
}

Status App::CheckSubmissionRate(const Request& request) {
  const int limit = options_.submissions_per_minute;
  if (limit <= 0) return Status::Ok();
  const int64_t minute = std::chrono::duration_cast<std::chrono::minutes>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  // One statement counts and answers, so concurrent submissions to any number of servers on
  // this database each get their own number.
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult counted,
      database_.Query("INSERT INTO http_submission_count (remote_address, minute, submissions)"
                      " VALUES (?, ?, 1) ON CONFLICT (remote_address, minute)"
                      " DO UPDATE SET submissions = http_submission_count.submissions + 1"
                      " RETURNING submissions",
                      {request.remote_address, minute}));
  const int64_t submissions = storage::AsInt(counted.rows[0][0]);
  if (submissions == 1) {
    // The address's first submission this minute clears its earlier minutes.
    CIVICDESK_RETURN_IF_ERROR(
        database_
            .Query("DELETE FROM http_submission_count WHERE remote_address = ? AND minute < ?",
                   {request.remote_address, minute})
            .status());
  }
  if (submissions <= limit) return Status::Ok();
  return Status::TooManyRequests("http.too_many_submissions");
}

Result<std::vector<PublicDataset>> App::PublicDatasets() {
  std::vector<PublicDataset> all;
  for (const auto& source : dataset_sources_) {
    Result<std::vector<PublicDataset>> datasets = source(*this);
    if (!datasets.ok()) return datasets.status();
    for (PublicDataset& dataset : *datasets) all.push_back(std::move(dataset));
  }
  return all;
}

Result<std::vector<std::string>> App::HomePanels(RequestContext& context) {
  std::vector<std::string> panels;
  for (const auto& panel : home_panels_) {
    Result<std::string> html = panel(context);
    if (!html.ok()) return html.status();
    if (!html->empty()) panels.push_back(std::move(*html));
  }
  return panels;
}

std::pair<std::string, std::vector<storage::Value>> AuditTrailStatement(
    std::string_view select_from, const AuditQuery& query) {
  std::string sql(select_from);
  std::vector<storage::Value> params;
  std::string where;
  auto condition = [&](std::string_view text) {
    where += where.empty() ? " WHERE " : " AND ";
    where += text;
  };
  if (query.before_id) {
    condition("id < ?");
    params.emplace_back(*query.before_id);
  }
  if (query.after_id) {
    condition("id > ?");
    params.emplace_back(*query.after_id);
  }
  if (!query.user.empty()) {
    condition("user_login = ?");
    params.emplace_back(query.user);
  }
  if (!query.action.empty()) {
    std::string pattern = "%";
    for (char c : query.action) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    pattern += '%';
    condition("action LIKE ? ESCAPE '\\'");
    params.emplace_back(pattern);
  }
  sql += where + (query.oldest_first ? " ORDER BY id LIMIT ?" : " ORDER BY id DESC LIMIT ?");
  params.emplace_back(static_cast<int64_t>(query.limit));
  return {sql, params};
}

Result<std::vector<AuditEntry>> App::AuditTrail(const std::map<std::string, int64_t>& after,
                                                size_t limit, const std::string& user,
                                                const std::string& action,
                                                std::map<std::string, int64_t>* next, bool* more) {
  // Each module's next limit + 1 records: the page and whether one follows, whatever the page.
  std::vector<std::vector<AuditEntry>> trails;
  for (const auto& [name, trail] : audit_trails_) {
    AuditQuery query{limit + 1, std::nullopt, user, action, std::nullopt, false};
    if (auto at = after.find(name); at != after.end()) query.before_id = at->second;
    Result<std::vector<AuditEntry>> entries = trail(database_, query);
    if (!entries.ok()) return entries.status();
    trails.push_back(std::move(*entries));
  }
  // Merged newest first (ties in module order). Each module's records are taken in its own
  // order (by id), so that where a page ends is, per module, the smallest id it showed.
  std::vector<size_t> taken(trails.size(), 0);
  std::vector<AuditEntry> page;
  if (next != nullptr) *next = after;
  if (more != nullptr) *more = false;
  while (true) {
    std::optional<size_t> newest;
    for (size_t t = 0; t < trails.size(); ++t) {
      if (taken[t] == trails[t].size()) continue;
      if (!newest || trails[t][taken[t]].at > trails[*newest][taken[*newest]].at) newest = t;
    }
    if (!newest) break;
    if (page.size() == limit) {
      if (more != nullptr) *more = true;
      break;
    }
    AuditEntry& entry = trails[*newest][taken[*newest]++];
    if (next != nullptr) (*next)[audit_trails_[*newest].first] = entry.id;
    page.push_back(std::move(entry));
  }
  return page;
}

Result<std::optional<std::map<std::string, int64_t>>> App::AuditPageBefore(
    const std::map<std::string, int64_t>& from, size_t limit, const std::string& user,
    const std::string& action) {
  // Each module's records newer than where this page starts, oldest first: the page before.
  std::vector<std::vector<AuditEntry>> trails;
  for (const auto& [name, trail] : audit_trails_) {
    auto at = from.find(name);
    if (at == from.end()) {
      trails.emplace_back();  // nothing of it shown yet: nothing of it is newer
      continue;
    }
    // Not yet shown on this page or after it: ids from where this page starts upwards.
    AuditQuery query{limit + 1, std::nullopt, user, action, at->second - 1, true};
    Result<std::vector<AuditEntry>> entries = trail(database_, query);
    if (!entries.ok()) return entries.status();
    trails.push_back(std::move(*entries));
  }
  // The forward merge walked backwards: oldest first, ties in reverse module order.
  std::vector<size_t> taken(trails.size(), 0);
  std::map<std::string, int64_t> start = from;
  size_t count = 0;
  while (true) {
    std::optional<size_t> oldest;
    for (size_t t = trails.size(); t-- > 0;) {
      if (taken[t] == trails[t].size()) continue;
      if (!oldest || trails[t][taken[t]].at < trails[*oldest][taken[*oldest]].at) oldest = t;
    }
    if (!oldest) return std::optional<std::map<std::string, int64_t>>();  // the first page
    if (count == limit) return std::optional<std::map<std::string, int64_t>>(start);
    const AuditEntry& entry = trails[*oldest][taken[*oldest]++];
    ++count;
    // The page before starts just above the newest record it shows, for each module.
    start[audit_trails_[*oldest].first] = entry.id + 1;
  }
}

std::string App::PublicUrl() const {
  std::string url = options_.public_url.empty() ? "http://localhost" : options_.public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

Result<std::vector<std::pair<std::string, std::string>>> App::OrganisationChart() {
  std::set<std::pair<std::string, std::string>> units;
  for (const auto& source : organisation_sources_) {
    CIVICDESK_ASSIGN_OR_RETURN(auto found, source(database_));
    units.insert(found.begin(), found.end());
  }
  CIVICDESK_ASSIGN_OR_RETURN(auto of_accounts, accounts_.Units());
  units.insert(of_accounts.begin(), of_accounts.end());
  return std::vector<std::pair<std::string, std::string>>(units.begin(), units.end());
}

const Indicator* App::FindIndicator(std::string_view id) const {
  for (const Indicator& indicator : indicators_)
    if (indicator.id == id) return &indicator;
  return nullptr;
}

// Visitors who are not signed in may get a public page from memory: the key is the target and
// the language cookie (?lang= itself answers with a cookie, so it is never cached). Empty: the
// request is never answered from memory.
std::string App::PageCacheKey(const Request& request) {
  if ((request.method != "GET" && request.method != "HEAD") ||
      request.Cookie(kSessionCookie).has_value() || request.query.count("lang")) {
    return "";
  }
  return request.target + "|" + request.Cookie(kLanguageCookie).value_or("ja");
}

std::optional<Response> App::KeptPage(const Request& request) {
  const std::string cache_key = PageCacheKey(request);
  if (cache_key.empty()) return std::nullopt;
  return page_cache_.Peek(cache_key);
}

Response App::Handle(Request request) {
  if (!request.parse_error.ok()) {
    Response response = TextResponse(400, messages_.FormatBoth(request.parse_error) + "\n");
    AddSecurityHeaders(response, false);
    return response;
  }
  // Only the caller the cache asks renders a kept page; it always hands back what it rendered.
  const std::string cache_key = PageCacheKey(request);
  bool render_claimed = false;
  if (!cache_key.empty()) {
    PageCache::Lookup cached = page_cache_.Find(cache_key);
    if (cached.response) return std::move(*cached.response);
    render_claimed = cached.render_claimed;
  }
  bool signed_in = false;
  Response response;
  try {
    response = Dispatch(request);
    signed_in = request.Cookie(kSessionCookie).has_value();
  } catch (const std::exception& error) {
    Log(LogLevel::kError,
        "unhandled error on " + request.method + " " + request.path + ": " + error.what());
    response = TextResponse(
        500, messages_.Get("ja", "error_500") + " / " + messages_.Get("en", "error_500") + "\n");
  }
  if (response.public_cache_seconds > 0) {
    response.AddHeader("Cache-Control",
                       "public, max-age=" + std::to_string(response.public_cache_seconds));
  }
  AddSecurityHeaders(response, signed_in);
  const bool sets_cookie =
      std::any_of(response.headers.begin(), response.headers.end(),
                  [](const auto& header) { return header.first == "Set-Cookie"; });
  if (!cache_key.empty() && response.public_cache_seconds > 0 && !sets_cookie && !response.stream &&
      response.status == 200) {
    page_cache_.Put(cache_key, response, std::chrono::seconds(response.public_cache_seconds));
  } else if (render_claimed) {
    page_cache_.Abandon(cache_key);
  }
  return response;
}

Response App::Answer(const Request& request, const RouteMatch& match, RequestContext& context,
                     const Status& session_status) {
  if (!session_status.ok()) {
    Log(LogLevel::kError, "session lookup failed: " + session_status.ToString());
    return context.Error(Status::Unavailable("http.unavailable"));
  }
  if (match.route == nullptr) {
    if (match.path_matched_other_method) {
      Response response = context.Error(
          Status::InvalidArgument("http.method_not_allowed", {{"method", request.method}}));
      response.status = 405;
      return response;
    }
    return context.Error(Status::NotFound("http.page_not_found", {{"path", request.path}}));
  }
  const http::Route& route = *match.route;
  if (!context.HasAccess(route.access)) {
    if (!context.principal() && !request.IsApi()) {
      return RedirectResponse("/login?next=" + PercentEncode(request.target));
    }
    return context.Error(context.principal() ? Status::PermissionDenied("http.permission_denied")
                                             : Status::Unauthenticated("http.sign_in"));
  }
  if (IsStateChanging(request.method) && route.csrf == CsrfPolicy::kJsonOnly &&
      request.Header("content-type").rfind("application/json", 0) != 0) {
    Response response = context.Error(Status::InvalidArgument("http.json_content_type"));
    response.status = 415;
    return response;
  }
  if (IsStateChanging(request.method) && route.csrf == CsrfPolicy::kRequireToken &&
      !CsrfTokenValid(context, request)) {
    return context.Error(Status::PermissionDenied("http.csrf_invalid"));
  }
  Result<Response> handled = route.handler(context);
  if (!handled.ok()) return context.Error(handled.status());
  Response response = std::move(handled).value();
  // Only a page that asked for it, rendered for nobody in particular, is kept.
  if (context.public_cache_seconds() > 0 && !context.principal() && !context.csrf_token_issued())
    response.public_cache_seconds = context.public_cache_seconds();
  return response;
}

Response App::Dispatch(Request& request) {
  std::string language = "ja";
  std::vector<std::pair<std::string, std::string>> language_cookie;
  std::optional<std::string> requested = request.QueryParam("lang");
  if (requested && (*requested == "ja" || *requested == "en")) {
    language = *requested;
    CookieOptions options;
    options.secure = options_.secure_cookies;
    options.max_age_seconds = 365 * 24 * 3600;
    language_cookie.emplace_back("Set-Cookie", SetCookieHeader(kLanguageCookie, language, options));
  } else if (std::optional<std::string> cookie = request.Cookie(kLanguageCookie);
             cookie && *cookie == "en") {
    language = "en";
  }

  std::optional<SessionData> session;
  Status session_status;
  if (std::optional<std::string> token = request.Cookie(kSessionCookie)) {
    Result<std::optional<SessionData>> found = sessions_.Find(*token);
    if (found.ok()) {
      session = std::move(*found);
    } else {
      session_status = found.status();
    }
  }

  RouteMatch match = router_.Match(request.method, request.path);
  request.path_params = match.params;
  RequestContext context(*this, request, language, std::move(session));
  for (auto& header : language_cookie) context.extra_headers().push_back(std::move(header));

  Response response = request.body_too_large ? BodyTooLarge(context)
                                             : Answer(request, match, context, session_status);
  for (auto& header : context.extra_headers()) response.headers.push_back(std::move(header));
  return response;
}

// A body over the server's limit: 413, as a page naming the limit in the reader's language (an
// upload on the import pages links back to them), or a JSON error under /api/.
Response App::BodyTooLarge(RequestContext& context) {
  const Request& request = context.request();
  const Status status(StatusCode::kInvalidArgument, "http.body_too_large_page",
                      {{"kb", std::to_string(request.body_limit_bytes / 1000)}});
  if (request.IsApi()) {
    return context.Json(413, {{"error", context.Format(status)}});
  }
  std::string back;
  for (std::string_view page : {"/staff/imports/tables", "/staff/imports"}) {
    if (back.empty() && request.path.rfind(page, 0) == 0) back = page;
  }
  return context.Page("http/body_too_large", context.Message("body_too_large_title"),
                      {{"words", context.Format(status)}, {"back", back}}, 413);
}

Status AddEmbeddedTemplates(App& app, std::string_view module_name,
                            const std::vector<std::string_view>& paths,
                            const EmbeddedFileFinder& find) {
  constexpr std::string_view kTemplates = "templates/";
  constexpr std::string_view kTemplateSuffix = ".mustache";
  for (std::string_view path : paths) {
    if (path.rfind(kTemplates, 0) != 0 || !path.ends_with(kTemplateSuffix)) continue;
    std::optional<std::string_view> content = find(path);
    if (!content) continue;
    std::string_view stem =
        path.substr(kTemplates.size(), path.size() - kTemplates.size() - kTemplateSuffix.size());
    CIVICDESK_RETURN_IF_ERROR(app.templates().Add(
        std::string(module_name) + "/" + std::string(stem), std::string(*content)));
  }
  return Status::Ok();
}

Status AddEmbeddedMessages(MessageCatalog& messages, std::string_view module_name,
                           const std::vector<std::string_view>& paths,
                           const EmbeddedFileFinder& find) {
  constexpr std::string_view kMessages = "messages/";
  constexpr std::string_view kMessageSuffix = ".json";
  for (std::string_view path : paths) {
    if (path.rfind(kMessages, 0) != 0 || !path.ends_with(kMessageSuffix)) continue;
    std::optional<std::string_view> content = find(path);
    if (!content) continue;
    std::string_view language =
        path.substr(kMessages.size(), path.size() - kMessages.size() - kMessageSuffix.size());
    CIVICDESK_RETURN_IF_ERROR(
        messages.Add(language, *content, std::string(module_name) + "/" + std::string(path)));
  }
  return Status::Ok();
}

Result<MessageCatalog> CatalogOf(const std::vector<Module>& modules) {
  MessageCatalog catalog;
  for (const Module& module : modules) {
    if (!module.messages) continue;
    if (Status added = module.messages(catalog); !added.ok()) return added.WithContext(module.name);
  }
  catalog.Finalize();
  return catalog;
}

}  // namespace civicdesk::http
