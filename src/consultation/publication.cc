#include "consultation/publication.h"

namespace civicdesk::consultation {
namespace {

// Widths of the XLSX columns, in characters.
const std::vector<double> kColumnWidths = {6, 28, 60, 18, 20, 20, 70, 10};

std::vector<std::string> CellsOf(const PublishedRow& row) {
  return {std::to_string(row.number),
          row.fields,
          row.opinion,
          row.channel,
          row.departments,
          row.sections,
          row.response,
          row.status ? std::to_string(*row.status) : ""};
}

}  // namespace

http::Table PublishedTable(RowSource rows) {
  http::Table table;
  table.columns = {"No", "主な該当分野", "区民意見", "区分", "部", "課", "区の考え方", "対応状況"};
  table.sheet_name = "区民意見と区の考え方";
  table.column_widths = kColumnWidths;
  table.rows = [rows = std::move(rows)](const http::DatasetRowWriter& write) {
    return rows([&write](const PublishedRow& row) { return write(CellsOf(row)); });
  };
  return table;
}

Status WriteTable(const RowSource& rows, TableFormat format, std::ostream& out) {
  auto write = [&out](std::string_view piece) {
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    return out ? Status::Ok() : Status::Unavailable("consultation.cannot_write_output");
  };
  CIVICDESK_RETURN_IF_ERROR(http::WriteTable(PublishedTable(rows), format, write));
  out.flush();
  return out ? Status::Ok() : Status::Unavailable("consultation.cannot_write_output");
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
    std::vector<std::string> missing;
    if (row.fields.empty()) missing.push_back("consultation.missing_field");
    if (row.departments.empty() && row.sections.empty())
      missing.push_back("consultation.missing_section");
    if (row.response.empty()) missing.push_back("consultation.missing_response");
    if (!row.status) missing.push_back("consultation.missing_status");
    if (missing.empty()) return Status::Ok();
    if (problems.size() < kMaxListed) {
      problems.push_back({row.number, row.item_id,
                          Status::InvalidArgument("consultation.problem_missing"),
                          std::move(missing)});
    } else {
      ++unlisted;
    }
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (unlisted > 0) {
    problems.push_back({0,
                        0,
                        Status::InvalidArgument("consultation.problem_more",
                                                {{"count", std::to_string(unlisted)}}),
                        {}});
  }
  int status_total = 0;
  for (const StatusCount& status : summary->statuses) {
    status_total += status.total;
    if (status.public_comment + status.meeting != status.total) {
      problems.push_back({0,
                          0,
                          Status::InvalidArgument("consultation.problem_route_split",
                                                  {{"status", std::to_string(status.status)}}),
                          {}});
    }
  }
  if (summary->items != rows ||
      summary->items_public_comment + summary->items_meeting != summary->items) {
    problems.push_back({0, 0, Status::InvalidArgument("consultation.problem_item_count"), {}});
  }
  if (status_total + summary->unclassified != summary->items) {
    problems.push_back({0, 0, Status::InvalidArgument("consultation.problem_status_count"), {}});
  }
  return problems;
}

}  // namespace civicdesk::consultation
