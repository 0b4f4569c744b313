#include "consultation/opinions_import.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_set>

#include "consultation/import_columns.h"
#include "consultation/intake.h"
#include "consultation/model.h"
#include "consultation/personal_data_digest.h"
#include "consultation/publishing.h"
#include "consultation/search_documents.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "text/normalize.h"
#include "text/search_index.h"

namespace civicdesk::consultation {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;
using storage::Value;

constexpr size_t kMaxTextBytes = 1 << 20;
// Search documents handed to the index at once while importing.
constexpr size_t kDocumentsPerWrite = 4096;
// Rows written by one INSERT statement (its VALUES lists): a million rows are some ten thousand
// statements rather than three million.
constexpr size_t kRowsPerStatement = 128;

// `head` VALUES `row`, `row`, ... (`rows` times) `tail`.
std::string MultiRowInsert(std::string_view head, std::string_view row, size_t rows,
                           std::string_view tail) {
  std::string sql;
  sql.reserve(head.size() + 8 + rows * (row.size() + 2) + tail.size());
  sql.append(head).append(" VALUES ");
  for (size_t i = 0; i < rows; ++i) sql.append(i > 0 ? ", " : "").append(row);
  return sql.append(tail);
}

// `value` set to `text`, reusing its string's buffer when it holds one.
void SetText(Value& value, std::string_view text) {
  if (auto* held = std::get_if<std::string>(&value)) {
    held->assign(text);
  } else {
    value = std::string(text);
  }
}

// The ids of a multi-row INSERT ... RETURNING id, key in the order of its rows: row j's key is
// params[j * width + key_param]. Internal when a row is missing or unknown.
Status MatchReturned(const QueryResult& returned, const std::vector<Value>& params, size_t width,
                     size_t key_param, size_t rows, std::vector<int64_t>& ids) {
  ids.assign(rows, 0);
  auto key_of = [&](size_t j) -> const Value& { return params[j * width + key_param]; };
  auto same = [](const Value& a, const Value& b) {
    const auto* text = std::get_if<std::string>(&a);
    const auto* other = std::get_if<std::string>(&b);
    if (text != nullptr || other != nullptr)
      return text != nullptr && other != nullptr && *text == *other;
    return AsInt(a) == AsInt(b);
  };
  if (returned.rows.size() != rows) return Status::Internal("import: rows missing from RETURNING");
  for (size_t k = 0; k < rows; ++k) {
    const Value& key = returned.rows[k][1];
    size_t j = k;
    if (!same(key_of(j), key)) {
      for (j = 0; j < rows && !same(key_of(j), key); ++j) {
      }
      if (j == rows) return Status::Internal("import: an unknown row in RETURNING");
    }
    ids[j] = AsInt(returned.rows[k][0]);
  }
  return Status::Ok();
}

// A larger page cache on SQLite for the length of an import (a million rows spill a small one
// to the WAL again and again), the connection's own size restored afterwards.
class LargeCache {
 public:
  LargeCache(storage::Database& database, Connection& connection) : connection_(connection) {
    if (database.backend() != storage::Backend::kSqlite) return;
    Result<QueryResult> size = connection.Query("PRAGMA cache_size");
    if (!size.ok() || size->empty()) return;
    previous_ = AsInt(size->rows[0][0]);
    if (!connection.Query("PRAGMA cache_size = -131072").ok()) previous_.reset();
  }
  ~LargeCache() {
    if (previous_) {
      (void)connection_.Query("PRAGMA cache_size = " + std::to_string(*previous_));
    }
  }
  LargeCache(const LargeCache&) = delete;
  LargeCache& operator=(const LargeCache&) = delete;

