#include "consultation/corrections.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "consultation/published_text.h"
#include "consultation/publishing.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "core/wareki.h"

namespace civicdesk::consultation {
namespace {

using nlohmann::json;
using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;
using storage::Value;

constexpr size_t kMaxReasonBytes = 4000;

constexpr char kCorrectionColumns[] =
    "id, consultation_id, item_id, state, reason, requested_login, requested_at, decided_login,"
    " decided_at, before_value, after_value";

json CellsJson(const CorrectedCells& cells) {
  json value = {{"fields", cells.fields},
                {"departments", cells.departments},
                {"sections", cells.sections},
                {"response", cells.response},
                {"status", cells.status ? json(*cells.status) : json(nullptr)}};
  if (!cells.opinion.empty()) value["opinion"] = cells.opinion;
  return value;
}

CorrectedCells CellsFrom(const std::string& text) {
  CorrectedCells cells;
  json value = json::parse(text, nullptr, false);
  if (!value.is_object()) return cells;
  cells.fields = value.value("fields", "");
  cells.departments = value.value("departments", "");
  cells.sections = value.value("sections", "");
  cells.response = value.value("response", "");
  cells.opinion = value.value("opinion", "");
  if (value.contains("status") && value["status"].is_number_integer())
    cells.status = value["status"].get<int>();
  return cells;
}

std::vector<std::string> ChangedColumns(const CorrectedCells& before, const CorrectedCells& after) {
  std::vector<std::string> changed;
  if (before.fields != after.fields) changed.push_back("fields");
  if (!after.opinion.empty() && before.opinion != after.opinion) changed.push_back("opinion");
  if (before.departments != after.departments || before.sections != after.sections)
    changed.push_back("sections");
  if (before.response != after.response) changed.push_back("response");
  if (before.status != after.status) changed.push_back("status");
  return changed;
}

Correction CorrectionFromRow(const std::vector<Value>& row) {
  Correction correction;
  correction.id = AsInt(row[0]);
  correction.consultation_id = AsInt(row[1]);
  correction.item_id = AsInt(row[2]);
  correction.state = AsText(row[3]);
  correction.reason = AsText(row[4]);
  correction.requested_login = AsText(row[5]);
  correction.requested_at = AsText(row[6]);
  correction.decided_login = AsText(row[7]);
  correction.decided_at = AsText(row[8]);
  correction.before = CellsFrom(AsText(row[9]));
  correction.after = CellsFrom(AsText(row[10]));
  correction.changed = ChangedColumns(correction.before, correction.after);
  return correction;
}

Result<std::vector<Correction>> Corrections(storage::Database& database, const std::string& where,
                                            const std::vector<Value>& params) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query(std::string("SELECT ") + kCorrectionColumns +
                         " FROM consultation_correction WHERE " + where + " ORDER BY id",
                     params));
  std::vector<Correction> corrections;
  for (const auto& row : rows.rows) corrections.push_back(CorrectionFromRow(row));
  return corrections;
}

std::string Joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const std::string& part : parts)
    joined += (joined.empty() ? "" : std::string(separator)) + part;
  return joined;
}

// The labels of `field_ids` in the consultation's field order, as the published table joins them.
Result<std::string> FieldLabels(storage::Database& database, int64_t consultation_id,
                                const std::vector<int64_t>& field_ids) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<FieldOption> fields,
                             ListFields(database, consultation_id));
  std::vector<std::string> labels;
  for (const FieldOption& field : fields) {
    if (std::find(field_ids.begin(), field_ids.end(), field.id) != field_ids.end())
      labels.push_back(field.label);
  }
  return Joined(labels, " ");
}

void SetSections(CorrectedCells& cells, const std::vector<SectionRef>& sections) {
  std::vector<std::string> departments, names;
  for (const auto& [department, section] : sections) {
    departments.push_back(department);
    names.push_back(section);
  }
  cells.departments = Joined(departments, "/");
  cells.sections = Joined(names, "/");
}

// The item's cells as its published row shows them (an imported item keeps its field cell).
Result<CorrectedCells> PublishedCells(storage::Database& database, const Item& item) {
  CorrectedCells cells;
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult display,
      database.Query("SELECT field_display FROM consultation_item WHERE id = ?", {item.id}));
  if (!display.empty() && !storage::IsNull(display.rows[0][0])) {
    cells.fields = AsText(display.rows[0][0]);
  } else {
    CIVICDESK_ASSIGN_OR_RETURN(cells.fields,
                               FieldLabels(database, item.consultation_id, item.field_ids));
  }
  SetSections(cells, item.sections);
  cells.response = item.response;
  cells.status = item.status;
  return cells;
}

