#ifndef CIVICDESK_CORE_TABULAR_IMPORT_H_
#define CIVICDESK_CORE_TABULAR_IMPORT_H_

// The shared first half of every importer (ARCHITECTURE.md, "Imports"): bytes → encoding →
// format → header row → columns mapped to the importer's fields → cells normalised. What the
// importer then does (validate every row, write in one transaction) it records in the same
// Report, which the command line prints and a web page can show. Nothing is dropped silently:
// text above and below the table comes back as notes, every changed cell is listed, and a
// column that carries data but maps to no field refuses the file unless the caller ignores it
// by name.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace civicdesk::tabular {

enum class Encoding { kUtf8, kUtf8Bom, kCp932, kUtf16Le, kUtf16Be };
enum class Format { kCsv, kTsv, kXlsx };

// `bytes` converted from encoding `from` to `to` (iconv names: "CP932", "UTF-16LE", "UTF-8")
// by glibc iconv; false when a byte sequence is invalid or incomplete in `from`.
bool ConvertEncoding(std::string_view bytes, const char* from, const char* to, std::string& out);

// "UTF-8", "UTF-8 (BOM)", "CP932 (Shift_JIS)", "UTF-16LE", "UTF-16BE"; "CSV", "TSV", "XLSX".
std::string_view EncodingName(Encoding encoding);
std::string_view FormatName(Format format);

struct DecodedText {
  std::string text;  // UTF-8, without a byte order mark
  Encoding encoding = Encoding::kUtf8;
};

// `bytes` as UTF-8 text. A BOM decides (UTF-8, UTF-16LE, UTF-16BE); without one, UTF-16 is
// recognised by its zero bytes, valid UTF-8 is taken as it is, and anything else is read as
// CP932 (Excel's "CSV" on Japanese Windows) with glibc iconv. InvalidArgument
// core.import_encoding naming "line N", the first line no encoding reads.
Result<DecodedText> DecodeText(std::string_view bytes);

// One record of the source: its first line in the file (1-based; the sheet row for XLSX), its
// record number (1-based, blank records included) and its cells.
struct SourceRow {
  int64_t line = 0;
  int64_t record = 0;
  std::vector<std::string> cells;
};

// Records of delimited text as Excel writes and reads them: a cell that starts with a double
// quote runs to the closing quote (doubled quotes inside, delimiters and line breaks kept as
// they are); a quote elsewhere is an ordinary character. Records end at LF or CRLF.
// InvalidArgument core.csv_unclosed_quote naming "row N" (the record) when a quote never closes.
Result<std::vector<SourceRow>> ParseDelimited(std::string_view text, char delimiter);

// ',' or '\t': whichever separates more cells in the first lines (quotes respected).
char DetectDelimiter(std::string_view text);

// One field an importer reads, and the headers that name it. Headers are matched after NFKC
// (full-width letters and digits become ASCII), with every space and line break removed and
// ASCII letters in lower case, so 「Ｎｏ．」「No.」「no .」 are one header.
struct FieldSpec {
  std::string field;                 // the importer's name for it: "id", "text"
  std::vector<std::string> headers;  // synonyms as clerks write them; the field name counts too
  bool required = false;
  // A number column: 「３６」 reads 36, 「36（1）」 reads 36 with the annotation reported,
  // 「1,234」 reads 1234.
  bool number = false;
  // A field that may have any number of columns: the year blocks of a wide sheet (令和4年度決算額,
  // R4 国庫支出金, 事業費（令和5年度）) and numbered repeats (活動指標1, 成果指標名①, 単位 after
  // each indicator). A header names it when it is a synonym as it stands or once a fiscal year,
  // an ordinal and a bracketed unit are taken out of it (SplitHeader); each column is kept with
  // them in Table::repeated, in column order. Under a second header row, a column without a
  // year of its own takes the year of the merged cell above it (令和4年度 over 国庫支出金).
  bool repeated = false;
  // With `repeated`: a header that is a fiscal year and nothing else (令和4年度, R5, 2023年度,
  // H30) names this field, for that year — a KPI table with one column of actuals per year.
  bool year_alone = false;
};

