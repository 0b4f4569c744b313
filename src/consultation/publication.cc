#include "consultation/publication.h"

namespace civicdesk::consultation {
namespace {

constexpr std::array<std::string_view, 8> kColumns = {
    "No", "主な該当分野", "区民意見", "区分", "部", "課", "区の考え方", "対応状況"};

std::string TsvCell(std::string_view text) {
  std::string cell(text);
  for (char& c : cell) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return cell;
}

std::string CsvCell(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string cell = "\"";
  for (char c : text) {
    if (c == '"') cell += '"';
    cell += c;
  }
  return cell + "\"";
}

}  // namespace

void WriteTable(const std::vector<PublishedRow>& rows, TableFormat format, std::ostream& out) {
  const char separator = format == TableFormat::kTsv ? '\t' : ',';
  const char* line_end = format == TableFormat::kTsv ? "\n" : "\r\n";
  auto cell = [format](std::string_view text) {
    return format == TableFormat::kTsv ? TsvCell(text) : CsvCell(text);
  };
  if (format == TableFormat::kCsv) out << "\xEF\xBB\xBF";
  for (size_t i = 0; i < kColumns.size(); ++i)
    out << (i > 0 ? std::string(1, separator) : "") << kColumns[i];
  out << line_end;
  for (const PublishedRow& row : rows) {
    out << row.number << separator << cell(row.fields) << separator << cell(row.opinion)
        << separator << cell(row.channel) << separator << cell(row.departments) << separator
        << cell(row.sections) << separator << cell(row.response) << separator
        << (row.status ? std::to_string(*row.status) : "") << line_end;
  }
}

Result<std::vector<PublicationProblem>> CheckPublication(storage::Database& database,
                                                         int64_t consultation_id) {
  Result<std::vector<PublishedRow>> rows = PublishedRows(database, consultation_id);
  if (!rows.ok()) return rows.status();
  Result<Summary> summary = Summarize(database, consultation_id);
  if (!summary.ok()) return summary.status();
  std::vector<PublicationProblem> problems;
  for (const PublishedRow& row : *rows) {
    std::vector<std::string> missing;
    if (row.fields.empty()) missing.push_back("主な該当分野 / field");
    if (row.departments.empty() && row.sections.empty())
      missing.push_back("回答部署 / responding section");
    if (row.response.empty()) missing.push_back("区の考え方 / response");
    if (!row.status) missing.push_back("対応状況 / status");
    if (missing.empty()) continue;
    std::string joined;
    for (const std::string& what : missing) joined += (joined.empty() ? "" : ", ") + what;
    problems.push_back({row.number, row.item_id, "未入力 / missing: " + joined});
  }
  int status_total = 0;
  for (const StatusCount& status : summary->statuses) {
    status_total += status.total;
    if (status.public_comment + status.meeting != status.total) {
      problems.push_back({0, 0,
                          "対応状況 " + std::to_string(status.status) +
                              " の内訳が合計と合いません / route split does not add up"});
    }
  }
  if (summary->items != static_cast<int>(rows->size()) ||
      summary->items_public_comment + summary->items_meeting != summary->items) {
    problems.push_back(
        {0, 0, "意見数の合計が表の行数と合いません / item counts do not match the table"});
  }
  if (status_total + summary->unclassified != summary->items) {
    problems.push_back(
        {0, 0, "対応状況の合計が意見数と合いません / status counts do not add up to the items"});
  }
  return problems;
}

}  // namespace civicdesk::consultation
