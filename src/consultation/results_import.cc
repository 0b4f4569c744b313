#include "consultation/results_import.h"

#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "consultation/import_columns.h"
#include "consultation/issuer.h"
#include "consultation/search_documents.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "core/wareki.h"

namespace civicdesk::consultation {
namespace {

using storage::AsInt;
using storage::Connection;
using storage::QueryResult;
using storage::Value;

// Something kept as it is but worth a look: a message whose code is kOk (nothing failed).
Status Warning(std::string id, MessageArgs args = {}) {
  return Status(StatusCode::kOk, std::move(id), std::move(args));
}

// An input error on line `line` of the file (its field is "line N").
Status LineError(size_t line, std::string id, MessageArgs args = {}) {
  return Status::InvalidArgument(std::move(id), std::move(args), "line " + std::to_string(line));
}

std::vector<std::string> SplitOn(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

std::string WithoutSpaces(const std::string& text) {
  std::string result;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ' || text[i] == '\t') continue;
    if (text.compare(i, 3, "\xE3\x80\x80") == 0) {
      i += 2;
      continue;
    }
    result.push_back(text[i]);
  }
  return result;
}

// 主な該当分野 may hold several fields ("基本目標1 … 基本目標2 …"), or 「—」 / 「全般」.
std::vector<std::string> SplitFields(const std::string& cell) {
  std::string trimmed = TrimSpaces(cell);
  std::vector<std::string> fields;
  const std::string marker = "基本目標";
  size_t at = trimmed.find(marker);
  if (at == std::string::npos) {
    if (!trimmed.empty()) fields.push_back(trimmed);
    return fields;
  }
  if (at > 0 && !TrimSpaces(trimmed.substr(0, at)).empty())
    fields.push_back(TrimSpaces(trimmed.substr(0, at)));
  while (at != std::string::npos) {
    size_t next = trimmed.find(marker, at + marker.size());
    fields.push_back(
        TrimSpaces(trimmed.substr(at, next == std::string::npos ? std::string::npos : next - at)));
    at = next;
  }
  return fields;
}

// A response is taken as complete when it ends a sentence.
bool LooksComplete(const std::string& text) {
  std::string trimmed = TrimSpaces(text);
  for (std::string_view ending : {"。", "）", ")", "」", "！", "？", "."}) {
    if (trimmed.ends_with(ending)) return true;
  }
  return false;
}

struct Row {
  size_t line = 0;
  int number = 0;
  std::string field_cell;
  std::vector<std::string> fields;
  std::string opinion;
  std::string channel;
  std::string district;
  std::vector<std::string> departments;
  std::vector<std::string> sections;
  std::string response;
  int status = 0;
};

struct Header {
  std::string title;
  std::string opens_on;
  std::string closes_on;
  std::string meetings_from;
  std::string meetings_to;
  std::map<std::string, int> people_by_channel;
  std::map<std::string, int> people_by_district;
  std::optional<int> meetings;
  std::optional<int> items_public_comment;
  std::optional<int> items_meeting;
  std::optional<int> items_total;
  std::map<int, std::array<int, 3>> statuses;  // status → total, public comment, meeting
};

// "令和5年12月1日（金）から令和6年1月4日（木）まで", "…から同月18日（月）まで".
bool ParsePeriod(const std::string& line, const std::string& label, std::string& from,
                 std::string& to) {
  static const std::regex kDay("\\([^)]*\\)");  // the weekday: 令和5年12月1日(金)
  size_t start = line.find(label);
  if (start == std::string::npos) return false;
  start += label.size();
  size_t middle = line.find("から", start);
  size_t end = line.find("まで", middle == std::string::npos ? start : middle);
  if (middle == std::string::npos || end == std::string::npos) return false;
  std::string first = std::regex_replace(line.substr(start, middle - start), kDay, "");
  std::string second = std::regex_replace(line.substr(middle + 6, end - middle - 6), kDay, "");
  Result<Date> opens = ParseWarekiDate(first);
  if (!opens.ok()) return false;
  Result<Date> closes = Status::InvalidArgument("");
  if (second.rfind("同月", 0) == 0) {
    std::smatch day;
    std::string rest = NormalizeNfkc(second.substr(6));
    if (!std::regex_match(rest, day, std::regex("(\\d+)日"))) return false;
    Date candidate =
        MakeDate(static_cast<int>(opens->year()), static_cast<unsigned>(opens->month()),
                 static_cast<unsigned>(std::stoi(day[1])));
    if (!candidate.ok()) return false;
    closes = candidate;
  } else {
    closes = ParseWarekiDate(second);
  }
  if (!closes.ok()) return false;
  from = FormatIsoDate(*opens);
  to = FormatIsoDate(*closes);
  return true;
}

// "郵送0人、インターネット4人" → {郵送: 0, インターネット: 4}. REQUIRES: NFKC-normalised text.
std::map<std::string, int> ParsePeopleList(const std::string& list) {
  std::map<std::string, int> people;
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find("、", start);
    std::string piece =
        TrimSpaces(list.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (piece.ends_with("人")) piece.erase(piece.size() - std::string("人").size());
    size_t digits = piece.size();
    while (digits > 0 && std::isdigit(static_cast<unsigned char>(piece[digits - 1]))) --digits;
    if (digits < piece.size() && digits > 0)
      people[TrimSpaces(piece.substr(0, digits))] = std::stoi(piece.substr(digits));
    if (end == std::string::npos) break;
    start = end + std::string("、").size();
  }
  return people;
}

// The text between `open` and the next `close` after it, or "" when absent.
std::string Between(const std::string& text, const std::string& open, const std::string& close) {
  size_t start = text.find(open);
  if (start == std::string::npos) return {};
  start += open.size();
  size_t end = text.find(close, start);
  return end == std::string::npos ? std::string() : text.substr(start, end - start);
}

void ParseHeaderLine(const std::string& raw, Header& header) {
  // NFKC turns full-width digits and parentheses into ASCII, so the patterns below stay ASCII:
  // std::regex works on bytes and must not see multibyte characters inside brackets.
  std::string line = NormalizeNfkc(raw);
  static const std::regex kItems("\\t([0-9]+)件\\s*$");
  static const std::regex kMeetings("開催回数:\\s*([0-9]+)回");
  std::smatch match;
  if (line.rfind("(1)", 0) == 0) {
    ParsePeriod(line, "募集期間:", header.opens_on, header.closes_on);
    header.people_by_channel = ParsePeopleList(Between(line, "(うち", ")"));
    if (std::regex_search(line, match, kItems)) header.items_public_comment = std::stoi(match[1]);
  } else if (line.rfind("(2)", 0) == 0) {
    ParsePeriod(line, "開催期間:", header.meetings_from, header.meetings_to);
    if (std::regex_search(line, match, kMeetings)) header.meetings = std::stoi(match[1]);
    size_t people_at = line.find("人 数:");
    if (people_at != std::string::npos) {
      header.people_by_district = ParsePeopleList(Between(line.substr(people_at), "人(", ")"));
    }
    if (std::regex_search(line, match, kItems)) header.items_meeting = std::stoi(match[1]);
  } else if (line.rfind("計\t", 0) == 0) {
    static const std::regex kTotal("^計\\t([0-9]+)件");
    if (std::regex_search(line, match, kTotal)) header.items_total = std::stoi(match[1]);
  } else {
    // Block 2: "1<TAB>意見を反映し…<TAB>2件<TAB>2件<TAB>0件".
    static const std::regex kStatusRow(
        "^([1-5])\\t[^\\t]+\\t([0-9]+)件\\t([0-9]+)件\\t([0-9]+)件\\s*$");
    if (std::regex_match(line, match, kStatusRow)) {
      header.statuses[std::stoi(match[1])] = {std::stoi(match[2]), std::stoi(match[3]),
                                              std::stoi(match[4])};
    }
  }
}

// The row of `record` as the importer stores it; every problem goes to `errors`, each naming the
// line and the column ("line 27").
std::optional<Row> ParseRow(const tabular::Table& table, const tabular::Record& record,
                            std::vector<Status>& errors) {
  const size_t before = errors.size();
  auto fail = [&](std::string field, std::string id, MessageArgs args = {}) {
    std::string column = field;
    for (const tabular::MappedColumn& mapped : table.report.mapped)
      if (mapped.field == field) column = mapped.header;
    args.emplace_back("column", column);
    errors.push_back(LineError(static_cast<size_t>(record.line), std::move(id), std::move(args)));
  };
  if (table.report.format != tabular::Format::kXlsx && record.cells < table.header_cells) {
    fail("number", "consultation.results_columns",
         {{"found", std::to_string(record.cells)},
          {"expected", std::to_string(table.header_cells)}});
    return std::nullopt;
  }
  Row row;
  row.line = static_cast<size_t>(record.line);
  std::string number = TrimSpaces(table.Value(record, "number"));
  if (number.empty() || number.size() > 7 ||
      !std::all_of(number.begin(), number.end(), ::isdigit)) {
    fail("number", "consultation.results_number_invalid", {{"number", number}});
  } else {
    row.number = std::stoi(number);
  }
  for (std::string_view name :
       {"field", "opinion", "channel", "department", "section", "response", "status"}) {
    const std::string& value = table.Value(record, name);
    if (!IsValidUtf8(value)) {
      fail(std::string(name), "consultation.results_encoding");
      return std::nullopt;
    }
    if (value.find('\0') != std::string::npos)
      fail(std::string(name), "consultation.results_invalid_characters");
  }
  row.field_cell = table.Value(record, "field");
  row.fields = SplitFields(row.field_cell);  // none: the item stays unclassified (未分類)
  row.opinion = table.Value(record, "opinion");
  if (TrimSpaces(row.opinion).empty()) fail("opinion", "consultation.results_opinion_empty");
  // No channel column, or an empty cell: the channel stays empty (shown as 不明), never guessed.
  std::string channel = TrimSpaces(NormalizeNfkc(table.Value(record, "channel")));
  static const std::regex kMeeting("^区民説明会\\s*\\(\\s*([^)]+?)\\s*\\)$");
  std::smatch match;
  if (channel.empty()) {
  } else if (std::regex_match(channel, match, kMeeting)) {
    row.channel = std::string(kMeetingChannel);
    row.district = match[1];
    if (!IsDistrict(row.district)) {
      fail("channel", "consultation.results_district_unknown", {{"district", row.district}});
    }
  } else if (RouteOfChannel(channel)) {
    row.channel = channel;
    if (channel == kMeetingChannel)
      fail("channel", "consultation.results_meeting_district_required");
  } else {
    fail("channel", "consultation.results_channel_unknown", {{"channel", channel}});
  }
  if (table.Has("department")) row.departments = SplitOn(table.Value(record, "department"), '/');
  if (table.Has("section")) row.sections = SplitOn(table.Value(record, "section"), '/');
  row.response = table.Value(record, "response");
  std::string status = TrimSpaces(table.Value(record, "status"));
  if (status.empty()) {
    row.status = 0;  // no status column or an empty cell: 対応状況 unknown
  } else if (status.size() != 1 || status[0] < '1' || status[0] > '5') {
    fail("status", "consultation.results_status_invalid", {{"status", status}});
  } else {
    row.status = status[0] - '0';
  }
  if (errors.size() != before) return std::nullopt;
  return row;
}

}  // namespace

Result<std::string> DecodeTextFile(std::string_view bytes, bool& converted) {
  converted = false;
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (IsValidUtf8(bytes)) return std::string(bytes);
  UErrorCode error = U_ZERO_ERROR;
  UConverter* converter = ucnv_open("windows-31j", &error);
  if (U_SUCCESS(error)) {
    ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &error);
    std::vector<UChar> wide(bytes.size() * 2 + 16);
    int32_t length = ucnv_toUChars(converter, wide.data(), static_cast<int32_t>(wide.size()),
                                   bytes.data(), static_cast<int32_t>(bytes.size()), &error);
    ucnv_close(converter);
    if (U_SUCCESS(error)) {
      std::string utf8;
      icu::UnicodeString(wide.data(), length).toUTF8String(utf8);
      converted = true;
      return utf8;
    }
  }
  size_t line = 1;
  size_t start = 0;
  for (size_t i = 0; i <= bytes.size(); ++i) {
    if (i == bytes.size() || bytes[i] == '\n') {
      if (!IsValidUtf8(bytes.substr(start, i - start))) break;
      ++line;
      start = i + 1;
    }
  }
  return LineError(line, "consultation.results_encoding");
}

