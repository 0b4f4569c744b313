#include "text/text_module.h"

#include <nlohmann/json.hpp>

#include "embedded/text_files.h"
#include "text/search_index.h"

namespace civicdesk::text {
namespace {

using http::RequestContext;
using http::Response;
using http::Role;
using nlohmann::json;

constexpr std::array<std::string_view, 3> kKinds = {"opinion", "response", "plan"};

SearchScope ScopeOf(RequestContext& context, bool staff_page) {
  const auto& principal = context.principal();
  if (!principal) return {SearchScope::Audience::kPublic, ""};
  if (!staff_page && !context.request().IsApi()) return {SearchScope::Audience::kPublic, ""};
  if (principal->role == Role::kSectionStaff)
    return {SearchScope::Audience::kSection, principal->department + "/" + principal->section};
  return {SearchScope::Audience::kAllStaff, ""};
}

// The search itself, shared by the API and the pages. InvalidArgument names q or kind.
Result<std::vector<SearchHit>> RunSearch(RequestContext& context, bool staff_page) {
  std::optional<std::string> kind = context.request().QueryParam("kind");
  if (kind && kind->empty()) kind.reset();
  if (kind && std::find(kKinds.begin(), kKinds.end(), *kind) == kKinds.end()) {
    return Status::InvalidArgument(
        "kind は opinion, response, plan のいずれかです / kind must be opinion, response or plan",
        "kind");
  }
  SearchRequest request;
  request.query = context.request().QueryParam("q").value_or("");
  request.kind = kind;
  request.scope = ScopeOf(context, staff_page);
  request.limit = 50;
  return SearchIndex::For(context.app().database()).Search(request);
}

Response ApiSearch(RequestContext& context) {
  Result<std::vector<SearchHit>> hits = RunSearch(context, false);
  if (!hits.ok()) return context.Error(hits.status());
  json list = json::array();
  for (const SearchHit& hit : *hits) {
    list.push_back({{"kind", hit.kind},
                    {"id", hit.ref_id},
                    {"title", hit.title},
                    {"url", hit.url},
                    {"snippet", hit.snippet_html},
                    {"score", hit.score}});
  }
  return context.Json(200, {{"hits", list}});
}

Response SearchPage(RequestContext& context, bool staff_page) {
  if (staff_page) {
    Status allowed = context.RequireRole({Role::kAdmin, Role::kPublisher, Role::kSectionStaff});
    if (!allowed.ok()) {
      if (allowed.code() == StatusCode::kUnauthenticated) return http::RedirectResponse("/login");
      return context.Error(allowed);
    }
  }
  const std::string query = context.request().QueryParam("q").value_or("");
  const std::string kind = context.request().QueryParam("kind").value_or("");
  json kinds = json::array();
  for (std::string_view option : kKinds) {
    kinds.push_back({{"value", std::string(option)},
                     {"label", context.Message("search_kind_" + std::string(option))},
                     {"selected", kind == option}});
  }
  json data = {{"query", query},
               {"kinds", kinds},
               {"action", staff_page ? "/staff/search" : "/search"},
               {"staff", staff_page}};
  int status = 200;
  if (!query.empty()) {
    Result<std::vector<SearchHit>> hits = RunSearch(context, staff_page);
    if (!hits.ok()) {
      data["error"] = {{"message", hits.status().message()}, {"field", hits.status().field()}};
      status = 400;
    } else {
      json list = json::array();
      for (const SearchHit& hit : *hits) {
        list.push_back(
            {{"kind", context.Message("search_kind_" + hit.kind)},
             {"title", hit.title.empty() ? context.Message("search_untitled") : hit.title},
             {"url", hit.url},
             {"snippet", hit.snippet_html}});
      }
      data["hits"] = list;
      data["searched"] = true;
      data["count"] = list.size();
      data["none"] = list.empty();
    }
  }
  return context.Page("text/search", context.Message("search_title"), data, status);
}

Status Install(http::App& app) {
  Status added = http::AddEmbeddedTemplatesAndMessages(app, "text", text_files::EmbeddedFilePaths(),
                                                       text_files::FindEmbeddedFile);
  if (!added.ok()) return added;
  http::Router& router = app.router();
  router.Get("/search", [](RequestContext& context) { return SearchPage(context, false); });
  router.Get("/staff/search", [](RequestContext& context) { return SearchPage(context, true); });
  router.Get("/api/v1/search", ApiSearch);
  return Status::Ok();
}

}  // namespace

http::Module TextModule() { return {"text", SearchIndex::Migrations(), Install, nullptr}; }

}  // namespace civicdesk::text
