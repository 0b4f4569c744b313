// One item in the staff console: its page with the response editor (similar opinions' answers,
// classification suggestions), saving it, accepting a suggestion and approving it; and splitting
// a submission into items or merging them back.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "consultation/access.h"
#include "consultation/handlers.h"
#include "consultation/store.h"
#include "consultation/suggestions.h"
#include "consultation/views.h"
#include "consultation/workflow.h"
#include "core/text_normalize.h"
#include "text/analysis.h"
#include "text/normalize.h"
#include "text/tokenizer.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

std::string ItemAddress(int64_t id) { return "/staff/items/" + std::to_string(id); }

// The responses of the items most like this one (shared character bigrams, Dice ≥ 0.4), best
// first, at most 3: what the response editor offers first. Consultations of more than
// kMaxItemsCompared items are not compared on each page view.
constexpr size_t kMaxItemsCompared = 5000;
// Below this, short opinions match on their endings alone (「…を増やしてください」).
constexpr double kSimilarAnswerDice = 0.4;

Result<json> SimilarAnswers(storage::Database& database, const Item& item) {
  json similar = json::array();
  CIVICDESK_ASSIGN_OR_RETURN(int64_t count, CountItems(database, item.consultation_id));
  if (static_cast<size_t>(count) > kMaxItemsCompared) return similar;
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Item> items, ListItems(database, item.consultation_id));
  const std::string folded = text::FoldForMatching(item.text);
  std::vector<std::pair<double, const Item*>> scored;
  for (const Item& other : items) {
    if (other.id == item.id || other.response_id == 0 || other.response_id == item.response_id)
      continue;
    const double dice = text::CharacterBigramDice(folded, text::FoldForMatching(other.text));
    if (dice >= kSimilarAnswerDice) scored.emplace_back(dice, &other);
  }
  std::sort(scored.begin(), scored.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::set<int64_t> responses_seen;
  for (const auto& [dice, other] : scored) {
    if (!responses_seen.insert(other->response_id).second) continue;
    similar.push_back({{"response_id", other->response_id},
                       {"item_id", other->id},
                       {"item_text", Excerpt(other->text, 50)},
                       {"response", Excerpt(other->response, 60)},
                       {"percent", static_cast<int>(dice * 100 + 0.5)}});
    if (similar.size() >= 3) break;
  }
  return similar;
}