namespace {

// The consultation's title from the document's title line: without 「に寄せられた区民意見に対する
// 区の考え方」 or another body's 「に寄せられた市民意見に対する市の考え方」.
std::string TitleOfLine(std::string title) {
  constexpr std::string_view kReceived = "に寄せられた";
  if (const size_t at = title.rfind(kReceived);
      at != std::string::npos && at > 0 && title.ends_with("の考え方"))
    title.erase(at);
  if (title.empty() || title.rfind("No\t", 0) == 0) title = "取り込んだ意見募集の結果";
  return title;
}

}  // namespace

Result<std::string> ResultTitle(std::string_view file) {
  bool converted = false;
  CIVICDESK_ASSIGN_OR_RETURN(std::string text, DecodeTextFile(file, converted));
  for (const std::string& line : SplitLines(text)) {
    if (TrimSpaces(line).empty()) continue;
    if (line.rfind("No\t", 0) == 0) break;
    return TitleOfLine(TrimSpaces(line));
  }
  return TitleOfLine("");
}

Result<ImportReport> ImportResults(storage::Database& database, std::string_view file,
                                   const Actor& actor, const tabular::ImportOptions& options,
                                   tabular::Report* refused) {
  ImportReport report;
  Result<tabular::Table> read = tabular::ReadTable(file, ResultsColumns(), options);
  if (!read.ok()) {
    const Status& failed = read.status();
    if (failed.message_id() == "core.import_encoding")
      return Status::InvalidArgument("consultation.results_encoding", failed.field());
    if (failed.message_id() == "core.import_no_header")
      return Status::InvalidArgument("consultation.results_no_table", failed.args(), "file");
    return failed;
  }
  tabular::Table& table = *read;
  auto refuse = [&](Status status) -> Status {
    if (table.report.errors.empty()) table.report.errors.push_back(status);
    if (refused != nullptr) *refused = table.report;
    return status;
  };
  if (table.report.encoding == tabular::Encoding::kCp932)
    report.warnings.push_back(Warning("consultation.results_converted_from_sjis"));

  // The text around the table: the title, block 1 (periods, people, meetings) and block 2
  // (counts per status) above it; totals in other wordings may stand below it.
  Header header;
  for (const tabular::Note& note : table.report.notes_above) {
    if (!IsValidUtf8(note.text) || note.text.find('\0') != std::string::npos)
      return refuse(
          LineError(static_cast<size_t>(note.row), "consultation.results_invalid_characters"));
    if (header.title.empty()) header.title = TrimSpaces(note.text);
    ParseHeaderLine(note.text, header);
  }
  for (const tabular::Note& note : table.report.notes_below) ParseHeaderLine(note.text, header);

  std::vector<Row> rows;
  for (const tabular::Record& record : table.records) {
    std::optional<Row> row = ParseRow(table, record, table.report.errors);
    if (row) rows.push_back(std::move(*row));
  }
  if (table.records.empty()) {
    return refuse(Status::InvalidArgument("consultation.results_no_table", "file"));
  }
  std::set<int> numbers;
  for (const Row& row : rows) {
    if (!numbers.insert(row.number).second) {
      table.report.errors.push_back(LineError(row.line, "consultation.results_duplicate_number",
                                              {{"number", std::to_string(row.number)}}));
    }
  }
  std::stable_sort(table.report.errors.begin(), table.report.errors.end(),
                   [](const Status& a, const Status& b) {
                     return std::stoll(a.field().substr(5)) < std::stoll(b.field().substr(5));
                   });
  if (!table.report.errors.empty()) return refuse(tabular::FirstError(table.report));

  const std::string title = TitleOfLine(header.title);
  // Whose words the result speaks in: the response column's header (市の考え方) or the title
  // line (…に対する県の考え方); a file that names no body is read as the site's own, and said so.
  std::optional<std::string> issuer_kind = IssuerKindOfHeader(header.title);
  for (const tabular::MappedColumn& column : table.report.mapped)
    if (column.field == "response" && IssuerKindOfHeader(column.header))
      issuer_kind = IssuerKindOfHeader(column.header);
  if (!issuer_kind) report.warnings.push_back(Warning("consultation.results_issuer_unknown"));
  report.issuer_kind = issuer_kind.value_or("ward");

  // One field per distinct label (spaces ignored); its label is the variant with the fewest
  // spaces, since page layout inserts stray spaces.
  std::vector<std::string> field_keys;
  std::map<std::string, std::string> field_labels;
  for (const Row& row : rows) {
    for (const std::string& field : row.fields) {
      std::string key = WithoutSpaces(field);
      auto found = field_labels.find(key);
      if (found == field_labels.end()) {
        field_keys.push_back(key);
        field_labels[key] = field;
      } else if (field.size() < found->second.size()) {
        found->second = field;
      }
    }
  }

  // Counts the document states versus the table.
  int public_comment = 0;
  int meeting = 0;
  std::map<int, std::array<int, 3>> statuses;
  for (const Row& row : rows) {
    bool at_meeting = row.channel == kMeetingChannel;
    (at_meeting ? meeting : public_comment)++;
    auto& counted = statuses[row.status];
    counted[0]++;
    counted[at_meeting ? 2 : 1]++;
    if (!LooksComplete(row.response)) {
      report.warnings.push_back(
          Warning("consultation.results_response_cut_off",
                  {{"number", std::to_string(row.number)}, {"line", std::to_string(row.line)}}));
    }
  }
  auto check = [&](const std::optional<int>& declared, int actual, std::string id,
                   MessageArgs args = {}) {
    if (declared && *declared != actual) {
      args.emplace_back("declared", std::to_string(*declared));
      args.emplace_back("actual", std::to_string(actual));
      report.warnings.push_back(Warning(std::move(id), std::move(args)));
    }
  };
  check(header.items_public_comment, public_comment, "consultation.results_count_public_comment");
  check(header.items_meeting, meeting, "consultation.results_count_meeting");
  check(header.items_total, static_cast<int>(rows.size()), "consultation.results_count_total");
  for (const auto& [status, declared] : header.statuses) {
    check(declared[0], statuses[status][0], "consultation.results_count_status",
          {{"status", std::to_string(status)}});
  }

  report.items = static_cast<int>(rows.size());
  if (options.dry_run) {
    report.table = std::move(table.report);
    return report;
  }
  const int64_t total = static_cast<int64_t>(rows.size());
  int64_t written = 0;
  std::vector<int64_t> held_back;
  Status stored = database.Transaction([&](Connection& connection) -> Status {
    held_back.clear();
    std::string now = NowIso8601Utc();
    Result<QueryResult> created = connection.Query(
        "INSERT INTO consultation (kind, title, draft_title, opens_on, closes_on, meetings_from, "
        "meetings_to, state,"
        " source, created_at, issuer_kind) VALUES ('consultation', ?, ?, ?, ?, ?, ?, 'open', "
        "'import', ?, ?) RETURNING id",
        {title, title, header.opens_on, header.closes_on, header.meetings_from, header.meetings_to,
         now, report.issuer_kind});
    if (!created.ok()) return created.status();
    report.consultation_id = AsInt(created->rows[0][0]);
    int64_t id = report.consultation_id;

    std::map<std::string, int64_t> field_ids;
    int64_t position = 0;
    for (const std::string& key : field_keys) {
      Result<QueryResult> field = connection.Query(
          "INSERT INTO consultation_field (consultation_id, position, label) VALUES (?, ?, ?) "
          "RETURNING id",
          {id, ++position, field_labels[key]});
      if (!field.ok()) return field.status();
      field_ids[key] = AsInt(field->rows[0][0]);
    }
    for (std::string_view fixed : {kNoField, kGeneralField}) {
      if (field_labels.count(std::string(fixed)) > 0) continue;
      Result<QueryResult> field = connection.Query(
          "INSERT INTO consultation_field (consultation_id, position, label) VALUES (?, ?, ?)",
          {id, ++position, std::string(fixed)});
      if (!field.ok()) return field.status();
    }
    auto declare = [&](const std::string& kind, const std::string& name, int value) -> Status {
      Result<QueryResult> inserted = connection.Query(
          "INSERT INTO consultation_declared_count (consultation_id, kind, name, value) VALUES (?, "
          "?, ?, ?)",
          {id, kind, name, int64_t{value}});
      return inserted.ok() ? Status::Ok() : inserted.status();
    };
    for (const auto& [channel, people] : header.people_by_channel) {
      if (Status declared = declare("people_channel", channel, people); !declared.ok())
        return declared;
    }
    for (const auto& [district, people] : header.people_by_district) {
      if (Status declared = declare("people_district", district, people); !declared.ok())
        return declared;
    }
    if (header.meetings) {
      if (Status declared = declare("meetings", "meetings", *header.meetings); !declared.ok())
        return declared;
    }

    std::map<std::string, int64_t> responses;
    for (const Row& row : rows) {
      int64_t response_id = 0;
      auto existing = responses.find(row.response);
      if (existing != responses.end()) {
        response_id = existing->second;
      } else {
        Result<QueryResult> response = connection.Query(
            "INSERT INTO consultation_response (consultation_id, text, truncated, updated_at) "
            "VALUES (?, ?, ?, ?)"
            " RETURNING id",
            {id, row.response, int64_t{LooksComplete(row.response) ? 0 : 1}, now});
        if (!response.ok()) return response.status();
        response_id = AsInt(response->rows[0][0]);
        responses[row.response] = response_id;
      }
      Result<QueryResult> item = connection.Query(
          "INSERT INTO consultation_item (consultation_id, text, channel, district, field_display, "
          "status,"
          " response_id, publication_position, group_key, approved, created_at, external_id)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
          {id, row.opinion, row.channel, row.district, row.field_cell,
           row.status == 0 ? storage::Null() : Value(int64_t{row.status}), response_id,
           int64_t{row.number}, "response:" + std::to_string(response_id), now,
           std::to_string(row.number)});
      if (!item.ok()) return item.status();
      int64_t item_id = AsInt(item->rows[0][0]);
      std::set<int64_t> linked;
      for (const std::string& field : row.fields) {
        int64_t field_id = field_ids[WithoutSpaces(field)];
        if (!linked.insert(field_id).second) continue;
        Result<QueryResult> linked_field = connection.Query(
            "INSERT INTO consultation_item_field (item_id, field_id) VALUES (?, ?)",
            {item_id, field_id});
        if (!linked_field.ok()) return linked_field.status();
      }
      size_t routes = std::max(row.departments.size(), row.sections.size());
      for (size_t route = 0; route < routes; ++route) {
        std::string department = route < row.departments.size() ? row.departments[route] : "";
        std::string section = route < row.sections.size() ? row.sections[route] : "";
        Result<QueryResult> routed = connection.Query(
            "INSERT INTO consultation_item_section (item_id, position, department, section) VALUES "
            "(?, ?, ?, ?)",
            {item_id, static_cast<int64_t>(route + 1), department, section});
        if (!routed.ok()) return routed.status();
      }
      if (options.progress) options.progress(++written, total);
    }
    // The documents commit with the result (staff see them at once; texts are public once
    // IndexItems below has checked them for personal data).
    CIVICDESK_RETURN_IF_ERROR(WriteConsultationDocuments(database, connection, id, &held_back));
    return Audit(connection, actor, "import", "consultation", id, "",
                 title + " (" + std::to_string(rows.size()) + " items)");
  });
  if (!stored.ok()) return stored;
  if (!held_back.empty()) IndexItems(database, held_back);
  table.report.rows_written = total;
  report.table = std::move(table.report);
  return report;
}

}  // namespace civicdesk::consultation
