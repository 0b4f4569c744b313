#ifndef CIVICDESK_CORE_XLSX_READER_H_
#define CIVICDESK_CORE_XLSX_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace civicdesk {

// The cells of the first worksheet of an XLSX file, row by row, as text: shared and inline
// strings as written, numbers as Excel stored them ("71.9"), booleans as "TRUE"/"FALSE".
// Phonetic guides (ルビ, <rPh>) that Japanese Excel stores with a string are left out.
// Missing cells inside a row are empty strings; rows keep their sheet order (empty rows are
// skipped). Read with libzip and expat. InvalidArgument naming `path` when the file is not an
// XLSX workbook.
Result<std::vector<std::vector<std::string>>> ReadXlsxFirstSheet(const std::string& path);

// The same from the workbook's bytes; errors name `name`. With `row_numbers`, the sheet row
// number (1-based, as Excel shows it) of each row returned.
Result<std::vector<std::vector<std::string>>> ReadXlsxFirstSheetBytes(
    std::string_view bytes, const std::string& name, std::vector<int64_t>* row_numbers = nullptr);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_XLSX_READER_H_
