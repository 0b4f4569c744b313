#ifndef CIVICDESK_CORE_XLSX_WRITER_H_
#define CIVICDESK_CORE_XLSX_WRITER_H_

#include <string>
#include <vector>

#include "core/result.h"

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

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_XLSX_WRITER_H_
