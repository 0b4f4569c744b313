// Publication in the staff console: the checks before publishing (what is missing, personal
// data to mask), publishing, and the analysis of form letters and similar opinions whose groups
// order the published table.
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "consultation/access.h"
#include "consultation/corrections.h"
#include "consultation/handlers.h"
#include "consultation/issuer.h"
#include "consultation/opinions_import.h"
#include "consultation/personal_data.h"
#include "consultation/publication.h"
#include "consultation/publishing.h"
#include "consultation/store.h"
#include "consultation/suggestions.h"
#include "consultation/views.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "text/analysis.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

// A publication problem in the request's language: what an item lacks fills {missing}.
std::string ProblemText(const RequestContext& context, const PublicationProblem& problem) {
  if (problem.missing.empty()) return context.Format(problem.problem);
  std::string missing;
  for (const std::string& key : problem.missing)
    missing += (missing.empty() ? "" : ", ") + context.Message(key);
  return context.Format(Status(problem.problem.code(), problem.problem.message_id(),
                               {{"missing", missing}}, problem.problem.field()));
}

// The publish page's period (publishing before its close needs an explicit early close, with
// the new closing day) and, once published, the corrections waiting for approval and the
// opinions that arrived after publication.
Status AddPeriodAndCorrections(RequestContext& context, const Consultation& consultation,
                               json& data) {
  storage::Database& database = context.app().database();
  const Date today = TodayInJapan();
  const std::map<std::string, std::string> form = context.request().method == "POST"
                                                      ? context.request().Form()
                                                      : std::map<std::string, std::string>{};
  auto sent = [&form](const std::string& key) {
    auto found = form.find(key);
    return found == form.end() ? std::string() : found->second;
  };
  data["period"] = {{"over", PeriodOver(consultation, today)},
                    {"closes", WarekiOf(consultation.closes_on)},
                    {"opens_iso", consultation.opens_on},
                    {"today_iso", FormatIsoDate(today)},
                    {"close_early", !sent("close_early").empty()},
                    {"close_early_on", sent("close_early_on").empty() ? FormatIsoDate(today)
                                                                      : sent("close_early_on")}};
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Correction> pending,
                             ListCorrections(database, consultation.id, "pending"));
  json corrections = json::array();
  for (const Correction& correction : pending) {
    json changed = json::array();
    for (const std::string& column : correction.changed)
      changed.push_back(context.Message("correction_column_" + column));
    corrections.push_back({{"id", correction.id},
                           {"item_id", correction.item_id},
                           {"reason", correction.reason},
                           {"requested_by", correction.requested_login},
                           {"changed", changed}});
  }
  data["pending_corrections"] = corrections;
  data["has_pending_corrections"] = !corrections.empty();
  CIVICDESK_ASSIGN_OR_RETURN(std::set<int64_t> late,
                             ItemsAfterPublication(database, consultation.id));
  data["after_publication"] = late.size();
  data["has_after_publication"] = !late.empty();
  return Status::Ok();
}

// The checks before publication; after a refused publication, with `error`'s words above them.
Result<Response> RenderPublish(RequestContext& context, const Status& error) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, id));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<PublicationProblem> problems,
                             CheckPublication(database, id));
  json list = json::array();
  for (const PublicationProblem& problem : problems) {
    list.push_back({{"number", problem.number},
                    {"item_id", problem.item_id},
                    {"problem", ProblemText(context, problem)},
                    {"is_item", problem.item_id != 0}});
  }
  // The open personal-data flags, each with its one-click mask (staff_personal_data.cc).
  CIVICDESK_ASSIGN_OR_RETURN(json personal_data, PersonalDataView(context, id));
  json data = {{"personal_data", personal_data},
               {"consultation",
                {{"id", consultation.id},
                 {"title", consultation.title},
                 {"published", consultation.state == "published"}}},
               {"problems", list},
               {"ready", problems.empty()}};
  CIVICDESK_RETURN_IF_ERROR(AddPeriodAndCorrections(context, consultation, data));
  // Who publishes it, and how the result then reads (issuer.h).
  json kinds = json::array();
  for (std::string_view kind : IssuerKinds()) {
    kinds.push_back({{"value", kind},
                     {"label", context.Message("issuer_kind_" + std::string(kind))},
                     {"selected", kind == consultation.issuer_kind}});
  }
  const json words =
      IssuerTexts([&context](std::string_view key) { return context.Message(key); }, consultation);
  data["issuer"] = {
      {"kinds", kinds},
      {"name", consultation.issuer_name},
      {"example", consultation.title + words["result_title_suffix"].get<std::string>()}};
  if (!error.ok()) data["error"] = context.Format(error);
  return context.Page("consultation/staff_publish", context.Message("staff_publish_title"), data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

// Campaigns (form letters) and similar-opinion groups of one consultation, with the group
// threshold as a query parameter; publishers save the groups, which then order publication.
Result<double> GroupThreshold(const std::string& text) {
  if (text.empty()) return text::AnalysisOptions{}.group_threshold;
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0 || value > 1)
    return Status::InvalidArgument("consultation.threshold_invalid", "threshold");
  return value;
}