// The cells once `change` is applied to an item showing `before`.
Result<CorrectedCells> CellsAfter(storage::Database& database, const Item& item,
                                  const CorrectedCells& before, const ItemUpdate& change) {
  CorrectedCells after = before;
  if (change.field_ids) {
    CIVICDESK_ASSIGN_OR_RETURN(after.fields,
                               FieldLabels(database, item.consultation_id, *change.field_ids));
  }
  if (change.sections) SetSections(after, *change.sections);
  if (change.reuse_response_id) {
    CIVICDESK_ASSIGN_OR_RETURN(QueryResult response,
                               database.Query("SELECT text FROM consultation_response WHERE id = ?",
                                              {*change.reuse_response_id}));
    if (!response.empty()) after.response = AsText(response.rows[0][0]);
  } else if (change.response_text) {
    after.response = *change.response_text;
  }
  if (change.status) after.status = change.status;
  if (change.published_text) after.opinion = *change.published_text;
  return after;
}

json ChangeJson(const ItemUpdate& change) {
  json value = json::object();
  if (change.field_ids) value["fields"] = *change.field_ids;
  if (change.sections) {
    json sections = json::array();
    for (const auto& [department, section] : *change.sections)
      sections.push_back({department, section});
    value["sections"] = sections;
  }
  if (change.response_text) value["response"] = *change.response_text;
  if (change.reuse_response_id) value["reuse_response"] = *change.reuse_response_id;
  if (change.status) value["status"] = *change.status;
  if (change.published_text) value["published_text"] = *change.published_text;
  return value;
}

ItemUpdate ChangeFrom(const std::string& text) {
  ItemUpdate change;
  json value = json::parse(text, nullptr, false);
  if (!value.is_object()) return change;
  if (value.contains("fields")) change.field_ids = value["fields"].get<std::vector<int64_t>>();
  if (value.contains("sections")) {
    std::vector<SectionRef> sections;
    for (const json& section : value["sections"])
      sections.emplace_back(section[0].get<std::string>(), section[1].get<std::string>());
    change.sections = sections;
  }
  if (value.contains("response")) change.response_text = value["response"].get<std::string>();
  if (value.contains("reuse_response"))
    change.reuse_response_id = value["reuse_response"].get<int64_t>();
  if (value.contains("status")) change.status = value["status"].get<int>();
  if (value.contains("published_text"))
    change.published_text = value["published_text"].get<std::string>();
  return change;
}

Result<QueryResult> Run(Connection& connection, std::string_view sql,
                        const std::vector<Value>& params) {
  return connection.Query(sql, params);
}

// Ends a pending correction as `state` ("approved" or "rejected"), on the caller's transaction:
// Conflict when it is no longer pending (decided meanwhile).
Status Decide(Connection& connection, const Correction& correction, const std::string& state,
              const Actor& actor, const std::string& now) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult decided,
      Run(connection,
          "UPDATE consultation_correction SET state = ?, decided_by = ?, decided_login = ?,"
          " decided_at = ? WHERE id = ? AND state = 'pending'",
          {state, actor.user_id, actor.login.empty() ? std::string("system") : actor.login, now,
           correction.id}));
  if (decided.affected_rows != 1) return Status::Conflict("consultation.correction_decided");
  return Status::Ok();
}

}  // namespace

std::string JapaneseDateOf(const std::string& iso_utc) {
  const std::string stamp = FormatWarekiTimestamp(iso_utc);
  const size_t space = stamp.find(' ');
  return space == std::string::npos ? stamp : stamp.substr(0, space);
}

