#include "core/tabular_import.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>

#include "core/text_normalize.h"
#include "core/xlsx_reader.h"

namespace civicdesk::tabular {
namespace {

// The 1-based line of the first line `decodes` refuses (lines split at LF in the raw bytes).
int64_t FirstBadLine(std::string_view bytes, const std::function<bool(std::string_view)>& decodes) {
  int64_t line = 1;
  size_t start = 0;
  for (size_t i = 0; i <= bytes.size(); ++i) {
    if (i == bytes.size() || bytes[i] == '\n') {
      if (!decodes(bytes.substr(start, i - start))) return line;
      ++line;
      start = i + 1;
    }
  }
  return line - 1;
}

// UTF-16 without a BOM: at least a quarter of the bytes at even (BE) or odd (LE) offsets are
// zero, which no CP932 or UTF-8 text has.
bool LooksUtf16(std::string_view bytes, bool& little_endian) {
  if (bytes.size() < 4 || bytes.size() % 2 != 0) return false;
  size_t even = 0, odd = 0;
  const size_t sample = std::min<size_t>(bytes.size(), 4096);
  for (size_t i = 0; i < sample; ++i) (i % 2 == 0 ? even : odd) += bytes[i] == '\0';
  if (std::max(even, odd) * 4 < sample / 2 || std::min(even, odd) * 4 > sample / 2) return false;
  little_endian = odd > even;
  return true;
}

// Japanese text has kana or Japanese punctuation (U+3000–U+30FF) or full-width forms
// (U+FF01–U+FF5E). Bytes that CP932 happens to accept but that give none (an ASCII file with one
// broken UTF-8 sequence) are not taken as CP932. Half-width katakana (U+FF61–U+FF9F) do not
// count: EUC-JP bytes read as CP932 turn into them (「騒音」 → 「ﾁ…ｻ」).
bool HasKana(std::string_view utf8) {
  for (size_t i = 0; i + 2 < utf8.size(); ++i) {
    const auto a = static_cast<unsigned char>(utf8[i]);
    const auto b = static_cast<unsigned char>(utf8[i + 1]);
    const auto c = static_cast<unsigned char>(utf8[i + 2]);
    if (a == 0xE3 && b >= 0x80 && b <= 0x83) return true;                   // U+3000–U+30FF
    if (a == 0xEF && (b == 0xBC || (b == 0xBD && c <= 0x9E))) return true;  // U+FF00–U+FF5E
  }
  return false;
}

constexpr std::string_view kDashes[] = {"-",      "\u2010", "\u2011", "\u2012", "\u2013",
                                        "\u2015", "\u30FC", "\uFF0D", "\u2212", "\uFF70"};

bool IsDashOnly(std::string_view trimmed) {
  return std::find(std::begin(kDashes), std::end(kDashes), trimmed) != std::end(kDashes);
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A number cell as the clerk meant it: NFKC, thousands commas dropped, a trailing annotation in
// brackets (「36（1）」「36 (再掲)」) set aside. Returns the reason of the change or "".
std::string ReadNumber(const std::string& cell, std::string& value, std::string& annotation) {
  std::string text = TrimSpaces(NormalizeNfkc(cell));
  std::string reason;
  if (!text.empty() && text.back() == ')') {
    const size_t open = text.rfind('(');
    if (open != std::string::npos && open > 0) {
      annotation = text.substr(open);
      text = TrimSpaces(text.substr(0, open));
      reason = "core.import_change_annotation";
    }
  }
  std::string plain;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool thousands = text[i] == ',' && i > 0 && i + 3 < text.size() + 1 &&
                           AllDigits(std::string_view(text).substr(i + 1, 3));
    if (!thousands) plain.push_back(text[i]);
  }
  std::string_view digits = plain;
  if (digits.starts_with('-')) digits.remove_prefix(1);
  const size_t dot = digits.find('.');
  const bool numeric = dot == std::string_view::npos
                           ? AllDigits(digits)
                           : AllDigits(digits.substr(0, dot)) && AllDigits(digits.substr(dot + 1));
  if (!numeric) {  // not a number: left as it is, for the importer to refuse by name
    annotation.clear();
    value = cell;
    return "";
  }
  value = plain;
  if (reason.empty() && value != cell) reason = "core.import_change_number";
  return reason;
}

// CRLF and lone CR as LF.
std::string WithLf(const std::string& cell) {
  std::string text;
  for (size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] != '\r') {
      text.push_back(cell[i]);
    } else if (i + 1 >= cell.size() || cell[i + 1] != '\n') {
      text.push_back('\n');
    }
  }
  return text;
}

