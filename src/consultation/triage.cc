#include "consultation/triage.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "consultation/publishing.h"
#include "consultation/search_documents.h"
#include "consultation/suggestions.h"
#include "core/date.h"
#include "core/text_normalize.h"

namespace civicdesk::consultation {
namespace {

using nlohmann::json;
using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;

constexpr size_t kMaxReasonCharacters = 1000;

json SectionsJson(const std::vector<SectionRef>& sections) {
  json list = json::array();
  for (const auto& [department, section] : sections) list.push_back(department + "/" + section);
  return list;
}

std::string WhoJson(const std::optional<SectionRef>& section) {
  return section ? section->first + "/" + section->second : std::string("publishers");
}

}  // namespace

std::optional<SectionRef> TriageSection(const Consultation& consultation) {
  if (consultation.triage_section.empty()) return std::nullopt;
  return SectionRef{consultation.triage_department, consultation.triage_section};
}

Status SetTriage(storage::Database& database, int64_t consultation_id,
                 const std::optional<SectionRef>& section, const Actor& actor) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, consultation_id));
  if (section) {
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<SectionRef> units, ListOrgUnits(database));
    if (std::find(units.begin(), units.end(), *section) == units.end()) {
      return Status::InvalidArgument("consultation.section_unknown",
                                     {{"section", section->first + "/" + section->second}},
                                     "triage");
    }
  }
  const std::optional<SectionRef> before = TriageSection(consultation);
  return database.Transaction([&](Connection& connection) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult updated,
        connection.Query(
            "UPDATE consultation SET triage_department = ?, triage_section = ? WHERE id = ?",
            {section ? section->first : std::string(), section ? section->second : std::string(),
             consultation_id}));
    (void)updated;
    return Audit(connection, actor, "set_triage", "consultation", consultation_id, WhoJson(before),
                 WhoJson(section));
  });
}

Result<std::vector<UnroutedItem>> ListUnrouted(storage::Database& database,
                                               int64_t consultation_id) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Item> items, ListItems(database, consultation_id));
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult notes,
      database.Query("SELECT id, triage_note FROM consultation_item WHERE consultation_id = ? AND"
                     " active = 1 AND triage_note <> ''",
                     {consultation_id}));
  std::map<int64_t, std::string> reason_of;
  for (const auto& row : notes.rows) reason_of[AsInt(row[0])] = AsText(row[1]);
  std::vector<UnroutedItem> unrouted;
  for (Item& item : items) {
    if (!item.sections.empty()) continue;
    const auto reason = reason_of.find(item.id);
    unrouted.push_back(
        {std::move(item), reason == reason_of.end() ? std::string() : reason->second});
  }
  return unrouted;
}

Result<int64_t> CountUnrouted(storage::Database& database, int64_t consultation_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult count,
      database.Query("SELECT COUNT(*) FROM consultation_item i WHERE i.consultation_id = ? AND"
                     " i.active = 1 AND NOT EXISTS (SELECT 1 FROM consultation_item_section s"
                     " WHERE s.item_id = i.id)",
                     {consultation_id}));
  return AsInt(count.rows[0][0]);
}

Status ReturnToTriage(storage::Database& database, int64_t item_id,
                      const std::optional<SectionRef>& section, const std::string& reason,
                      const Actor& actor) {
  const std::string trimmed = TrimSpaces(reason);
  if (trimmed.empty() || !IsValidUtf8(trimmed))
    return Status::InvalidArgument("consultation.return_reason_required", "return_reason");
  size_t characters = 0;
  for (unsigned char c : trimmed) characters += (c & 0xC0) != 0x80;
  if (characters > kMaxReasonCharacters) {
    return Status::InvalidArgument("consultation.return_reason_too_long",
                                   {{"maximum", std::to_string(kMaxReasonCharacters)}},
                                   "return_reason");
  }
  CIVICDESK_RETURN_IF_ERROR(RefuseIfPublished(database, item_id));
  CIVICDESK_RETURN_IF_ERROR(GetItem(database, item_id).status());
  Status returned = database.Transaction([&](Connection& connection) -> Status {
    CIVICDESK_RETURN_IF_ERROR(RefuseIfPublished(connection, item_id));
    // The routing as it is now, read in this transaction: a route added meanwhile stays.
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult current,
        connection.Query("SELECT department, section FROM consultation_item_section WHERE"
                         " item_id = ? ORDER BY position",
                         {item_id}));
    std::vector<SectionRef> before, after;
    for (const auto& row : current.rows)
      before.push_back({storage::AsText(row[0]), storage::AsText(row[1])});
    if (section) {
      after = before;
      std::erase(after, *section);
    }
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult removed,
        connection.Query("DELETE FROM consultation_item_section WHERE item_id = ?", {item_id}));
    (void)removed;
    int64_t position = 0;
    for (const auto& [department, name] : after) {
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult inserted,
          connection.Query("INSERT INTO consultation_item_section (item_id, position, department,"
                           " section) VALUES (?, ?, ?, ?)",
                           {item_id, ++position, department, name}));
      (void)inserted;
    }
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult noted,
        connection.Query("UPDATE consultation_item SET triage_note = ?, approved = 0 WHERE id = ?",
                         {after.empty() ? trimmed : std::string(), item_id}));
    (void)noted;
    CIVICDESK_RETURN_IF_ERROR(WriteItemDocuments(database, connection, {item_id}));
    return Audit(connection, actor, "return_to_triage", "item", item_id,
                 json{{"sections", SectionsJson(before)}}.dump(),
                 json{{"sections", SectionsJson(after)}, {"reason", trimmed}}.dump());
  });
  return returned;
}

