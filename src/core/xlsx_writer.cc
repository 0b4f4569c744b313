#include "core/xlsx_writer.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace civicdesk {
namespace {

bool IsWholeNumber(const std::string& cell) {
  size_t start = (!cell.empty() && cell[0] == '-') ? 1 : 0;
  if (cell.size() <= start || cell.size() - start > 15) return false;
  if (cell[start] == '0' && cell.size() - start > 1) return false;
  for (size_t i = start; i < cell.size(); ++i) {
    if (cell[i] < '0' || cell[i] > '9') return false;
  }
  return true;
}

}  // namespace

void SetXlsxPrintLayout(lxw_worksheet* sheet, double total_column_width, int header_rows) {
  constexpr uint8_t kA4 = 9;  // the paper index of the Office Open XML pageSetup
  constexpr double kPortraitWidth = 100;
  worksheet_set_paper(sheet, kA4);
  if (total_column_width > kPortraitWidth) worksheet_set_landscape(sheet);
  worksheet_fit_to_pages(sheet, 1, 0);  // one page wide, as long as it takes
  if (header_rows > 0) {
    worksheet_repeat_rows(sheet, 0, static_cast<lxw_row_t>(header_rows - 1));
    worksheet_freeze_panes(sheet, static_cast<lxw_row_t>(header_rows), 0);
  }
}

double TotalColumnWidth(const std::vector<double>& widths, size_t columns) {
  constexpr double kDefaultWidth = 8.43;
  double total = 0;
  for (size_t c = 0; c < columns; ++c) total += c < widths.size() ? widths[c] : kDefaultWidth;
  return total;
}

Result<std::string> XlsxWorkbookBytes(const std::vector<XlsxSheet>& sheets) {
  char path[] = "/tmp/civicdesk-xlsx-XXXXXX";
  const int descriptor = mkstemp(path);
  if (descriptor < 0) return Status::Internal("cannot create a temporary file for XLSX");
  close(descriptor);
  struct Remove {
    const char* path;
    ~Remove() { std::remove(path); }
  } remove_later{path};
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = const_cast<char*>("/tmp");
  lxw_workbook* workbook = workbook_new_opt(path, &options);
  if (workbook == nullptr) return Status::Internal("cannot start an XLSX workbook");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  for (const XlsxSheet& sheet : sheets) {
    lxw_worksheet* worksheet = workbook_add_worksheet(workbook, sheet.name.c_str());
    if (worksheet == nullptr) {
      workbook_close(workbook);
      return Status::Internal("XLSX: bad sheet name " + sheet.name);
    }
    SetXlsxPrintLayout(worksheet, TotalColumnWidth({}, sheet.header.size()));
    for (size_t c = 0; c < sheet.header.size(); ++c) {
      worksheet_write_string(worksheet, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(),
                             bold);
    }
    lxw_row_t row_number = 0;
    for (const std::vector<std::string>& row : sheet.rows) {
      ++row_number;
      for (size_t c = 0; c < row.size(); ++c) {
        const auto column = static_cast<lxw_col_t>(c);
        if (IsWholeNumber(row[c])) {
          worksheet_write_number(worksheet, row_number, column,
                                 std::strtod(row[c].c_str(), nullptr), nullptr);
        } else {
          worksheet_write_string(worksheet, row_number, column, row[c].c_str(), nullptr);
        }
      }
    }
  }
  const lxw_error closed = workbook_close(workbook);
  if (closed != LXW_NO_ERROR) return Status::Internal(std::string("XLSX: ") + lxw_strerror(closed));
  std::ifstream file(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

}  // namespace civicdesk
