#include "facilities/workbook.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/xlsx_writer.h"

namespace civicdesk::facilities {
namespace {

bool IsWholeNumber(const std::string& cell) {
  const size_t start = (!cell.empty() && cell[0] == '-') ? 1 : 0;
  if (cell.size() <= start || cell.size() - start > 15) return false;
  if (cell[start] == '0' && cell.size() - start > 1) return false;
  for (size_t i = start; i < cell.size(); ++i) {
    if (cell[i] < '0' || cell[i] > '9') return false;
  }
  return true;
}

Status WriteSheet(lxw_workbook* workbook, lxw_format* bold, const http::Table& table) {
  lxw_worksheet* sheet = workbook_add_worksheet(
      workbook, table.sheet_name.empty() ? nullptr : table.sheet_name.c_str());
  if (sheet == nullptr) return Status::Internal("XLSX: bad sheet name " + table.sheet_name);
  for (size_t c = 0; c < table.column_widths.size(); ++c) {
    worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         table.column_widths[c], nullptr);
  }
  SetXlsxPrintLayout(sheet, TotalColumnWidth(table.column_widths, table.columns.size()));
  for (size_t c = 0; c < table.columns.size(); ++c)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.columns[c].c_str(), bold);
  lxw_row_t row_number = 0;
  return table.rows([&](const std::vector<std::string>& cells) -> Status {
    ++row_number;
    for (size_t c = 0; c < cells.size(); ++c) {
      const auto column = static_cast<lxw_col_t>(c);
      if (IsWholeNumber(cells[c])) {
        worksheet_write_number(sheet, row_number, column, std::strtod(cells[c].c_str(), nullptr),
                               nullptr);
      } else {
        worksheet_write_string(sheet, row_number, column, cells[c].c_str(), nullptr);
      }
    }
    return Status::Ok();
  });
}

}  // namespace

Status WriteWorkbook(const std::vector<http::Table>& sheets, const http::BodyWriter& write) {
  // libxlsxwriter in constant-memory mode writes each row to a temporary file as it comes; the
  // finished workbook is then sent in pieces.
  char path[] = "/tmp/civicdesk-workbook-XXXXXX";
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
  Status written = Status::Ok();
  for (const http::Table& sheet : sheets) {
    written = WriteSheet(workbook, bold, sheet);
    if (!written.ok()) break;
  }
  const lxw_error closed = workbook_close(workbook);
  CIVICDESK_RETURN_IF_ERROR(written);
  if (closed != LXW_NO_ERROR) return Status::Internal(std::string("XLSX: ") + lxw_strerror(closed));
  std::ifstream file(path, std::ios::binary);
  std::string buffer(64 * 1024, '\0');
  while (file) {
    file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = file.gcount();
    if (got <= 0) break;
    CIVICDESK_RETURN_IF_ERROR(write(std::string_view(buffer.data(), static_cast<size_t>(got))));
  }
  return Status::Ok();
}

}  // namespace civicdesk::facilities