namespace {

// The section a suggestion names ("部/課"), if it names one.
std::optional<SectionRef> SuggestedSection(const std::vector<text::Prediction>& predictions) {
  if (predictions.empty()) return std::nullopt;
  const std::string& label = predictions.front().label;
  const size_t slash = label.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == label.size()) return std::nullopt;
  return SectionRef{label.substr(0, slash), label.substr(slash + 1)};
}

// Routes an active item that has no section to `section`; false (and nothing changed) when it
// has one — also when another transaction routed it concurrently — or is inactive.
Result<bool> RouteIfUnroutedOn(Connection& connection, int64_t item_id, const SectionRef& section) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult inserted,
      connection.Query(
          "INSERT INTO consultation_item_section (item_id, position, department, section) SELECT"
          " ?, 1, ?, ? WHERE NOT EXISTS (SELECT 1 FROM consultation_item_section WHERE item_id ="
          " ?) AND EXISTS (SELECT 1 FROM consultation_item WHERE id = ? AND active = 1) ON"
          " CONFLICT DO NOTHING RETURNING item_id",
          {item_id, section.first, section.second, item_id, item_id}));
  if (inserted.rows.empty()) return false;
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult noted,
      connection.Query("UPDATE consultation_item SET triage_note = '' WHERE id = ?", {item_id}));
  (void)noted;
  return true;
}

// Claims the item for this decision and routes it when `route`; false when another server (or
// an earlier call) decided it first.
Result<bool> DecideAutoRoute(storage::Database& database, int64_t item_id,
                             const SectionRef& section, int percent, bool route) {
  bool claimed = false;
  Status decided = database.Transaction([&](Connection& connection) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult claim,
        connection.Query(
            "INSERT INTO consultation_auto_route (item_id, department, section,"
            " percent, routed, decided_at) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT"
            " (item_id) DO NOTHING RETURNING item_id",
            {item_id, section.first, section.second, int64_t{percent}, NowIso8601Utc()}));
    claimed = !claim.rows.empty();
    if (!claimed || !route) return Status::Ok();
    CIVICDESK_ASSIGN_OR_RETURN(bool routed, RouteIfUnroutedOn(connection, item_id, section));
    if (!routed) return Status::Ok();
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult marked,
        connection.Query("UPDATE consultation_auto_route SET routed = 1 WHERE item_id = ?",
                         {item_id}));
    (void)marked;
    return Audit(connection, Actor{0, "auto_route"}, "auto_route", "item", item_id,
                 json{{"sections", json::array()}}.dump(),
                 json{{"sections", SectionsJson({section})}, {"percent", percent}}.dump());
  });
  if (!decided.ok()) return decided;
  return claimed;
}

}  // namespace

Result<AutoRouteReadiness> CheckAutoRouteReadiness(storage::Database& database,
                                                   int64_t consultation_id) {
  CIVICDESK_ASSIGN_OR_RETURN(ClassificationEvaluation evaluation,
                             EvaluateClassification(database, consultation_id));
  AutoRouteReadiness readiness;
  if (!evaluation.sections.ok()) return readiness;  // too few examples to cross-validate
  readiness.routed_by_staff = evaluation.sections->examples;
  readiness.accuracy = evaluation.sections->accuracy;
  readiness.ready = readiness.routed_by_staff >= kAutoRouteMinimumRouted &&
                    readiness.accuracy >= kAutoRouteMinimumAccuracy;
  return readiness;
}

