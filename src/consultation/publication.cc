#include "consultation/publication.h"

#include <algorithm>
#include <map>

#include "consultation/personal_data_flags.h"

namespace civicdesk::consultation {
namespace {

// Widths of the XLSX columns, in characters.
const std::vector<double> kColumnWidths = {6, 28, 60, 18, 20, 20, 70, 10};

std::vector<std::string> CellsOf(const PublishedRow& row, bool corrections) {
  std::vector<std::string> cells = {std::to_string(row.number),
                                    row.fields,
                                    row.opinion,
                                    row.channel,
                                    row.departments,
                                    row.sections,
                                    row.response,
                                    row.status ? std::to_string(*row.status) : ""};
  if (corrections) cells.push_back(row.corrections);
  return cells;
}

// Item ids (sorted) of the consultation's active items not approved.
Result<std::vector<int64_t>> UnapprovedItems(storage::Database& database, int64_t consultation_id) {
  std::vector<int64_t> ids;
  CIVICDESK_RETURN_IF_ERROR(database.QueryEach(
      "SELECT id FROM consultation_item WHERE consultation_id = ? AND active = 1 AND approved = 0"
      " ORDER BY id",
      {consultation_id}, [&ids](const std::vector<storage::Value>& row) {
        ids.push_back(storage::AsInt(row[0]));
        return Status::Ok();
      }));
  return ids;
}

}  // namespace

http::Table PublishedTable(RowSource rows) { return PublishedTable(std::move(rows), false); }

http::Table PublishedTable(RowSource rows, bool corrections) {
  return PublishedTable(std::move(rows), corrections, IssuerWords{});
}

http::Table PublishedTable(RowSource rows, bool corrections, const IssuerWords& words) {
  http::Table table;
  table.columns = PublishedColumns(words);
  if (corrections) table.columns.push_back(std::string(kCorrectionsColumn));
  table.number_columns = {"No", "対応状況"};
  table.sheet_name = PublishedSheetName(words);
  table.column_widths = kColumnWidths;
  if (corrections) table.column_widths.push_back(kCorrectionsWidth);
  table.rows = [rows = std::move(rows), corrections](const http::DatasetRowWriter& write) {
    return rows([&write, corrections](const PublishedRow& row) {
      return write(CellsOf(row, corrections));
    });
  };
  return table;
}

Status WriteTable(const RowSource& rows, TableFormat format, std::ostream& out) {
  return WriteTable(rows, format, false, out);
}

Status WriteTable(const RowSource& rows, TableFormat format, bool corrections, std::ostream& out,
                  const IssuerWords& words) {
  auto write = [&out](std::string_view piece) {
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    return out ? Status::Ok() : Status::Unavailable("consultation.cannot_write_output");
  };
  CIVICDESK_RETURN_IF_ERROR(
      http::WriteTable(PublishedTable(rows, corrections, words), format, write));
  out.flush();
  return out ? Status::Ok() : Status::Unavailable("consultation.cannot_write_output");
}

void WriteTable(const std::vector<PublishedRow>& rows, TableFormat format, std::ostream& out) {
  (void)WriteTable(RowsOf(rows), format, out);
}

Result<std::vector<PublicationProblem>> CheckPublication(storage::Database& database,
                                                         int64_t consultation_id,
                                                         bool approval_and_personal_data) {
  Result<Summary> summary = Summarize(database, consultation_id);
  if (!summary.ok()) return summary.status();
  std::vector<int64_t> unapproved;
  // The kinds of the personal-data flags still open (neither masked nor dismissed), by item:
  // the stored flags of personal_data_flags.h, detected on first asking.
  std::map<int64_t, std::vector<std::string>> flagged;
  if (approval_and_personal_data) {
    CIVICDESK_ASSIGN_OR_RETURN(unapproved, UnapprovedItems(database, consultation_id));
    CIVICDESK_ASSIGN_OR_RETURN(flagged, OpenPersonalDataKinds(database, consultation_id));
    for (auto& [item_id, kinds] : flagged) {
      for (std::string& kind : kinds) kind = "personal_" + kind;
    }
  }
  constexpr size_t kMaxListed = 1000;
  std::vector<PublicationProblem> problems;
  int rows = 0;
  int unlisted = 0;
  auto add = [&](PublicationProblem problem) {
    if (problems.size() < kMaxListed) {
      problems.push_back(std::move(problem));
    } else {
      ++unlisted;
    }
  };
  Status read = ForEachPublishedRow(database, consultation_id, [&](const PublishedRow& row) {
    ++rows;
    std::vector<std::string> missing;
    if (row.fields.empty()) missing.push_back("consultation.missing_field");
    if (row.departments.empty() && row.sections.empty())
      missing.push_back("consultation.missing_section");
    if (row.response.empty()) missing.push_back("consultation.missing_response");
    if (!row.status) missing.push_back("consultation.missing_status");
    if (!missing.empty()) {
      add({row.number, row.item_id, Status::InvalidArgument("consultation.problem_missing"),
           std::move(missing)});
    }
    if (!approval_and_personal_data) return Status::Ok();
    if (std::binary_search(unapproved.begin(), unapproved.end(), row.item_id))
      add({row.number,
           row.item_id,
           Status::InvalidArgument("consultation.problem_not_approved"),
           {}});
    if (auto open = flagged.find(row.item_id); open != flagged.end()) {
      add({row.number, row.item_id, Status::InvalidArgument("consultation.problem_personal_data"),
           open->second});
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
