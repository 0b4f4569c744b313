#ifndef CIVICDESK_TEXT_HANDLERS_H_
#define CIVICDESK_TEXT_HANDLERS_H_

#include <array>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/app.h"
#include "text/search_index.h"

// The handlers the route table of text_module.cc names, and what they share.
namespace civicdesk::text {

// pages.cc: the search page, public (/search: published material) and for staff (/staff/search:
// everything the signed-in staff member may see).
Result<http::Response> PublicSearchPage(http::RequestContext& context);
Result<http::Response> StaffSearchPage(http::RequestContext& context);

// api.cc: GET /api/v1/search?q=&kind=, whose audience follows the session.
Result<http::Response> ApiSearch(http::RequestContext& context);

// search_request.cc: the kinds of document one may search for, and the search itself (?q=,
// ?kind=) as the request's audience may see it. InvalidArgument names q or kind.
inline constexpr std::array<std::string_view, 3> kKinds = {"opinion", "response", "plan"};
Result<std::vector<SearchHit>> RunSearch(http::RequestContext& context, bool staff_page);

}  // namespace civicdesk::text

#endif  // CIVICDESK_TEXT_HANDLERS_H_
