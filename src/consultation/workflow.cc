#include "consultation/workflow.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "consultation/intake.h"
#include "consultation/personal_data_flags.h"
#include "consultation/publishing.h"
#include "consultation/search_documents.h"
#include "core/date.h"
#include "core/text_normalize.h"

namespace civicdesk::consultation {
namespace {

using nlohmann::json;
using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;
using storage::Value;

constexpr char kItemColumns[] =
    "i.id, i.consultation_id, i.submission_id, i.source_start, i.source_end, i.text, i.channel, "
    "i.district,"
    " i.status, i.response_id, r.text, i.approved";

Item ItemFromRow(const std::vector<Value>& row) {
  Item item;
  item.id = AsInt(row[0]);
  item.consultation_id = AsInt(row[1]);
  item.submission_id = AsInt(row[2]);
  item.source_start = AsInt(row[3]);
  item.source_end = AsInt(row[4]);
  item.text = AsText(row[5]);
  item.channel = AsText(row[6]);
  item.district = AsText(row[7]);
  if (!storage::IsNull(row[8])) item.status = static_cast<int>(AsInt(row[8]));
  item.response_id = AsInt(row[9]);
  item.response = AsText(row[10]);
  item.approved = AsInt(row[11]) != 0;
  return item;
}

// Fills field_ids and sections of `items` (keyed by id).
Status AttachClassification(storage::Database& database, std::vector<Item>& items) {
  if (items.empty()) return Status::Ok();
  std::map<int64_t, Item*> by_id;
  std::string ids;
  for (Item& item : items) {
    by_id[item.id] = &item;
    ids += (ids.empty() ? "" : ",") + std::to_string(item.id);
  }
  // The ids are integers we produced, so building the IN list is safe.
  Result<QueryResult> fields = database.Query(
      "SELECT x.item_id, x.field_id FROM consultation_item_field x JOIN consultation_field f ON "
      "f.id = x.field_id"
      " WHERE x.item_id IN (" +
      ids + ") ORDER BY x.item_id, f.position");
  if (!fields.ok()) return fields.status();
  for (const auto& row : fields->rows) by_id[AsInt(row[0])]->field_ids.push_back(AsInt(row[1]));
  Result<QueryResult> sections = database.Query(
      "SELECT item_id, department, section FROM consultation_item_section WHERE item_id IN (" +
      ids + ") ORDER BY item_id, position");
  if (!sections.ok()) return sections.status();
  for (const auto& row : sections->rows)
    by_id[AsInt(row[0])]->sections.emplace_back(AsText(row[1]), AsText(row[2]));
  return Status::Ok();
}

json ItemJson(const Item& item) {
  json sections = json::array();
  for (const auto& [department, section] : item.sections)
    sections.push_back(department + "/" + section);
  return {{"fields", item.field_ids},
          {"sections", sections},
          {"response_id", item.response_id},
          {"response", item.response},
          {"status", item.status ? json(*item.status) : json(nullptr)},
          {"approved", item.approved}};
}

Status Run(Connection& connection, std::string_view sql, const std::vector<Value>& params) {
  Result<QueryResult> result = connection.Query(sql, params);
  return result.ok() ? Status::Ok() : result.status();
}

Result<Item> GetItemOn(storage::Database& database, int64_t item_id) {
  Result<QueryResult> rows =
      database.Query(std::string("SELECT ") + kItemColumns +
                         " FROM consultation_item i LEFT JOIN consultation_response r ON"
                         " r.id = i.response_id WHERE i.id = ? AND i.active = 1",
                     {item_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty())
    return Status::NotFound("consultation.item_not_found", {{"id", std::to_string(item_id)}});
  std::vector<Item> items = {ItemFromRow(rows->rows[0])};
  if (Status attached = AttachClassification(database, items); !attached.ok()) return attached;
  return items[0];
}

// Where `piece` (surrounding spaces trimmed, any line endings) occurs in `text` at or after
// byte `from`, as a byte range of `text`. Line breaks compare equal whatever their bytes: texts
// stored before intake normalised them (intake.h) keep the citizen's CRLF, while the split form
// gives the pieces back with LF.
std::optional<std::pair<size_t, size_t>> FindPiece(const std::string& text,
                                                   const std::string& piece, size_t from) {
  const NormalizedLineEndings haystack = NormalizeLineEndings(text);
  const std::string needle = NormalizeLineEndings(piece).text;
  // The offset in `text` of offset `at` of the normalised text: each CRLF before it is a byte more.
  auto original = [&](size_t at) {
    return at + static_cast<size_t>(std::lower_bound(haystack.crlf.begin(), haystack.crlf.end(),
                                                     static_cast<int64_t>(at)) -
                                    haystack.crlf.begin());
  };
  // `from` is an offset of `text`; the first normalised offset at or after it.
  size_t start = 0;
  while (start < haystack.text.size() && original(start) < from) ++start;
  const size_t at = haystack.text.find(needle, start);
  if (at == std::string::npos) return std::nullopt;
  return std::make_pair(original(at), original(at + needle.size()));
}

// The fields and responding sections of the submission's active items, each with the byte range
// of the text it came from: what every piece of a new split keeps.
struct PieceClassification {
  int64_t start = 0, end = 0;
  std::vector<int64_t> fields;
  std::vector<SectionRef> sections;
};

Result<std::vector<PieceClassification>> ClassificationOfSubmission(Connection& connection,
                                                                    int64_t submission_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult items,
      connection.Query("SELECT id, COALESCE(source_start, 0), COALESCE(source_end, 0) FROM"
                       " consultation_item WHERE submission_id = ? AND active = 1 ORDER BY id",
                       {submission_id}));
  std::vector<PieceClassification> pieces;
  for (const auto& row : items.rows) {
    PieceClassification piece;
    piece.start = AsInt(row[1]);
    piece.end = AsInt(row[2]);
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult fields,
        connection.Query("SELECT x.field_id FROM consultation_item_field x JOIN consultation_field"
                         " f ON f.id = x.field_id WHERE x.item_id = ? ORDER BY f.position",
                         {AsInt(row[0])}));
    for (const auto& field : fields.rows) piece.fields.push_back(AsInt(field[0]));
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult sections,
        connection.Query("SELECT department, section FROM consultation_item_section WHERE"
                         " item_id = ? ORDER BY position",
                         {AsInt(row[0])}));
    for (const auto& section : sections.rows)
      piece.sections.emplace_back(AsText(section[0]), AsText(section[1]));
    pieces.push_back(std::move(piece));
  }
  return pieces;
}

