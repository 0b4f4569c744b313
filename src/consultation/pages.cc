// The public pages: consultations open and published, the published result and the home page's
// panel. The opinion form, its confirmation and the receipts are in opinion_form.cc.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "consultation/access.h"
#include "consultation/corrections.h"
#include "consultation/handlers.h"
#include "consultation/notify_handlers.h"
#include "consultation/setup.h"
#include "consultation/store.h"
#include "consultation/views.h"
#include "consultation/workflow.h"
#include "core/wareki.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

// The result's 訂正履歴: every approved correction with its date, the row's No (in the table of
// every item), what changed before and after, and the reason.
Status AddCorrectionHistory(RequestContext& context, storage::Database& database, int64_t id,
                            bool collapsed, const std::vector<PublishedRow>& rows, json& data) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Correction> approved,
                             ListCorrections(database, id, "approved"));
  data["has_corrections"] = !approved.empty();
  if (approved.empty()) return Status::Ok();
  std::vector<PublishedRow> every;
  if (collapsed) {
    CIVICDESK_ASSIGN_OR_RETURN(every, CollectRows(ResultRows(database, id, false)));
  }
  std::map<int64_t, int> numbers;
  for (const PublishedRow& row : collapsed ? every : rows) numbers[row.item_id] = row.number;
  json history = json::array();
  for (const Correction& correction : approved) {
    json view = CorrectionView(context, correction);
    view["number"] = numbers.count(correction.item_id) ? numbers[correction.item_id] : 0;
    history.push_back(view);
  }
  data["corrections"] = history;
  return Status::Ok();
}

}  // namespace

Result<Response> ListPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Consultation> consultations,
                             ListConsultations(context.app().database()));
  json open = json::array();
  json published = json::array();
  for (const Consultation& consultation : consultations) {
    if (IsOpen(consultation)) open.push_back(ConsultationView(context, consultation));
    if (consultation.state == "published")
      published.push_back(ConsultationView(context, consultation));
  }
  return context.Page("consultation/list", context.Message("consultations_title"),
                      {{"feeds", FeedLinks(context)},
                       {"open", open},
                       {"has_open", !open.empty()},
                       {"published", published},
                       {"has_published", !published.empty()}});
}

Result<Response> ResultPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, id));
  CIVICDESK_RETURN_IF_ERROR(MaySeeResult(context, consultation));
  CIVICDESK_ASSIGN_OR_RETURN(Summary summary, Summarize(database, id));
  const bool collapse = CollapseRequested(context);
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<PublishedRow> rows,
                             CollectRows(ResultRows(database, id, collapse)));
  json data = ResultView(context, consultation, summary, rows);
  data["preview"] = consultation.state != "published";
  data["collapsed"] = collapse;
  data["feeds"] = FeedLinks(context);
  CIVICDESK_RETURN_IF_ERROR(AddCorrectionHistory(context, database, id, collapse, rows, data));
  const std::string title =
      consultation.title + data["consultation"]["words"]["result_title_suffix"].get<std::string>();
  return context.Page("consultation/result", title, data);
}

// The home page's panel: consultations open now and the latest published results.
Result<std::string> HomePanel(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Consultation> consultations,
                             ListConsultations(context.app().database()));
  json open = json::array();
  std::vector<const Consultation*> published;
  for (const Consultation& consultation : consultations) {
    if (IsOpen(consultation)) open.push_back(ConsultationView(context, consultation));
    if (consultation.kind == "consultation" && consultation.state == "published")
      published.push_back(&consultation);
  }
  std::sort(published.begin(), published.end(), [](const Consultation* a, const Consultation* b) {
    return a->published_at > b->published_at;
  });
  json latest = json::array();
  for (size_t i = 0; i < published.size() && i < 3; ++i)
    latest.push_back(ConsultationView(context, *published[i]));
  return context.Fragment("consultation/home_panel", {{"open", open},
                                                      {"has_open", !open.empty()},
                                                      {"latest", latest},
                                                      {"has_latest", !latest.empty()}});
}

}  // namespace civicdesk::consultation
