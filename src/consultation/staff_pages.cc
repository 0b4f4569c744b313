#include "consultation/staff_pages.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "consultation/opinions_import.h"
#include "consultation/personal_data.h"
#include "consultation/publication.h"
#include "consultation/setup.h"
#include "consultation/store.h"
#include "consultation/suggestions.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "core/wareki.h"
#include "text/analysis.h"
#include "text/normalize.h"
#include "text/tokenizer.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using http::Role;
using nlohmann::json;

Result<int64_t> ParseId(const std::string& text, std::string_view name) {
  int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || id <= 0) {
    return Status::InvalidArgument("番号が不正です / invalid number \"" + text + "\"",
                                   std::string(name));
  }
  return id;
}

Actor ActorOf(RequestContext& context) {
  return {context.principal()->user_id, context.principal()->login};
}

bool IsSectionStaff(RequestContext& context) {
  return context.principal()->role == Role::kSectionStaff;
}

SectionRef OwnSection(RequestContext& context) {
  return {context.principal()->department, context.principal()->section};
}

// Section staff may touch only items routed to their own 部/課.
Status RequireItemAccess(RequestContext& context, const Item& item) {
  if (!IsSectionStaff(context)) return Status::Ok();
  SectionRef own = OwnSection(context);
  for (const SectionRef& section : item.sections) {
    if (section == own) return Status::Ok();
  }
  return Status::PermissionDenied(
      "他の課に回付された意見は編集できません / this item is routed to another section");
}

Status RequireStaff(RequestContext& context) {
  return context.RequireRole({Role::kAdmin, Role::kPublisher, Role::kSectionStaff});
}

Status RequirePublisher(RequestContext& context) {
  return context.RequireRole({Role::kAdmin, Role::kPublisher});
}

Response Denied(RequestContext& context, const Status& status) {
  if (status.code() == StatusCode::kUnauthenticated && !context.request().IsApi())
    return http::RedirectResponse("/login");
  return context.Error(status);
}

std::string Excerpt(const std::string& text, size_t characters) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++count > characters)
      return text.substr(0, i) + "…";
  }
  return text;
}

Response ConsultationsPage(RequestContext& context) {
  if (Status allowed = RequireStaff(context); !allowed.ok()) return Denied(context, allowed);
  storage::Database& database = context.app().database();
  Result<std::vector<Consultation>> consultations = ListConsultations(database);
  if (!consultations.ok()) return context.Error(consultations.status());
  Result<int64_t> voice = VoiceDeskId(database);
  if (!voice.ok()) return context.Error(voice.status());
  json list = json::array();
  for (const Consultation& consultation : *consultations) {
    list.push_back({{"id", consultation.id},
                    {"title", consultation.title},
                    {"state", consultation.state},
                    {"published", consultation.state == "published"}});
  }
  return context.Page(
      "consultation/staff_list", context.Message("staff_consultations_title"),
      {{"consultations", list}, {"voice_id", *voice}, {"can_create", !IsSectionStaff(context)}});
}

Response CreateFromForm(RequestContext& context) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
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
  Result<int64_t> id = CreateConsultation(context.app().database(), consultation, Settings{});
  if (!id.ok()) return context.Error(id.status());
  return http::RedirectResponse("/staff/consultations/" + std::to_string(*id));
}

Response AddMeetingFromForm(RequestContext& context) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  std::map<std::string, std::string> form = context.request().Form();
  Meeting meeting;
  meeting.held_on = form["held_on"];
  meeting.district = form["district"];
  meeting.venue = form["venue"];
  const std::string attendees = TrimSpaces(NormalizeNfkc(form["attendees"]));
  auto [end, error] =
      std::from_chars(attendees.data(), attendees.data() + attendees.size(), meeting.attendees);
  if (attendees.empty() || error != std::errc() || end != attendees.data() + attendees.size()) {
    return context.Error(Status::InvalidArgument(
        "参加者数は数字で入力してください / attendees must be a number", "attendees"));
  }
  Result<int64_t> added = AddMeeting(context.app().database(), *id, meeting, ActorOf(context));
  if (!added.ok()) return context.Error(added.status());
  return http::RedirectResponse("/staff/consultations/" + std::to_string(*id) + "#meetings");
}

