#ifndef CIVICDESK_CORE_XLSX_WRITER_H_
#define CIVICDESK_CORE_XLSX_WRITER_H_

#include <string>
#include <vector>

#include "core/result.h"

struct lxw_worksheet;  // libxlsxwriter's worksheet

namespace civicdesk {

// One worksheet of a small table: a bold header row, then the rows. Cells that read as whole
// numbers (optionally negative, at most 15 digits) are written as numbers, the rest as text.
struct XlsxSheet {
  std::string name;  // at most 31 characters, no []:*?/\ (Excel's rule)
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// The bytes of an XLSX workbook holding `sheets` in order, written by libxlsxwriter with
// constant memory. For tables that fit in memory (registries, lists); exports of a million rows
// stream instead.
Result<std::string> XlsxWorkbookBytes(const std::vector<XlsxSheet>& sheets);

// The print settings of every sheet civicdesk hands people, so a clerk's "print" gives a readable
// document: A4, landscape when the columns are wider than a portrait page holds (more than 100
// characters of column width in all), one page wide and as many pages long as needed, the first
// `header_rows` rows repeated at the top of each page, and the header row frozen on screen.
void SetXlsxPrintLayout(lxw_worksheet* sheet, double total_column_width, int header_rows = 1);

// Column widths in characters as libxlsxwriter takes them; a column not given is Excel's 8.43.
double TotalColumnWidth(const std::vector<double>& widths, size_t columns);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_XLSX_WRITER_H_
