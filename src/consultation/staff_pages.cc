// The staff console's consultation pages: the list and creating a consultation, the queue of
// one consultation with its filters and bulk actions, staff entry of opinions received on
// paper or at meetings, meetings and the fields' plan links.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "consultation/access.h"
#include "consultation/handlers.h"
#include "consultation/publishing.h"
#include "consultation/setup.h"
#include "consultation/store.h"
#include "consultation/suggestions.h"
#include "consultation/views.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "core/number_format.h"
#include "core/text_normalize.h"
#include "core/wareki.h"
#include "text/normalize.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

std::string QueueOf(int64_t consultation_id) {
  return "/staff/consultations/" + std::to_string(consultation_id);
}

// The queue's filters (GET parameters): status ("1".."5", or "none" for not yet given),
// field (an id, or "none"), section ("部/課", or "none" for not routed) and words in the text.
struct QueueFilter {
  std::string status;
  std::string field;
  std::string section;
  std::string text;

  static QueueFilter From(const http::Request& request) {
    return {request.QueryParam("status").value_or(""), request.QueryParam("field").value_or(""),
            request.QueryParam("section").value_or(""),
            text::FoldForMatching(request.QueryParam("q").value_or(""))};
  }

  bool Active() const {
    return !status.empty() || !field.empty() || !section.empty() || !text.empty();
  }

  bool Matches(const Item& item) const {
    if (status == "none" && item.status) return false;
    if (!status.empty() && status != "none" &&
        (!item.status || std::to_string(*item.status) != status))
      return false;
    if (field == "none" && !item.field_ids.empty()) return false;
    if (!field.empty() && field != "none" &&
        std::none_of(item.field_ids.begin(), item.field_ids.end(),
                     [&](int64_t id) { return std::to_string(id) == field; }))
      return false;
    if (section == "none" && !item.sections.empty()) return false;
    if (!section.empty() && section != "none" &&
        std::none_of(item.sections.begin(), item.sections.end(), [&](const SectionRef& ref) {
          return ref.first + "/" + ref.second == section;
        }))
      return false;
    if (!text.empty() && text::FoldForMatching(item.text).find(text) == std::string::npos)
      return false;
    return true;
  }
};

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
// a section (publishers), or accept each item's top suggestions. Every ticked item is checked as
// the single-item pages check it before any is changed; each change is audited.
Result<Response> BulkAction(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  std::map<std::string, std::string> form = context.request().Form();
  const std::string action = form["action"];
  if (action != "field" && action != "section" && action != "suggestions")
    return Status::InvalidArgument("consultation.bulk_action_required", "action");
  if (action == "section") CIVICDESK_RETURN_IF_ERROR(MayRoute(context));
  std::vector<Item> chosen;
  for (const auto& [key, value] : form) {
    if (key.rfind("item_", 0) != 0 || value.empty()) continue;
    CIVICDESK_ASSIGN_OR_RETURN(int64_t item_id, ParseFormId(key.substr(5), "item"));
    CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(database, item_id));
    if (item.consultation_id != id)
      return Status::InvalidArgument("consultation.item_other_consultation", key);
    CIVICDESK_RETURN_IF_ERROR(MayEditItem(context, item));
    chosen.push_back(std::move(item));
  }
  if (chosen.empty()) return Status::InvalidArgument("consultation.items_required", "item");
  std::optional<int64_t> field_id;
  std::optional<SectionRef> section;
  if (action == "field") {
    CIVICDESK_ASSIGN_OR_RETURN(field_id, ParseFormId(form["field"], "field"));
  } else if (action == "section") {
    const std::string value = form["section"];
    const size_t slash = value.find('/');
    if (slash == std::string::npos)
      return Status::InvalidArgument("consultation.section_required", "section");
    section = SectionRef{value.substr(0, slash), value.substr(slash + 1)};
  }
  int done = 0;
  for (const Item& item : chosen) {
    Status applied;
    if (field_id) {
      ItemUpdate update;
      std::vector<int64_t> fields = item.field_ids;
      if (std::find(fields.begin(), fields.end(), *field_id) == fields.end())
        fields.push_back(*field_id);
      update.field_ids = fields;
      applied = UpdateItem(database, item.id, update, ActorOf(context));
    } else if (section) {
      ItemUpdate update;
      std::vector<SectionRef> sections = item.sections;
      if (std::find(sections.begin(), sections.end(), *section) == sections.end())
        sections.push_back(*section);
      update.sections = sections;
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
    CIVICDESK_RETURN_IF_ERROR(applied);
    ++done;
  }
  return http::RedirectResponse(QueueOf(id) + "?done=" + std::to_string(done));
}

Result<Response> QueuePage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, id));
  std::optional<SectionRef> only;
  if (IsSectionStaff(context)) only = OwnSection(context);
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Item> items, ListItems(database, id, only));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<FieldOption> field_options, ListFields(database, id));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<SectionRef> units, ListOrgUnits(database));
  const QueueFilter filter = QueueFilter::From(context.request());
  // Opinions that arrived after publication: a follow-up, outside the published result.
  CIVICDESK_ASSIGN_OR_RETURN(std::set<int64_t> late, ItemsAfterPublication(database, id));
  int late_here = 0;
  json rows = json::array();
  for (const Item& item : items) {
    if (late.count(item.id)) ++late_here;
    if (!filter.Matches(item)) continue;
    std::string sections;
    for (const auto& [department, section] : item.sections)
      sections += (sections.empty() ? "" : " / ") + section;
    rows.push_back({{"id", item.id},
                    {"text", Excerpt(item.text, 80)},
                    {"channel", ChannelDisplay(item.channel, item.district)},
                    {"sections", sections},
                    {"status", item.status ? std::to_string(*item.status) : "—"},
                    {"answered", item.response_id != 0},
                    {"approved", item.approved},
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
    statuses.push_back(
        {{"value", std::to_string(status)}, {"selected", filter.status == std::to_string(status)}});
  }
  json data = {
      {"consultation",
       {{"id", consultation.id}, {"title", consultation.title}, {"state", consultation.state}}},
      {"filter",
       {{"q", filter.text},
        {"status_none", filter.status == "none"},
        {"field_none", filter.field == "none"},
        {"section_none", filter.section == "none"},
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
  // Publishers and admins also get what only they may do: the routes it posts to are theirs.
  if (context.HasAccess(http::Access::kPublisher))
    CIVICDESK_RETURN_IF_ERROR(AddManagement(database, consultation, data));
  return context.Page("consultation/staff_queue", consultation.title, data);
}

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
