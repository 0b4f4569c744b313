#ifndef CIVICDESK_CORE_XLSX_READER_H_
#define CIVICDESK_CORE_XLSX_READER_H_

#include <string>
#include <vector>

#include "core/result.h"

namespace civicdesk {

// The cells of the first worksheet of an XLSX file, row by row, as text: shared and inline
// strings as written, numbers as Excel stored them ("71.9"), booleans as "TRUE"/"FALSE".
// Missing cells inside a row are empty strings; rows keep their sheet order (empty rows are
// skipped). Read with libzip and expat. InvalidArgument naming `path` when the file is not an
// XLSX workbook.
Result<std::vector<std::vector<std::string>>> ReadXlsxFirstSheet(const std::string& path);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_XLSX_READER_H_