std::string RowText(const std::vector<std::string>& cells) {
  size_t last = cells.size();
  while (last > 0 && TrimSpaces(cells[last - 1]).empty()) --last;
  std::string text;
  for (size_t i = 0; i < last; ++i) text += (i > 0 ? "\t" : "") + cells[i];
  return text;
}

size_t NonEmptyCells(const std::vector<std::string>& cells) {
  return static_cast<size_t>(
      std::count_if(cells.begin(), cells.end(), [](const std::string& c) { return !IsBlank(c); }));
}

bool StartsLikeNote(const std::vector<std::string>& cells) {
  for (const std::string& cell : cells) {
    // ASCII is its own NFKC, and of the markers only 「*」 is ASCII (every data row's first
    // cell comes here, so the usual id is not normalised).
    if (std::all_of(cell.begin(), cell.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
      const std::string_view text = TrimSpacesView(cell);
      if (text.empty()) continue;
      return text.starts_with('*');
    }
    const std::string text = TrimSpaces(NormalizeNfkc(cell));
    if (text.empty()) continue;
    for (std::string_view marker : {"※", "注", "*", "備考", "出典", "資料", "(注", "(備考"}) {
      if (text.starts_with(marker)) return true;
    }
    const std::string key = HeaderKey(text);
    return key == "計" || key == "合計" || key == "総計" || key == "小計" || key == "以上";
  }
  return false;
}

// Something that could be a row's id: short, one word.
bool LooksLikeId(const std::string& cell) {
  const std::string text = TrimSpaces(cell);
  return text.size() <= 24 && text.find_first_of(" \t\n") == std::string::npos &&
         text.find("\u3000") == std::string::npos && text.find("。") == std::string::npos;
}

std::string ColumnName(const std::string& header, size_t index) {
  const std::string trimmed = TrimSpaces(header);
  return trimmed.empty() ? "列" + std::to_string(index + 1) : trimmed;
}

struct Matcher {
  const ImporterSpec& spec;
  const ImportOptions& options;
  std::map<std::string, std::string> mapping;  // HeaderKey → field
  std::map<std::string, size_t> synonyms;      // HeaderKey → field index

  Matcher(const ImporterSpec& s, const ImportOptions& o) : spec(s), options(o) {
    for (const auto& [header, field] : options.mapping) mapping[HeaderKey(header)] = field;
    for (size_t i = 0; i < spec.fields.size(); ++i) {
      synonyms.emplace(HeaderKey(spec.fields[i].field), i);
      for (const std::string& header : spec.fields[i].headers)
        synonyms.emplace(HeaderKey(header), i);
    }
  }
  int Exact(const std::string& key, bool& by_mapping) const {
    if (auto mapped = mapping.find(key); mapped != mapping.end()) {
      if (mapped->second.empty()) return -1;
      for (size_t i = 0; i < spec.fields.size(); ++i) {
        if (spec.fields[i].field == mapped->second) {
          by_mapping = true;
          return static_cast<int>(i);
        }
      }
    }
    auto found = synonyms.find(key);
    return found == synonyms.end() ? -1 : static_cast<int>(found->second);
  }
  // The field index `header` names, or -1; `by_mapping` says whether --mapping named it. A
  // repeated field is also named by a synonym with a year, unit or ordinal around it, which
  // `qualifier` receives.
  int Match(const std::string& header, bool& by_mapping,
            HeaderQualifier* qualifier = nullptr) const {
    const std::string key = HeaderKey(header);
    by_mapping = false;
    if (key.empty()) return -1;
    if (qualifier != nullptr) *qualifier = HeaderQualifier{key};
    const int exact = Exact(key, by_mapping);
    HeaderQualifier split = SplitHeader(header);
    if (exact >= 0) {
      // A header mapped to a repeated field keeps what it says of year, ordinal and unit.
      if (qualifier != nullptr && spec.fields[static_cast<size_t>(exact)].repeated)
        *qualifier = std::move(split);
      return exact;
    }
    if (split.key.empty() && split.fiscal_year > 0 && split.ordinal == 0) {
      for (size_t i = 0; i < spec.fields.size(); ++i) {
        if (!spec.fields[i].year_alone) continue;
        if (qualifier != nullptr) *qualifier = std::move(split);
        return static_cast<int>(i);
      }
    }
    if (split.key == key || split.key.empty()) return -1;
    const int field = Exact(split.key, by_mapping);
    if (field < 0 || !spec.fields[static_cast<size_t>(field)].repeated) {
      by_mapping = false;
      return -1;
    }
    if (qualifier != nullptr) *qualifier = std::move(split);
    return field;
  }
  int Match(const std::string& header) const {
    bool by_mapping = false;
    return Match(header, by_mapping);
  }
};

std::string Synonyms(const FieldSpec& field) {
  std::string list = field.field;
  for (const std::string& header : field.headers) list += "、" + header;
  return list;
}

Result<std::vector<SourceRow>> ReadRows(std::string_view bytes, Report& report) {
  if (bytes.starts_with("PK\x03\x04")) {
    report.format = Format::kXlsx;
    std::vector<int64_t> numbers;
    CIVICDESK_ASSIGN_OR_RETURN(auto sheet, ReadXlsxFirstSheetBytes(bytes, "FILE", &numbers));
    std::vector<SourceRow> rows;
    for (size_t i = 0; i < sheet.size(); ++i) {
      const int64_t number = i < numbers.size() ? numbers[i] : static_cast<int64_t>(i + 1);
      rows.push_back({number, number, std::move(sheet[i])});
    }
    return rows;
  }
  // Plain UTF-8 (DecodeText would take it as it is) is parsed where it lies, not copied first:
  // a million-row file is then held once.
  {
    std::string_view body = bytes;
    Encoding encoding = Encoding::kUtf8;
    bool plain = false;
    if (body.starts_with("\xEF\xBB\xBF")) {
      body.remove_prefix(3);
      encoding = Encoding::kUtf8Bom;
      plain = IsValidUtf8(body);
    } else if (bool little = false; !body.starts_with("\xFF\xFE") &&
                                    !body.starts_with("\xFE\xFF") && !LooksUtf16(body, little)) {
      plain = IsValidUtf8(body);
    }
    if (plain) {
      report.encoding = encoding;
      const char delimiter = DetectDelimiter(body);
      report.format = delimiter == '\t' ? Format::kTsv : Format::kCsv;
      return ParseDelimited(body, delimiter);
    }
  }
  Result<DecodedText> read = DecodeText(bytes);
  DecodedText decoded;
  if (read.ok()) {
    decoded = std::move(*read);
  } else if (read.status().message_id() == "core.import_encoding" &&
             !bytes.starts_with("\xFF\xFE") && !bytes.starts_with("\xFE\xFF")) {
    // UTF-8 with damage in places: read as it is, so that the importer names each bad cell by
    // row and column (every importer refuses a value that is not UTF-8).
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    decoded.text = std::string(bytes);
    report.warnings.push_back(
        Status(StatusCode::kOk, "core.import_damaged_utf8", {}, read.status().field()));
  } else {
    return read.status();
  }
  report.encoding = decoded.encoding;
  const char delimiter = DetectDelimiter(decoded.text);
  report.format = delimiter == '\t' ? Format::kTsv : Format::kCsv;
  return ParseDelimited(decoded.text, delimiter);
}

}  // namespace

