// The staff console's consultation pages: the list and creating a consultation, the queue of
// one consultation with its filters and bulk actions, staff entry of opinions received on
// paper or at meetings, meetings and the fields' plan links.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "consultation/access.h"
#include "consultation/handlers.h"
#include "consultation/publishing.h"
#include "consultation/queue.h"
#include "consultation/setup.h"
#include "consultation/store.h"
#include "consultation/suggestions.h"
#include "consultation/triage.h"
#include "consultation/views.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "core/number_format.h"
#include "core/text_normalize.h"
#include "core/wareki.h"
#include "http/form_errors.h"
#include "text/normalize.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

std::string QueueOf(int64_t consultation_id) {
  return "/staff/consultations/" + std::to_string(consultation_id);
}

// The queue of one consultation as the viewer works on it, under `filter`; after a refused
// bulk action, with `error` in the error summary and the `ticked` items still ticked.
Result<Response> RenderQueue(RequestContext& context, const QueueFilter& filter,
                             const Status& error, const std::set<int64_t>& ticked);

// What publishers and admins also see in the queue: the submissions (to split or merge), the
// entry form's channels and districts, the meetings and the fields with their plan links.
Status AddManagement(storage::Database& database, const Consultation& consultation, json& data) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Submission> submissions,
                             ListSubmissions(database, consultation.id));
  json list = json::array();
  for (const Submission& submission : submissions) {
    list.push_back({{"id", submission.id},
                    {"receipt", submission.receipt},
                    {"channel", ChannelDisplay(submission.channel, submission.district)},
                    {"text", Excerpt(submission.text, 60)},
                    {"items", submission.active_items}});
  }
  json channels = json::array();
  if (consultation.kind == "voice") {
    for (std::string_view channel : kVoiceChannels) channels.push_back(std::string(channel));
  } else {
    for (std::string_view channel : kPublicCommentChannels)
      channels.push_back(std::string(channel));
    channels.push_back(std::string(kMeetingChannel));
  }
  json districts = json::array();
  for (std::string_view district : kDistricts) districts.push_back(std::string(district));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Meeting> meetings,
                             ListMeetings(database, consultation.id));
  json meeting_rows = json::array();
  for (const Meeting& meeting : meetings) {
    Result<Date> held_on = ParseIsoDate(meeting.held_on);
    meeting_rows.push_back(
        {{"held_on", held_on.ok() ? FormatWarekiDate(*held_on) : meeting.held_on},
         {"district", meeting.district},
         {"venue", meeting.venue},
         {"attendees", meeting.attendees}});
  }
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<FieldOption> fields,
                             ListFields(database, consultation.id));
  json field_rows = json::array();
  for (const FieldOption& field : fields) {
    json links = json::array();
    Result<std::vector<PlanLink>> parsed = ParsePlanRefs(field.plan_ref);
    if (parsed.ok()) {
      for (const PlanLink& link : *parsed)
        links.push_back({{"code", link.code}, {"href", link.href}});
    }
    field_rows.push_back(
        {{"id", field.id}, {"label", field.label}, {"plan_ref", field.plan_ref}, {"links", links}});
  }
  data["submissions"] = list;
  data["meetings"] = meeting_rows;
  data["has_meetings"] = !meeting_rows.empty();
  data["fields"] = field_rows;
  data["is_consultation"] = consultation.kind == "consultation";
  data["can_manage"] = true;
  data["channels"] = channels;
  data["districts"] = districts;
  return Status::Ok();
}

}  // namespace

Result<Response> ConsultationsPage(RequestContext& context) {
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Consultation> consultations, ListConsultations(database));
  CIVICDESK_ASSIGN_OR_RETURN(int64_t voice, VoiceDeskId(database));
  json list = json::array();
  for (const Consultation& consultation : consultations) {
    list.push_back({{"id", consultation.id},
                    {"title", consultation.title},
                    {"state", consultation.state},
                    {"published", consultation.state == "published"}});
  }
  return context.Page("consultation/staff_list", context.Message("staff_consultations_title"),
                      {{"consultations", list},
                       {"voice_id", voice},
                       {"can_create", context.HasAccess(http::Access::kPublisher)}});
}

