// One item in the staff console: its page with the response editor (similar opinions' answers,
// classification suggestions), saving it, accepting a suggestion and approving it; and splitting
// a submission into items or merging them back.
#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "consultation/access.h"
#include "consultation/corrections.h"
#include "consultation/handlers.h"
#include "consultation/notifications.h"
#include "consultation/publishing.h"
#include "consultation/queue.h"
#include "consultation/store.h"
#include "consultation/suggestions.h"
#include "consultation/triage.h"
#include "consultation/views.h"
#include "consultation/workflow.h"
#include "core/number_format.h"
#include "core/text_normalize.h"
#include "http/form_errors.h"
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

// The items of the item's consultation that the viewer may see (MaySeeItem: section staff their
// own section's, publishers and admins all): the only ones whose text and answers the response
// editor may offer.
Result<std::vector<Item>> VisibleItems(RequestContext& context, const Item& item) {
  std::optional<SectionRef> only;
  if (IsSectionStaff(context)) only = OwnSection(context);
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Item> items,
                             ListItems(context.app().database(), item.consultation_id, only));
  std::erase_if(items, [&](const Item& other) { return !MaySeeItem(context, other).ok(); });
  return items;
}

// Among `items` (VisibleItems).
json SimilarAnswers(const Item& item, const std::vector<Item>& items) {
  json similar = json::array();
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

// On the page of an item of a published result: that it is frozen (a change is a correction
// with its reason) and its corrections, pending ones with approve and reject for publishers.
Status AddCorrections(RequestContext& context, const Item& item, json& data) {
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(bool published, InPublishedResult(database, item.id));
  data["published"] = published;
  CIVICDESK_ASSIGN_OR_RETURN(std::set<int64_t> late,
                             ItemsAfterPublication(database, item.consultation_id));
  data["after_publication"] = late.count(item.id) > 0;
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Correction> corrections,
                             ItemCorrections(database, item.id));
  json list = json::array();
  for (const Correction& correction : corrections) {
    if (correction.state == "superseded") continue;
    list.push_back(CorrectionView(context, correction));
  }
  data["corrections"] = list;
  data["has_corrections"] = !list.empty();
  data["form"] = {{"correction_reason", context.request().method == "POST"
                                            ? context.request().Form()["correction_reason"]
                                            : std::string()}};
  return Status::Ok();
}

// `text` with "{id}" replaced by `id`: a catalog's words about another item.
std::string WithId(std::string text, const std::string& id) {
  const size_t at = text.find("{id}");
  if (at != std::string::npos) text.replace(at, 4, id);
  return text;
}

