#include "consultation/opinions_import.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_set>

#include "consultation/intake.h"
#include "consultation/model.h"
#include "consultation/personal_data_digest.h"
#include "consultation/publishing.h"
#include "consultation/search_documents.h"
#include "consultation/workflow.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "text/normalize.h"

namespace civicdesk::consultation {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;
using storage::Value;

constexpr size_t kMaxTextBytes = 1 << 20;
constexpr int64_t kRowsPerTransaction = 2000;

struct Columns {
  int id = -1, text = -1, channel = -1, field = -1, section = -1, group = -1;
  size_t count = 0;
};

Result<Columns> ReadHeader(std::vector<std::string>& header) {
  Columns columns;
  columns.count = header.size();
  if (!header.empty()) StripUtf8Bom(header[0]);
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string name = TrimSpaces(header[i]);
    int* slot = name == "id"        ? &columns.id
                : name == "text"    ? &columns.text
                : name == "channel" ? &columns.channel
                : name == "field"   ? &columns.field
                : name == "section" ? &columns.section
                : name == "group"   ? &columns.group
                                    : nullptr;
    if (slot == nullptr) continue;  // other columns are ignored
    if (*slot >= 0) {
      return Status::InvalidArgument("consultation.import_column_twice", {{"column", name}},
                                     "row 1");
    }
    *slot = static_cast<int>(i);
  }
  for (auto [index, name] : {std::pair{columns.id, "id"}, std::pair{columns.text, "text"}}) {
    if (index < 0) {
      return Status::InvalidArgument("consultation.import_column_missing",
                                     {{"column", std::string(name)}}, "row 1");
    }
  }
  return columns;
}

std::string Cell(const std::vector<std::string>& row, int index) {
  return index < 0 ? std::string() : TrimSpaces(row[static_cast<size_t>(index)]);
}

bool KnownChannel(std::string_view channel) {
  auto in = [channel](const auto& list) {
    return std::find(list.begin(), list.end(), channel) != list.end();
  };
  return in(kPublicCommentChannels) || in(kVoiceChannels) || channel == kMeetingChannel;
}

Status CheckRow(const Columns& columns, const std::vector<std::string>& row, int64_t number,
                std::unordered_set<std::string>& ids) {
  const std::string where = "row " + std::to_string(number);
  const MessageArgs row_number = {{"row", std::to_string(number)}};
  if (Status counted = CheckCsvColumnCount(row.size(), columns.count, number); !counted.ok())
    return counted;
  const std::string id = Cell(row, columns.id);
  if (id.empty() || !IsValidUtf8(id))
    return Status::InvalidArgument("consultation.import_id_empty", row_number, where + ", id");
  if (!ids.insert(id).second) {
    return Status::InvalidArgument("consultation.import_id_duplicate",
                                   {{"row", std::to_string(number)}, {"id", id}}, where + ", id");
  }
  const std::string& text = row[static_cast<size_t>(columns.text)];
  if (!IsValidUtf8(text)) {
    return Status::InvalidArgument("consultation.import_text_not_utf8", row_number,
                                   where + ", text");
  }
  if (TrimSpaces(text).empty())
    return Status::InvalidArgument("consultation.import_text_empty", row_number, where + ", text");
  if (text.find('\0') != std::string::npos) {
    return Status::InvalidArgument("consultation.import_text_nul", row_number, where + ", text");
  }
  // What the form would refuse (only control characters, ...), the import refuses too.
  if (Result<std::string> normalized = text::NormalizeInput(text, "text"); !normalized.ok()) {
    return normalized.status().WithField(where + ", text");
  }
  if (text.size() > kMaxTextBytes) {
    return Status::InvalidArgument("consultation.import_text_too_long", row_number,
                                   where + ", text");
  }
  for (int index : {columns.channel, columns.field, columns.section, columns.group}) {
    if (!IsValidUtf8(Cell(row, index))) {
      return Status::InvalidArgument("consultation.import_value_not_utf8", row_number, where);
    }
  }
  const std::string channel = Cell(row, columns.channel);
  if (!channel.empty() && !KnownChannel(channel)) {
    return Status::InvalidArgument("consultation.import_channel_unknown",
                                   {{"row", std::to_string(number)}, {"channel", channel}},
                                   where + ", channel");
  }
  return Status::Ok();
}

}  // namespace

