#include "consultation/xlsx_export.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <iterator>
#include <vector>

#include "consultation/publication.h"
#include "core/xlsx_writer.h"

namespace civicdesk::consultation {
namespace {

constexpr double kWidths[] = {6, 28, 60, 18, 20, 20, 70, 10};

}  // namespace

Status WriteXlsx(const std::string& path, const std::string& title, const IssuerWords& words,
                 const Summary& summary, const RowSource& rows, bool corrections) {
  const std::vector<std::string> columns = PublishedColumns(words);
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
  if (workbook == nullptr)
    return Status::Unavailable("consultation.xlsx_cannot_create", {{"path", path}});

  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  format_set_bg_color(header, 0xF2F5F8);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_text_wrap(header);
  lxw_format* cell = workbook_add_format(workbook);
  format_set_text_wrap(cell);
  format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
  format_set_border(cell, LXW_BORDER_THIN);
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);

  lxw_worksheet* table = workbook_add_worksheet(workbook, PublishedSheetName(words).c_str());
  for (lxw_col_t column = 0; column < 8; ++column) {
    worksheet_set_column(table, column, column, kWidths[column], nullptr);
  }
  for (lxw_col_t column = 0; column < 8; ++column)
    worksheet_write_string(table, 0, column, columns[column].c_str(), header);
  const lxw_col_t last_column = corrections ? 8 : 7;
  if (corrections) {
    worksheet_set_column(table, 8, 8, kCorrectionsWidth, nullptr);
    worksheet_write_string(table, 0, 8, std::string(kCorrectionsColumn).c_str(), header);
  }
  std::vector<double> widths(std::begin(kWidths), std::end(kWidths));
  if (corrections) widths.push_back(kCorrectionsWidth);
  SetXlsxPrintLayout(table, TotalColumnWidth(widths, widths.size()));
  lxw_row_t row_number = 1;
  Status read = rows([&](const PublishedRow& row) {
    if (row_number >= LXW_ROW_MAX) {
      return Status::InvalidArgument("consultation.xlsx_too_many_rows", "format");
    }
    worksheet_write_number(table, row_number, 0, row.number, cell);
    const std::string* texts[] = {&row.fields,      &row.opinion,  &row.channel,
                                  &row.departments, &row.sections, &row.response};
    for (lxw_col_t column = 1; column <= 6; ++column) {
      worksheet_write_string(table, row_number, column, texts[column - 1]->c_str(), cell);
    }
    if (row.status) {
      worksheet_write_number(table, row_number, 7, *row.status, cell);
    } else {
      worksheet_write_blank(table, row_number, 7, cell);
    }
    if (corrections) worksheet_write_string(table, row_number, 8, row.corrections.c_str(), cell);
    ++row_number;
    return Status::Ok();
  });
  if (!read.ok()) {
    workbook_close(workbook);
    std::remove(path.c_str());
    return read;
  }
  worksheet_autofilter(table, 0, 0, row_number - 1, last_column);

  lxw_worksheet* counts = workbook_add_worksheet(workbook, "意見数・対応状況");
  worksheet_set_column(counts, 0, 0, 50, nullptr);
  worksheet_set_column(counts, 1, 3, 14, nullptr);
  SetXlsxPrintLayout(counts, 50 + 3 * 14, 0);
  lxw_row_t line = 0;
  worksheet_write_string(counts, line++, 0, DocumentTitle(title, words).c_str(), bold);
  if (!words.name.empty()) worksheet_write_string(counts, line++, 0, words.name.c_str(), nullptr);
  ++line;
  worksheet_write_string(counts, line++, 0, "1 意見数", bold);
  worksheet_write_string(counts, line, 0, "区分", header);
  worksheet_write_string(counts, line, 1, "人数", header);
  worksheet_write_string(counts, line++, 2, "件数", header);
  worksheet_write_string(counts, line, 0, ("(1) " + words.route_public).c_str(), nullptr);
  worksheet_write_number(counts, line, 1, summary.people_public_comment, nullptr);
  worksheet_write_number(counts, line++, 2, summary.items_public_comment, nullptr);
  for (const auto& [channel, people] : summary.people_by_channel) {
    worksheet_write_string(counts, line, 0, ("　" + channel).c_str(), nullptr);
    worksheet_write_number(counts, line++, 1, people, nullptr);
  }
  worksheet_write_string(
      counts, line, 0,
      ("(2) " + words.route_meeting + "（開催回数 " + std::to_string(summary.meetings) + "回）")
          .c_str(),
      nullptr);
  worksheet_write_number(counts, line, 1, summary.people_meeting, nullptr);
  worksheet_write_number(counts, line++, 2, summary.items_meeting, nullptr);
  for (std::string_view district : kDistricts) {
    worksheet_write_string(counts, line, 0, ("　" + std::string(district)).c_str(), nullptr);
    worksheet_write_number(counts, line++, 1, summary.people_by_district.at(std::string(district)),
                           nullptr);
  }
  worksheet_write_string(counts, line, 0, "計", bold);
  worksheet_write_number(counts, line++, 2, summary.items, bold);
  ++line;
  worksheet_write_string(counts, line++, 0, "2 意見への対応状況", bold);
  const std::string status_header[] = {"対応状況", "件数", words.route_public, words.route_meeting};
  for (lxw_col_t column = 0; column < 4; ++column)
    worksheet_write_string(counts, line, column, status_header[column].c_str(), header);
  ++line;
  for (const StatusCount& status : summary.statuses) {
    std::string label =
        std::to_string(status.status) + " " + StatusLegendText(status.status, words);
    worksheet_write_string(counts, line, 0, label.c_str(), nullptr);
    worksheet_write_number(counts, line, 1, status.total, nullptr);
    worksheet_write_number(counts, line, 2, status.public_comment, nullptr);
    worksheet_write_number(counts, line++, 3, status.meeting, nullptr);
  }
  worksheet_write_string(counts, line, 0, "計", bold);
  worksheet_write_number(counts, line, 1, summary.items, bold);
  worksheet_write_number(counts, line, 2, summary.items_public_comment, bold);
  worksheet_write_number(counts, line, 3, summary.items_meeting, bold);

  lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) {
    return Status::Unavailable("consultation.xlsx_cannot_write",
                               {{"path", path}, {"reason", lxw_strerror(error)}});
  }
  return Status::Ok();
}

}  // namespace civicdesk::consultation
