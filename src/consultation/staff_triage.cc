// Triage (振り分け, triage.h) in the staff console: the queue of opinions nobody has routed yet,
// each with the classifier's suggestion chosen in advance so that one button routes them; who
// triages the consultation; and, for the queue page, how many wait and who routes them.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "consultation/access.h"
#include "consultation/handlers.h"
#include "consultation/store.h"
#include "consultation/suggestions.h"
#include "consultation/triage.h"
#include "consultation/views.h"
#include "consultation/workflow.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

// The triage page shows this many unrouted items at a time (routing them shows the next ones),
// and asks the classifier only up to this many unrouted items.
constexpr size_t kTriageRows = 200;
constexpr int64_t kMaxItemsSuggested = 5000;

std::string TriageAddress(int64_t consultation_id) {
  return "/staff/consultations/" + std::to_string(consultation_id) + "/triage";
}

// Who routes the consultation's opinions, as a sentence part: 「環境リサイクル支援部 環境課」 or
// the publishers.
std::string WhoRoutes(const RequestContext& context, const Consultation& consultation) {
  const std::optional<SectionRef> section = TriageSection(consultation);
  return section ? section->first + " " + section->second : context.Message("triage_by_publishers");
}

// A section as a choice in a narrow select: the section first, its department after
// (「環境課（環境リサイクル支援部）」), so that sections of one department differ at a glance.
std::string UnitChoice(const RequestContext& context, const SectionRef& unit) {
  return context.Format(Status(StatusCode::kOk, "consultation.triage_unit_choice",
                               {{"section", unit.second}, {"department", unit.first}}));
}

std::optional<SectionRef> ParseSection(const std::string& value) {
  const size_t slash = value.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == value.size()) return std::nullopt;
  return SectionRef{value.substr(0, slash), value.substr(slash + 1)};
}

}  // namespace

Result<json> TriageSummary(RequestContext& context, const Consultation& consultation,
                           bool queue_empty) {
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(int64_t unrouted, CountUnrouted(database, consultation.id));
  const std::string who = WhoRoutes(context, consultation);
  const std::string sentence = context.Format(
      Status(StatusCode::kOk,
             unrouted > 0 ? "consultation.triage_unrouted" : "consultation.triage_none_unrouted",
             {{"count", std::to_string(unrouted)}, {"who", who}}));
  const bool may_triage = MayRoute(context, consultation).ok();
  json summary = {{"unrouted", unrouted},
                  {"notice", sentence},
                  {"may_triage", may_triage},
                  {"href", TriageAddress(consultation.id)},
                  {"show_notice", true}};
  // Section staff with nothing in their queue are told why, and who routes (issue 25).
  if (queue_empty && IsSectionStaff(context)) {
    summary["why_empty"] = context.Message("queue_empty_nothing_routed") + " " + sentence;
    summary["show_notice"] = false;
  }
  return summary;
}