Result<OpinionsImportReport> ImportOpinionsCsv(storage::Database& database, std::istream& csv,
                                               const std::string& title, const Actor& actor,
                                               const std::function<void(int64_t)>& progress) {
  if (TrimSpaces(title).empty() || !IsValidUtf8(title))
    return Status::InvalidArgument("consultation.import_title_required", "--title");
  // Pass 1: check everything.
  Columns columns;
  {
    std::unordered_set<std::string> ids;
    Status checked = ForEachCsvRow(csv, [&](std::vector<std::string>& row, int64_t number) {
      if (number == 1) {
        Result<Columns> header = ReadHeader(row);
        if (!header.ok()) return header.status();
        columns = *header;
        return Status::Ok();
      }
      return CheckRow(columns, row, number, ids);
    });
    if (!checked.ok()) return checked;
    if (columns.count == 0)
      return Status::InvalidArgument("consultation.import_file_empty", "row 1");
    if (ids.empty()) return Status::InvalidArgument("consultation.import_no_rows", "row 2");
  }
  csv.clear();
  csv.seekg(0);
  if (!csv) return Status::InvalidArgument("consultation.import_cannot_reread", "FILE");

  Result<std::vector<SectionRef>> chart = ListOrgUnits(database);
  if (!chart.ok()) return chart.status();
  std::map<std::string, std::string> department_of_section;
  for (const auto& [department, section] : *chart) department_of_section[section] = department;

  const std::string now = NowIso8601Utc();
  OpinionsImportReport report;
  Status created = database.Transaction([&](Connection& connection) -> Status {
    Result<QueryResult> inserted = connection.Query(
        "INSERT INTO consultation (kind, title, state, source, created_at) VALUES "
        "('consultation', ?, 'open', 'csv', ?) RETURNING id",
        {TrimSpaces(title), now});
    if (!inserted.ok()) return inserted.status();
    report.consultation_id = AsInt(inserted->rows[0][0]);
    for (auto [position, label] :
         {std::pair{int64_t{1}, kNoField}, std::pair{int64_t{2}, kGeneralField}}) {
      Result<QueryResult> field = connection.Query(
          "INSERT INTO consultation_field (consultation_id, position, label) VALUES (?, ?, ?)",
          {report.consultation_id, position, std::string(label)});
      if (!field.ok()) return field.status();
    }
    return Audit(connection, actor, "import_opinions", "consultation", report.consultation_id, "",
                 TrimSpaces(title));
  });
  if (!created.ok()) return created;

  // Pass 2: write, in batches.
  std::map<std::string, int64_t> field_ids = {{std::string(kNoField), 0},
                                              {std::string(kGeneralField), 0}};
  {
    Result<QueryResult> fields =
        database.Query("SELECT id, label FROM consultation_field WHERE consultation_id = ?",
                       {report.consultation_id});
    if (!fields.ok()) return fields.status();
    for (const auto& row : fields->rows) field_ids[AsText(row[1])] = AsInt(row[0]);
  }
  int64_t next_field_position = 3;
  std::vector<std::vector<std::string>> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    Status written = database.Transaction([&](Connection& connection) -> Status {
      for (const std::vector<std::string>& row : batch) {
        const std::string id = Cell(row, columns.id);
        std::string channel = Cell(row, columns.channel);
        if (channel.empty()) channel = "インターネット";
        // Line endings as every intake path stores them (intake.h), the original's in the audit.
        const std::string& received = row[static_cast<size_t>(columns.text)];
        const NormalizedLineEndings normalized = NormalizeLineEndings(received);
        const std::string& text = normalized.text;
        Result<QueryResult> submission = connection.Query(
            "INSERT INTO consultation_submission (consultation_id, receipt, channel, text, "
            "received_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            {report.consultation_id, "IM-" + std::to_string(report.consultation_id) + "-" + id,
             channel, text, now});
        if (!submission.ok()) return submission.status();
        const int64_t submission_id = AsInt(submission->rows[0][0]);
        if (normalized.changed()) {
          CIVICDESK_ASSIGN_OR_RETURN(
              std::string digest, PersonalDataDigest(connection, report.consultation_id, received));
          CIVICDESK_RETURN_IF_ERROR(Audit(connection, actor, "normalise_line_endings", "submission",
                                          submission_id, LineEndingsAuditJson(normalized, digest),
                                          "LF"));
        }
        Result<QueryResult> item = connection.Query(
            "INSERT INTO consultation_item (consultation_id, submission_id, source_start, "
            "source_end, text, channel, group_key, created_at, external_id) VALUES (?, ?, 0, ?, "
            "?, ?, ?, ?, ?) RETURNING id",
            {report.consultation_id, submission_id, static_cast<int64_t>(text.size()), text,
             channel, Cell(row, columns.group), now, id});
        if (!item.ok()) return item.status();
        const int64_t item_id = AsInt(item->rows[0][0]);
        if (const std::string field = Cell(row, columns.field); !field.empty()) {
          auto found = field_ids.find(field);
          if (found == field_ids.end()) {
            Result<QueryResult> created_field = connection.Query(
                "INSERT INTO consultation_field (consultation_id, position, label) VALUES (?, ?, "
                "?) RETURNING id",
                {report.consultation_id, next_field_position++, field});
            if (!created_field.ok()) return created_field.status();
            found = field_ids.emplace(field, AsInt(created_field->rows[0][0])).first;
          }
          Result<QueryResult> linked = connection.Query(
              "INSERT INTO consultation_item_field (item_id, field_id) VALUES (?, ?)",
              {item_id, found->second});
          if (!linked.ok()) return linked.status();
        }
        if (const std::string section = Cell(row, columns.section); !section.empty()) {
          std::string department;
          std::string name = section;
          if (size_t slash = section.find('/'); slash != std::string::npos) {
            department = TrimSpaces(section.substr(0, slash));
            name = TrimSpaces(section.substr(slash + 1));
          } else if (auto known = department_of_section.find(section);
                     known != department_of_section.end()) {
            department = known->second;
          }
          Result<QueryResult> routed = connection.Query(
              "INSERT INTO consultation_item_section (item_id, position, department, section) "
              "VALUES (?, 1, ?, ?)",
              {item_id, department, name});
          if (!routed.ok()) return routed.status();
        }
      }
      return Status::Ok();
    });
    if (!written.ok()) return written;
    report.items += static_cast<int64_t>(batch.size());
    batch.clear();
    if (progress) progress(report.items);
    return Status::Ok();
  };
  Status imported = ForEachCsvRow(csv, [&](std::vector<std::string>& row, int64_t number) {
    if (number == 1) return Status::Ok();
    batch.push_back(std::move(row));
    return static_cast<int64_t>(batch.size()) >= kRowsPerTransaction ? flush() : Status::Ok();
  });
  if (imported.ok()) imported = flush();
  if (!imported.ok()) return imported;
  IndexConsultation(database, report.consultation_id);
  return report;
}

