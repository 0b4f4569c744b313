#ifndef CIVICDESK_FACILITIES_WORKBOOK_H_
#define CIVICDESK_FACILITIES_WORKBOOK_H_

#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "http/table_response.h"

namespace civicdesk::facilities {

// Several tables as the sheets of one XLSX workbook, in order, each named by its sheet_name:
// what http::TableResponse does for one sheet (a bold header row, constant memory, sent through
// `write` in 64 KiB pieces). Cells that read as whole numbers (at most 15 digits) are numbers,
// the rest text, as the projection workbook has always had them.
Status WriteWorkbook(const std::vector<http::Table>& sheets, const http::BodyWriter& write);

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_WORKBOOK_H_