Result<int> AutoRouteNewItems(storage::Database& database, int64_t consultation_id,
                              size_t max_items) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, consultation_id));
  if (!consultation.auto_route || consultation.state != "open") return 0;
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult fresh,
      database.Query("SELECT i.id FROM consultation_item i WHERE i.consultation_id = ? AND"
                     " i.active = 1 AND NOT EXISTS (SELECT 1 FROM consultation_item_section s"
                     " WHERE s.item_id = i.id) AND NOT EXISTS (SELECT 1 FROM"
                     " consultation_auto_route a WHERE a.item_id = i.id) ORDER BY i.id LIMIT ?",
                     {consultation_id, static_cast<int64_t>(max_items)}));
  if (fresh.rows.empty()) return 0;
  // Cheap first: too few routed by staff for the cross-validation to be worth running.
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult routed_here,
      database.Query("SELECT COUNT(DISTINCT s.item_id) FROM consultation_item_section s JOIN"
                     " consultation_item i ON i.id = s.item_id WHERE i.consultation_id = ? AND"
                     " i.active = 1",
                     {consultation_id}));
  if (static_cast<size_t>(AsInt(routed_here.rows[0][0])) < kAutoRouteMinimumRouted) return 0;
  CIVICDESK_ASSIGN_OR_RETURN(AutoRouteReadiness readiness,
                             CheckAutoRouteReadiness(database, consultation_id));
  if (!readiness.ready) return 0;  // not yet: the items are considered again later
  std::set<int64_t> wanted;
  for (const auto& row : fresh.rows) wanted.insert(AsInt(row[0]));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<ItemSuggestion> suggestions,
                             SuggestClassification(database, consultation_id, wanted));
  std::vector<int64_t> routed;
  for (const ItemSuggestion& suggestion : suggestions) {
    const std::optional<SectionRef> section = SuggestedSection(suggestion.sections);
    if (!section) continue;  // nothing learnt yet: considered again later
    const double score = suggestion.sections.front().score;
    const bool route = score >= kAutoRouteScore;
    CIVICDESK_ASSIGN_OR_RETURN(bool claimed,
                               DecideAutoRoute(database, suggestion.item_id, *section,
                                               static_cast<int>(score * 100 + 0.5), route));
    if (claimed && route) routed.push_back(suggestion.item_id);
  }
  if (!routed.empty()) IndexItems(database, routed);
  return static_cast<int>(routed.size());
}

Result<bool> RouteIfUnrouted(storage::Database& database, int64_t item_id,
                             const SectionRef& section, const Actor& actor) {
  CIVICDESK_RETURN_IF_ERROR(RefuseIfPublished(database, item_id));
  bool routed = false;
  CIVICDESK_RETURN_IF_ERROR(database.Transaction([&](Connection& connection) -> Status {
    CIVICDESK_RETURN_IF_ERROR(RefuseIfPublished(connection, item_id));
    CIVICDESK_ASSIGN_OR_RETURN(routed, RouteIfUnroutedOn(connection, item_id, section));
    if (!routed) return Status::Ok();
    return Audit(connection, actor, "route", "item", item_id,
                 json{{"sections", json::array()}}.dump(),
                 json{{"sections", SectionsJson({section})}}.dump());
  }));
  if (routed) IndexItems(database, {item_id});
  return routed;
}

Result<int> AutoRouteOpenConsultations(storage::Database& database) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult open,
      database.Query("SELECT id FROM consultation WHERE state = 'open' AND auto_route = 1 ORDER"
                     " BY id"));
  int routed = 0;
  for (const auto& row : open.rows) {
    CIVICDESK_ASSIGN_OR_RETURN(int count, AutoRouteNewItems(database, AsInt(row[0])));
    routed += count;
  }
  return routed;
}

Status SetAutoRoute(storage::Database& database, int64_t consultation_id, bool on,
                    const Actor& actor) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, consultation_id));
  return database.Transaction([&](Connection& connection) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult updated, connection.Query("UPDATE consultation SET auto_route = ? WHERE id = ?",
                                              {int64_t{on ? 1 : 0}, consultation_id}));
    (void)updated;
    return Audit(connection, actor, "set_auto_route", "consultation", consultation_id,
                 consultation.auto_route ? "on" : "off", on ? "on" : "off");
  });
}

Result<std::map<int64_t, int>> AutoRoutedItems(storage::Database& database,
                                               int64_t consultation_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query(
          "SELECT a.item_id, a.percent FROM consultation_auto_route a JOIN consultation_item i ON"
          " i.id = a.item_id JOIN consultation_item_section s ON s.item_id = a.item_id AND"
          " s.department = a.department AND s.section = a.section WHERE i.consultation_id = ? AND"
          " i.active = 1 AND a.routed = 1 AND (SELECT COUNT(*) FROM consultation_item_section t"
          " WHERE t.item_id = a.item_id) = 1",
          {consultation_id}));
  std::map<int64_t, int> routed;
  for (const auto& row : rows.rows) routed[AsInt(row[0])] = static_cast<int>(AsInt(row[1]));
  return routed;
}

}  // namespace civicdesk::consultation
