#include "consultation/triage.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "consultation/publishing.h"
#include "consultation/search_documents.h"
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
        connection.Query("UPDATE consultation_item SET triage_note = ? WHERE id = ?",
                         {after.empty() ? trimmed : std::string(), item_id}));
    (void)noted;
    CIVICDESK_RETURN_IF_ERROR(WriteItemDocuments(database, connection, {item_id}));
    return Audit(connection, actor, "return_to_triage", "item", item_id,
                 json{{"sections", SectionsJson(before)}}.dump(),
                 json{{"sections", SectionsJson(after)}, {"reason", trimmed}}.dump());
  });
  return returned;
}

}  // namespace civicdesk::consultation