// The item's page; after a refused save, with `error`'s words above the form (and its status).
Result<Response> RenderItem(RequestContext& context, const Status& error) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(database, id));
  CIVICDESK_RETURN_IF_ERROR(MaySeeItem(context, item));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<FieldOption> fields,
                             ListFields(database, item.consultation_id));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<SectionRef> units, ListOrgUnits(database));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<ResponseOption> responses,
                             ListResponses(database, item.consultation_id));
  json field_options = json::array();
  for (const FieldOption& field : fields) {
    bool checked =
        std::find(item.field_ids.begin(), item.field_ids.end(), field.id) != item.field_ids.end();
    field_options.push_back({{"id", field.id}, {"label", field.label}, {"checked", checked}});
  }
  json section_options = json::array();
  int index = 0;
  for (const SectionRef& unit : units) {
    bool checked =
        std::find(item.sections.begin(), item.sections.end(), unit) != item.sections.end();
    section_options.push_back({{"value", unit.first + "/" + unit.second},
                               {"label", unit.first + " " + unit.second},
                               {"checked", checked},
                               {"index", ++index}});
  }
  json response_options = json::array();
  for (const ResponseOption& response : responses) {
    if (response.id == item.response_id) continue;
    response_options.push_back(
        {{"id", response.id}, {"text", Excerpt(response.text, 60)}, {"items", response.items}});
  }
  CIVICDESK_ASSIGN_OR_RETURN(json similar, SimilarAnswers(database, item));
  json statuses = json::array();
  for (int status = 1; status <= 5; ++status) {
    statuses.push_back({{"value", status},
                        {"label", std::string(kStatusLegend[status - 1])},
                        {"checked", item.status == status}});
  }
  const bool can_route = MayRoute(context).ok();
  json data = {{"item",
                {{"id", item.id},
                 {"consultation_id", item.consultation_id},
                 {"text", item.text},
                 {"channel", ChannelDisplay(item.channel, item.district)},
                 {"response", item.response},
                 {"approved", item.approved},
                 {"answered", item.response_id != 0 && item.status.has_value()}}},
               {"fields", field_options},
               {"sections", section_options},
               {"can_route", can_route},
               {"can_approve", context.HasAccess(http::Access::kPublisher)},
               {"responses", response_options},
               {"similar", similar},
               {"has_similar", !similar.empty()},
               {"has_responses", !response_options.empty()},
               {"statuses", statuses}};
  // Classification suggestions while the item lacks a field or a section.
  Result<std::vector<ItemSuggestion>> suggested =
      SuggestClassification(database, item.consultation_id, item.id);
  if (suggested.ok() && !suggested->empty()) {
    auto percent = [](double score) { return std::to_string(static_cast<int>(score * 100 + 0.5)); };
    json field_suggestions = json::array(), section_suggestions = json::array();
    for (const text::Prediction& prediction : suggested->front().fields)
      field_suggestions.push_back(
          {{"label", prediction.label}, {"percent", percent(prediction.score)}});
    if (can_route) {
      for (const text::Prediction& prediction : suggested->front().sections) {
        section_suggestions.push_back({{"value", prediction.label},
                                       {"label", prediction.label},
                                       {"percent", percent(prediction.score)}});
      }
    }
    data["suggested_fields"] = field_suggestions;
    data["suggested_sections"] = section_suggestions;
    data["has_suggestions"] = !field_suggestions.empty() || !section_suggestions.empty();
  }
  if (!error.ok()) data["error"] = {{"message", context.Format(error)}, {"field", error.field()}};
  return context.Page("consultation/staff_item",
                      context.Message("staff_item_title") + " " + std::to_string(item.id), data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

// The submission's page with the split form; after a refused split, with `error`'s words.
Result<Response> RenderSplit(RequestContext& context, const Status& error) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_ASSIGN_OR_RETURN(Submission submission, GetSubmission(context.app().database(), id));
  json data = {{"submission",
                {{"id", submission.id},
                 {"consultation_id", submission.consultation_id},
                 {"receipt", submission.receipt},
                 {"text", submission.text},
                 {"items", submission.active_items}}}};
  if (!error.ok()) data["error"] = {{"message", context.Format(error)}, {"field", error.field()}};
  return context.Page("consultation/staff_split", context.Message("staff_split_title"), data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

// Where to go after a split or merge: the submission's queue.
Response BackToQueue(RequestContext& context, int64_t submission_id) {
  Result<Submission> submission = GetSubmission(context.app().database(), submission_id);
  return http::RedirectResponse("/staff/consultations/" +
                                std::to_string(submission.ok() ? submission->consultation_id : 0));
}

}  // namespace

Result<Response> ItemPage(RequestContext& context) { return RenderItem(context, Status::Ok()); }

Result<Response> SaveItem(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(database, id));
  CIVICDESK_RETURN_IF_ERROR(MayEditItem(context, item));

  // Repeated checkboxes arrive as field_1=on, section_2=部/課: one name each, so the form
  // parser's last-wins rule loses nothing.
  std::map<std::string, std::string> form = context.request().Form();
  ItemUpdate update;
  std::vector<int64_t> field_ids;
  std::vector<SectionRef> sections;
  for (const auto& [name, value] : form) {
    if (name.rfind("field_", 0) == 0) {
      Result<int64_t> field = ParseFormId(name.substr(6), "fields");
      if (!field.ok()) return RenderItem(context, field.status());
      field_ids.push_back(*field);
    } else if (name.rfind("section_", 0) == 0) {
      size_t slash = value.find('/');
      if (slash == std::string::npos)
        return RenderItem(context,
                          Status::InvalidArgument("consultation.section_invalid", "sections"));
      sections.emplace_back(value.substr(0, slash), value.substr(slash + 1));
    }
  }
  update.field_ids = field_ids;
  // Section staff's forms carry no routing; what they send is not theirs to change.
  if (MayRoute(context).ok()) update.sections = sections;
  if (!form["reuse_response"].empty()) {
    Result<int64_t> reuse = ParseFormId(form["reuse_response"], "reuse_response");
    if (!reuse.ok()) return RenderItem(context, reuse.status());
    update.reuse_response_id = *reuse;
  } else if (form.count("response") > 0 && !form["response"].empty()) {
    update.response_text = form["response"];
  }
  if (!form["status"].empty()) {
    const std::string& status = form["status"];
    if (status.size() != 1 || status[0] < '1' || status[0] > '5')
      return RenderItem(context, Status::InvalidArgument("consultation.status_invalid", "status"));
    update.status = status[0] - '0';
  }
  Status saved = UpdateItem(database, id, update, ActorOf(context));
  if (!saved.ok()) return RenderItem(context, saved);
  return http::RedirectResponse(ItemAddress(id));
}

Result<Response> AcceptSuggested(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(database, id));
  CIVICDESK_RETURN_IF_ERROR(MayEditItem(context, item));
  std::map<std::string, std::string> form = context.request().Form();
  if (!form["section"].empty()) CIVICDESK_RETURN_IF_ERROR(MayRoute(context));
  Status accepted =
      AcceptSuggestion(database, id, form["field"], form["section"], ActorOf(context));
  if (!accepted.ok()) return RenderItem(context, accepted);
  return http::RedirectResponse(ItemAddress(id));
}

Result<Response> Approve(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_RETURN_IF_ERROR(ApproveItem(context.app().database(), id, ActorOf(context)));
  return http::RedirectResponse(ItemAddress(id));
}

Result<Response> SplitPage(RequestContext& context) { return RenderSplit(context, Status::Ok()); }

Result<Response> Split(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  std::string text = context.request().Form()["pieces"];
  // Pieces are separated by a line holding only "---".
  std::vector<std::string> pieces;
  std::string current;
  for (const std::string& line : SplitLines(text)) {
    if (line == "---") {
      pieces.push_back(current);
      current.clear();
    } else {
      current += (current.empty() ? "" : "\n") + line;
    }
  }
  pieces.push_back(current);
  Status split = SplitSubmission(context.app().database(), id, pieces, ActorOf(context));
  if (!split.ok()) return RenderSplit(context, split);
  return BackToQueue(context, id);
}

Result<Response> Merge(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_RETURN_IF_ERROR(MergeSubmission(context.app().database(), id, ActorOf(context)));
  return BackToQueue(context, id);
}

}  // namespace civicdesk::consultation