Result<text::Analysis> AnalyzeConsultation(storage::Database& database, int64_t id,
                                           double threshold, std::vector<AnalysisItem>& items) {
  CIVICDESK_ASSIGN_OR_RETURN(items, ListAnalysisItems(database, id));
  std::vector<text::AnalysisInput> inputs;
  for (const AnalysisItem& item : items) inputs.push_back({item.text, item.response});
  text::AnalysisOptions options;
  options.group_threshold = threshold;
  return text::Analyze(inputs, options);
}

}  // namespace

Result<Response> PublishPage(RequestContext& context) {
  return RenderPublish(context, Status::Ok());
}

Result<Response> DoPublish(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  std::map<std::string, std::string> form = context.request().Form();
  PublishOptions options;
  // Closing the period early is explicit: the box ticked and the new closing day given.
  if (!form["close_early"].empty()) options.close_early_on = TrimSpaces(form["close_early_on"]);
  if (!form["close_early"].empty() && options.close_early_on.empty()) {
    return RenderPublish(context, Status::InvalidArgument("consultation.close_early_date_required",
                                                          "close_early_on"));
  }
  Status published = Publish(context.app().database(), id, ActorOf(context), options);
  if (!published.ok()) return RenderPublish(context, published);
  return http::RedirectResponse("/consultations/" + std::to_string(id) + "/result");
}

// The publish page's issuer form: issuer_kind (ward, city, …) and issuer_name.
Result<Response> SetIssuerFromForm(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  std::map<std::string, std::string> form = context.request().Form();
  Status set = SetIssuer(context.app().database(), id, form["issuer_kind"],
                         TrimSpaces(form["issuer_name"]), ActorOf(context));
  if (set.code() == StatusCode::kInvalidArgument) return RenderPublish(context, set);
  CIVICDESK_RETURN_IF_ERROR(set);
  return http::RedirectResponse("/staff/consultations/" + std::to_string(id) + "/publish#issuer");
}

Result<Response> Mask(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(context.app().database(), id));
  CIVICDESK_RETURN_IF_ERROR(MaskItem(context.app().database(), id, ActorOf(context)));
  return http::RedirectResponse("/staff/consultations/" + std::to_string(item.consultation_id) +
                                "/publish");
}

Result<Response> AnalysisPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, id));
  CIVICDESK_ASSIGN_OR_RETURN(
      double threshold, GroupThreshold(context.request().QueryParam("threshold").value_or("")));
  std::vector<AnalysisItem> items;
  CIVICDESK_ASSIGN_OR_RETURN(text::Analysis analysis,
                             AnalyzeConsultation(database, id, threshold, items));
  auto item_links = [&](const std::vector<size_t>& indices) {
    json links = json::array();
    for (size_t index : indices) {
      links.push_back(
          {{"id", items[index].item_id},
           {"label", items[index].external_id.empty() ? std::to_string(items[index].item_id)
                                                      : items[index].external_id}});
    }
    return links;
  };
  json campaigns = json::array();
  for (const text::Campaign& campaign : analysis.campaigns) {
    campaigns.push_back({{"size", campaign.items.size()},
                         {"exact", campaign.exact_copies},
                         {"template", items[campaign.template_item].text},
                         {"items", item_links(campaign.items)}});
  }
  json groups = json::array();
  for (const text::Group& group : analysis.groups) {
    std::string terms;
    for (const std::string& term : group.terms) terms += (terms.empty() ? "" : "、") + term;
    groups.push_back({{"size", group.items.size()},
                      {"terms", terms},
                      {"reason", context.Message("analysis_reason_" + group.reason)},
                      {"items", item_links(group.items)}});
  }
  char threshold_text[16];
  std::snprintf(threshold_text, sizeof(threshold_text), "%.2f", threshold);
  return context.Page("consultation/staff_analysis", context.Message("analysis_title"),
                      {{"consultation", {{"id", consultation.id}, {"title", consultation.title}}},
                       {"items", items.size()},
                       {"unique", analysis.unique_texts},
                       {"campaigns", campaigns},
                       {"has_campaigns", !campaigns.empty()},
                       {"groups", groups},
                       {"has_groups", !groups.empty()},
                       {"threshold", threshold_text}});
}

Result<Response> SaveGroupsFromForm(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  std::map<std::string, std::string> form = context.request().Form();
  CIVICDESK_ASSIGN_OR_RETURN(double threshold, GroupThreshold(form["threshold"]));
  storage::Database& database = context.app().database();
  std::vector<AnalysisItem> items;
  CIVICDESK_ASSIGN_OR_RETURN(text::Analysis analysis,
                             AnalyzeConsultation(database, id, threshold, items));
  CIVICDESK_RETURN_IF_ERROR(
      SaveGroups(database, id, GroupAssignments(analysis, items), ActorOf(context)));
  return http::RedirectResponse("/staff/consultations/" + std::to_string(id) + "/analysis");
}

}  // namespace civicdesk::consultation
