#include <nlohmann/json.hpp>

#include "text/handlers.h"

namespace civicdesk::text {

Result<http::Response> ApiSearch(http::RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<SearchHit> hits, RunSearch(context, false));
  nlohmann::json list = nlohmann::json::array();
  for (const SearchHit& hit : hits) {
    list.push_back({{"kind", hit.kind},
                    {"id", hit.ref_id},
                    {"title", hit.title},
                    {"url", hit.url},
                    {"snippet", hit.snippet_html},
                    {"score", hit.score}});
  }
  return context.Json(200, {{"hits", list}});
}

}  // namespace civicdesk::text