// What a new piece over [start, end) keeps: the fields and sections of every replaced item whose
// text overlaps it, in order, each once; of all of them when none overlaps.
PieceClassification Inherited(const std::vector<PieceClassification>& before, int64_t start,
                              int64_t end) {
  PieceClassification kept;
  auto take = [&kept](const PieceClassification& old) {
    for (int64_t field : old.fields)
      if (std::find(kept.fields.begin(), kept.fields.end(), field) == kept.fields.end())
        kept.fields.push_back(field);
    for (const SectionRef& section : old.sections)
      if (std::find(kept.sections.begin(), kept.sections.end(), section) == kept.sections.end())
        kept.sections.push_back(section);
  };
  bool overlapped = false;
  for (const PieceClassification& old : before) {
    if (old.start < end && start < old.end) {
      take(old);
      overlapped = true;
    }
  }
  if (!overlapped)
    for (const PieceClassification& old : before) take(old);
  return kept;
}

}  // namespace

Result<Item> GetItem(storage::Database& database, int64_t item_id) {
  return GetItemOn(database, item_id);
}

Result<std::vector<Item>> ListItems(storage::Database& database, int64_t consultation_id,
                                    const std::optional<SectionRef>& only_section) {
  std::string sql =
      std::string("SELECT ") + kItemColumns +
      " FROM consultation_item i LEFT JOIN consultation_response r ON r.id = i.response_id"
      " WHERE i.consultation_id = ? AND i.active = 1";
  std::vector<Value> params = {consultation_id};
  if (only_section) {
    sql +=
        " AND EXISTS (SELECT 1 FROM consultation_item_section s WHERE s.item_id = i.id AND "
        "s.department = ?"
        " AND s.section = ?)";
    params.push_back(only_section->first);
    params.push_back(only_section->second);
  }
  sql += " ORDER BY COALESCE(i.publication_position, i.id), i.id";
  Result<QueryResult> rows = database.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<Item> items;
  for (const auto& row : rows->rows) items.push_back(ItemFromRow(row));
  if (Status attached = AttachClassification(database, items); !attached.ok()) return attached;
  return items;
}