Result<Response> CreateFromForm(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  NewConsultation consultation;
  consultation.title = TrimSpaces(form["title"]);
  consultation.draft_title = TrimSpaces(form["draft_title"]);
  consultation.opens_on = TrimSpaces(form["opens"]);
  consultation.closes_on = TrimSpaces(form["closes"]);
  for (const std::string& line : SplitLines(form["fields"])) {
    std::string label = TrimSpaces(line);
    if (!label.empty() && std::find(consultation.fields.begin(), consultation.fields.end(),
                                    label) == consultation.fields.end()) {
      consultation.fields.push_back(label);
    }
  }
  CIVICDESK_ASSIGN_OR_RETURN(
      int64_t id, CreateConsultation(context.app().database(), consultation, Settings{}));
  return http::RedirectResponse(QueueOf(id));
}

Result<Response> AddMeetingFromForm(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  std::map<std::string, std::string> form = context.request().Form();
  Meeting meeting;
  meeting.held_on = form["held_on"];
  meeting.district = form["district"];
  meeting.venue = form["venue"];
  std::optional<int64_t> attendees = ParseWholeNumber(TrimSpaces(NormalizeNfkc(form["attendees"])));
  if (!attendees) return Status::InvalidArgument("consultation.attendees_not_number", "attendees");
  meeting.attendees = *attendees;
  CIVICDESK_RETURN_IF_ERROR(
      AddMeeting(context.app().database(), id, meeting, ActorOf(context)).status());
  return http::RedirectResponse(QueueOf(id) + "#meetings");
}

Result<Response> LinkFieldFromForm(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_ASSIGN_OR_RETURN(int64_t field, context.PathId("field"));
  std::map<std::string, std::string> form = context.request().Form();
  CIVICDESK_RETURN_IF_ERROR(
      LinkFieldToPlan(context.app().database(), id, field, form["plan_refs"], ActorOf(context)));
  return http::RedirectResponse(QueueOf(id) + "#fields");
}

// Bulk actions on the items ticked in the queue (form fields item_<id>): add a field, route to
// a section (publishers), accept each item's top suggestions, set the 対応状況, approve or take
// the approval away (publishers, MayApprove). Every ticked item is checked as the single-item
// pages check it (MayEditItem: section staff only their own section's) before any is changed;
// each change is audited; an item already as asked is left alone. Then back to the queue with
// the filters it was sent from (the form's queue_* fields). A form without its action, its ticks
// or its value, or naming published items, is the queue again with the error and the ticks kept.
Result<Response> BulkAction(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  std::map<std::string, std::string> form = context.request().Form();
  const QueueFilter filter = QueueFilter::FromForm(form);
  std::set<int64_t> ticked;
  for (const auto& [key, value] : form) {
    if (key.rfind("item_", 0) != 0 || value.empty()) continue;
    CIVICDESK_ASSIGN_OR_RETURN(int64_t item_id, ParseFormId(key.substr(5), "item"));
    ticked.insert(item_id);
  }
  auto again = [&](const Status& error) { return RenderQueue(context, filter, error, ticked); };
  const std::string action = form["action"];
  static const std::set<std::string> kActions = {"field",  "section", "suggestions",
                                                 "status", "approve", "unapprove"};
  if (!kActions.count(action))
    return again(Status::InvalidArgument("consultation.bulk_action_required", "action"));
  if (action == "section") CIVICDESK_RETURN_IF_ERROR(MayRoute(context));
  if (action == "approve" || action == "unapprove") CIVICDESK_RETURN_IF_ERROR(MayApprove(context));
  if (ticked.empty()) return again(Status::InvalidArgument("consultation.items_required", "item"));
  std::vector<Item> chosen;
  for (int64_t item_id : ticked) {
    CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(database, item_id));
    if (item.consultation_id != id)
      return Status::InvalidArgument("consultation.item_other_consultation",
                                     "item_" + std::to_string(item_id));
    CIVICDESK_RETURN_IF_ERROR(MayEditItem(context, item));
    chosen.push_back(std::move(item));
  }
  std::optional<int64_t> field_id;
  std::optional<SectionRef> section;
  std::optional<int> status;
  if (action == "field") {
    Result<int64_t> parsed = ParseFormId(form["field"], "field");
    if (!parsed.ok()) return again(parsed.status());
    field_id = *parsed;
  } else if (action == "section") {
    const std::string value = form["section"];
    const size_t slash = value.find('/');
    if (slash == std::string::npos)
      return again(Status::InvalidArgument("consultation.section_required", "section"));
    section = SectionRef{value.substr(0, slash), value.substr(slash + 1)};
  } else if (action == "status") {
    const std::string value = form["bulk_status"];
    if (value.size() != 1 || value[0] < '1' || value[0] > '5')
      return again(Status::InvalidArgument("consultation.bulk_status_required", "bulk_status"));
    status = value[0] - '0';
  }
  std::vector<int64_t> ids;
  for (const Item& item : chosen) ids.push_back(item.id);
  // Published items change only by a correction, one by one with its reason.
  std::string published;
  for (const Item& item : chosen) {
    if (action == "approve") break;  // approving one already published changes nothing
    CIVICDESK_ASSIGN_OR_RETURN(bool frozen, InPublishedResult(database, item.id));
    if (frozen) published += (published.empty() ? "" : ", ") + std::to_string(item.id);
  }
  if (!published.empty())
    return again(Status::Conflict("consultation.bulk_published", {{"items", published}}));
  if (action == "approve" || action == "unapprove") {
    Result<int> changed = action == "approve" ? ApproveItems(database, ids, ActorOf(context))
                                              : UnapproveItems(database, ids, ActorOf(context));
    if (!changed.ok()) return again(changed.status());
    return http::RedirectResponse(QueueOf(id) + filter.Suffix("done=" + std::to_string(*changed)));
  }
  int done = 0;
  for (const Item& item : chosen) {
    Status applied;
    if (field_id) {
      ItemUpdate update;
      std::vector<int64_t> fields = item.field_ids;
      if (std::find(fields.begin(), fields.end(), *field_id) != fields.end()) continue;
      fields.push_back(*field_id);
      update.field_ids = fields;
      applied = UpdateItem(database, item.id, update, ActorOf(context));
    } else if (section) {
      ItemUpdate update;
      std::vector<SectionRef> sections = item.sections;
      if (std::find(sections.begin(), sections.end(), *section) != sections.end()) continue;
      sections.push_back(*section);
      update.sections = sections;
      applied = UpdateItem(database, item.id, update, ActorOf(context));
    } else if (status) {
      if (item.status == status) continue;
      ItemUpdate update;
      update.status = status;
      applied = UpdateItem(database, item.id, update, ActorOf(context));
    } else {
      CIVICDESK_ASSIGN_OR_RETURN(std::vector<ItemSuggestion> suggestions,
                                 SuggestClassification(database, id, item.id));
      if (suggestions.empty()) continue;  // already classified and routed
      const ItemSuggestion& top = suggestions.front();
      const std::string field =
          item.field_ids.empty() && !top.fields.empty() ? top.fields.front().label : std::string();
      const std::string route =
          item.sections.empty() && !top.sections.empty() && MayRoute(context).ok()
              ? top.sections.front().label
              : std::string();
      if (field.empty() && route.empty()) continue;
      applied = AcceptSuggestion(database, item.id, field, route, ActorOf(context));
    }
    if (!applied.ok()) return again(applied);
    ++done;
  }
  return http::RedirectResponse(QueueOf(id) + filter.Suffix("done=" + std::to_string(done)));
}