 private:
  Connection& connection_;
  std::optional<int64_t> previous_;
};

bool KnownChannel(std::string_view channel) {
  auto in = [channel](const auto& list) {
    return std::find(list.begin(), list.end(), channel) != list.end();
  };
  return in(kPublicCommentChannels) || in(kVoiceChannels) || channel == kMeetingChannel;
}

// The columns of OpinionsColumns() in a table, looked up once rather than per row.
struct Columns {
  explicit Columns(const tabular::Table& table)
      : id(table.Index("id")),
        text(table.Index("text")),
        channel(table.Index("channel")),
        field(table.Index("field")),
        section(table.Index("section")),
        group(table.Index("group")) {}
  size_t id, text, channel, field, section, group;
};

// A row's values as they are written, trimmed once when the row is checked.
struct CheckedRow {
  std::string id;
  std::string channel;
  std::string field;
  std::string section;
  std::string group;
};

// Every problem of one row, each naming the row (its record number, 1 = the file's first) and
// the column ("row 7, text"), appended to `errors`; its trimmed values go to `checked`.
void CheckRow(const tabular::Table& table, const Columns& columns, const tabular::Record& record,
              std::unordered_set<std::string>& ids, std::vector<Status>& errors,
              CheckedRow& checked) {
  auto where = [&record] { return "row " + std::to_string(record.record); };
  auto row_number = [&record]() -> MessageArgs { return {{"row", std::to_string(record.record)}}; };
  if (table.report.format != tabular::Format::kXlsx && record.cells < table.header_cells) {
    errors.push_back(CheckCsvColumnCount(record.cells, table.header_cells, record.record));
    return;
  }
  const std::string& id = checked.id = TrimSpaces(record.values[columns.id]);
  if (id.empty() || !IsValidUtf8(id)) {
    errors.push_back(
        Status::InvalidArgument("consultation.import_id_empty", row_number(), where() + ", id"));
  } else if (!ids.insert(id).second) {
    errors.push_back(Status::InvalidArgument("consultation.import_id_duplicate",
                                             {{"row", std::to_string(record.record)}, {"id", id}},
                                             where() + ", id"));
  }
  const std::string& text = record.values[columns.text];
  if (!IsValidUtf8(text)) {
    errors.push_back(Status::InvalidArgument("consultation.import_text_not_utf8", row_number(),
                                             where() + ", text"));
  } else if (IsBlank(text)) {
    errors.push_back(Status::InvalidArgument("consultation.import_text_empty", row_number(),
                                             where() + ", text"));
  } else if (text.find('\0') != std::string::npos) {
    errors.push_back(
        Status::InvalidArgument("consultation.import_text_nul", row_number(), where() + ", text"));
  } else if (Status characters = CheckOpinionCharacters(text); !characters.ok()) {
    errors.push_back(characters.WithField(where() + ", text"));
  } else if (Status input = text::CheckInput(text, "text"); !input.ok()) {
    // What the form would refuse (only control characters, ...), the import refuses too.
    errors.push_back(input.WithField(where() + ", text"));
  } else if (text.size() > kMaxTextBytes) {
    errors.push_back(Status::InvalidArgument("consultation.import_text_too_long", row_number(),
                                             where() + ", text"));
  }
  const std::pair<size_t, std::string*> others[] = {{columns.channel, &checked.channel},
                                                    {columns.field, &checked.field},
                                                    {columns.section, &checked.section},
                                                    {columns.group, &checked.group}};
  for (const auto& [column, value] : others) {
    if (!IsValidUtf8(record.values[column])) {
      errors.push_back(Status::InvalidArgument("consultation.import_value_not_utf8", row_number(),
                                               where() + ", " + table.field_names[column]));
    }
    *value = TrimSpaces(record.values[column]);
  }
  const std::string& channel = checked.channel;
  if (!channel.empty() && IsValidUtf8(channel) && !KnownChannel(channel)) {
    errors.push_back(Status::InvalidArgument(
        "consultation.import_channel_unknown",
        {{"row", std::to_string(record.record)}, {"channel", channel}}, where() + ", channel"));
  }
}

// What one import writes as it reads: the consultation and its fields, then each part's rows in
// batches (each table's rows of a batch in one multi-row INSERT, prepared once per batch size and
// kept by the connection, its parameters reused batch after batch so that their strings keep
// their buffers). RETURNING pairs the new ids with their rows by receipt and by submission,
// whatever order the database returns them in.
class RowWriter {
 public:
  RowWriter(storage::Database& database, Connection& connection, const Actor& actor,
            std::string now, const tabular::ImportOptions& options, const int64_t& total)
      : connection_(connection),
        actor_(actor),
        now_(std::move(now)),
        options_(options),
        total_(total),
        index_(text::SearchIndex::For(database)),
        normalized_(kRowsPerStatement),
        stored_(kRowsPerStatement),
        sections_(kRowsPerStatement) {
    documents_.reserve(kDocumentsPerWrite);
    Result<std::vector<SectionRef>> chart = ListOrgUnits(database);
    if (!chart.ok()) {
      setup_ = chart.status();
      return;
    }
    for (const auto& [department, section] : *chart) department_of_section_[section] = department;
  }

