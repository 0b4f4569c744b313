#ifndef CIVICDESK_CONSULTATION_NOTIFY_HANDLERS_H_
#define CIVICDESK_CONSULTATION_NOTIFY_HANDLERS_H_

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "http/app.h"

namespace civicdesk::consultation {

// The pages that delete an address left to hear back (notify_pages.cc).
Result<http::Response> NotificationPage(http::RequestContext& context);
Result<http::Response> DeleteNotification(http::RequestContext& context);
Result<http::Response> DeleteReceiptNotification(http::RequestContext& context);

// The Atom feeds (feeds.cc) and the links to them a page's <head> carries.
Result<http::Response> OpenConsultationsFeed(http::RequestContext& context);
Result<http::Response> ResultsFeed(http::RequestContext& context);
nlohmann::json FeedLinks(http::RequestContext& context);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_NOTIFY_HANDLERS_H_
