// The published text on an item's page (published_text.h): the difference from the original
// that staff read, and the editor in which they change what is published (a name to ○○, an
// address removed). Saving needs MayEditItem; for an item of a published result it requests a
// correction with its reason (corrections.h), which a publisher approves.
#include <nlohmann/json.hpp>

#include "consultation/access.h"
#include "consultation/corrections.h"
#include "consultation/handlers.h"
#include "consultation/published_text.h"
#include "consultation/publishing.h"
#include "consultation/workflow.h"

namespace civicdesk::consultation {

using http::RequestContext;
using http::Response;
using nlohmann::json;

Result<json> PublishedTextSection(RequestContext& context, const Item& item) {
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(PublishedTextView view, GetPublishedText(database, item.id));
  CIVICDESK_ASSIGN_OR_RETURN(bool published, InPublishedResult(database, item.id));
  json parts = json::array();
  for (const PublishedTextView::Part& part : view.parts) {
    parts.push_back({{"changed", part.changed},
                     {"original", part.text.original},
                     {"published", part.text.published},
                     {"removed", part.changed && !part.text.original.empty()},
                     {"added", part.changed && !part.text.published.empty()}});
  }
  std::string editing = view.published;
  // A refused save keeps what the staff member typed.
  if (context.request().method == "POST") {
    std::map<std::string, std::string> form = context.request().Form();
    if (form.count("published_text")) editing = form["published_text"];
  }
  return json{
      {"parts", parts},
      {"changed", view.changes > 0},
      {"changes", view.changes},
      {"text", editing},
      {"saved", context.request().QueryParam("saved").value_or("") == "text"},
      {"frozen", published},
      {"reason", context.request().method == "POST" ? context.request().Form()["correction_reason"]
                                                    : std::string()},
      {"can_edit", MayEditItem(context, item).ok()}};
}

Result<Response> SavePublishedText(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(database, id));
  CIVICDESK_RETURN_IF_ERROR(MayEditItem(context, item));
  std::map<std::string, std::string> form = context.request().Form();
  CIVICDESK_ASSIGN_OR_RETURN(bool published, InPublishedResult(database, id));
  if (published) {
    // Frozen: the change is a correction, published once a publisher approves it.
    ItemUpdate change;
    change.published_text = form["published_text"];
    Result<int64_t> requested =
        RequestCorrection(database, id, change, form["correction_reason"], ActorOf(context));
    if (!requested.ok()) return ItemPageWithError(context, requested.status());
    return http::RedirectResponse("/staff/items/" + std::to_string(id) + "#corrections");
  }
  Status saved = SetPublishedText(database, id, form["published_text"], ActorOf(context));
  if (!saved.ok()) return ItemPageWithError(context, saved);
  return http::RedirectResponse("/staff/items/" + std::to_string(id) +
                                "?saved=text#published-text");
}

}  // namespace civicdesk::consultation