Result<int64_t> CountItems(storage::Database& database, int64_t consultation_id) {
  Result<QueryResult> count = database.Query(
      "SELECT COUNT(*) FROM consultation_item WHERE consultation_id = ? AND active = 1",
      {consultation_id});
  if (!count.ok()) return count.status();
  return AsInt(count->rows[0][0]);
}

Result<std::vector<Submission>> ListSubmissions(storage::Database& database,
                                                int64_t consultation_id) {
  Result<QueryResult> rows = database.Query(
      "SELECT s.id, s.consultation_id, s.receipt, s.channel, s.district, s.text, s.received_at,"
      " (SELECT COUNT(*) FROM consultation_item i WHERE i.submission_id = s.id AND i.active = 1)"
      " FROM consultation_submission s WHERE s.consultation_id = ? ORDER BY s.id",
      {consultation_id});
  if (!rows.ok()) return rows.status();
  std::vector<Submission> submissions;
  for (const auto& row : rows->rows) {
    submissions.push_back({AsInt(row[0]), AsInt(row[1]), AsText(row[2]), AsText(row[3]),
                           AsText(row[4]), AsText(row[5]), AsText(row[6]),
                           static_cast<int>(AsInt(row[7]))});
  }
  return submissions;
}

Result<Submission> GetSubmission(storage::Database& database, int64_t submission_id) {
  Result<QueryResult> rows = database.Query(
      "SELECT s.id, s.consultation_id, s.receipt, s.channel, s.district, s.text, s.received_at,"
      " (SELECT COUNT(*) FROM consultation_item i WHERE i.submission_id = s.id AND i.active = 1)"
      " FROM consultation_submission s WHERE s.id = ?",
      {submission_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty())
    return Status::NotFound("consultation.submission_not_found",
                            {{"id", std::to_string(submission_id)}});
  const auto& row = rows->rows[0];
  return Submission{
      AsInt(row[0]),  AsInt(row[1]),  AsText(row[2]), AsText(row[3]),
      AsText(row[4]), AsText(row[5]), AsText(row[6]), static_cast<int>(AsInt(row[7]))};
}

Result<std::vector<FieldOption>> ListFields(storage::Database& database, int64_t consultation_id) {
  Result<QueryResult> rows = database.Query(
      "SELECT id, label, plan_ref FROM consultation_field WHERE consultation_id = ? ORDER BY "
      "position",
      {consultation_id});
  if (!rows.ok()) return rows.status();
  std::vector<FieldOption> fields;
  for (const auto& row : rows->rows)
    fields.push_back({AsInt(row[0]), AsText(row[1]), AsText(row[2])});
  return fields;
}

Result<std::vector<SectionRef>> ListOrgUnits(storage::Database& database) {
  Result<QueryResult> rows =
      database.Query("SELECT department, section FROM consultation_org_unit ORDER BY id");
  if (!rows.ok()) return rows.status();
  std::vector<SectionRef> units;
  for (const auto& row : rows->rows) units.emplace_back(AsText(row[0]), AsText(row[1]));
  return units;
}

Result<std::vector<ResponseOption>> ListResponses(storage::Database& database,
                                                  int64_t consultation_id) {
  Result<QueryResult> rows = database.Query(
      "SELECT r.id, r.text, (SELECT COUNT(*) FROM consultation_item i WHERE i.response_id = r.id "
      "AND i.active = 1)"
      " FROM consultation_response r WHERE r.consultation_id = ? ORDER BY r.id",
      {consultation_id});
  if (!rows.ok()) return rows.status();
  std::vector<ResponseOption> responses;
  for (const auto& row : rows->rows) {
    if (AsInt(row[2]) > 0)
      responses.push_back({AsInt(row[0]), AsText(row[1]), static_cast<int>(AsInt(row[2]))});
  }
  return responses;
}

Status CheckItemUpdate(storage::Database& database, const Item& before, const ItemUpdate& update) {
  if (update.status && (*update.status < 1 || *update.status > 5)) {
    return Status::InvalidArgument("consultation.status_invalid", "status");
  }
  if (update.response_text) {
    if (!IsValidUtf8(*update.response_text) || update.response_text->size() > 100000) {
      return Status::InvalidArgument("consultation.response_invalid", "response");
    }
  }
  if (update.field_ids) {
    Result<std::vector<FieldOption>> fields = ListFields(database, before.consultation_id);
    if (!fields.ok()) return fields.status();
    for (int64_t id : *update.field_ids) {
      bool known = std::any_of(fields->begin(), fields->end(),
                               [id](const FieldOption& f) { return f.id == id; });
      if (!known) return Status::InvalidArgument("consultation.field_unknown", "fields");
    }
  }
  if (update.sections) {
    Result<std::vector<SectionRef>> units = ListOrgUnits(database);
    if (!units.ok()) return units.status();
    for (const SectionRef& section : *update.sections) {
      if (std::find(units->begin(), units->end(), section) == units->end()) {
        return Status::InvalidArgument("consultation.section_unknown",
                                       {{"section", section.first + "/" + section.second}},
                                       "sections");
      }
    }
  }
  if (update.reuse_response_id) {
    Result<QueryResult> response =
        database.Query("SELECT 1 FROM consultation_response WHERE id = ? AND consultation_id = ?",
                       {*update.reuse_response_id, before.consultation_id});
    if (!response.ok()) return response.status();
    if (response->empty())
      return Status::InvalidArgument("consultation.reuse_response_not_found", "reuse_response");
  }
  return Status::Ok();
}

Status UpdateItem(storage::Database& database, int64_t item_id, const ItemUpdate& update,
                  const Actor& actor) {
  // A published item is frozen: its changes are corrections (corrections.h). Checked again
  // inside the change's transaction, where a publication committed meanwhile is seen.
  CIVICDESK_RETURN_IF_ERROR(RefuseIfPublished(database, item_id));
  return ApplyItemUpdate(database, item_id, update, actor, [item_id](Connection& connection) {
    return RefuseIfPublished(connection, item_id);
  });
}

Status ApplyItemUpdate(storage::Database& database, int64_t item_id, const ItemUpdate& update,
                       const Actor& actor,
                       const std::function<Status(storage::Connection&)>& in_transaction) {
  Result<Item> before = GetItemOn(database, item_id);
  if (!before.ok()) return before.status();
  CIVICDESK_RETURN_IF_ERROR(CheckItemUpdate(database, *before, update));

  Status changed = database.Transaction([&](Connection& connection) -> Status {
    if (update.field_ids) {
      if (Status s =
              Run(connection, "DELETE FROM consultation_item_field WHERE item_id = ?", {item_id});
          !s.ok())
        return s;
      if (Status s =
              Run(connection, "UPDATE consultation_item SET field_display = NULL WHERE id = ?",
                  {item_id});
          !s.ok()) {
        return s;
      }
      for (int64_t field : *update.field_ids) {
        if (Status s = Run(connection,
                           "INSERT INTO consultation_item_field (item_id, field_id) VALUES (?, ?)",
                           {item_id, field});
            !s.ok()) {
          return s;
        }
      }
    }
    if (update.sections) {
      if (Status s =
              Run(connection, "DELETE FROM consultation_item_section WHERE item_id = ?", {item_id});
          !s.ok())
        return s;
      int64_t position = 0;
      for (const auto& [department, section] : *update.sections) {
        if (Status s =
                Run(connection,
                    "INSERT INTO consultation_item_section (item_id, position, department, section)"
                    " VALUES (?, ?, ?, ?)",
                    {item_id, ++position, department, section});
            !s.ok()) {
          return s;
        }
      }
      // Routed again: why it went back to triage (triage.h) is answered.
      if (!update.sections->empty()) {
        CIVICDESK_RETURN_IF_ERROR(Run(
            connection, "UPDATE consultation_item SET triage_note = '' WHERE id = ?", {item_id}));
      }
    }
    if (update.reuse_response_id) {
      if (Status s = Run(connection,
                         "UPDATE consultation_item SET response_id = ?, approved = 0 WHERE id = ?",
                         {*update.reuse_response_id, item_id});
          !s.ok()) {
        return s;
      }
    } else if (update.response_text && TrimSpaces(*update.response_text).empty()) {
      // Cleared: the item has no answer. A response shared with other items stays theirs.
      if (before->response_id != 0) {
        if (Status s =
                Run(connection,
                    "UPDATE consultation_item SET response_id = NULL, approved = 0 WHERE id = ?",
                    {item_id});
            !s.ok())
          return s;
      }
    } else if (update.response_text && *update.response_text != before->response) {
      Result<QueryResult> shared = connection.Query(
          "SELECT COUNT(*) FROM consultation_item WHERE response_id = ? AND active = 1 AND id <> ?",
          {before->response_id, item_id});
      if (!shared.ok()) return shared.status();
      if (before->response_id != 0 && AsInt(shared->rows[0][0]) == 0) {
        if (Status s = Run(connection,
                           "UPDATE consultation_response SET text = ?, truncated = 0, updated_at = "
                           "? WHERE id = ?",
                           {*update.response_text, NowIso8601Utc(), before->response_id});
            !s.ok()) {
          return s;
        }
      } else {
        Result<QueryResult> created = connection.Query(
            "INSERT INTO consultation_response (consultation_id, text, updated_at) VALUES (?, ?, "
            "?) RETURNING id",
            {before->consultation_id, *update.response_text, NowIso8601Utc()});
        if (!created.ok()) return created.status();
        if (Status s = Run(connection, "UPDATE consultation_item SET response_id = ? WHERE id = ?",
                           {AsInt(created->rows[0][0]), item_id});
            !s.ok()) {
          return s;
        }
      }
      if (Status s =
              Run(connection, "UPDATE consultation_item SET approved = 0 WHERE id = ?", {item_id});
          !s.ok())
        return s;
    }
    if (update.status) {
      // 対応状況 is part of the answer that was approved: a new one needs approval again.
      const bool other = before->status != update.status;
      if (Status s =
              Run(connection,
                  other ? "UPDATE consultation_item SET status = ?, approved = 0 WHERE id = ?"
                        : "UPDATE consultation_item SET status = ? WHERE id = ?",
                  {int64_t{*update.status}, item_id});
          !s.ok()) {
        return s;
      }
    }
    if (in_transaction) CIVICDESK_RETURN_IF_ERROR(in_transaction(connection));
    return WriteItemDocuments(database, connection, {item_id});
  });
  if (!changed.ok()) return changed;
  Result<Item> after = GetItemOn(database, item_id);
  if (!after.ok()) return after.status();
  Status audited = database.Transaction([&](Connection& connection) {
    return Audit(connection, actor, "update", "item", item_id, ItemJson(*before).dump(),
                 ItemJson(*after).dump());
  });
  // The document was written with the change; a correction approved on a published item may
  // make a text public, which IndexItems checks for personal data first.
  IndexItems(database, {item_id});
  return audited;
}

namespace {

Result<std::vector<int64_t>> ActiveItemIdsOn(Connection& connection, int64_t submission_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      connection.Query(
          "SELECT id FROM consultation_item WHERE submission_id = ? AND active = 1 ORDER BY id",
          {submission_id}));
  std::vector<int64_t> ids;
  for (const auto& row : rows.rows) ids.push_back(AsInt(row[0]));
  return ids;
}

}  // namespace