  // The consultation written into: a new one titled `title` (existing_id 0), or `existing_id`
  // with its fields.
  Status Start(int64_t existing_id, const std::string& title) {
    CIVICDESK_RETURN_IF_ERROR(setup_);
    consultation_title_ = TrimSpaces(title);
    if (existing_id != 0) {
      consultation_id_ = existing_id;
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult fields,
          connection_.Query(
              "SELECT id, position, label FROM consultation_field WHERE consultation_id = ?",
              {existing_id}));
      for (const auto& row : fields.rows) {
        field_ids_[AsText(row[2])] = AsInt(row[0]);
        next_field_position_ = std::max(next_field_position_, AsInt(row[1]) + 1);
      }
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult named,
          connection_.Query("SELECT title FROM consultation WHERE id = ?", {existing_id}));
      if (!named.empty()) consultation_title_ = AsText(named.rows[0][0]);
    } else {
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult inserted,
          connection_.Query(
              "INSERT INTO consultation (kind, title, state, source, created_at) VALUES "
              "('consultation', ?, 'open', 'csv', ?) RETURNING id",
              {consultation_title_, now_}));
      consultation_id_ = AsInt(inserted.rows[0][0]);
      for (std::string_view label : {kNoField, kGeneralField})
        CIVICDESK_RETURN_IF_ERROR(CreateField(std::string(label)).status());
    }
    receipt_prefix_ = "IM-" + std::to_string(consultation_id_) + "-";
    return Status::Ok();
  }

  // Every record of `part`, checked, `rows` its trimmed values.
  Status Write(tabular::Table& part, const Columns& columns, std::vector<CheckedRow>& rows) {
    for (size_t first = 0; first < part.records.size(); first += kRowsPerStatement) {
      const size_t count = std::min(kRowsPerStatement, part.records.size() - first);
      CIVICDESK_RETURN_IF_ERROR(WriteBatch(part, columns, &rows[first], first, count));
    }
    return Status::Ok();
  }

  // The search documents not written yet, and the audit of the import.
  Status Finish(int64_t existing_id, const std::string& title) {
    CIVICDESK_RETURN_IF_ERROR(index_.Write(connection_, documents_));
    documents_.clear();
    return Audit(connection_, actor_, "import_opinions", "consultation", consultation_id_, "",
                 existing_id != 0 ? std::to_string(items_) : TrimSpaces(title));
  }

  int64_t consultation_id() const { return consultation_id_; }
  int64_t items() const { return items_; }

 private:
  Result<int64_t> CreateField(const std::string& label) {
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult created,
        connection_.Query("INSERT INTO consultation_field (consultation_id, position, label) "
                          "VALUES (?, ?, ?) RETURNING id",
                          {consultation_id_, next_field_position_++, label}));
    const int64_t id = AsInt(created.rows[0][0]);
    field_ids_[label] = id;
    return id;
  }

  Status WriteBatch(tabular::Table& part, const Columns& columns, CheckedRow* rows, size_t first,
                    size_t count) {
    // Line endings as every intake path stores them (intake.h), the original's in the audit.
    // A text the pipeline left as it was has none to change.
    params_.resize(count * 5);
    for (size_t j = 0; j < count; ++j) {
      tabular::Record& record = part.records[first + j];
      CheckedRow& row = rows[j];
      if (row.channel.empty()) row.channel = "インターネット";
      if (columns.text >= record.original.size() || record.original[columns.text].empty()) {
        normalized_[j].crlf.clear();
        normalized_[j].cr.clear();
        stored_[j] = &record.values[columns.text];
      } else {
        normalized_[j] = NormalizeLineEndings(record.original[columns.text]);
        stored_[j] = &normalized_[j].text;
      }
      Value* values = &params_[j * 5];
      values[0] = consultation_id_;
      SetText(values[1], receipt_prefix_);
      std::get<std::string>(values[1]).append(row.id);
      SetText(values[2], row.channel);
      SetText(values[3], *stored_[j]);
      SetText(values[4], now_);
    }
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult submitted,
        connection_.Query(MultiRowInsert("INSERT INTO consultation_submission (consultation_id, "
                                         "receipt, channel, text, received_at)",
                                         "(?, ?, ?, ?, ?)", count, " RETURNING id, receipt"),
                          params_));
    CIVICDESK_RETURN_IF_ERROR(MatchReturned(submitted, params_, 5, 1, count, submission_ids_));
    for (size_t j = 0; j < count; ++j) {
      if (!normalized_[j].changed()) continue;
      const std::string& received = part.records[first + j].original[columns.text];
      CIVICDESK_ASSIGN_OR_RETURN(std::string digest,
                                 PersonalDataDigest(connection_, consultation_id_, received));
      CIVICDESK_RETURN_IF_ERROR(Audit(connection_, actor_, "normalise_line_endings", "submission",
                                      submission_ids_[j],
                                      LineEndingsAuditJson(normalized_[j], digest), "LF"));
    }

    params_.resize(count * 8);
    for (size_t j = 0; j < count; ++j) {
      const CheckedRow& row = rows[j];
      Value* values = &params_[j * 8];
      values[0] = consultation_id_;
      values[1] = submission_ids_[j];
      values[2] = static_cast<int64_t>(stored_[j]->size());
      SetText(values[3], *stored_[j]);
      SetText(values[4], row.channel);
      SetText(values[5], row.group);
      SetText(values[6], now_);
      SetText(values[7], row.id);
    }
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult inserted,
        connection_.Query(
            MultiRowInsert("INSERT INTO consultation_item (consultation_id, submission_id, "
                           "source_start, source_end, text, channel, group_key, created_at, "
                           "external_id)",
                           "(?, ?, 0, ?, ?, ?, ?, ?, ?)", count, " RETURNING id, submission_id"),
            params_));
    CIVICDESK_RETURN_IF_ERROR(MatchReturned(inserted, params_, 8, 1, count, item_ids_));

    // Fields are created as they first appear, in the file's order; then every link of the
    // batch, and every routing, in one statement each.
    params_.clear();
    size_t links = 0;
    for (size_t j = 0; j < count; ++j) {
      const CheckedRow& row = rows[j];
      if (row.field.empty()) continue;
      auto found = field_ids_.find(row.field);
      int64_t field_id = 0;
      if (found == field_ids_.end()) {
        CIVICDESK_ASSIGN_OR_RETURN(field_id, CreateField(row.field));
      } else {
        field_id = found->second;
      }
      params_.emplace_back(item_ids_[j]);
      params_.emplace_back(field_id);
      ++links;
    }
    if (links > 0) {
      CIVICDESK_RETURN_IF_ERROR(
          connection_
              .Query(MultiRowInsert("INSERT INTO consultation_item_field (item_id, field_id)",
                                    "(?, ?)", links, ""),
                     params_)
              .status());
    }
    params_.clear();
    size_t routed = 0;
    for (size_t j = 0; j < count; ++j) {
      sections_[j].clear();
      const std::string& section = rows[j].section;
      if (section.empty()) continue;
      std::string department;
      std::string name = section;
      if (size_t slash = section.find('/'); slash != std::string::npos) {
        department = TrimSpaces(section.substr(0, slash));
        name = TrimSpaces(section.substr(slash + 1));
      } else if (auto known = department_of_section_.find(section);
                 known != department_of_section_.end()) {
        department = known->second;
      }
      sections_[j].push_back(department + "/" + name);
      params_.emplace_back(item_ids_[j]);
      params_.emplace_back(std::move(department));
      params_.emplace_back(std::move(name));
      ++routed;
    }
    if (routed > 0) {
      CIVICDESK_RETURN_IF_ERROR(
          connection_
              .Query(MultiRowInsert("INSERT INTO consultation_item_section (item_id, position, "
                                    "department, section)",
                                    "(?, 1, ?, ?)", routed, ""),
                     params_)
              .status());
    }

    // The search documents commit with the opinions (the outbox, search_documents.h), built
    // from what was written rather than read back. The text is copied, not taken from the
    // record: records freed one by one amid SQLite's page allocations left glibc's heap so
    // fragmented that malloc was a fifth of a million-row import.
    for (size_t j = 0; j < count; ++j) {
      documents_.push_back(StaffOpinionDocument(item_ids_[j], consultation_title_, *stored_[j],
                                                std::move(sections_[j])));
      ++items_;
      if (options_.progress) options_.progress(items_, std::max(total_, items_));
    }
    if (documents_.size() >= kDocumentsPerWrite) {
      CIVICDESK_RETURN_IF_ERROR(index_.Write(connection_, documents_));
      documents_.clear();
    }
    return Status::Ok();
  }

  Connection& connection_;
  const Actor& actor_;
  const std::string now_;
  const tabular::ImportOptions& options_;
  const int64_t& total_;
  text::SearchIndex& index_;
  Status setup_ = Status::Ok();
  std::map<std::string, std::string> department_of_section_;
  std::map<std::string, int64_t> field_ids_;
  int64_t next_field_position_ = 1;
  int64_t consultation_id_ = 0;
  int64_t items_ = 0;
  std::string consultation_title_;
  std::string receipt_prefix_;
  std::vector<Value> params_;
  std::vector<int64_t> submission_ids_;
  std::vector<int64_t> item_ids_;
  std::vector<NormalizedLineEndings> normalized_;
  std::vector<const std::string*> stored_;
  std::vector<std::vector<std::string>> sections_;
  std::vector<text::SearchDocument> documents_;
};

