#ifndef CIVICDESK_HTTP_APP_H_
#define CIVICDESK_HTTP_APP_H_

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "http/accounts.h"
#include "http/importers.h"
#include "http/message.h"
#include "http/page_cache.h"
#include "http/public_data.h"
#include "http/router.h"
#include "http/sessions.h"
#include "http/templates.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace civicdesk::http {

class App;

// Work a module does by itself while the site serves (`serve` runs each every `every`, on a
// thread of its own, the first time at start). Several servers may run it on one database at
// once: the task must be safe against itself.
struct BackgroundTask {
  std::string name;
  std::chrono::seconds every{60};
  std::function<Status(storage::Database&)> run;
};

// What one module contributes, declared in one place and listed explicitly in src/app/.
struct Module {
  std::string name;
  storage::ModuleMigrations migrations;
  // Adds the module's routes (its route table) and templates. Called once, before serving.
  std::function<Status(App&)> install;
  // Loads the module's shipped data into an empty database; a no-op when already loaded.
  // May be empty.
  std::function<Status(storage::Database&)> load_initial_data;
  // Loads what every database must hold whatever command created it (the built-in facility
  // policies, say): run by every command after migrating, under the start-up lock; a no-op
  // when present. May be empty.
  std::function<Status(storage::Database&)> load_builtin_data;
  // The module's public datasets, for the open-data catalog. May be empty.
  std::function<Result<std::vector<PublicDataset>>(App&)> public_datasets;
  // Figures the module measures that plan KPIs can be fed from.
  std::vector<Indicator> indicators;
  // A panel for the public home page (an HTML fragment from the module's own templates), e.g.
  // open consultations. May be empty.
  std::function<Result<std::string>(RequestContext&)> home_panel;
  // The module's audit trail as `query` asks (public_data.h, AuditTrailStatement), newest
  // first, each entry with its id. May be empty.
  std::function<Result<std::vector<AuditEntry>>(storage::Database&, const AuditQuery&)> audit_trail;
  // Adds the module's message catalogs (also used by the command line, which has no App).
  std::function<Status(MessageCatalog&)> messages;
  // The (部, 課) the module knows (the consultation's responding sections, KPI owners): staff
  // accounts are placed in the union of these. May be empty.
  std::function<Result<std::vector<std::pair<std::string, std::string>>>(storage::Database&)>
      organisation_units;
  // What the module does by itself while serving. May be empty.
  std::vector<BackgroundTask> background_tasks;
  // The tables staff may import on the import page (importers.h). May be empty.
  std::vector<Importer> importers;
};

struct AppOptions {
  bool secure_cookies = false;  // set behind TLS: cookies get the Secure attribute
  LoginLimits login_limits;
  // Opinions accepted per client address per minute (public form and API); 0: no limit.
  int submissions_per_minute = 0;
  // The site's public base URL ("https://opendata.example.jp", no trailing /): the start of
  // every absolute URL the site gives (CKAN resource URLs, DCAT), never the request's Host
  // header. `serve --public-url`; the command line defaults it to http://HOST:PORT. Empty:
  // http://localhost.
  std::string public_url;
};

// Everything a handler sees of one request: who is asking, in which language, the CSRF token
// for forms, and helpers that render pages and errors consistently.
class RequestContext {
 public:
  RequestContext(App& app, const Request& request, std::string language,
                 std::optional<SessionData> session);

  const Request& request() const { return request_; }
  App& app() { return app_; }
  const std::string& language() const { return language_; }
  const std::optional<Principal>& principal() const { return principal_; }

  // The token forms must echo as csrf_token: the session's when signed in, otherwise a
  // per-browser token kept in an HttpOnly cookie (set on this response when new).
  const std::string& csrf_token();

  // A UI string in the request's language (Japanese fallback).
  std::string Message(std::string_view key) const;

  // The words of a failed Status in the request's language (MessageCatalog::Format).
  std::string Format(const Status& status) const;

  // Path parameter `name` as a positive whole number; InvalidArgument naming it otherwise.
  Result<int64_t> PathId(std::string_view name) const;

  // True when the signed-in principal (if any) may call a route declared with `access`.
  bool HasAccess(Access access) const;

  // Renders `template_name` alone (no layout) with msg and lang added: a fragment of a page.
  Result<std::string> Fragment(std::string_view template_name, nlohmann::json data) const;

  // Renders `template_name` inside the site layout. `data` gets msg, lang, csrf_token, user.
  Response Page(std::string_view template_name, const std::string& title, nlohmann::json data,
                int status = 200);

  // An error as a page (or as JSON under /api/): the status's HTTP code and its words in the
  // request's language. Handlers return the Status instead; App calls this.
  Response Error(const Status& status);

  Response Json(int status, const nlohmann::json& body);

  // Declares that this page is the same for every visitor who is not signed in, so its response
  // may be served from memory for `seconds`. Such a page carries no CSRF token: it has no form
  // that posts.
  void AllowPublicCache(int seconds) { public_cache_seconds_ = seconds; }
  int public_cache_seconds() const { return public_cache_seconds_; }
  bool csrf_token_issued() const { return !csrf_token_.empty(); }

  // Cookies and headers to add to whatever response the handler returns.
  std::vector<std::pair<std::string, std::string>>& extra_headers() { return extra_headers_; }

 private:
  App& app_;
  const Request& request_;
  std::string language_;
  std::optional<Principal> principal_;
  std::string csrf_token_;
  std::vector<std::pair<std::string, std::string>> extra_headers_;
  int public_cache_seconds_ = 0;
};

