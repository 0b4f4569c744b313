#include <nlohmann/json.hpp>
#include <string>

#include "text/handlers.h"

namespace civicdesk::text {
namespace {

using nlohmann::json;

// One page for both audiences: the form, and the results once something was asked. A bad query
// is shown on the form (400), in the request's language.
Result<http::Response> SearchPage(http::RequestContext& context, bool staff_page) {
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
      data["error"] = {{"message", context.Format(hits.status())},
                       {"field", hits.status().field()}};
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

}  // namespace

Result<http::Response> PublicSearchPage(http::RequestContext& context) {
  return SearchPage(context, false);
}

Result<http::Response> StaffSearchPage(http::RequestContext& context) {
  return SearchPage(context, true);
}

}  // namespace civicdesk::text