// ImportOpinions into a new consultation titled `title` (existing_id 0) or into the
// consultation `existing_id`, the file read a part at a time (tabular_chunks.h) unless `whole`.
// Each part's rows are checked, and written while no row so far has an error; from the first
// error on the rest are only checked, and the transaction is rolled back at the end, so the
// file arrives whole or not at all and every problem is reported.
Result<OpinionsImportReport> ImportOnce(storage::Database& database, int64_t existing_id,
                                        const tabular::ByteSource& source, const std::string& title,
                                        const Actor& actor, const tabular::ImportOptions& options,
                                        tabular::Report* refused, bool whole, size_t chunk_bytes) {
  std::unordered_set<std::string> ids;
  if (existing_id != 0) {
    CIVICDESK_RETURN_IF_ERROR(
        RefuseIfConsultationPublished(database, existing_id, "consultation.import_published"));
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult held,
        database.Query("SELECT external_id FROM consultation_item WHERE consultation_id = ? AND "
                       "external_id <> ''",
                       {existing_id}));
    for (const auto& row : held.rows) ids.insert(AsText(row[0]));
  } else if (TrimSpaces(title).empty() || !IsValidUtf8(title)) {
    return Status::InvalidArgument("consultation.import_title_required", "--title");
  }

  tabular::Report table_report;
  int64_t total = 0;
  bool any_records = false;
  bool pipeline_refused = false;
  // Checks every record of the file; `writer`, when there is one, writes them while none so far
  // has an error.
  auto read = [&](RowWriter* writer) -> Status {
    Status read = tabular::ReadTableInChunks(
        source, OpinionsColumns(), options, whole, chunk_bytes, table_report,
        [&](tabular::Table& part) -> Status {
          const Columns columns(part);
          std::vector<CheckedRow> rows(part.records.size());
          for (size_t i = 0; i < part.records.size(); ++i)
            CheckRow(part, columns, part.records[i], ids, table_report.errors, rows[i]);
          any_records = any_records || !part.records.empty();
          if (writer == nullptr || !table_report.errors.empty()) return Status::Ok();
          return writer->Write(part, columns, rows);
        },
        &total);
    if (!read.ok()) {
      pipeline_refused = read.message_id() != tabular::kReadAgainWhole;
      return read;
    }
    if (!any_records && table_report.errors.empty()) {
      table_report.errors.push_back(Status::InvalidArgument(
          "consultation.import_no_rows", "row " + std::to_string(table_report.header_row + 1)));
    }
    return tabular::FirstError(table_report);
  };

  OpinionsImportReport report;
  Status done = Status::Ok();
  if (options.dry_run) {
    done = read(nullptr);
  } else {
    // One transaction: the file arrives whole or not at all.
    done = database.Transaction([&](Connection& connection) -> Status {
      LargeCache cache(database, connection);
      RowWriter writer(database, connection, actor, NowIso8601Utc(), options, total);
      CIVICDESK_RETURN_IF_ERROR(writer.Start(existing_id, title));
      CIVICDESK_RETURN_IF_ERROR(read(&writer));
      CIVICDESK_RETURN_IF_ERROR(writer.Finish(existing_id, title));
      report.consultation_id = writer.consultation_id();
      report.items = writer.items();
      return Status::Ok();
    });
  }
  if (!done.ok()) {
    if (!pipeline_refused && !table_report.errors.empty() && refused != nullptr)
      *refused = table_report;
    return done;
  }
  table_report.rows_written = report.items;
  report.table = std::move(table_report);
  return report;
}

