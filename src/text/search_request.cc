#include <algorithm>
#include <optional>
#include <string>

#include "text/handlers.h"

namespace civicdesk::text {
namespace {

// Who the results are for: the public on public pages; staff (a section's, or all) on the staff
// page and in the API when signed in.
SearchScope ScopeOf(http::RequestContext& context, bool staff_page) {
  const auto& principal = context.principal();
  if (!principal) return {SearchScope::Audience::kPublic, ""};
  if (!staff_page && !context.request().IsApi()) return {SearchScope::Audience::kPublic, ""};
  if (principal->role == http::Role::kSectionStaff)
    return {SearchScope::Audience::kSection, principal->department + "/" + principal->section};
  return {SearchScope::Audience::kAllStaff, ""};
}

}  // namespace

Result<std::vector<SearchHit>> RunSearch(http::RequestContext& context, bool staff_page) {
  const std::string kind = context.request().QueryParam("kind").value_or("");  // "": any
  if (!kind.empty() && std::find(kKinds.begin(), kKinds.end(), kind) == kKinds.end())
    return Status::InvalidArgument("text.kind_invalid", {{"value", kind}}, "kind");
  SearchRequest request;
  request.query = context.request().QueryParam("q").value_or("");
  if (!kind.empty()) request.kind = kind;
  request.scope = ScopeOf(context, staff_page);
  request.limit = 50;
  return SearchIndex::For(context.app().database()).Search(request);
}

}  // namespace civicdesk::text