Result<int64_t> RequestCorrection(storage::Database& database, int64_t item_id,
                                  const ItemUpdate& change, const std::string& reason,
                                  const Actor& actor) {
  CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(database, item_id));
  CIVICDESK_ASSIGN_OR_RETURN(bool published, InPublishedResult(database, item_id));
  if (!published) return Status::Conflict("consultation.correction_not_published");
  const std::string why = TrimSpaces(reason);
  if (why.empty())
    return Status::InvalidArgument("consultation.correction_reason_required", "correction_reason");
  if (why.size() > kMaxReasonBytes || !IsValidUtf8(why))
    return Status::InvalidArgument("consultation.correction_reason_invalid", "correction_reason");
  CIVICDESK_RETURN_IF_ERROR(CheckItemUpdate(database, item, change));
  // A published opinion keeps an answer: clearing it is no correction.
  if (change.response_text && !change.reuse_response_id &&
      TrimSpaces(*change.response_text).empty())
    return Status::InvalidArgument("consultation.published_response_required", "response");
  CIVICDESK_ASSIGN_OR_RETURN(CorrectedCells before, PublishedCells(database, item));
  CIVICDESK_ASSIGN_OR_RETURN(CorrectedCells after, CellsAfter(database, item, before, change));
  // Only what differs from the published row is a correction.
  ItemUpdate kept;
  if (before.fields != after.fields) kept.field_ids = change.field_ids;
  if (before.departments != after.departments || before.sections != after.sections)
    kept.sections = change.sections;
  if (before.response != after.response) {
    kept.response_text = change.response_text;
    kept.reuse_response_id = change.reuse_response_id;
  }
  if (before.status != after.status) kept.status = change.status;
  if (change.published_text && *change.published_text != item.text) {
    if (TrimSpaces(*change.published_text).empty())
      return Status::InvalidArgument("consultation.published_text_required", "published_text");
    // The same checks as the published-text editor's (SetPublishedText).
    if (change.published_text->size() > kMaxPublishedBytes || !IsValidUtf8(*change.published_text))
      return Status::InvalidArgument("consultation.published_text_invalid", "published_text");
    kept.published_text = change.published_text;
  }
  if (!kept.field_ids && !kept.sections && !kept.response_text && !kept.reuse_response_id &&
      !kept.status && !kept.published_text) {
    return Status::InvalidArgument("consultation.correction_no_change", "correction");
  }
  const std::string now = NowIso8601Utc();
  int64_t id = 0;
  CIVICDESK_RETURN_IF_ERROR(database.Transaction([&](Connection& connection) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult superseded,
        Run(connection,
            "UPDATE consultation_correction SET state = 'superseded', decided_by = ?,"
            " decided_login = ?, decided_at = ? WHERE item_id = ? AND state = 'pending'",
            {actor.user_id, actor.login.empty() ? std::string("system") : actor.login, now,
             item_id}));
    (void)superseded;
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult inserted,
        Run(connection,
            "INSERT INTO consultation_correction (consultation_id, item_id, state, reason,"
            " change_value, requested_by, requested_login, requested_at, before_value,"
            " after_value) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {item.consultation_id, item_id, why, ChangeJson(kept).dump(), actor.user_id,
             actor.login.empty() ? std::string("system") : actor.login, now,
             CellsJson(before).dump(), CellsJson(after).dump()}));
    id = AsInt(inserted.rows[0][0]);
    json requested = CellsJson(after);
    requested["reason"] = why;
    requested["correction"] = id;
    return Audit(connection, actor, "request_correction", "item", item_id, CellsJson(before).dump(),
                 requested.dump());
  }));
  return id;
}

Status ApproveCorrection(storage::Database& database, int64_t correction_id, const Actor& actor) {
  CIVICDESK_ASSIGN_OR_RETURN(Correction correction, GetCorrection(database, correction_id));
  if (correction.state != "pending") return Status::Conflict("consultation.correction_decided");
  CIVICDESK_ASSIGN_OR_RETURN(Item item, GetItem(database, correction.item_id));
  CIVICDESK_ASSIGN_OR_RETURN(bool published, InPublishedResult(database, item.id));
  if (!published) return Status::Conflict("consultation.correction_not_published");
  CIVICDESK_ASSIGN_OR_RETURN(QueryResult stored,
                             database.Query("SELECT change_value FROM consultation_correction "
                                            "WHERE id = ?",
                                            {correction_id}));
  const ItemUpdate change = ChangeFrom(AsText(stored.rows[0][0]));
  // Both versions, as published just before and as republished, stay with the correction and
  // in the audit trail.
  CIVICDESK_ASSIGN_OR_RETURN(CorrectedCells before, PublishedCells(database, item));
  CIVICDESK_ASSIGN_OR_RETURN(CorrectedCells after, CellsAfter(database, item, before, change));
  const std::string now = NowIso8601Utc();
  return ApplyItemUpdate(database, item.id, change, actor, [&](Connection& connection) -> Status {
    CIVICDESK_RETURN_IF_ERROR(Decide(connection, correction, "approved", actor, now));
    if (change.published_text) {
      CIVICDESK_RETURN_IF_ERROR(
          ApplyPublishedText(connection, item.id, *change.published_text, actor));
    }
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult kept,
        Run(connection,
            "UPDATE consultation_correction SET before_value = ?, after_value = ? WHERE id = ?",
            {CellsJson(before).dump(), CellsJson(after).dump(), correction_id}));
    (void)kept;
    // The corrected answer is the approved one: approval is what the correction had.
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult approved,
        Run(connection, "UPDATE consultation_item SET approved = 1 WHERE id = ?", {item.id}));
    (void)approved;
    json republished = CellsJson(after);
    republished["reason"] = correction.reason;
    republished["correction"] = correction_id;
    return Audit(connection, actor, "approve_correction", "item", item.id, CellsJson(before).dump(),
                 republished.dump());
  });
}