bool ConvertEncoding(std::string_view bytes, const char* from, const char* to, std::string& out) {
  iconv_t converter = iconv_open(to, from);
  if (converter == reinterpret_cast<iconv_t>(-1)) return false;
  out.clear();
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  std::string buffer(4096, '\0');
  bool good = true;
  while (in_left > 0) {
    char* at = buffer.data();
    size_t out_left = buffer.size();
    const size_t result = iconv(converter, &in, &in_left, &at, &out_left);
    out.append(buffer.data(), buffer.size() - out_left);
    if (result == static_cast<size_t>(-1) && errno != E2BIG) {
      good = false;
      break;
    }
  }
  iconv_close(converter);
  return good;
}

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8:
      return "UTF-8";
    case Encoding::kUtf8Bom:
      return "UTF-8 (BOM)";
    case Encoding::kCp932:
      return "CP932 (Shift_JIS)";
    case Encoding::kUtf16Le:
      return "UTF-16LE";
    case Encoding::kUtf16Be:
      return "UTF-16BE";
  }
  return "";
}

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kCsv:
      return "CSV";
    case Format::kTsv:
      return "TSV";
    case Format::kXlsx:
      return "XLSX";
  }
  return "";
}

Result<DecodedText> DecodeText(std::string_view bytes) {
  DecodedText decoded;
  auto utf16 = [&](std::string_view body, const char* name,
                   Encoding encoding) -> Result<DecodedText> {
    if (!ConvertEncoding(body, name, "UTF-8", decoded.text)) {
      const int64_t line = std::count(decoded.text.begin(), decoded.text.end(), '\n') + 1;
      return Status::InvalidArgument("core.import_encoding", {{"encoding", name}},
                                     "line " + std::to_string(line));
    }
    decoded.encoding = encoding;
    return decoded;
  };
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.remove_prefix(3);
    decoded.encoding = Encoding::kUtf8Bom;
  } else if (bytes.starts_with("\xFF\xFE")) {
    return utf16(bytes.substr(2), "UTF-16LE", Encoding::kUtf16Le);
  } else if (bytes.starts_with("\xFE\xFF")) {
    return utf16(bytes.substr(2), "UTF-16BE", Encoding::kUtf16Be);
  } else if (bool little = false; LooksUtf16(bytes, little)) {
    return little ? utf16(bytes, "UTF-16LE", Encoding::kUtf16Le)
                  : utf16(bytes, "UTF-16BE", Encoding::kUtf16Be);
  }
  if (IsValidUtf8(bytes)) {
    decoded.text = std::string(bytes);
    return decoded;
  }
  if (decoded.encoding == Encoding::kUtf8 &&
      ConvertEncoding(bytes, "CP932", "UTF-8", decoded.text) && HasKana(decoded.text)) {
    decoded.encoding = Encoding::kCp932;
    return decoded;
  }
  const int64_t line = FirstBadLine(bytes, [](std::string_view text) { return IsValidUtf8(text); });
  return Status::InvalidArgument("core.import_encoding", {{"encoding", "UTF-8 / CP932"}},
                                 "line " + std::to_string(line));
}

