#include "consultation/publication.h"

#include "core/csv.h"

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

}  // namespace

Status WriteTable(const RowSource& rows, TableFormat format, std::ostream& out) {
  const char separator = format == TableFormat::kTsv ? '\t' : ',';
  const char* line_end = format == TableFormat::kTsv ? "\n" : "\r\n";
  auto cell = [format](std::string_view text) {
    return format == TableFormat::kTsv ? TsvCell(text) : CsvQuote(text);
  };
  if (format == TableFormat::kCsv) out << "\xEF\xBB\xBF";
  for (size_t i = 0; i < kColumns.size(); ++i)
    out << (i > 0 ? std::string(1, separator) : "") << kColumns[i];
  out << line_end;
  Status written = rows([&](const PublishedRow& row) {
    out << row.number << separator << cell(row.fields) << separator << cell(row.opinion)
        << separator << cell(row.channel) << separator << cell(row.departments) << separator
        << cell(row.sections) << separator << cell(row.response) << separator
        << (row.status ? std::to_string(*row.status) : "") << line_end;
    return out ? Status::Ok() : Status::Unavailable("書き込めません / cannot write the output");
  });
  if (!written.ok()) return written;
  out.flush();
  return out ? Status::Ok() : Status::Unavailable("書き込めません / cannot write the output");
}

void WriteTable(const std::vector<PublishedRow>& rows, TableFormat format, std::ostream& out) {
  (void)WriteTable(RowsOf(rows), format, out);
}

Result<std::vector<PublicationProblem>> CheckPublication(storage::Database& database,
                                                         int64_t consultation_id) {
  Result<Summary> summary = Summarize(database, consultation_id);
  if (!summary.ok()) return summary.status();
  constexpr size_t kMaxListed = 1000;
  std::vector<PublicationProblem> problems;
  int rows = 0;
  int unlisted = 0;
  Status read = ForEachPublishedRow(database, consultation_id, [&](const PublishedRow& row) {
    ++rows;
    std::string missing;
    auto add = [&missing](const char* what) {
      missing += (missing.empty() ? "" : ", ") + std::string(what);
    };
    if (row.fields.empty()) add("主な該当分野 / field");
    if (row.departments.empty() && row.sections.empty()) add("回答部署 / responding section");
    if (row.response.empty()) add("区の考え方 / response");
    if (!row.status) add("対応状況 / status");
    if (missing.empty()) return Status::Ok();
    if (problems.size() < kMaxListed) {
      problems.push_back({row.number, row.item_id, "未入力 / missing: " + missing});
    } else {
      ++unlisted;
    }
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (unlisted > 0) {
    problems.push_back({0, 0,
                        "ほかに " + std::to_string(unlisted) + " 件 / and " +
                            std::to_string(unlisted) + " more items"});
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
  if (summary->items != rows ||
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