Status RejectCorrection(storage::Database& database, int64_t correction_id, const Actor& actor) {
  CIVICDESK_ASSIGN_OR_RETURN(Correction correction, GetCorrection(database, correction_id));
  if (correction.state != "pending") return Status::Conflict("consultation.correction_decided");
  return database.Transaction([&](Connection& connection) -> Status {
    CIVICDESK_RETURN_IF_ERROR(Decide(connection, correction, "rejected", actor, NowIso8601Utc()));
    return Audit(connection, actor, "reject_correction", "item", correction.item_id,
                 std::to_string(correction_id), correction.reason);
  });
}

Result<Correction> GetCorrection(storage::Database& database, int64_t correction_id) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Correction> found,
                             Corrections(database, "id = ?", {correction_id}));
  if (found.empty()) {
    return Status::NotFound("consultation.correction_not_found",
                            {{"id", std::to_string(correction_id)}});
  }
  return found.front();
}

Result<std::vector<Correction>> ListCorrections(storage::Database& database,
                                                int64_t consultation_id, std::string_view state) {
  if (state.empty()) return Corrections(database, "consultation_id = ?", {consultation_id});
  return Corrections(database, "consultation_id = ? AND state = ?",
                     {consultation_id, std::string(state)});
}

Result<std::vector<Correction>> ItemCorrections(storage::Database& database, int64_t item_id) {
  return Corrections(database, "item_id = ?", {item_id});
}

Result<CorrectionNotes> ApprovedCorrectionNotes(storage::Database& database,
                                                int64_t consultation_id) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Correction> approved,
                             ListCorrections(database, consultation_id, "approved"));
  CorrectionNotes notes;
  for (const Correction& correction : approved) {
    std::string& note = notes[correction.item_id];
    note += (note.empty() ? "" : std::string(kCorrectionSeparator)) + CorrectionNote(correction);
  }
  return notes;
}

Result<bool> HasApprovedCorrections(storage::Database& database, int64_t consultation_id) {
  CIVICDESK_ASSIGN_OR_RETURN(std::string last, LastCorrectionAt(database, consultation_id));
  return !last.empty();
}

Result<std::string> LastCorrectionAt(storage::Database& database, int64_t consultation_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query("SELECT MAX(decided_at) FROM consultation_correction WHERE consultation_id "
                     "= ? AND state = 'approved'",
                     {consultation_id}));
  if (rows.empty() || storage::IsNull(rows.rows[0][0])) return std::string();
  return AsText(rows.rows[0][0]);
}

std::string CorrectionNote(const Correction& correction) {
  std::vector<std::string> parts;
  const CorrectedCells& before = correction.before;
  for (const std::string& column : correction.changed) {
    if (column == "fields") {
      parts.push_back("主な該当分野（訂正前：" + before.fields + "）");
    } else if (column == "opinion") {
      parts.push_back("区民意見（訂正前の文面は掲載しません）");
    } else if (column == "sections") {
      parts.push_back("回答部署（訂正前：" + before.departments + " " + before.sections + "）");
    } else if (column == "response") {
      parts.push_back("区の考え方（訂正前：「" + before.response + "」）");
    } else if (column == "status") {
      parts.push_back("対応状況（訂正前：" +
                      (before.status ? std::to_string(*before.status) : std::string("—")) + "）");
    }
  }
  return JapaneseDateOf(correction.decided_at) + "訂正：" + Joined(parts, "、") + "。理由：" +
         correction.reason;
}

}  // namespace civicdesk::consultation
