#include "http/table_response.h"

#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/csv.h"
#include "core/xlsx_writer.h"

namespace civicdesk::http {
namespace {

struct UConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using Cp932Converter = std::unique_ptr<UConverter, UConverterCloser>;

Result<Cp932Converter> OpenCp932() {
  UErrorCode error = U_ZERO_ERROR;
  Cp932Converter converter(ucnv_open("windows-31j", &error));
  if (U_FAILURE(error)) return Status::Internal("ICU has no windows-31j converter");
  ucnv_setSubstChars(converter.get(), "\x81\xAC", 2, &error);  // 〓
  if (U_FAILURE(error))
    return Status::Internal("CP932 substitution: " + std::string(u_errorName(error)));
  return converter;
}

// Converts through a UChar buffer so the substitution set on our converter applies.
Result<std::string> EncodeCp932(UConverter* converter, std::string_view utf8) {
  UErrorCode error = U_ZERO_ERROR;
  std::u16string utf16(utf8.size() + 1, u'\0');
  int32_t utf16_length = 0;
  u_strFromUTF8WithSub(reinterpret_cast<UChar*>(utf16.data()), static_cast<int32_t>(utf16.size()),
                       &utf16_length, utf8.data(), static_cast<int32_t>(utf8.size()), 0xFFFD,
                       nullptr, &error);
  if (U_FAILURE(error)) return Status::Internal(std::string("UTF-16: ") + u_errorName(error));
  std::string out(static_cast<size_t>(utf16_length) * 2 + 16, '\0');
  const int32_t length =
      ucnv_fromUChars(converter, out.data(), static_cast<int32_t>(out.size()),
                      reinterpret_cast<const UChar*>(utf16.data()), utf16_length, &error);
  if (U_FAILURE(error)) return Status::Internal(std::string("CP932: ") + u_errorName(error));
  out.resize(static_cast<size_t>(length));
  return out;
}

// Which cells of a row are in number columns (Table::number_columns), by position.
std::vector<bool> NumberColumnFlags(const Table& table) {
  std::vector<bool> flags(table.columns.size(), false);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    for (const std::string& name : table.number_columns)
      if (table.columns[c] == name) flags[c] = true;
  }
  return flags;
}

std::string CsvLine(const std::vector<std::string>& cells, const std::vector<bool>& numbers) {
  std::string line;
  for (size_t c = 0; c < cells.size(); ++c) {
    if (c > 0) line += ',';
    line += CsvQuote(GuardFormula(cells[c], c < numbers.size() && numbers[c]));
  }
  line += "\r\n";
  return line;
}

// The guard comes first, so that a cell starting with a tab keeps its ' when the tab becomes a
// space.
std::string TsvLine(const std::vector<std::string>& cells, const std::vector<bool>& numbers) {
  std::string line;
  for (size_t c = 0; c < cells.size(); ++c) {
    if (c > 0) line += '\t';
    for (char ch : GuardFormula(cells[c], c < numbers.size() && numbers[c]))
      line += (ch == '\t' || ch == '\n' || ch == '\r') ? ' ' : ch;
  }
  line += '\n';
  return line;
}

Status WriteDelimited(const Table& table, TableFormat format, const BodyWriter& write) {
  Cp932Converter converter;
  if (format == TableFormat::kCsvCp932) {
    CIVICDESK_ASSIGN_OR_RETURN(converter, OpenCp932());
  }
  const std::vector<bool> numbers = NumberColumnFlags(table);
  auto line_of = [&](const std::vector<std::string>& cells, const std::vector<bool>& flags) {
    return format == TableFormat::kTsv ? TsvLine(cells, flags) : CsvLine(cells, flags);
  };
  auto emit_with = [&](const std::vector<std::string>& cells,
                       const std::vector<bool>& flags) -> Status {
    if (!converter) return write(line_of(cells, flags));
    CIVICDESK_ASSIGN_OR_RETURN(std::string encoded,
                               EncodeCp932(converter.get(), line_of(cells, flags)));
    return write(encoded);
  };
  if (format == TableFormat::kCsv) CIVICDESK_RETURN_IF_ERROR(write("\xEF\xBB\xBF"));
  CIVICDESK_RETURN_IF_ERROR(emit_with(table.columns, {}));  // the header: no number columns
  return table.rows(
      [&](const std::vector<std::string>& cells) { return emit_with(cells, numbers); });
}

Status WriteJson(const Table& table, const BodyWriter& write) {
  bool first = true;
  CIVICDESK_RETURN_IF_ERROR(write("["));
  CIVICDESK_RETURN_IF_ERROR(table.rows([&](const std::vector<std::string>& cells) {
    nlohmann::json object = nlohmann::json::object();
    for (size_t c = 0; c < table.columns.size() && c < cells.size(); ++c)
      object[table.columns[c]] = cells[c];
    std::string piece = (first ? "\n" : ",\n") +
                        object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    first = false;
    return write(piece);
  }));
  return write("\n]\n");
}

// libxlsxwriter in constant-memory mode writes rows to a temporary file as they come; the
// finished workbook is then sent in 64 KiB pieces.
Status WriteXlsx(const Table& table, const BodyWriter& write) {
  char path[] = "/tmp/civicdesk-table-XXXXXX";
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
  lxw_worksheet* sheet = workbook_add_worksheet(
      workbook, table.sheet_name.empty() ? nullptr : table.sheet_name.c_str());
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  lxw_format* wrap = workbook_add_format(workbook);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  for (size_t c = 0; c < table.column_widths.size(); ++c) {
    worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         table.column_widths[c], wrap);
  }
  SetXlsxPrintLayout(sheet, TotalColumnWidth(table.column_widths, table.columns.size()));
  for (size_t c = 0; c < table.columns.size(); ++c)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.columns[c].c_str(), bold);
  lxw_row_t row_number = 0;
  Status rows = table.rows([&](const std::vector<std::string>& cells) -> Status {
    ++row_number;
    for (size_t c = 0; c < cells.size(); ++c) {
      // Every cell is text: codes such as 24-1-1 must not become dates.
      worksheet_write_string(sheet, row_number, static_cast<lxw_col_t>(c), cells[c].c_str(),
                             c < table.column_widths.size() ? wrap : nullptr);
    }
    return Status::Ok();
  });
  const lxw_error closed = workbook_close(workbook);
  CIVICDESK_RETURN_IF_ERROR(rows);
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