Result<std::vector<int64_t>> ActiveItemIds(storage::Database& database, int64_t submission_id) {
  std::vector<int64_t> ids;
  CIVICDESK_RETURN_IF_ERROR(database.Transaction([&](Connection& connection) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(ids, ActiveItemIdsOn(connection, submission_id));
    return Status::Ok();
  }));
  return ids;
}

Status SplitSubmission(storage::Database& database, int64_t submission_id,
                       const std::vector<std::string>& pieces, const Actor& actor,
                       std::optional<std::vector<int64_t>> replaces) {
  CIVICDESK_RETURN_IF_ERROR(RefuseSubmissionIfPublished(database, submission_id));
  Result<Submission> submission = GetSubmission(database, submission_id);
  if (!submission.ok()) return submission.status();
  if (!replaces) {
    CIVICDESK_ASSIGN_OR_RETURN(replaces, ActiveItemIds(database, submission_id));
  }
  std::sort(replaces->begin(), replaces->end());
  std::vector<std::pair<size_t, size_t>> ranges;
  size_t from = 0;
  for (size_t i = 0; i < pieces.size(); ++i) {
    std::string piece = TrimSpaces(pieces[i]);
    if (piece.empty()) continue;
    std::optional<std::pair<size_t, size_t>> found = FindPiece(submission->text, piece, from);
    if (!found) {
      return Status::InvalidArgument("consultation.piece_not_found",
                                     {{"piece", std::to_string(i + 1)}}, "pieces");
    }
    ranges.push_back(*found);
    from = found->second;
  }
  if (ranges.empty()) return Status::InvalidArgument("consultation.no_pieces", "pieces");
  Status split = database.Transaction([&](Connection& connection) -> Status {
    // The submission's row lock: a concurrent split or merge waits here until this one commits,
    // then reads the items this one made (PostgreSQL reads committed rows per statement; SQLite
    // holds the write lock from the transaction's start).
    CIVICDESK_RETURN_IF_ERROR(Run(
        connection, "UPDATE consultation_submission SET id = id WHERE id = ?", {submission_id}));
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<int64_t> active,
                               ActiveItemIdsOn(connection, submission_id));
    if (active != *replaces) return Status::Conflict("consultation.split_conflict");
    json replaced = active;
    // Every piece keeps the routing and fields of what it was cut from (issue 25: pieces used
    // to become 未回付 and leave the section's queue).
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<PieceClassification> before,
                               ClassificationOfSubmission(connection, submission_id));
    if (Status s =
            Run(connection, "UPDATE consultation_item SET active = 0 WHERE submission_id = ?",
                {submission_id});
        !s.ok()) {
      return s;
    }
    json created = json::array();
    for (const auto& [start, end] : ranges) {
      Result<QueryResult> item = connection.Query(
          "INSERT INTO consultation_item (consultation_id, submission_id, source_start, "
          "source_end, text, channel,"
          " district, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {submission->consultation_id, submission_id, static_cast<int64_t>(start),
           static_cast<int64_t>(end), submission->text.substr(start, end - start),
           submission->channel, submission->district, NowIso8601Utc()});
      if (!item.ok()) return item.status();
      const int64_t item_id = AsInt(item->rows[0][0]);
      const PieceClassification kept =
          Inherited(before, static_cast<int64_t>(start), static_cast<int64_t>(end));
      for (int64_t field : kept.fields) {
        CIVICDESK_RETURN_IF_ERROR(
            Run(connection, "INSERT INTO consultation_item_field (item_id, field_id) VALUES (?, ?)",
                {item_id, field}));
      }
      int64_t position = 0;
      json sections = json::array();
      for (const auto& [department, section] : kept.sections) {
        CIVICDESK_RETURN_IF_ERROR(
            Run(connection,
                "INSERT INTO consultation_item_section (item_id, position, department, section)"
                " VALUES (?, ?, ?, ?)",
                {item_id, ++position, department, section}));
        sections.push_back(department + "/" + section);
      }
      created.push_back({{"item", item_id},
                         {"range", {start, end}},
                         {"fields", kept.fields},
                         {"sections", sections}});
    }
    // The masks point into the submission's text: every new piece gets those over it.
    CIVICDESK_RETURN_IF_ERROR(ReapplyPersonalDataMasks(connection, submission_id));
    // The pieces' documents replace the old items' in the same transaction.
    CIVICDESK_RETURN_IF_ERROR(WriteSubmissionDocuments(database, connection, submission_id));
    return Audit(connection, actor, "split", "submission", submission_id, replaced.dump(),
                 created.dump());
  });
  return split;
}

