// The consultation's Atom feeds (http/atom.h): the consultations open for opinions, and the
// results published (「区民意見に対する区の考え方」). Each entry's id is the consultation's tag,
// the same whatever its title becomes; its time, the day it opened (in Japan) or when its result
// was published. The list page and each result page link to them (FeedLinks).
#include "consultation/handlers.h"
#include "consultation/notify_handlers.h"
#include "consultation/store.h"
#include "consultation/views.h"
#include "core/date.h"
#include "core/wareki.h"
#include "http/atom.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;

http::AtomFeed FeedOf(RequestContext& context, const std::string& name,
                      const std::string& title_key, const std::string& path,
                      const std::string& page) {
  const std::string base = context.app().PublicUrl();
  http::AtomFeed feed;
  feed.id = http::AtomTag(base, "consultation/" + name);
  feed.title = context.Message(title_key) + " | " + context.Message("site_name");
  feed.language = context.language();
  feed.author = context.Message("site_owner");
  feed.self = base + path;
  feed.page = base + page;
  feed.updated = NowIso8601Utc();
  return feed;
}

}  // namespace

nlohmann::json FeedLinks(RequestContext& context) {
  return nlohmann::json::array(
      {{{"href", "/consultations.atom"}, {"title", context.Message("feed_open_title")}},
       {{"href", "/consultations/results.atom"},
        {"title", context.Message("feed_results_title")}}});
}

Result<Response> OpenConsultationsFeed(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Consultation> consultations,
                             ListConsultations(context.app().database()));
  http::AtomFeed feed =
      FeedOf(context, "open", "feed_open_title", "/consultations.atom", "/consultations");
  // The feed says when the newest entry changed; with none, when it was asked.
  bool any = false;
  for (const Consultation& consultation : consultations) {
    if (consultation.kind != "consultation" || !IsOpen(consultation)) continue;
    const std::string id = std::to_string(consultation.id);
    feed.entries.push_back(
        {http::AtomTag(context.app().PublicUrl(), "consultation/" + id), consultation.title,
         http::Rfc3339Of(consultation.opens_on), context.app().PublicUrl() + "/consultations/" + id,
         context.Message("feed_open_period") + ": " + DateOf(context, consultation.opens_on) +
             " – " + DateOf(context, consultation.closes_on)});
    if (!any) feed.updated.clear();
    any = true;
  }
  return http::AtomResponse(feed);
}

Result<Response> ResultsFeed(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Consultation> consultations,
                             ListConsultations(context.app().database()));
  http::AtomFeed feed = FeedOf(context, "results", "feed_results_title",
                               "/consultations/results.atom", "/consultations");
  bool any = false;
  for (const Consultation& consultation : consultations) {
    if (consultation.kind != "consultation" || consultation.state != "published") continue;
    const std::string id = std::to_string(consultation.id);
    feed.entries.push_back(
        {http::AtomTag(context.app().PublicUrl(), "consultation/" + id + "/result"),
         consultation.title,
         http::Rfc3339Of(consultation.published_at.empty() ? consultation.closes_on
                                                           : consultation.published_at),
         context.app().PublicUrl() + "/consultations/" + id + "/result",
         context.Message("feed_results_published") + ": " +
             FormatTimestampIn(context.language(), consultation.published_at)});
    if (!any) feed.updated.clear();
    any = true;
  }
  return http::AtomResponse(feed);
}

}  // namespace civicdesk::consultation