// ImportOnce reading the file in parts, and again whole when a later part reads otherwise than
// the first.
Result<OpinionsImportReport> Import(storage::Database& database, int64_t existing_id,
                                    const tabular::ByteSource& source, const std::string& title,
                                    const Actor& actor, const tabular::ImportOptions& options,
                                    tabular::Report* refused, size_t chunk_bytes) {
  Result<OpinionsImportReport> imported =
      ImportOnce(database, existing_id, source, title, actor, options, refused, false, chunk_bytes);
  if (imported.ok() || imported.status().message_id() != tabular::kReadAgainWhole) return imported;
  return ImportOnce(database, existing_id, source, title, actor, options, refused, true,
                    chunk_bytes);
}

}  // namespace

Result<OpinionsImportReport> ImportOpinions(storage::Database& database, std::string_view file,
                                            const std::string& title, const Actor& actor,
                                            const tabular::ImportOptions& options,
                                            tabular::Report* refused) {
  return Import(database, 0, tabular::ByteSource{file, ""}, title, actor, options, refused,
                kImportChunkBytes);
}

Result<OpinionsImportReport> ImportOpinionsFrom(storage::Database& database,
                                                const tabular::ByteSource& source,
                                                const std::string& title, const Actor& actor,
                                                const tabular::ImportOptions& options,
                                                tabular::Report* refused, size_t chunk_bytes) {
  return Import(database, 0, source, title, actor, options, refused, chunk_bytes);
}