Result<Response> TriagePage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, id));
  CIVICDESK_RETURN_IF_ERROR(MayRoute(context, consultation));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<UnroutedItem> unrouted, ListUnrouted(database, id));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<SectionRef> units, ListOrgUnits(database));
  std::map<int64_t, std::vector<text::Prediction>> suggested;
  if (!unrouted.empty() && static_cast<int64_t>(unrouted.size()) <= kMaxItemsSuggested) {
    Result<std::vector<ItemSuggestion>> suggestions = SuggestClassification(database, id);
    if (suggestions.ok()) {
      for (ItemSuggestion& suggestion : *suggestions)
        suggested[suggestion.item_id] = std::move(suggestion.sections);
    }
  }
  int returned = 0, pre_routed = 0;
  std::map<std::string, int> by_suggestion;
  json rows = json::array();
  for (const UnroutedItem& entry : unrouted) {
    if (!entry.returned_reason.empty()) ++returned;
    const std::vector<text::Prediction>& predictions = suggested[entry.item.id];
    const bool chosen = !predictions.empty() && predictions.front().score >= kAutoRouteScore;
    if (chosen) {
      ++pre_routed;
      ++by_suggestion[predictions.front().label];
    }
    if (rows.size() >= kTriageRows) continue;
    json suggestions = json::array();
    for (size_t i = 0; i < predictions.size(); ++i) {
      std::optional<SectionRef> section = ParseSection(predictions[i].label);
      if (!section) continue;
      suggestions.push_back(
          {{"value", predictions[i].label},
           {"label", UnitChoice(context, *section)},
           {"percent", std::to_string(static_cast<int>(predictions[i].score * 100 + 0.5))},
           {"selected", i == 0 && chosen}});
    }
    rows.push_back({{"id", entry.item.id},
                    {"text", Excerpt(entry.item.text, 120)},
                    {"channel", ChannelDisplay(entry.item.channel, entry.item.district)},
                    {"returned_reason", entry.returned_reason},
                    {"suggestions", suggestions},
                    {"has_suggestions", !suggestions.empty()}});
  }
  json unit_options = json::array();
  const std::optional<SectionRef> triage = TriageSection(consultation);
  for (const SectionRef& unit : units) {
    unit_options.push_back({{"value", unit.first + "/" + unit.second},
                            {"label", UnitChoice(context, unit)},
                            {"selected", triage == unit}});
  }
  CIVICDESK_ASSIGN_OR_RETURN(auto auto_routed, AutoRoutedItems(database, id));
  CIVICDESK_ASSIGN_OR_RETURN(AutoRouteReadiness readiness, CheckAutoRouteReadiness(database, id));
  const std::string auto_route_state = context.Format(Status(
      StatusCode::kOk,
      readiness.ready ? "consultation.auto_route_ready" : "consultation.auto_route_not_ready",
      {{"routed", std::to_string(readiness.routed_by_staff)},
       {"accuracy", std::to_string(static_cast<int>(readiness.accuracy * 100 + 0.5))},
       {"minimum_routed", std::to_string(kAutoRouteMinimumRouted)},
       {"minimum_accuracy",
        std::to_string(static_cast<int>(kAutoRouteMinimumAccuracy * 100 + 0.5))}}));
  json suggested_counts = json::array();
  for (const auto& [label, count] : by_suggestion) {
    std::optional<SectionRef> section = ParseSection(label);
    if (section)
      suggested_counts.push_back(
          {{"label", section->first + " " + section->second}, {"count", count}});
  }
  json data = {{"consultation", {{"id", consultation.id}, {"title", consultation.title}}},
               {"who", context.Format(Status(StatusCode::kOk, "consultation.triage_who_routes",
                                             {{"who", WhoRoutes(context, consultation)}}))},
               {"counts",
                {{"unrouted", unrouted.size()},
                 {"pre_routed", pre_routed},
                 {"returned", returned},
                 {"auto_routed", auto_routed.size()},
                 {"shown", rows.size()},
                 {"by_suggestion", suggested_counts}}},
               {"more", unrouted.size() > rows.size()},
               {"items", rows},
               {"has_items", !rows.empty()},
               {"units", unit_options},
               {"triage_by_publishers", !triage.has_value()},
               {"auto_route", consultation.auto_route},
               {"auto_route_state", auto_route_state},
               {"auto_route_help",
                context.Format(Status(
                    StatusCode::kOk, "consultation.triage_auto_route_help",
                    {{"percent", std::to_string(static_cast<int>(kAutoRouteScore * 100))}}))},
               {"can_set", context.HasAccess(http::Access::kPublisher)},
               {"routed", context.request().QueryParam("routed").value_or("")}};
  return context.Page("consultation/staff_triage", context.Message("triage_title"), data);
}

Result<Response> SetTriageFromForm(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  const std::string value = context.request().Form()["triage"];
  std::optional<SectionRef> section;
  if (!value.empty()) {
    section = ParseSection(value);
    if (!section) return Status::InvalidArgument("consultation.section_invalid", "triage");
  }
  CIVICDESK_RETURN_IF_ERROR(SetTriage(context.app().database(), id, section, ActorOf(context)));
  return http::RedirectResponse(TriageAddress(id));
}

// The triage page's switch: auto_route = "on" | "off" (publishers; the route table says so).
Result<Response> SetAutoRouteFromForm(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  const std::string value = context.request().Form()["auto_route"];
  if (value != "on" && value != "off")
    return Status::InvalidArgument("consultation.auto_route_invalid", "auto_route");
  CIVICDESK_RETURN_IF_ERROR(
      SetAutoRoute(context.app().database(), id, value == "on", ActorOf(context)));
  return http::RedirectResponse(TriageAddress(id));
}

// The triage queue's form: route_<item id> = "部/課" for each item to route ("" leaves it). Items
// routed meanwhile by someone else are left as they are; every change is an audited update.
Result<Response> RouteFromTriage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, id));
  CIVICDESK_RETURN_IF_ERROR(MayRoute(context, consultation));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<SectionRef> units, ListOrgUnits(database));
  std::vector<std::pair<Item, SectionRef>> chosen;
  for (const auto& [key, value] : context.request().Form()) {
    if (key.rfind("route_", 0) != 0 || value.empty()) continue;
    CIVICDESK_ASSIGN_OR_RETURN(int64_t item_id, ParseFormId(key.substr(6), key));
    std::optional<SectionRef> section = ParseSection(value);
    if (!section || std::find(units.begin(), units.end(), *section) == units.end()) {
      return Status::InvalidArgument("consultation.section_unknown", {{"section", value}}, key);
    }
    CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(database, item_id));
    if (item.consultation_id != id)
      return Status::InvalidArgument("consultation.item_other_consultation", key);
    if (!item.sections.empty()) continue;  // routed meanwhile
    CIVICDESK_RETURN_IF_ERROR(MayEditItem(context, item));
    chosen.emplace_back(std::move(item), *section);
  }
  int routed = 0;
  for (const auto& [item, section] : chosen) {
    CIVICDESK_ASSIGN_OR_RETURN(bool done,
                               RouteIfUnrouted(database, item.id, section, ActorOf(context)));
    routed += done ? 1 : 0;
  }
  return http::RedirectResponse(TriageAddress(id) + "?routed=" + std::to_string(routed));
}

}  // namespace civicdesk::consultation