// The item's place in the viewer's queue as filtered by `filter` (the queue's order): the
// counts (未回答, 未承認), the previous and next item with the same filter, the way back to the
// filtered queue, the filter as hidden fields for the forms, and what was just done (?saved=,
// ?approved=, ?unapproved= with an item's id: this one, or the one before when moving on).
Status AddQueuePlace(RequestContext& context, const Item& item, const QueueFilter& filter,
                     json& data) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Item> items, QueueItems(context, item.consultation_id));
  const QueueNeighbours neighbours = NeighboursOf(items, filter, item.id);
  json queue = {{"counts", CountsView(item.consultation_id, CountQueue(items))},
                {"back_href", "/staff/consultations/" + std::to_string(item.consultation_id) +
                                  filter.Suffix() + "#item-" + std::to_string(item.id)},
                {"hidden", filter.HiddenFields()},
                {"filtered", filter.Active()},
                {"position", neighbours.position},
                {"matching", neighbours.matching},
                {"has_position", neighbours.position > 0}};
  if (neighbours.previous)
    queue["previous_href"] = ItemAddress(*neighbours.previous) + filter.Suffix();
  if (neighbours.next) queue["next_href"] = ItemAddress(*neighbours.next) + filter.Suffix();
  queue["last"] = !neighbours.next.has_value();
  const std::string own = std::to_string(item.id);
  for (const char* done : {"saved", "approved", "unapproved"}) {
    const std::string id = context.request().QueryParam(done).value_or("");
    if (id.empty() || id.size() > 18 ||
        !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    const std::string key = std::string("item_") + done;
    queue["done"] = id == own ? context.Message(key) : WithId(context.Message(key + "_other"), id);
    if (id != own) queue["done_href"] = ItemAddress(std::stoll(id)) + filter.Suffix();
  }
  data["queue"] = queue;
  return Status::Ok();
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
  // Answers come only from items the viewer may see: section staff never read another
  // section's opinions or answers here (as MayReuseResponse).
  CIVICDESK_ASSIGN_OR_RETURN(int64_t count, CountItems(database, item.consultation_id));
  const bool compared = static_cast<size_t>(count) <= kMaxItemsCompared;
  std::vector<Item> visible;
  if (compared || IsSectionStaff(context)) {
    CIVICDESK_ASSIGN_OR_RETURN(visible, VisibleItems(context, item));
  }
  std::set<int64_t> visible_responses;
  for (const Item& other : visible) visible_responses.insert(other.response_id);
  json response_options = json::array();
  for (const ResponseOption& response : responses) {
    if (response.id == item.response_id) continue;
    if (IsSectionStaff(context) && !visible_responses.count(response.id)) continue;
    response_options.push_back(
        {{"id", response.id}, {"text", Excerpt(response.text, 60)}, {"items", response.items}});
  }
  json similar = compared ? SimilarAnswers(item, visible) : json::array();
  json statuses = json::array();
  for (int status = 1; status <= 5; ++status) {
    statuses.push_back({{"value", status},
                        {"label", context.Message("result_status_label_" + std::to_string(status))},
                        {"checked", item.status == status}});
  }
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation,
                             GetConsultation(database, item.consultation_id));
  const bool can_route = MayRoute(context, consultation).ok();
  // Section staff split their own submissions and send an item back to triage (issue 25).
  CIVICDESK_ASSIGN_OR_RETURN(bool published, InPublishedResult(database, item.id));
  std::string split_href;
  if (item.submission_id != 0 && !published) {
    CIVICDESK_ASSIGN_OR_RETURN(Submission submission, GetSubmission(database, item.submission_id));
    if (MaySplitSubmission(context, submission).ok())
      split_href = "/staff/submissions/" + std::to_string(item.submission_id) + "/split";
  }
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
               {"split_href", split_href},
               {"can_return", !published && !item.sections.empty()},
               {"can_approve", context.HasAccess(http::Access::kPublisher)},
               {"responses", response_options},
               {"similar", similar},
               {"has_similar", !similar.empty()},
               {"has_responses", !response_options.empty()},
               {"statuses", statuses}};
  // Whether its resident asked to hear back: the address masked, never more.
  if (item.submission_id != 0) {
    CIVICDESK_ASSIGN_OR_RETURN(std::optional<std::string> notify,
                               MaskedSubscriptionOfSubmission(database, item.submission_id));
    if (notify) data["notify_masked"] = *notify;
  }
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
  CIVICDESK_RETURN_IF_ERROR(AddCorrections(context, item, data));
  // Answering at speed: the queue around the item, with the filter it was opened from.
  const QueueFilter filter = context.request().method == "POST"
                                 ? QueueFilter::FromForm(context.request().Form())
                                 : QueueFilter::FromQuery(context.request());
  CIVICDESK_RETURN_IF_ERROR(AddQueuePlace(context, item, filter, data));
  // The personal-data flags over the item, each with its one-click mask (staff_personal_data.cc).
  CIVICDESK_ASSIGN_OR_RETURN(data["personal_data"], ItemPersonalDataView(context, item.id));
  // The published text and its editor (staff_published_text.cc).
  CIVICDESK_ASSIGN_OR_RETURN(data["published_text"], PublishedTextSection(context, item));
  if (!error.ok() && context.request().method == "POST") {
    // A refused save keeps what the staff member typed.
    std::map<std::string, std::string> form = context.request().Form();
    if (form.count("response")) data["item"]["response"] = form["response"];
    data["form"]["return_reason"] = form["return_reason"];
    for (json& status : data["statuses"])
      if (!form["status"].empty())
        status["checked"] = std::to_string(status["value"].get<int>()) == form["status"];
  }
  if (!error.ok()) data["error"] = {{"message", context.Format(error)}, {"field", error.field()}};
  if (error.field() == "return_reason") data["return_error"] = context.Format(error);
  return context.Page("consultation/staff_item",
                      context.Message("staff_item_title") + " " + std::to_string(item.id), data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

// The submission's page with the split form. After a refused split, the form again with what the
// staff member typed (their marks) and the error beside it, in the design system's summary.
Result<Response> RenderSplit(RequestContext& context, const Status& error) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_ASSIGN_OR_RETURN(Submission submission, GetSubmission(context.app().database(), id));
  CIVICDESK_RETURN_IF_ERROR(MaySplitSubmission(context, submission));
  std::string pieces = submission.text;
  if (context.request().method == "POST") {
    std::map<std::string, std::string> form = context.request().Form();
    if (form.count("pieces")) pieces = form["pieces"];
  }
  // The items the page shows: a split or merge sent from it replaces exactly these.
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<int64_t> active,
                             ActiveItemIds(context.app().database(), id));
  std::string replaces;
  for (int64_t item : active) replaces += (replaces.empty() ? "" : ",") + std::to_string(item);
  json data = {{"submission",
                {{"id", submission.id},
                 {"consultation_id", submission.consultation_id},
                 {"receipt", submission.receipt},
                 {"text", submission.text},
                 {"items", submission.active_items}}},
               {"pieces", pieces},
               {"replaces", replaces}};
  if (!error.ok()) {
    data.update(
        http::FormErrorView(context, error, {{"pieces", {"pieces", "staff_split_pieces"}}}));
  }
  return context.Page("consultation/staff_split", context.Message("staff_split_title"), data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

// Where to go after saving or approving `item` (`done`: what the page then confirms, such as
// "saved=12"): the same item, or with then=next the next item of the queue under the form's
// filter (the item itself when it is the last); the filter is kept either way.
Result<Response> ThenGo(RequestContext& context, const Item& item, const std::string& done) {
  std::map<std::string, std::string> form = context.request().Form();
  const QueueFilter filter = QueueFilter::FromForm(form);
  int64_t target = item.id;
  if (form["then"] == "next") {
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<Item> items, QueueItems(context, item.consultation_id));
    const QueueNeighbours neighbours = NeighboursOf(items, filter, item.id);
    if (neighbours.next) target = *neighbours.next;
  }
  return http::RedirectResponse(ItemAddress(target) + filter.Suffix(done));
}