Status MergeSubmission(storage::Database& database, int64_t submission_id, const Actor& actor,
                       std::optional<std::vector<int64_t>> replaces) {
  Result<Submission> submission = GetSubmission(database, submission_id);
  if (!submission.ok()) return submission.status();
  return SplitSubmission(database, submission_id, {submission->text}, actor, std::move(replaces));
}

Status ApproveItem(storage::Database& database, int64_t item_id, const Actor& actor) {
  Result<Item> item = GetItemOn(database, item_id);
  if (!item.ok()) return item.status();
  if (item->response_id == 0 || !item->status) {
    return Status::InvalidArgument("consultation.approve_needs_response", "response");
  }
  return database.Transaction([&](Connection& connection) -> Status {
    if (Status s =
            Run(connection, "UPDATE consultation_item SET approved = 1 WHERE id = ?", {item_id});
        !s.ok())
      return s;
    return Audit(connection, actor, "approve", "item", item_id, "false", "true");
  });
}

Result<int> ApproveItems(storage::Database& database, const std::vector<int64_t>& item_ids,
                         const Actor& actor) {
  int approved = 0;
  Status done = database.Transaction([&](Connection& connection) -> Status {
    approved = 0;
    std::string unanswered;
    for (int64_t item_id : item_ids) {
      Result<QueryResult> row = connection.Query(
          "SELECT response_id, status, approved FROM consultation_item WHERE id = ? AND active = 1",
          {item_id});
      if (!row.ok()) return row.status();
      if (row->empty())
        return Status::NotFound("consultation.item_not_found", {{"id", std::to_string(item_id)}});
      const auto& values = row->rows[0];
      if (storage::IsNull(values[0]) || storage::IsNull(values[1])) {
        unanswered += (unanswered.empty() ? "" : ", ") + std::to_string(item_id);
        continue;
      }
      if (AsInt(values[2]) != 0) continue;
      // The answer is checked again by the change itself: one cleared meanwhile is not approved.
      Result<QueryResult> changed = connection.Query(
          "UPDATE consultation_item SET approved = 1 WHERE id = ? AND approved = 0"
          " AND response_id IS NOT NULL AND status IS NOT NULL",
          {item_id});
      if (!changed.ok()) return changed.status();
      if (changed->affected_rows != 1) {
        unanswered += (unanswered.empty() ? "" : ", ") + std::to_string(item_id);
        continue;
      }
      CIVICDESK_RETURN_IF_ERROR(
          Audit(connection, actor, "approve", "item", item_id, "false", "true"));
      ++approved;
    }
    if (!unanswered.empty())
      return Status::InvalidArgument("consultation.bulk_unanswered", {{"items", unanswered}},
                                     "item");
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return approved;
}

Result<int> UnapproveItems(storage::Database& database, const std::vector<int64_t>& item_ids,
                           const Actor& actor) {
  int unapproved = 0;
  Status done = database.Transaction([&](Connection& connection) -> Status {
    unapproved = 0;
    for (int64_t item_id : item_ids) {
      CIVICDESK_RETURN_IF_ERROR(RefuseIfPublished(connection, item_id));
      Result<QueryResult> changed = connection.Query(
          "UPDATE consultation_item SET approved = 0 WHERE id = ? AND active = 1 AND approved = 1",
          {item_id});
      if (!changed.ok()) return changed.status();
      if (changed->affected_rows != 1) continue;
      CIVICDESK_RETURN_IF_ERROR(
          Audit(connection, actor, "unapprove", "item", item_id, "true", "false"));
      ++unapproved;
    }
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return unapproved;
}

Status MaskItem(storage::Database& database, int64_t item_id, const Actor& actor) {
  CIVICDESK_RETURN_IF_ERROR(GetItemOn(database, item_id).status());
  return MaskOpenPersonalDataOfItem(database, item_id, actor).status();
}

}  // namespace civicdesk::consultation