Result<OpinionsImportReport> ImportOpinionsInto(storage::Database& database,
                                                int64_t consultation_id, std::string_view file,
                                                const Actor& actor,
                                                const tabular::ImportOptions& options,
                                                tabular::Report* refused) {
  return Import(database, consultation_id, tabular::ByteSource{file, ""}, "", actor, options,
                refused, kImportChunkBytes);
}

Result<OpinionsImportReport> ImportOpinionsCsv(storage::Database& database, std::istream& csv,
                                               const std::string& title, const Actor& actor,
                                               const std::function<void(int64_t)>& progress) {
  std::ostringstream bytes;
  bytes << csv.rdbuf();
  tabular::ImportOptions options;
  if (progress) options.progress = [&progress](int64_t done, int64_t) { progress(done); };
  return ImportOpinions(database, bytes.str(), title, actor, options);
}

Result<std::vector<AnalysisItem>> ListAnalysisItems(storage::Database& database,
                                                    int64_t consultation_id) {
  Result<Consultation> consultation = GetConsultation(database, consultation_id);
  if (!consultation.ok()) return consultation.status();
  std::vector<AnalysisItem> items;
  // Counted first, so that a million items are not moved again and again as the list grows.
  Result<QueryResult> count = database.Query(
      "SELECT COUNT(*) FROM consultation_item WHERE consultation_id = ? AND active = 1",
      {consultation_id});
  if (!count.ok()) return count.status();
  if (!count->empty()) items.reserve(static_cast<size_t>(AsInt(count->rows[0][0])));
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