// Where to go after a split or merge: the submission's queue.
Response BackToQueue(RequestContext& context, int64_t submission_id) {
  Result<Submission> submission = GetSubmission(context.app().database(), submission_id);
  return http::RedirectResponse("/staff/consultations/" +
                                std::to_string(submission.ok() ? submission->consultation_id : 0));
}

}  // namespace

Result<Response> ItemPage(RequestContext& context) { return RenderItem(context, Status::Ok()); }

Result<Response> ItemPageWithError(RequestContext& context, const Status& error) {
  return RenderItem(context, error);
}

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
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation,
                             GetConsultation(database, item.consultation_id));
  if (MayRoute(context, consultation).ok()) update.sections = sections;
  if (!form["reuse_response"].empty()) {
    Result<int64_t> reuse = ParseFormId(form["reuse_response"], "reuse_response");
    if (!reuse.ok()) return RenderItem(context, reuse.status());
    CIVICDESK_RETURN_IF_ERROR(MayReuseResponse(context, item, *reuse));
    update.reuse_response_id = *reuse;
  } else if (form.count("response") > 0) {
    update.response_text = form["response"];  // blank clears the answer
  }
  if (!form["status"].empty()) {
    const std::string& status = form["status"];
    if (status.size() != 1 || status[0] < '1' || status[0] > '5')
      return RenderItem(context, Status::InvalidArgument("consultation.status_invalid", "status"));
    update.status = status[0] - '0';
  }
  // A published item is frozen: with a reason, the change is a correction a publisher approves;
  // without one it is refused (UpdateItem), and nothing published changes either way.
  CIVICDESK_ASSIGN_OR_RETURN(bool published, InPublishedResult(database, id));
  if (published && !TrimSpaces(form["correction_reason"]).empty()) {
    Result<int64_t> requested =
        RequestCorrection(database, id, update, form["correction_reason"], ActorOf(context));
    if (!requested.ok()) return RenderItem(context, requested.status());
    return http::RedirectResponse(ItemAddress(id) + "#corrections");
  }
  Status saved = UpdateItem(database, id, update, ActorOf(context));
  if (!saved.ok()) return RenderItem(context, saved);
  return ThenGo(context, item, "saved=" + std::to_string(id));
}