// The synonym table of one importer: every field it reads.
struct ImporterSpec {
  std::string name;  // "opinions", "results"
  std::vector<FieldSpec> fields;
};

// The header as FieldSpec matching sees it.
std::string HeaderKey(std::string_view header);

// The fiscal year (年度, Western) `text` writes, alone or with 年度/年: 令和4, 令和元, R4, r.4,
// H30, 平成30, 昭和63, 2022, FY2022 (full-width forms too); 0 when it is none of these.
int ReadFiscalYear(std::string_view text);

// A header's qualifiers: its HeaderKey with a fiscal year (at its start or its end, bracketed or
// not: 令和4年度決算額, R4_国庫支出金, 事業費(令和5年度)), then a bracketed unit at its end (千円,
// 円, 万円, 百万円, 人, 人工, 時間, 件, %) and then one ordinal (1, ①, (2), 第2) taken out.
struct HeaderQualifier {
  std::string key;
  int fiscal_year = 0;  // 0: none
  int ordinal = 0;      // 0: none
  std::string unit;     // "" : none
};
HeaderQualifier SplitHeader(std::string_view header);

struct ImportOptions {
  // --mapping: source header → field, overriding the synonyms (keys compared as HeaderKey).
  // An empty field: the header names no field, whatever the synonyms say.
  std::map<std::string, std::string> mapping;
  // --ignore-column: source headers (or 「列N」, 1-based, for a column without one) whose data
  // is knowingly left out.
  std::vector<std::string> ignored_columns;
  bool dry_run = false;
  // The mapping step of the staff web page: a required field without a column, two columns
  // for one field and a column with data mapped to nothing are listed in report.errors (and
  // report.unused) instead of refusing, so that the page can ask about each; the header is then
  // the row naming most fields, or the first row with text. Importers never write with it.
  bool for_mapping = false;
  // The first N data rows kept in report.preview, every column named in report.columns.
  size_t preview_rows = 0;
  // Called by the importer while it writes: rows done so far and the total.
  std::function<void(int64_t done, int64_t total)> progress;
};

// A --mapping file: a JSON object {"source header": "field"}. InvalidArgument naming the file's
// key for a field `spec` does not have, or core.import_mapping_json when it is not such an
// object.
Result<std::map<std::string, std::string>> ParseMappingJson(std::string_view json,
                                                            const ImporterSpec& spec);

struct MappedColumn {
  int64_t column = 0;  // 1-based
  std::string header;  // as the file writes it ("回答部署／課" for a two-row header)
  std::string field;
  bool by_mapping = false;  // from --mapping, not from the synonym table
};
struct UnusedColumn {
  int64_t column = 0;
  std::string header;  // 「列N」 when the file has none
  bool has_data = false;
  bool ignored = false;  // named by --ignore-column
};
struct CellChange {
  int64_t row = 0;  // the source line
  std::string column;
  std::string before;
  std::string after;
  std::string reason;  // a message id: core.import_change_dash, _annotation, _number, _line_endings
};
// A column of a repeated field (FieldSpec::repeated) and what its header says.
struct RepeatedColumn {
  size_t field = 0;    // index into the spec's fields
  int64_t column = 0;  // 1-based
  std::string header;  // as the file writes it
  int fiscal_year = 0;
  int ordinal = 0;
  std::string unit;
};
struct Note {
  int64_t row = 0;
  std::string text;  // the row's cells joined by tabs, trailing empty cells left out
};