Result<std::vector<AnalysisItem>> ListAnalysisItems(storage::Database& database,
                                                    int64_t consultation_id) {
  Result<Consultation> consultation = GetConsultation(database, consultation_id);
  if (!consultation.ok()) return consultation.status();
  std::vector<AnalysisItem> items;
  Status read = database.QueryEach(
      "SELECT i.id, i.external_id, i.text, r.text FROM consultation_item i LEFT JOIN "
      "consultation_response r ON r.id = i.response_id WHERE i.consultation_id = ? AND i.active "
      "= 1 ORDER BY i.id",
      {consultation_id}, [&](const std::vector<Value>& row) {
        items.push_back({AsInt(row[0]), AsText(row[1]), AsText(row[2]), AsText(row[3])});
        return Status::Ok();
      });
  if (!read.ok()) return read;
  return items;
}

Result<std::vector<ClassifiedItem>> ListClassifiedItems(storage::Database& database) {
  std::map<int64_t, ClassifiedItem> items;
  Status fields = database.QueryEach(
      "SELECT i.id, i.consultation_id, i.text, f.label FROM consultation_item i JOIN "
      "consultation_item_field x ON x.item_id = i.id JOIN consultation_field f ON f.id = "
      "x.field_id WHERE i.active = 1 ORDER BY i.id, f.position",
      {}, [&](const std::vector<Value>& row) {
        ClassifiedItem& item = items[AsInt(row[0])];
        item.item_id = AsInt(row[0]);
        item.consultation_id = AsInt(row[1]);
        item.text = AsText(row[2]);
        item.fields.push_back(AsText(row[3]));
        return Status::Ok();
      });
  if (!fields.ok()) return fields;
  Status sections = database.QueryEach(
      "SELECT i.id, i.consultation_id, i.text, s.department, s.section FROM consultation_item i "
      "JOIN consultation_item_section s ON s.item_id = i.id WHERE i.active = 1 ORDER BY i.id, "
      "s.position",
      {}, [&](const std::vector<Value>& row) {
        ClassifiedItem& item = items[AsInt(row[0])];
        item.item_id = AsInt(row[0]);
        item.consultation_id = AsInt(row[1]);
        item.text = AsText(row[2]);
        item.sections.push_back(AsText(row[3]) + "/" + AsText(row[4]));
        return Status::Ok();
      });
  if (!sections.ok()) return sections;
  std::vector<ClassifiedItem> list;
  for (auto& [id, item] : items) list.push_back(std::move(item));
  return list;
}

std::vector<std::pair<int64_t, std::string>> GroupAssignments(
    const text::Analysis& analysis, const std::vector<AnalysisItem>& items) {
  std::vector<std::pair<int64_t, std::string>> assignments;
  for (size_t g = 0; g < analysis.groups.size(); ++g) {
    const text::Group& group = analysis.groups[g];
    const bool form_letter = group.reason == "campaign" || group.reason == "duplicate";
    char key[32];
    std::snprintf(key, sizeof(key), "%c%05zu", form_letter ? 'C' : 'G', g + 1);
    for (size_t index : group.items) assignments.emplace_back(items[index].item_id, key);
  }
  return assignments;
}

Status SaveGroups(storage::Database& database, int64_t consultation_id,
                  const std::vector<std::pair<int64_t, std::string>>& group_of_item,
                  const Actor& actor) {
  // Groups order the table: a published one keeps its order.
  CIVICDESK_RETURN_IF_ERROR(
      RefuseIfConsultationPublished(database, consultation_id, "consultation.groups_published"));
  return database.Transaction([&](Connection& connection) -> Status {
    for (const auto& [item_id, group] : group_of_item) {
      Result<QueryResult> updated = connection.Query(
          "UPDATE consultation_item SET group_key = ? WHERE id = ? AND consultation_id = ?",
          {group, item_id, consultation_id});
      if (!updated.ok()) return updated.status();
    }
    return Audit(connection, actor, "save_groups", "consultation", consultation_id, "",
                 std::to_string(group_of_item.size()) + " items");
  });
}

}  // namespace civicdesk::consultation
