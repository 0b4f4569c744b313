// The pages that delete an address left to hear back (notifications.h): the link in every mail
// (/notifications/{token}: a page saying which address, masked, and a button) and the button on
// the receipt page. A token is 32 random bytes; only its SHA-256 is stored, and deleting the
// address deletes its tokens, so a link acts once and only on its own address.
#include "consultation/handlers.h"
#include "consultation/intake.h"
#include "consultation/notifications.h"
#include "consultation/notify_handlers.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;

Result<TokenSubscription> PathSubscription(RequestContext& context) {
  const std::string token = context.request().PathParam("token");
  // Anything but a token is as unknown as a token never issued: no oracle.
  if (!IsFormToken(token)) return Status::NotFound("consultation.notify_token_unknown");
  return SubscriptionOfToken(context.app().database(), token);
}

}  // namespace

Result<Response> NotificationPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(TokenSubscription subscription, PathSubscription(context));
  nlohmann::json data = {{"masked", subscription.masked},
                         {"consultation_title", subscription.consultation_title},
                         {"action", context.request().path}};
  return context.Page("consultation/notification", context.Message("notify_page_title"), data);
}

Result<Response> DeleteNotification(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(TokenSubscription subscription, PathSubscription(context));
  CIVICDESK_RETURN_IF_ERROR(
      DeleteSubscription(context.app().database(), subscription.id, "requested"));
  nlohmann::json data = {{"masked", subscription.masked}, {"deleted", true}};
  return context.Page("consultation/notification", context.Message("notify_page_title"), data);
}

Result<Response> DeleteReceiptNotification(RequestContext& context) {
  const std::string receipt = NormalizeReceiptNumber(context.request().PathParam("receipt"));
  CIVICDESK_ASSIGN_OR_RETURN(bool deleted,
                             DeleteSubscriptionOfReceipt(context.app().database(), receipt));
  if (!deleted) return Status::NotFound("consultation.notify_none");
  return http::RedirectResponse("/receipts/" + receipt + "?notification=deleted");
}

}  // namespace civicdesk::consultation