Result<Response> ApproveCorrectionAction(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Correction correction, GetCorrection(database, id));
  CIVICDESK_RETURN_IF_ERROR(ApproveCorrection(database, id, ActorOf(context)));
  return http::RedirectResponse(ItemAddress(correction.item_id) + "#corrections");
}

Result<Response> RejectCorrectionAction(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Correction correction, GetCorrection(database, id));
  CIVICDESK_RETURN_IF_ERROR(RejectCorrection(database, id, ActorOf(context)));
  return http::RedirectResponse(ItemAddress(correction.item_id) + "#corrections");
}

Result<Response> AcceptSuggested(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(database, id));
  CIVICDESK_RETURN_IF_ERROR(MayEditItem(context, item));
  std::map<std::string, std::string> form = context.request().Form();
  if (!form["section"].empty()) {
    CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation,
                               GetConsultation(database, item.consultation_id));
    CIVICDESK_RETURN_IF_ERROR(MayRoute(context, consultation));
  }
  Status accepted =
      AcceptSuggestion(database, id, form["field"], form["section"], ActorOf(context));
  if (!accepted.ok()) return RenderItem(context, accepted);
  return http::RedirectResponse(ItemAddress(id));
}

Result<Response> Approve(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(context.app().database(), id));
  CIVICDESK_RETURN_IF_ERROR(ApproveItem(context.app().database(), id, ActorOf(context)));
  return ThenGo(context, item, "approved=" + std::to_string(id));
}

Result<Response> Unapprove(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(context.app().database(), id));
  CIVICDESK_RETURN_IF_ERROR(
      UnapproveItems(context.app().database(), {id}, ActorOf(context)).status());
  return ThenGo(context, item, "unapproved=" + std::to_string(id));
}

Result<Response> SplitPage(RequestContext& context) { return RenderSplit(context, Status::Ok()); }

// The form's `replaces` (the active items the split page showed), when sent.
Result<std::optional<std::vector<int64_t>>> ReplacedItems(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  if (!form.count("replaces")) return std::optional<std::vector<int64_t>>();
  std::vector<int64_t> ids;
  const std::string& list = form["replaces"];
  size_t from = 0;
  while (from < list.size()) {
    const size_t comma = std::min(list.find(',', from), list.size());
    const std::optional<int64_t> id =
        ParseWholeNumber(list.substr(from, comma - from), 1, std::numeric_limits<int64_t>::max());
    if (!id) return Status::InvalidArgument("consultation.split_replaces_invalid", "replaces");
    ids.push_back(*id);
    from = comma + 1;
  }
  return std::optional<std::vector<int64_t>>(std::move(ids));
}

Result<Response> Split(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_ASSIGN_OR_RETURN(Submission submission, GetSubmission(context.app().database(), id));
  CIVICDESK_RETURN_IF_ERROR(MaySplitSubmission(context, submission));
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
  Result<std::optional<std::vector<int64_t>>> replaces = ReplacedItems(context);
  if (!replaces.ok()) return RenderSplit(context, replaces.status());
  Status split =
      SplitSubmission(context.app().database(), id, pieces, ActorOf(context), std::move(*replaces));
  if (!split.ok()) return RenderSplit(context, split);
  return BackToQueue(context, id);
}

Result<Response> Merge(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_ASSIGN_OR_RETURN(Submission submission, GetSubmission(context.app().database(), id));
  CIVICDESK_RETURN_IF_ERROR(MaySplitSubmission(context, submission));
  CIVICDESK_ASSIGN_OR_RETURN(std::optional<std::vector<int64_t>> replaces, ReplacedItems(context));
  CIVICDESK_RETURN_IF_ERROR(
      MergeSubmission(context.app().database(), id, ActorOf(context), std::move(replaces)));
  return BackToQueue(context, id);
}

Result<Response> ReturnItem(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(database, id));
  CIVICDESK_RETURN_IF_ERROR(MayEditItem(context, item));
  std::optional<SectionRef> own;
  if (IsSectionStaff(context)) own = OwnSection(context);
  Status returned = ReturnToTriage(database, id, own, context.request().Form()["return_reason"],
                                   ActorOf(context));
  if (!returned.ok()) return RenderItem(context, returned);
  return http::RedirectResponse("/staff/consultations/" + std::to_string(item.consultation_id));
}

}  // namespace civicdesk::consultation