Response LinkFieldFromForm(RequestContext& context) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  Result<int64_t> field = ParseId(context.request().PathParam("field"), "field");
  if (!field.ok()) return context.Error(field.status());
  std::map<std::string, std::string> form = context.request().Form();
  Status linked =
      LinkFieldToPlan(context.app().database(), *id, *field, form["plan_refs"], ActorOf(context));
  if (!linked.ok()) return context.Error(linked);
  return http::RedirectResponse("/staff/consultations/" + std::to_string(*id) + "#fields");
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

// Bulk actions on the items ticked in the queue (form fields item_<id>): add a field, route to
// a section (publishers), or accept each item's top suggestions. Every ticked item is checked as
// the single-item pages check it before any is changed; each change is audited.
Response BulkAction(RequestContext& context) {
  if (Status allowed = RequireStaff(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  storage::Database& database = context.app().database();
  std::map<std::string, std::string> form = context.request().Form();
  const std::string action = form["action"];
  if (action != "field" && action != "section" && action != "suggestions") {
    return context.Error(
        Status::InvalidArgument("一括操作を選んでください / choose a bulk action", "action"));
  }
  if (action == "section" && IsSectionStaff(context)) {
    return context.Error(Status::PermissionDenied(
        "回付先の変更は公表担当が行います / routing is done by publishers"));
  }
  std::vector<Item> chosen;
  for (const auto& [key, value] : form) {
    if (key.rfind("item_", 0) != 0 || value.empty()) continue;
    Result<int64_t> item_id = ParseId(key.substr(5), "item");
    if (!item_id.ok()) return context.Error(item_id.status());
    Result<Item> item = GetItem(database, *item_id);
    if (!item.ok()) return context.Error(item.status());
    if (item->consultation_id != *id) {
      return context.Error(
          Status::InvalidArgument("別の意見募集の意見です / an item of another consultation", key));
    }
    if (Status access = RequireItemAccess(context, *item); !access.ok())
      return context.Error(access);
    chosen.push_back(std::move(*item));
  }
  if (chosen.empty()) {
    return context.Error(
        Status::InvalidArgument("意見を選んでください / tick at least one item", "item"));
  }
  std::optional<int64_t> field_id;
  std::optional<SectionRef> section;
  if (action == "field") {
    Result<int64_t> parsed = ParseId(form["field"], "field");
    if (!parsed.ok()) return context.Error(parsed.status());
    field_id = *parsed;
  } else if (action == "section") {
    const std::string value = form["section"];
    const size_t slash = value.find('/');
    if (slash == std::string::npos) {
      return context.Error(
          Status::InvalidArgument("回付先を選んでください / choose a section", "section"));
    }
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
      Result<std::vector<ItemSuggestion>> suggestions =
          SuggestClassification(database, *id, item.id);
      if (!suggestions.ok()) return context.Error(suggestions.status());
      if (suggestions->empty()) continue;  // already classified and routed
      const ItemSuggestion& top = suggestions->front();
      const std::string field =
          item.field_ids.empty() && !top.fields.empty() ? top.fields.front().label : std::string();
      const std::string route =
          item.sections.empty() && !top.sections.empty() && !IsSectionStaff(context)
              ? top.sections.front().label
              : std::string();
      if (field.empty() && route.empty()) continue;
      applied = AcceptSuggestion(database, item.id, field, route, ActorOf(context));
    }
    if (!applied.ok()) return context.Error(applied);
    ++done;
  }
  return http::RedirectResponse("/staff/consultations/" + std::to_string(*id) +
                                "?done=" + std::to_string(done));
}

Response QueuePage(RequestContext& context) {
  if (Status allowed = RequireStaff(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  storage::Database& database = context.app().database();
  Result<Consultation> consultation = GetConsultation(database, *id);
  if (!consultation.ok()) return context.Error(consultation.status());
  std::optional<SectionRef> only;
  if (IsSectionStaff(context)) only = OwnSection(context);
  Result<std::vector<Item>> items = ListItems(database, *id, only);
  if (!items.ok()) return context.Error(items.status());
  Result<std::vector<FieldOption>> field_options = ListFields(database, *id);
  if (!field_options.ok()) return context.Error(field_options.status());
  Result<std::vector<SectionRef>> units = ListOrgUnits(database);
  if (!units.ok()) return context.Error(units.status());
  const QueueFilter filter = QueueFilter::From(context.request());
  json rows = json::array();
  for (const Item& item : *items) {
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
                    {"approved", item.approved}});
  }
  json filter_fields = json::array();
  for (const FieldOption& field : *field_options) {
    filter_fields.push_back({{"id", field.id},
                             {"label", field.label},
                             {"selected", filter.field == std::to_string(field.id)}});
  }
  json filter_sections = json::array();
  for (const SectionRef& unit : *units) {
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
       {{"id", consultation->id}, {"title", consultation->title}, {"state", consultation->state}}},
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
      {"items", rows},
      {"has_items", !rows.empty()},
      {"scoped", IsSectionStaff(context)},
      {"own_section", context.principal()->department + " " + context.principal()->section}};
  if (!IsSectionStaff(context)) {
    Result<std::vector<Submission>> submissions = ListSubmissions(database, *id);
    if (!submissions.ok()) return context.Error(submissions.status());
    json list = json::array();
    for (const Submission& submission : *submissions) {
      list.push_back({{"id", submission.id},
                      {"receipt", submission.receipt},
                      {"channel", ChannelDisplay(submission.channel, submission.district)},
                      {"text", Excerpt(submission.text, 60)},
                      {"items", submission.active_items}});
    }
    json channels = json::array();
    if (consultation->kind == "voice") {
      for (std::string_view channel : kVoiceChannels) channels.push_back(std::string(channel));
    } else {
      for (std::string_view channel : kPublicCommentChannels)
        channels.push_back(std::string(channel));
      channels.push_back(std::string(kMeetingChannel));
    }
    json districts = json::array();
    for (std::string_view district : kDistricts) districts.push_back(std::string(district));
    Result<std::vector<Meeting>> meetings = ListMeetings(database, *id);
    if (!meetings.ok()) return context.Error(meetings.status());
    json meeting_rows = json::array();
    for (const Meeting& meeting : *meetings) {
      Result<Date> held_on = ParseIsoDate(meeting.held_on);
      meeting_rows.push_back(
          {{"held_on", held_on.ok() ? FormatWarekiDate(*held_on) : meeting.held_on},
           {"district", meeting.district},
           {"venue", meeting.venue},
           {"attendees", meeting.attendees}});
    }
    Result<std::vector<FieldOption>> fields = ListFields(database, *id);
    if (!fields.ok()) return context.Error(fields.status());
    json field_rows = json::array();
    for (const FieldOption& field : *fields) {
      json links = json::array();
      Result<std::vector<PlanLink>> parsed = ParsePlanRefs(field.plan_ref);
      if (parsed.ok()) {
        for (const PlanLink& link : *parsed)
          links.push_back({{"code", link.code}, {"href", link.href}});
      }
      field_rows.push_back({{"id", field.id},
                            {"label", field.label},
                            {"plan_ref", field.plan_ref},
                            {"links", links}});
    }
    data["submissions"] = list;
    data["meetings"] = meeting_rows;
    data["has_meetings"] = !meeting_rows.empty();
    data["fields"] = field_rows;
    data["is_consultation"] = consultation->kind == "consultation";
    data["can_manage"] = true;
    data["channels"] = channels;
    data["districts"] = districts;
  }
  return context.Page("consultation/staff_queue", consultation->title, data);
}