Result<std::vector<SourceRow>> ParseDelimited(std::string_view text, char delimiter) {
  std::vector<SourceRow> rows;
  int64_t line = 1;
  size_t at = 0;
  while (at < text.size()) {
    SourceRow row;
    row.line = line;
    row.record = static_cast<int64_t>(rows.size()) + 1;
    while (true) {
      std::string cell;
      if (at < text.size() && text[at] == '"') {
        ++at;
        bool closed = false;
        while (at < text.size()) {
          // The run up to the next quote at once; its line breaks counted.
          const size_t quote = std::min(text.find('"', at), text.size());
          line += std::count(text.begin() + static_cast<std::ptrdiff_t>(at),
                             text.begin() + static_cast<std::ptrdiff_t>(quote), '\n');
          cell.append(text.substr(at, quote - at));
          at = quote;
          if (at == text.size()) break;
          if (at + 1 < text.size() && text[at + 1] == '"') {
            cell.push_back('"');
            at += 2;
            continue;
          }
          ++at;
          closed = true;
          break;
        }
        if (!closed) {
          return Status::InvalidArgument("core.csv_unclosed_quote",
                                         "row " + std::to_string(row.record));
        }
        // Text after the closing quote (`"a"b`) belongs to the cell, as Excel reads it.
        while (at < text.size() && text[at] != delimiter && text[at] != '\n' && text[at] != '\r')
          cell.push_back(text[at++]);
      } else {
        const size_t start = at;
        while (at < text.size() && text[at] != delimiter && text[at] != '\n' &&
               !(text[at] == '\r' && (at + 1 == text.size() || text[at + 1] == '\n')))
          ++at;
        cell.assign(text.substr(start, at - start));
      }
      row.cells.push_back(std::move(cell));
      if (at < text.size() && text[at] == delimiter) {
        ++at;
        continue;
      }
      break;
    }
    if (at < text.size() && text[at] == '\r') ++at;
    if (at < text.size() && text[at] == '\n') ++at;
    ++line;
    rows.push_back(std::move(row));
  }
  return rows;
}