// The web application: modules install routes, templates and messages into it; Handle turns
// one request into one response and never throws (a bug becomes a logged 500).
class App {
 public:
  App(storage::Database& database, AppOptions options);

  storage::Database& database() { return database_; }
  Router& router() { return router_; }
  TemplateEngine& templates() { return templates_; }
  MessageCatalog& messages() { return messages_; }
  Accounts& accounts() { return accounts_; }
  Sessions& sessions() { return sessions_; }
  const AppOptions& options() const { return options_; }
  // AppOptions::public_url without a trailing /, or http://localhost when none is set.
  std::string PublicUrl() const;

  // Installs each module; then resolves message fallbacks. Call once before serving.
  Status Install(const std::vector<Module>& modules);

  Response Handle(Request request);
  // The public page Handle would give from memory at once, if there is one (never renders,
  // never waits): for ServerOptions::answer_at_once.
  std::optional<Response> KeptPage(const Request& request);

  // kTooManyRequests when the request's address has used up its submissions for the minute
  // (AppOptions::submissions_per_minute); otherwise counts this one. Counted in the database, so
  // the limit holds across every server on it; a refused submission counts too.
  Status CheckSubmissionRate(const Request& request);

  // Every installed module's public datasets, in module order.
  Result<std::vector<PublicDataset>> PublicDatasets();
  // The home-page panels of every module, in module order (see Module::home_panel).
  Result<std::vector<std::string>> HomePanels(RequestContext& context);

  // One page of every module's audit records, newest first (by time, then module order): at most
  // `limit` records after `after` (where the previous page ended: per module, the smallest id
  // shown so far; a module not in it starts from its newest), of `user` and `action` as in
  // AuditQuery. `next` receives where this page ends and `more` whether records follow. Each
  // module is asked for limit + 1 records, however far the page.
  Result<std::vector<AuditEntry>> AuditTrail(const std::map<std::string, int64_t>& after,
                                             size_t limit, const std::string& user,
                                             const std::string& action,
                                             std::map<std::string, int64_t>* next, bool* more);
  // Where the page before the one starting at `from` starts (same `limit`, `user` and
  // `action`): empty optional when it is the first page. Costs one page of rows per module.
  Result<std::optional<std::map<std::string, int64_t>>> AuditPageBefore(
      const std::map<std::string, int64_t>& from, size_t limit, const std::string& user,
      const std::string& action);

  // The organisation chart staff accounts are placed in: every module's units and those of the
  // existing accounts, by 部 then 課, each once.
  Result<std::vector<std::pair<std::string, std::string>>> OrganisationChart();

  // The installed indicator with this id; nullptr when no module measures it.
  const Indicator* FindIndicator(std::string_view id) const;

  // Every installed module's importers (Module::importers), in module order; the one of `kind`,
  // or nullptr.
  const std::vector<Importer>& importers() const { return importers_; }
  const Importer* FindImporter(std::string_view kind) const;

 private:
  static std::string PageCacheKey(const Request& request);
  Response Dispatch(Request& request);
  Response BodyTooLarge(RequestContext& context);
  // Access, CSRF, the handler and its failure as an error page: one request after its session
  // and route are known.
  Response Answer(const Request& request, const RouteMatch& match, RequestContext& context,
                  const Status& session_status);

  storage::Database& database_;
  AppOptions options_;
  Router router_;
  TemplateEngine templates_;
  MessageCatalog messages_;
  Accounts accounts_;
  Sessions sessions_;
  std::vector<std::function<Result<std::vector<PublicDataset>>(App&)>> dataset_sources_;
  std::vector<Indicator> indicators_;
  std::vector<Importer> importers_;
  std::vector<
      std::function<Result<std::vector<std::pair<std::string, std::string>>>(storage::Database&)>>
      organisation_sources_;
  std::vector<std::function<Result<std::string>(RequestContext&)>> home_panels_;
  // (module name, audit trail)
  std::vector<std::pair<std::string, std::function<Result<std::vector<AuditEntry>>(
                                         storage::Database&, const AuditQuery&)>>>
      audit_trails_;
  PageCache page_cache_;
};

// Names of the cookies the site sets.
inline constexpr std::string_view kSessionCookie = "civicdesk_session";
inline constexpr std::string_view kCsrfCookie = "civicdesk_csrf";
inline constexpr std::string_view kLanguageCookie = "civicdesk_lang";

// `handler` as a page whose response may be served from memory to visitors who are not signed
// in, for `seconds` (RequestContext::AllowPublicCache). For pages without forms that show the same
// to everyone; what staff change shows there within `seconds`.
inline Handler PublicCache(int seconds, Handler handler) {
  return [seconds, handler = std::move(handler)](RequestContext& context) {
    context.AllowPublicCache(seconds);
    return handler(context);
  };
}

// How long public pages are served from memory.
inline constexpr int kPublicPageSeconds = 5;

// Finds an embedded file's content by its path; nullopt when absent.
using EmbeddedFileFinder = std::function<std::optional<std::string_view>(std::string_view)>;

// Adds a module's templates embedded as "templates/NAME.mustache" (as "MODULE/NAME").
Status AddEmbeddedTemplates(App& app, std::string_view module_name,
                            const std::vector<std::string_view>& paths,
                            const EmbeddedFileFinder& find);

// Adds a module's message catalogs embedded as "messages/LANG.json".
Status AddEmbeddedMessages(MessageCatalog& messages, std::string_view module_name,
                           const std::vector<std::string_view>& paths,
                           const EmbeddedFileFinder& find);

// Every module's catalogs, finalized: the words of the command line's errors.
Result<MessageCatalog> CatalogOf(const std::vector<Module>& modules);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_APP_H_