Response StaffEntry(RequestContext& context) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  std::map<std::string, std::string> form = context.request().Form();
  NewSubmission submission;
  submission.text = form["text"];
  submission.channel = form["channel"];
  submission.district = form["district"];
  submission.relationship = form["relationship"];
  Result<Receipt> receipt =
      Submit(context.app().database(), *id, submission, Settings{}, ActorOf(context), true);
  if (!receipt.ok()) return context.Error(receipt.status());
  return http::RedirectResponse("/staff/consultations/" + std::to_string(*id));
}

// The responses of the items most like this one (shared character bigrams, Dice ≥ 0.4), best
// first, at most 3: what the response editor offers first. Consultations of more than
// kMaxItemsCompared items are not compared on each page view.
constexpr size_t kMaxItemsCompared = 5000;
// Below this, short opinions match on their endings alone (「…を増やしてください」).
constexpr double kSimilarAnswerDice = 0.4;

Result<json> SimilarAnswers(storage::Database& database, const Item& item) {
  json similar = json::array();
  Result<int64_t> count = CountItems(database, item.consultation_id);
  if (!count.ok()) return count.status();
  if (static_cast<size_t>(*count) > kMaxItemsCompared) return similar;
  Result<std::vector<Item>> items = ListItems(database, item.consultation_id);
  if (!items.ok()) return items.status();
  const std::string folded = text::FoldForMatching(item.text);
  std::vector<std::pair<double, const Item*>> scored;
  for (const Item& other : *items) {
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

Response ItemPage(RequestContext& context, const Status& error = Status::Ok()) {
  if (Status allowed = RequireStaff(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  storage::Database& database = context.app().database();
  Result<Item> item = GetItem(database, *id);
  if (!item.ok()) return context.Error(item.status());
  if (Status access = RequireItemAccess(context, *item); !access.ok()) return context.Error(access);
  Result<std::vector<FieldOption>> fields = ListFields(database, item->consultation_id);
  Result<std::vector<SectionRef>> units = ListOrgUnits(database);
  Result<std::vector<ResponseOption>> responses = ListResponses(database, item->consultation_id);
  if (!fields.ok() || !units.ok() || !responses.ok()) {
    return context.Error(!fields.ok()  ? fields.status()
                         : !units.ok() ? units.status()
                                       : responses.status());
  }
  json field_options = json::array();
  for (const FieldOption& field : *fields) {
    bool checked = std::find(item->field_ids.begin(), item->field_ids.end(), field.id) !=
                   item->field_ids.end();
    field_options.push_back({{"id", field.id}, {"label", field.label}, {"checked", checked}});
  }
  json section_options = json::array();
  int index = 0;
  for (const SectionRef& unit : *units) {
    bool checked =
        std::find(item->sections.begin(), item->sections.end(), unit) != item->sections.end();
    section_options.push_back({{"value", unit.first + "/" + unit.second},
                               {"label", unit.first + " " + unit.second},
                               {"checked", checked},
                               {"index", ++index}});
  }
  json response_options = json::array();
  for (const ResponseOption& response : *responses) {
    if (response.id == item->response_id) continue;
    response_options.push_back(
        {{"id", response.id}, {"text", Excerpt(response.text, 60)}, {"items", response.items}});
  }
  Result<json> similar = SimilarAnswers(database, *item);
  if (!similar.ok()) return context.Error(similar.status());
  json statuses = json::array();
  for (int status = 1; status <= 5; ++status) {
    statuses.push_back({{"value", status},
                        {"label", std::string(kStatusLegend[status - 1])},
                        {"checked", item->status == status}});
  }
  json data = {{"item",
                {{"id", item->id},
                 {"consultation_id", item->consultation_id},
                 {"text", item->text},
                 {"channel", ChannelDisplay(item->channel, item->district)},
                 {"response", item->response},
                 {"approved", item->approved},
                 {"answered", item->response_id != 0 && item->status.has_value()}}},
               {"fields", field_options},
               {"sections", section_options},
               {"can_route", !IsSectionStaff(context)},
               {"can_approve", !IsSectionStaff(context)},
               {"responses", response_options},
               {"similar", *similar},
               {"has_similar", !similar->empty()},
               {"has_responses", !response_options.empty()},
               {"statuses", statuses}};
  // Classification suggestions while the item lacks a field or a section.
  Result<std::vector<ItemSuggestion>> suggested =
      SuggestClassification(database, item->consultation_id, item->id);
  if (suggested.ok() && !suggested->empty()) {
    auto percent = [](double score) { return std::to_string(static_cast<int>(score * 100 + 0.5)); };
    json field_suggestions = json::array(), section_suggestions = json::array();
    for (const text::Prediction& prediction : suggested->front().fields)
      field_suggestions.push_back(
          {{"label", prediction.label}, {"percent", percent(prediction.score)}});
    if (!IsSectionStaff(context)) {
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
  if (!error.ok()) data["error"] = {{"message", error.message()}, {"field", error.field()}};
  return context.Page("consultation/staff_item",
                      context.Message("staff_item_title") + " " + std::to_string(item->id), data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

Response SaveItem(RequestContext& context) {
  if (Status allowed = RequireStaff(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  storage::Database& database = context.app().database();
  Result<Item> item = GetItem(database, *id);
  if (!item.ok()) return context.Error(item.status());
  if (Status access = RequireItemAccess(context, *item); !access.ok()) return context.Error(access);

  // Repeated checkboxes arrive as field_1=on, section_2=部/課: one name each, so the form
  // parser's last-wins rule loses nothing.
  std::map<std::string, std::string> form = context.request().Form();
  ItemUpdate update;
  std::vector<int64_t> field_ids;
  std::vector<SectionRef> sections;
  for (const auto& [name, value] : form) {
    if (name.rfind("field_", 0) == 0) {
      Result<int64_t> field = ParseId(name.substr(6), "fields");
      if (!field.ok()) return ItemPage(context, field.status());
      field_ids.push_back(*field);
    } else if (name.rfind("section_", 0) == 0) {
      size_t slash = value.find('/');
      if (slash == std::string::npos)
        return ItemPage(context,
                        Status::InvalidArgument("課の指定が不正です / bad section", "sections"));
      sections.emplace_back(value.substr(0, slash), value.substr(slash + 1));
    }
  }
  update.field_ids = field_ids;
  if (!IsSectionStaff(context)) {
    update.sections = sections;
  }
  if (!form["reuse_response"].empty()) {
    Result<int64_t> reuse = ParseId(form["reuse_response"], "reuse_response");
    if (!reuse.ok()) return ItemPage(context, reuse.status());
    update.reuse_response_id = *reuse;
  } else if (form.count("response") > 0 && !form["response"].empty()) {
    update.response_text = form["response"];
  }
  if (!form["status"].empty()) {
    const std::string& status = form["status"];
    if (status.size() != 1 || status[0] < '1' || status[0] > '5') {
      return ItemPage(context,
                      Status::InvalidArgument("対応状況は1〜5です / status must be 1-5", "status"));
    }
    update.status = status[0] - '0';
  }
  Status saved = UpdateItem(database, *id, update, ActorOf(context));
  if (!saved.ok()) return ItemPage(context, saved);
  return http::RedirectResponse("/staff/items/" + std::to_string(*id));
}

Response AcceptSuggested(RequestContext& context) {
  if (Status allowed = RequireStaff(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  storage::Database& database = context.app().database();
  Result<Item> item = GetItem(database, *id);
  if (!item.ok()) return context.Error(item.status());
  if (Status access = RequireItemAccess(context, *item); !access.ok()) return context.Error(access);
  std::map<std::string, std::string> form = context.request().Form();
  if (!form["section"].empty() && IsSectionStaff(context)) {
    return context.Error(Status::PermissionDenied(
        "回付先の変更は公表担当が行います / routing is done by publishers"));
  }
  Status accepted =
      AcceptSuggestion(database, *id, form["field"], form["section"], ActorOf(context));
  if (!accepted.ok()) return ItemPage(context, accepted);
  return http::RedirectResponse("/staff/items/" + std::to_string(*id));
}

// Campaigns (form letters) and similar-opinion groups of one consultation, with the group
// threshold as a query parameter; publishers save the groups, which then order publication.
Result<double> GroupThreshold(const std::string& text) {
  if (text.empty()) return text::AnalysisOptions{}.group_threshold;
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0 || value > 1) {
    return Status::InvalidArgument(
        "しきい値は 0 より大きく 1 以下です / the threshold must be in (0, 1]", "threshold");
  }
  return value;
}

Result<text::Analysis> AnalyzeConsultation(storage::Database& database, int64_t id,
                                           double threshold, std::vector<AnalysisItem>& items) {
  Result<std::vector<AnalysisItem>> listed = ListAnalysisItems(database, id);
  if (!listed.ok()) return listed.status();
  items = std::move(*listed);
  std::vector<text::AnalysisInput> inputs;
  for (const AnalysisItem& item : items) inputs.push_back({item.text, item.response});
  text::AnalysisOptions options;
  options.group_threshold = threshold;
  return text::Analyze(inputs, options);
}

Response AnalysisPage(RequestContext& context) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  storage::Database& database = context.app().database();
  Result<Consultation> consultation = GetConsultation(database, *id);
  if (!consultation.ok()) return context.Error(consultation.status());
  Result<double> threshold = GroupThreshold(context.request().QueryParam("threshold").value_or(""));
  if (!threshold.ok()) return context.Error(threshold.status());
  std::vector<AnalysisItem> items;
  Result<text::Analysis> analysis = AnalyzeConsultation(database, *id, *threshold, items);
  if (!analysis.ok()) return context.Error(analysis.status());
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
  for (const text::Campaign& campaign : analysis->campaigns) {
    campaigns.push_back({{"size", campaign.items.size()},
                         {"exact", campaign.exact_copies},
                         {"template", items[campaign.template_item].text},
                         {"items", item_links(campaign.items)}});
  }
  json groups = json::array();
  for (const text::Group& group : analysis->groups) {
    std::string terms;
    for (const std::string& term : group.terms) terms += (terms.empty() ? "" : "、") + term;
    groups.push_back({{"size", group.items.size()},
                      {"terms", terms},
                      {"reason", context.Message("analysis_reason_" + group.reason)},
                      {"items", item_links(group.items)}});
  }
  char threshold_text[16];
  std::snprintf(threshold_text, sizeof(threshold_text), "%.2f", *threshold);
  return context.Page("consultation/staff_analysis", context.Message("analysis_title"),
                      {{"consultation", {{"id", consultation->id}, {"title", consultation->title}}},
                       {"items", items.size()},
                       {"unique", analysis->unique_texts},
                       {"campaigns", campaigns},
                       {"has_campaigns", !campaigns.empty()},
                       {"groups", groups},
                       {"has_groups", !groups.empty()},
                       {"threshold", threshold_text}});
}

Response SaveGroupsFromForm(RequestContext& context) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  std::map<std::string, std::string> form = context.request().Form();
  Result<double> threshold = GroupThreshold(form["threshold"]);
  if (!threshold.ok()) return context.Error(threshold.status());
  storage::Database& database = context.app().database();
  std::vector<AnalysisItem> items;
  Result<text::Analysis> analysis = AnalyzeConsultation(database, *id, *threshold, items);
  if (!analysis.ok()) return context.Error(analysis.status());
  Status saved = SaveGroups(database, *id, GroupAssignments(*analysis, items), ActorOf(context));
  if (!saved.ok()) return context.Error(saved);
  return http::RedirectResponse("/staff/consultations/" + std::to_string(*id) + "/analysis");
}

Response Approve(RequestContext& context) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  Status approved = ApproveItem(context.app().database(), *id, ActorOf(context));
  if (!approved.ok()) return context.Error(approved);
  return http::RedirectResponse("/staff/items/" + std::to_string(*id));
}

Response SplitPage(RequestContext& context, const Status& error = Status::Ok()) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  Result<Submission> submission = GetSubmission(context.app().database(), *id);
  if (!submission.ok()) return context.Error(submission.status());
  json data = {{"submission",
                {{"id", submission->id},
                 {"consultation_id", submission->consultation_id},
                 {"receipt", submission->receipt},
                 {"text", submission->text},
                 {"items", submission->active_items}}}};
  if (!error.ok()) data["error"] = {{"message", error.message()}, {"field", error.field()}};
  return context.Page("consultation/staff_split", context.Message("staff_split_title"), data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

Response Split(RequestContext& context) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
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
  Status split = SplitSubmission(context.app().database(), *id, pieces, ActorOf(context));
  if (!split.ok()) return SplitPage(context, split);
  Result<Submission> submission = GetSubmission(context.app().database(), *id);
  return http::RedirectResponse("/staff/consultations/" +
                                std::to_string(submission.ok() ? submission->consultation_id : 0));
}

Response Merge(RequestContext& context) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  Status merged = MergeSubmission(context.app().database(), *id, ActorOf(context));
  if (!merged.ok()) return context.Error(merged);
  Result<Submission> submission = GetSubmission(context.app().database(), *id);
  return http::RedirectResponse("/staff/consultations/" +
                                std::to_string(submission.ok() ? submission->consultation_id : 0));
}

Response PublishPage(RequestContext& context, const Status& error = Status::Ok()) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  Result<Consultation> consultation = GetConsultation(context.app().database(), *id);
  if (!consultation.ok()) return context.Error(consultation.status());
  Result<std::vector<PublicationProblem>> problems =
      CheckPublication(context.app().database(), *id);
  if (!problems.ok()) return context.Error(problems.status());
  json list = json::array();
  for (const PublicationProblem& problem : *problems) {
    list.push_back({{"number", problem.number},
                    {"item_id", problem.item_id},
                    {"problem", problem.problem},
                    {"is_item", problem.item_id != 0}});
  }
  Result<std::vector<PublishedRow>> rows = PublishedRows(context.app().database(), *id);
  if (!rows.ok()) return context.Error(rows.status());
  json flagged = json::array();
  for (const PublishedRow& row : *rows) {
    std::vector<PersonalDataFinding> findings = FindPersonalData(row.opinion);
    if (findings.empty()) continue;
    json kinds = json::array();
    for (const PersonalDataFinding& finding : findings) {
      kinds.push_back(
          {{"kind", context.Message("personal_" + finding.kind)}, {"excerpt", finding.excerpt}});
    }
    flagged.push_back({{"number", row.number}, {"item_id", row.item_id}, {"findings", kinds}});
  }
  json data = {{"flagged", flagged},
               {"has_flagged", !flagged.empty()},
               {"consultation",
                {{"id", consultation->id},
                 {"title", consultation->title},
                 {"published", consultation->state == "published"}}},
               {"problems", list},
               {"ready", problems->empty()}};
  if (!error.ok()) data["error"] = error.message();
  return context.Page("consultation/staff_publish", context.Message("staff_publish_title"), data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

Response DoPublish(RequestContext& context) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  Status published = Publish(context.app().database(), *id, ActorOf(context));
  if (!published.ok()) return PublishPage(context, published);
  return http::RedirectResponse("/consultations/" + std::to_string(*id) + "/result");
}

Response Mask(RequestContext& context) {
  if (Status allowed = RequirePublisher(context); !allowed.ok()) return Denied(context, allowed);
  Result<int64_t> id = ParseId(context.request().PathParam("id"), "id");
  if (!id.ok()) return context.Error(id.status());
  Result<Item> item = GetItem(context.app().database(), *id);
  if (!item.ok()) return context.Error(item.status());
  Status masked = MaskItem(context.app().database(), *id, ActorOf(context));
  if (!masked.ok()) return context.Error(masked);
  return http::RedirectResponse("/staff/consultations/" + std::to_string(item->consultation_id) +
                                "/publish");
}

}  // namespace

void InstallStaffPages(http::App& app) {
  http::Router& router = app.router();
  router.Get("/staff/consultations", ConsultationsPage);
  router.Post("/staff/consultations", CreateFromForm);
  router.Get("/staff/consultations/{id}", QueuePage);
  router.Post("/staff/consultations/{id}/meetings", AddMeetingFromForm);
  router.Post("/staff/consultations/{id}/fields/{field}", LinkFieldFromForm);
  router.Post("/staff/consultations/{id}/entries", StaffEntry);
  router.Get("/staff/consultations/{id}/publish",
             [](RequestContext& context) { return PublishPage(context); });
  router.Post("/staff/consultations/{id}/publish", DoPublish);
  router.Get("/staff/items/{id}", [](RequestContext& context) { return ItemPage(context); });
  router.Post("/staff/items/{id}", SaveItem);
  router.Post("/staff/items/{id}/approve", Approve);
  router.Post("/staff/items/{id}/accept", AcceptSuggested);
  router.Post("/staff/consultations/{id}/bulk", BulkAction);
  router.Get("/staff/consultations/{id}/analysis", AnalysisPage);
  router.Post("/staff/consultations/{id}/groups", SaveGroupsFromForm);
  router.Post("/staff/items/{id}/mask", Mask);
  router.Get("/staff/submissions/{id}/split",
             [](RequestContext& context) { return SplitPage(context); });
  router.Post("/staff/submissions/{id}/split", Split);
  router.Post("/staff/submissions/{id}/merge", Merge);
}

}  // namespace civicdesk::consultation