// What an import read, mapped, changed, kept aside and wrote.
struct Report {
  std::string importer;
  Format format = Format::kCsv;
  Encoding encoding = Encoding::kUtf8;
  int64_t header_row = 0;
  int64_t rows_read = 0;
  int64_t rows_written = 0;
  bool dry_run = false;
  std::vector<MappedColumn> mapped;
  std::vector<UnusedColumn> unused;
  std::vector<CellChange> changes;
  std::vector<Note> notes_above;  // titles, 単位 lines, count blocks: the text above the header
  std::vector<Note> notes_below;  // footnotes, 注, totals: text rows under the table
  int64_t repeated_headers = 0;   // the header repeated at page breaks, skipped
  std::vector<Status> warnings;   // code kOk: kept, but worth a look
  std::vector<Status> errors;     // every bad row, each naming its row and column
  // With ImportOptions::preview_rows: every column's name (「列N」 without a header), and
  // the first data rows as the file has them.
  std::vector<std::string> columns;
  std::vector<SourceRow> preview;
};

// One data row, its values in the order of ImporterSpec::fields ("" for a field without a
// column or an empty cell).
struct Record {
  int64_t line = 0;
  int64_t record = 0;
  size_t cells = 0;  // how many cells the source row had
  std::vector<std::string> values;
  // The cells as the file has them where normalising changed them; "" where the value is the
  // cell as it stands, and no entries at all when no cell changed (a million rows are then not
  // a million more vectors). Table::Original gives either.
  std::vector<std::string> original;
  // The cells of Table::repeated, in its order (values normalised, and as the file has them);
  // a repeated field's entry in `values` stays "".
  std::vector<std::string> repeated_values;
  std::vector<std::string> repeated_original;
};

struct Table {
  Report report;
  std::vector<Record> records;
  std::vector<bool> present;  // per field: the file has a column for it
  size_t header_cells = 0;
  std::vector<RepeatedColumn> repeated;  // the columns of repeated fields, in column order

  // REQUIRES: `field` is one of the spec's fields.
  size_t Index(std::string_view field) const;
  bool Has(std::string_view field) const { return present[Index(field)]; }
  const std::string& Value(const Record& record, std::string_view field) const {
    return record.values[Index(field)];
  }
  const std::string& Original(const Record& record, std::string_view field) const {
    const size_t index = Index(field);
    return index >= record.original.size() || record.original[index].empty()
               ? record.values[index]
               : record.original[index];
  }

  std::vector<std::string> field_names;  // the spec's fields, in its order
};

// Reads `bytes` (CSV, TSV or, when they are a ZIP archive, XLSX) as a table of `spec`'s fields:
// the header row is the first row naming every required field (two-row headers such as
// 回答部署 / 部・課 are read as one); rows above it become notes_above; rows under it that are
// footnotes (starting with ※, 注, * or 備考; 計 or 以上; or a single text cell in the first column
// or, too long for an id, in the id column) become notes_below — a lone cell under any other
// field's column is a data row with its id empty, for the importer to refuse; page-break
// repeats of the header are skipped and counted. Cells are normalised and each change listed:
// a cell holding only a dash (-, ‐, –, ―, ー, －, −) is empty; CRLF or CR inside a cell is LF;
// number fields as FieldSpec says. Table::Original gives each cell as the file has it.
// The em dash 「—」 is text (Minato writes it for "no particular field").
//
// Bytes that no encoding reads are passed on as they are with the warning
// core.import_damaged_utf8 naming the first such line: every importer refuses a value that is
// not UTF-8, and so names each damaged cell by row and column.
//
// InvalidArgument for: undecodable UTF-16 (core.import_encoding, "line N"); an empty file
// (core.import_file_empty, "row 1"); no header (core.import_no_header); a required field
// without a column (core.import_column_missing naming the field and its synonyms); two columns
// for one field (core.import_column_twice); a column that carries data and maps to no field
// and is not ignored (core.import_unmapped_column naming every such column, its header as the
// field).
Result<Table> ReadTable(std::string_view bytes, const ImporterSpec& spec,
                        const ImportOptions& options);

// The first error of `report` (each names its row), or Ok. Importers return it after
// collecting every row's errors in report.errors.
Status FirstError(const Report& report);

}  // namespace civicdesk::tabular

#endif  // CIVICDESK_CORE_TABULAR_IMPORT_H_