// RFC 6266 with RFC 5987: an ASCII fallback and the UTF-8 name.
std::string ContentDisposition(std::string_view filename) {
  std::string ascii;
  for (char ch : filename) {
    const auto byte = static_cast<unsigned char>(ch);
    ascii += (byte < 0x80 && ch != '"' && ch != '\\' && byte >= 0x20) ? ch : '_';
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + PercentEncode(filename);
}

}  // namespace

std::optional<TableFormat> TableFormatOf(std::string_view extension, std::string_view encoding) {
  if (extension == "csv") {
    if (encoding == "cp932" || encoding == "sjis" || encoding == "shift_jis")
      return TableFormat::kCsvCp932;
    return TableFormat::kCsv;
  }
  if (extension == "tsv") return TableFormat::kTsv;
  if (extension == "json") return TableFormat::kJson;
  if (extension == "xlsx") return TableFormat::kXlsx;
  return std::nullopt;
}

std::string_view TableExtension(TableFormat format) {
  switch (format) {
    case TableFormat::kCsv:
    case TableFormat::kCsvCp932:
      return "csv";
    case TableFormat::kTsv:
      return "tsv";
    case TableFormat::kJson:
      return "json";
    case TableFormat::kXlsx:
      return "xlsx";
  }
  return "csv";
}

std::string_view TableMimeType(TableFormat format) {
  switch (format) {
    case TableFormat::kCsv:
      return "text/csv; charset=utf-8";
    case TableFormat::kCsvCp932:
      return "text/csv; charset=Shift_JIS";
    case TableFormat::kTsv:
      return "text/tab-separated-values; charset=utf-8";
    case TableFormat::kJson:
      return "application/json; charset=utf-8";
    case TableFormat::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return "application/octet-stream";
}

Status WriteTable(const Table& table, TableFormat format, const BodyWriter& write) {
  switch (format) {
    case TableFormat::kCsv:
    case TableFormat::kCsvCp932:
    case TableFormat::kTsv:
      return WriteDelimited(table, format, write);
    case TableFormat::kJson:
      return WriteJson(table, write);
    case TableFormat::kXlsx:
      return WriteXlsx(table, write);
  }
  return Status::Internal("unknown table format");
}

Status WriteTable(const Table& table, TableFormat format, std::ostream& out) {
  auto write = [&out](std::string_view piece) {
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    return out ? Status::Ok() : Status::Unavailable("http.cannot_write_output");
  };
  CIVICDESK_RETURN_IF_ERROR(WriteTable(table, format, write));
  out.flush();
  return out ? Status::Ok() : Status::Unavailable("http.cannot_write_output");
}

Response TableResponse(Table table, TableFormat format, std::string_view filename_stem) {
  std::string filename = std::string(filename_stem) + "." + std::string(TableExtension(format));
  return FileResponse(std::string(TableMimeType(format)), filename,
                      [table = std::move(table), format](const BodyWriter& write) {
                        return WriteTable(table, format, write);
                      });
}

Response FileResponse(std::string content_type, std::string_view filename,
                      std::function<Status(const BodyWriter& write)> produce) {
  Response response;
  response.content_type = std::move(content_type);
  response.AddHeader("Content-Disposition", ContentDisposition(filename));
  response.stream = std::move(produce);
  return response;
}

Result<std::string> ToCp932(std::string_view utf8) {
  CIVICDESK_ASSIGN_OR_RETURN(Cp932Converter converter, OpenCp932());
  return EncodeCp932(converter.get(), utf8);
}

}  // namespace civicdesk::http