Result<Response> QueuePage(RequestContext& context) {
  return RenderQueue(context, QueueFilter::FromQuery(context.request()), Status::Ok(), {});
}

namespace {

Result<Response> RenderQueue(RequestContext& context, const QueueFilter& filter,
                             const Status& error, const std::set<int64_t>& ticked) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, id));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Item> items, QueueItems(context, id));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<FieldOption> field_options, ListFields(database, id));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<SectionRef> units, ListOrgUnits(database));
  std::map<int64_t, std::string> field_labels;
  for (const FieldOption& field : field_options) field_labels[field.id] = field.label;
  // ?all=1: every listed item ticked (select all without JavaScript).
  const bool all = context.request().QueryParam("all").value_or("") == "1";
  // Opinions that arrived after publication: a follow-up, outside the published result.
  CIVICDESK_ASSIGN_OR_RETURN(std::set<int64_t> late, ItemsAfterPublication(database, id));
  // Routed by the classifier's suggestion, not yet by a person (triage.h).
  CIVICDESK_ASSIGN_OR_RETURN(auto auto_routed, AutoRoutedItems(database, id));
  int late_here = 0;
  json rows = json::array();
  for (const Item& item : items) {
    if (late.count(item.id)) ++late_here;
    if (!filter.Matches(item)) continue;
    std::string sections;
    for (const auto& [department, section] : item.sections)
      sections += (sections.empty() ? "" : " / ") + section;
    std::string fields;
    for (int64_t field : item.field_ids)
      fields += (fields.empty() ? "" : " / ") + field_labels[field];
    rows.push_back({{"id", item.id},
                    {"href", "/staff/items/" + std::to_string(item.id) + filter.Suffix()},
                    {"text", Excerpt(item.text, 80)},
                    {"channel", ChannelDisplay(item.channel, item.district)},
                    {"fields", fields},
                    {"sections", sections},
                    {"auto_routed", auto_routed.count(item.id) > 0},
                    {"status", item.status ? std::to_string(*item.status) : "—"},
                    {"answered", IsAnswered(item)},
                    {"approved", item.approved},
                    {"ticked", all || ticked.count(item.id) > 0},
                    {"after_publication", late.count(item.id) > 0}});
  }
  json filter_fields = json::array();
  for (const FieldOption& field : field_options) {
    filter_fields.push_back({{"id", field.id},
                             {"label", field.label},
                             {"selected", filter.field == std::to_string(field.id)}});
  }
  json filter_sections = json::array();
  for (const SectionRef& unit : units) {
    const std::string value = unit.first + "/" + unit.second;
    filter_sections.push_back({{"value", value},
                               {"label", unit.first + " " + unit.second},
                               {"selected", filter.section == value}});
  }
  json statuses = json::array();
  for (int status = 1; status <= 5; ++status) {
    statuses.push_back({{"value", std::to_string(status)},
                        {"label", context.Message("result_status_label_" + std::to_string(status))},
                        {"selected", filter.status == std::to_string(status)}});
  }
  json data = {
      {"consultation",
       {{"id", consultation.id}, {"title", consultation.title}, {"state", consultation.state}}},
      {"filter",
       {{"q", filter.text},
        {"status_none", filter.status == "none"},
        {"field_none", filter.field == "none"},
        {"section_none", filter.section == "none"},
        {"state_unanswered", filter.state == "unanswered"},
        {"state_unapproved", filter.state == "unapproved"},
        {"state_approved", filter.state == "approved"},
        {"statuses", statuses},
        {"fields", filter_fields},
        {"sections", filter_sections},
        {"active", filter.Active()}}},
      {"bulk_done", context.request().QueryParam("done").value_or("")},
      {"after_publication", late_here},
      {"has_after_publication", late_here > 0},
      {"items", rows},
      {"has_items", !rows.empty()},
      {"scoped", IsSectionStaff(context)},
      {"own_section", context.principal()->department + " " + context.principal()->section}};
  // How many opinions nobody has routed, who routes them; why, when this queue is empty.
  CIVICDESK_ASSIGN_OR_RETURN(data["triage"], TriageSummary(context, consultation, items.empty()));

  // Answering at speed: the counts, the filter kept through the bulk form, select all.
  data["counts"] = CountsView(id, CountQueue(items));
  data["queue_hidden"] = filter.HiddenFields();
  data["select_all_href"] = QueueOf(id) + filter.Suffix("all=1") + "#queue-items";
  data["select_none_href"] = QueueOf(id) + filter.Suffix() + "#queue-items";
  data["all_ticked"] = all && !rows.empty();
  data["can_approve"] = MayApprove(context).ok();
  const std::string first_pick = rows.empty()
                                     ? std::string("queue-items")
                                     : "pick-" + std::to_string(rows[0]["id"].get<int64_t>());
  data.update(http::FormErrorView(context, error,
                                  {{"item", {first_pick, "queue_select_items"}},
                                   {"action", {"bulk-action-status", "queue_bulk"}},
                                   {"bulk_status", {"bulk-status", "queue_bulk_status"}},
                                   {"field", {"bulk-field", "result_field"}},
                                   {"section", {"bulk-section", "result_section"}}}));
  // Publishers and admins also get what only they may do: the routes it posts to are theirs.
  if (context.HasAccess(http::Access::kPublisher))
    CIVICDESK_RETURN_IF_ERROR(AddManagement(database, consultation, data));
  int code = 200;
  if (!error.ok())
    code = error.code() == StatusCode::kInvalidArgument ? 422 : HttpStatusFor(error.code());
  return context.Page("consultation/staff_queue", consultation.title, data, code);
}

}  // namespace

Result<Response> StaffEntry(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  std::map<std::string, std::string> form = context.request().Form();
  NewSubmission submission;
  submission.text = form["text"];
  submission.channel = form["channel"];
  submission.district = form["district"];
  submission.relationship = form["relationship"];
  CIVICDESK_RETURN_IF_ERROR(
      Submit(context.app().database(), id, submission, Settings{}, ActorOf(context), true)
          .status());
  return http::RedirectResponse(QueueOf(id));
}

}  // namespace civicdesk::consultation