char DetectDelimiter(std::string_view text) {
  size_t tabs = 0, commas = 0;
  bool quoted = false;
  size_t lines = 0;
  for (size_t i = 0; i < text.size() && lines < 50; ++i) {
    const char c = text[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\t') ++tabs;
    if (c == ',') ++commas;
    if (c == '\n') ++lines;
  }
  return tabs > commas ? '\t' : ',';
}

std::string HeaderKey(std::string_view header) {
  std::string key;
  for (char c : NormalizeNfkc(header)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return key;
}

Result<std::map<std::string, std::string>> ParseMappingJson(std::string_view json,
                                                            const ImporterSpec& spec) {
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return Status::InvalidArgument("core.import_mapping_json", "--mapping");
  std::map<std::string, std::string> mapping;
  for (const auto& item : parsed.items()) {
    // Named, not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const std::string& header = item.key();
    const nlohmann::json& field = item.value();
    const bool known =
        field.is_string() && std::any_of(spec.fields.begin(), spec.fields.end(),
                                         [&](const FieldSpec& f) { return f.field == field; });
    if (!known) {
      std::string fields;
      for (const FieldSpec& f : spec.fields) fields += (fields.empty() ? "" : ", ") + f.field;
      return Status::InvalidArgument(
          "core.import_mapping_field",
          {{"header", header},
           {"field", field.is_string() ? field.get<std::string>() : field.dump()},
           {"fields", fields}},
          "--mapping");
    }
    mapping[header] = field.get<std::string>();
  }
  return mapping;
}

size_t Table::Index(std::string_view field) const {
  return static_cast<size_t>(std::find(field_names.begin(), field_names.end(), field) -
                             field_names.begin());
}

Result<Table> ReadTable(std::string_view bytes, const ImporterSpec& spec,
                        const ImportOptions& options) {
  Table table;
  table.report.importer = spec.name;
  table.report.dry_run = options.dry_run;
  for (const FieldSpec& field : spec.fields) table.field_names.push_back(field.field);
  table.present.assign(spec.fields.size(), false);
  if (bytes.empty()) return Status::InvalidArgument("core.import_file_empty", "row 1");
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<SourceRow> rows, ReadRows(bytes, table.report));
  const Matcher matcher(spec, options);

  // The header: the first row naming every required field; failing that, the row naming most.
  size_t header = rows.size();
  size_t best = rows.size();
  size_t best_count = 0;
  for (size_t r = 0; r < rows.size() && header == rows.size(); ++r) {
    std::set<int> named;
    for (const std::string& cell : rows[r].cells) {
      if (int field = matcher.Match(cell); field >= 0) named.insert(field);
    }
    bool complete = !named.empty();
    for (size_t f = 0; f < spec.fields.size(); ++f)
      complete = complete && (!spec.fields[f].required || named.count(static_cast<int>(f)) > 0);
    if (complete) header = r;
    if (named.size() > best_count) {
      best_count = named.size();
      best = r;
    }
  }
  if (header == rows.size() && options.for_mapping) {
    // The page asks: the best row is the header, what it lacks is listed.
    header = best;
    for (size_t r = 0; header == rows.size() && r < rows.size(); ++r)
      if (NonEmptyCells(rows[r].cells) > 0) header = r;
    if (header == rows.size()) return Status::InvalidArgument("core.import_file_empty", "row 1");
    std::set<int> named;
    for (const std::string& cell : rows[header].cells) named.insert(matcher.Match(cell));
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      if (spec.fields[f].required && named.count(static_cast<int>(f)) == 0) {
        table.report.errors.push_back(Status::InvalidArgument(
            "core.import_column_missing",
            {{"column", spec.fields[f].field}, {"headers", Synonyms(spec.fields[f])}},
            spec.fields[f].field));
      }
    }
  }
  if (header == rows.size()) {
    if (best == rows.size()) {
      std::string expected;
      for (const FieldSpec& field : spec.fields)
        if (field.required) expected += (expected.empty() ? "" : " / ") + Synonyms(field);
      return Status::InvalidArgument("core.import_no_header", {{"expected", expected}}, "row 1");
    }
    std::set<int> named;
    for (const std::string& cell : rows[best].cells) named.insert(matcher.Match(cell));
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      if (spec.fields[f].required && named.count(static_cast<int>(f)) == 0) {
        return Status::InvalidArgument(
            "core.import_column_missing",
            {{"column", spec.fields[f].field}, {"headers", Synonyms(spec.fields[f])}},
            "row " + std::to_string(rows[best].line));
      }
    }
  }
  Report& report = table.report;
  report.header_row = rows[header].line;
  for (size_t r = 0; r < header; ++r) {
    if (NonEmptyCells(rows[r].cells) > 0)
      report.notes_above.push_back({rows[r].line, RowText(rows[r].cells)});
  }

  // Column → field, with a second header row (回答部署 over 部 and 課) read into the first.
  std::vector<std::string> labels = rows[header].cells;
  std::vector<int> field_of(labels.size(), -1);
  std::vector<bool> by_mapping(labels.size(), false);
  std::vector<HeaderQualifier> qualifier_of(labels.size());
  for (size_t c = 0; c < labels.size(); ++c) {
    bool mapped = false;
    field_of[c] = matcher.Match(labels[c], mapped, &qualifier_of[c]);
    by_mapping[c] = mapped;
  }
  size_t first_data = header + 1;
  const std::vector<std::string>* sub_header = nullptr;
  if (first_data < rows.size()) {
    const std::vector<std::string>& next = rows[first_data].cells;
    bool all_headers = NonEmptyCells(next) > 0;
    for (const std::string& cell : next)
      all_headers = all_headers && (TrimSpaces(cell).empty() || matcher.Match(cell) >= 0);
    if (all_headers) {
      sub_header = &next;
      const std::vector<std::string> top = labels;
      if (labels.size() < next.size()) {
        labels.resize(next.size());
        field_of.resize(next.size(), -1);
        by_mapping.resize(next.size(), false);
        qualifier_of.resize(next.size());
      }
      for (size_t c = 0; c < next.size(); ++c) {
        if (TrimSpaces(next[c]).empty()) continue;
        bool mapped = false;
        field_of[c] = matcher.Match(next[c], mapped, &qualifier_of[c]);
        by_mapping[c] = mapped;
        // A merged cell's text sits in its first column only: 回答部署 / 部, (回答部署) / 課.
        std::string parent = c < top.size() ? TrimSpaces(top[c]) : "";
        for (size_t left = std::min(c, top.size()); parent.empty() && left > 0; --left)
          parent = TrimSpaces(top[left - 1]);
        if (qualifier_of[c].fiscal_year == 0 && !parent.empty())
          qualifier_of[c].fiscal_year = SplitHeader(parent).fiscal_year;
        labels[c] = parent.empty() ? TrimSpaces(next[c]) : parent + "／" + TrimSpaces(next[c]);
      }
      ++first_data;
    }
  }
  table.header_cells = labels.size();
  std::vector<size_t> column_of(spec.fields.size(), labels.size());
  for (size_t c = 0; c < labels.size(); ++c) {
    if (field_of[c] < 0) continue;
    const auto f = static_cast<size_t>(field_of[c]);
    if (spec.fields[f].repeated) {
      const HeaderQualifier& qualifier = qualifier_of[c];
      table.present[f] = true;
      table.repeated.push_back({f, static_cast<int64_t>(c + 1), ColumnName(labels[c], c),
                                qualifier.fiscal_year, qualifier.ordinal, qualifier.unit});
      std::string field = spec.fields[f].field;
      if (qualifier.fiscal_year > 0) field += " FY" + std::to_string(qualifier.fiscal_year);
      if (qualifier.ordinal > 0) field += " #" + std::to_string(qualifier.ordinal);
      if (!qualifier.unit.empty()) field += " (" + qualifier.unit + ")";
      report.mapped.push_back(
          {static_cast<int64_t>(c + 1), ColumnName(labels[c], c), field, by_mapping[c]});
      continue;
    }
    if (column_of[f] < labels.size()) {
      if (options.for_mapping) {
        report.errors.push_back(Status::InvalidArgument(
            "core.import_column_twice",
            {{"column", spec.fields[f].field},
             {"headers", "「" + ColumnName(labels[column_of[f]], column_of[f]) + "」「" +
                             ColumnName(labels[c], c) + "」"}},
            ColumnName(labels[c], c)));
        field_of[c] = -1;
        continue;
      }
      return Status::InvalidArgument(
          "core.import_column_twice",
          {{"column", spec.fields[f].field},
           {"headers", "「" + ColumnName(labels[column_of[f]], column_of[f]) + "」「" +
                           ColumnName(labels[c], c) + "」"}},
          ColumnName(labels[c], c));
    }
    column_of[f] = c;
    table.present[f] = true;
    report.mapped.push_back({static_cast<int64_t>(c + 1), ColumnName(labels[c], c),
                             spec.fields[f].field, by_mapping[c]});
  }

  // Data rows, notes under the table, page-break repeats of the header.
  int id_column = -1;
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    if (spec.fields[f].required && column_of[f] < labels.size() &&
        (spec.fields[f].number || spec.fields[f].field == "id")) {
      id_column = static_cast<int>(column_of[f]);
      break;
    }
  }
  // A repeated header is the header's text again (RowText); rows of another length are not joined.
  const std::string header_text = RowText(rows[header].cells);
  const std::string sub_header_text = sub_header != nullptr ? RowText(*sub_header) : "";
  auto is_header = [&](const std::vector<std::string>& cells) {
    size_t last = cells.size();
    while (last > 0 && IsBlank(cells[last - 1])) --last;
    size_t length = last > 0 ? last - 1 : 0;
    for (size_t i = 0; i < last; ++i) length += cells[i].size();
    if (length != header_text.size() &&
        (sub_header == nullptr || length != sub_header_text.size())) {
      return false;
    }
    const std::string text = RowText(cells);
    return text == header_text || (sub_header != nullptr && text == sub_header_text);
  };
  std::vector<SourceRow*> data;
  for (size_t r = first_data; r < rows.size(); ++r) {
    SourceRow& row = rows[r];
    const size_t filled = NonEmptyCells(row.cells);
    if (filled == 0) continue;
    if (is_header(row.cells)) {
      ++report.repeated_headers;
      continue;
    }
    bool note = StartsLikeNote(row.cells);
    if (!note && filled == 1) {
      size_t only = 0;
      while (TrimSpaces(row.cells[only]).empty()) ++only;
      // A footnote sits in the first column (or where the id would be, too long for one). A
      // lone cell further right, under a field's column, is a data row whose other cells are
      // empty — its empty id is the importer's error to name, never a note.
      const bool under_field = only > 0 && only < field_of.size() && field_of[only] >= 0;
      note = static_cast<int>(only) == id_column ? !LooksLikeId(row.cells[only]) : !under_field;
    }
    if (note) {
      report.notes_below.push_back({row.line, RowText(row.cells)});
      continue;
    }
    data.push_back(&row);
  }
  report.rows_read = static_cast<int64_t>(data.size());

  // Columns that map to nothing: refused when they carry data, unless ignored by name.
  std::vector<std::string> refused;
  const size_t widest = std::accumulate(
      data.begin(), data.end(), labels.size(),
      [](size_t width, const SourceRow* row) { return std::max(width, row->cells.size()); });
  for (size_t c = 0; c < widest; ++c) {
    if (c < field_of.size() && field_of[c] >= 0) continue;
    const std::string name = ColumnName(c < labels.size() ? labels[c] : "", c);
    const bool has_data = std::any_of(data.begin(), data.end(), [c](const SourceRow* row) {
      return c < row->cells.size() && !IsBlank(row->cells[c]);
    });
    if (!has_data && (c >= labels.size() || TrimSpaces(labels[c]).empty())) continue;
    const std::string key = HeaderKey(name);
    const bool ignored =
        std::any_of(options.ignored_columns.begin(), options.ignored_columns.end(),
                    [&](const std::string& named) { return HeaderKey(named) == key; });
    report.unused.push_back({static_cast<int64_t>(c + 1), name, has_data, ignored});
    if (has_data && !ignored) refused.push_back(name);
  }
  if (options.preview_rows > 0) {
    for (size_t c = 0; c < widest; ++c)
      report.columns.push_back(ColumnName(c < labels.size() ? labels[c] : "", c));
    for (size_t r = 0; r < data.size() && r < options.preview_rows; ++r)
      report.preview.push_back(*data[r]);
  }
  if (!refused.empty()) {
    std::string names;
    for (const std::string& name : refused) names += "「" + name + "」";
    Status unmapped = Status::InvalidArgument("core.import_unmapped_column", {{"columns", names}},
                                              refused.front());
    if (!options.for_mapping) return unmapped;
    report.errors.push_back(std::move(unmapped));
  }

  // Cells, normalised, every change listed. The cell is moved to `value`; `original` gets it
  // only when the value differs (Record::original).
  auto normalise = [&](SourceRow& row, size_t c, size_t f, std::string& value,
                       std::string& original) {
    std::string& cell = row.cells[c];
    std::string reason;
    const std::string_view trimmed = TrimSpacesView(cell);
    if (IsDashOnly(trimmed)) {
      value.clear();
      reason = "core.import_change_dash";
    } else if (cell.find('\r') != std::string::npos) {
      value = WithLf(cell);
      reason = "core.import_change_line_endings";
    } else if (spec.fields[f].number && !trimmed.empty()) {
      std::string annotation;
      reason = ReadNumber(cell, value, annotation);
      if (value == cell) {
        value = std::move(cell);
        return;
      }
    } else {
      value = std::move(cell);
      return;
    }
    if (!reason.empty()) {
      report.changes.push_back(
          {row.line, ColumnName(labels[c], c), cell, value, std::move(reason)});
    }
    original = std::move(cell);
  };
  table.records.reserve(data.size());
  // Each column is read by one field at most (column_twice above), so a cell is moved into its
  // record once its value is taken: the file is not held twice, nor an unchanged cell.
  for (SourceRow* row : data) {
    Record record{row->line, row->record, row->cells.size(), {}, {}, {}, {}};
    record.values.resize(spec.fields.size());
    std::string original;
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      const size_t c = column_of[f];
      if (c >= row->cells.size()) continue;
      normalise(*row, c, f, record.values[f], original);
      if (original.empty()) continue;
      record.original.resize(spec.fields.size());
      record.original[f] = std::move(original);
      original.clear();
    }
    record.repeated_values.resize(table.repeated.size());
    record.repeated_original.resize(table.repeated.size());
    for (size_t r = 0; r < table.repeated.size(); ++r) {
      const auto c = static_cast<size_t>(table.repeated[r].column - 1);
      if (c >= row->cells.size()) continue;
      std::string original;
      normalise(*row, c, table.repeated[r].field, record.repeated_values[r], original);
      record.repeated_original[r] =
          original.empty() ? record.repeated_values[r] : std::move(original);
    }
    table.records.push_back(std::move(record));
  }
  return table;
}

Status FirstError(const Report& report) {
  return report.errors.empty() ? Status::Ok() : report.errors.front();
}

}  // namespace civicdesk::tabular
