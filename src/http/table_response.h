#ifndef CIVICDESK_HTTP_TABLE_RESPONSE_H_
#define CIVICDESK_HTTP_TABLE_RESPONSE_H_

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"
#include "http/public_data.h"

namespace civicdesk::http {

// The file formats every download of a table is offered in.
enum class TableFormat {
  kCsv,       // UTF-8 with a BOM (Excel reads the Japanese), RFC 4180 quoting, CRLF
  kCsvCp932,  // the same in Shift_JIS (Windows-31J); what CP932 lacks becomes 〓
  kTsv,       // UTF-8, tabs and line breaks inside a cell become spaces, LF
  // CSV and TSV cells that start like a formula (=, +, -, @, tab, CR) get a leading ' (core
  // GuardFormula), except plain numbers in the table's number columns.
  kJson,  // an array of objects keyed by column name
  kXlsx,  // one sheet, bold header row, written in constant memory
};

// "csv" (with `encoding` "cp932" or "sjis": kCsvCp932), "tsv", "json", "xlsx"; nullopt else.
std::optional<TableFormat> TableFormatOf(std::string_view extension,
                                         std::string_view encoding = {});
std::string_view TableExtension(TableFormat format);
std::string_view TableMimeType(TableFormat format);

// A table to send: its column names, and its rows produced on demand, in order. The producer
// runs after the headers are sent (while the client reads), so it must own or outlive whatever
// it reads: capture the App or values, never the RequestContext.
struct Table {
  std::vector<std::string> columns;
  std::function<Status(const DatasetRowWriter& write)> rows;
  // The names of the columns that hold numbers (counts, costs, years, values): CSV and TSV
  // write a plain number there as it is (-5 stays -5); every other cell that starts like a
  // formula gets a leading '.
  std::vector<std::string> number_columns;
  // XLSX only: the sheet's name ("" → Sheet1) and column widths in characters (optional).
  std::string sheet_name;
  std::vector<double> column_widths;
};

// Writes `table` in `format` to `write`, row by row: memory stays flat however many rows.
// Every CSV and TSV of the system goes through here (formula cells guarded, see Table).
Status WriteTable(const Table& table, TableFormat format, const BodyWriter& write);
// The same to a stream (the command line's files); kUnavailable when the stream fails.
Status WriteTable(const Table& table, TableFormat format, std::ostream& out);

// A streamed (chunked) download of `table`, offered as `filename_stem`.<extension>.
Response TableResponse(Table table, TableFormat format, std::string_view filename_stem);

// A streamed download of a file that a writer produces (a PDF, say) through `write`.
Response FileResponse(std::string content_type, std::string_view filename,
                      std::function<Status(const BodyWriter& write)> produce);

// UTF-8 → CP932 (Windows-31J), with 〓 for what CP932 cannot hold.
Result<std::string> ToCp932(std::string_view utf8);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_TABLE_RESPONSE_H_
