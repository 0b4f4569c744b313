#include "core/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <cctype>
#include <memory>

namespace civicdesk {
namespace {

// The most one entry of a workbook may hold once unpacked. Excel's largest sheet (1,048,576 rows
// of a few short cells) stays well under it; a few kilobytes that unpack to more are refused.
constexpr zip_uint64_t kMaxEntryBytes = 1ull << 30;

// The entry's bytes, read as they come: the size the archive declares is never trusted (a
// 3 KB file that declared 973 MB made the reader allocate it all — found by fuzz_facilities_xlsx,
// fuzz/regressions/facilities_xlsx/).
Result<std::string> ReadEntry(zip_t* archive, const char* name, bool required,
                              const std::string& path) {
  zip_stat_t stat;
  if (zip_stat(archive, name, 0, &stat) != 0) {
    if (!required) return std::string();
    return Status::InvalidArgument("core.xlsx_not_workbook", {{"entry", name}}, path);
  }
  std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen(archive, name, 0), zip_fclose);
  if (!file) return Status::InvalidArgument("core.xlsx_unreadable", path);
  std::string bytes;
  char chunk[64 * 1024];
  while (true) {
    zip_int64_t read = zip_fread(file.get(), chunk, sizeof(chunk));
    if (read < 0) return Status::InvalidArgument("core.xlsx_unreadable", path);
    if (read == 0) break;
    if (bytes.size() + static_cast<zip_uint64_t>(read) > kMaxEntryBytes) {
      return Status::InvalidArgument(
          "core.xlsx_too_large", {{"entry", name}, {"limit", std::to_string(kMaxEntryBytes >> 20)}},
          path);
    }
    bytes.append(chunk, static_cast<size_t>(read));
  }
  if ((stat.valid & ZIP_STAT_SIZE) != 0 && bytes.size() != stat.size)
    return Status::InvalidArgument("core.xlsx_unreadable", path);
  return bytes;
}

// Runs expat over `xml`, calling the handlers with `state`.
template <typename State>
bool ParseXml(const std::string& xml, State& state) {
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate("UTF-8"),
                                                                 XML_ParserFree);
  XML_SetUserData(parser.get(), &state);
  XML_SetElementHandler(
      parser.get(),
      [](void* data, const XML_Char* name, const XML_Char** attributes) {
        static_cast<State*>(data)->Start(name, attributes);
      },
      [](void* data, const XML_Char* name) { static_cast<State*>(data)->End(name); });
  XML_SetCharacterDataHandler(parser.get(), [](void* data, const XML_Char* text, int length) {
    static_cast<State*>(data)->Text(text, length);
  });
  return XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE) !=
         XML_STATUS_ERROR;
}

std::string_view LocalName(const char* name) {
  std::string_view view(name);
  const size_t colon = view.rfind(':');
  return colon == std::string_view::npos ? view : view.substr(colon + 1);
}

const char* Attribute(const XML_Char** attributes, const char* wanted) {
  for (int i = 0; attributes[i] != nullptr; i += 2) {
    if (LocalName(attributes[i]) == wanted) return attributes[i + 1];
  }
  return nullptr;
}

// OOXML writes characters XML cannot hold as _xHHHH_ (Excel: _x000D_ for the CR of a line break
// typed in a cell); _x005F_ escapes a literal underscore.
std::string Unescape(const std::string& text) {
  if (text.find("_x") == std::string::npos) return text;
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "_x") == 0 && i + 6 < text.size() && text[i + 6] == '_' &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 3])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 4])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 5]))) {
      const auto code = static_cast<uint32_t>(std::stoul(text.substr(i + 2, 4), nullptr, 16));
      if (code < 0x80) {
        out.push_back(static_cast<char>(code));
      } else if (code < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code >> 6)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
      } else {
        out.push_back(static_cast<char>(0xE0 | (code >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
      }
      i += 6;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

struct SharedStrings {
  std::vector<std::string> strings;
  bool in_text = false;
  int in_phonetic = 0;  // inside <rPh>: the reading of the text, not the text
  void Start(const char* name, const XML_Char**) {
    const std::string_view local = LocalName(name);
    if (local == "si") strings.emplace_back();
    if (local == "rPh") ++in_phonetic;
    if (local == "t" && in_phonetic == 0) in_text = true;
  }
  void End(const char* name) {
    const std::string_view local = LocalName(name);
    if (local == "t") in_text = false;
    if (local == "rPh" && in_phonetic > 0) --in_phonetic;
  }
  void Text(const char* text, int length) {
    if (in_text && !strings.empty()) strings.back().append(text, static_cast<size_t>(length));
  }
};

struct Sheet {
  const std::vector<std::string>* shared = nullptr;
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> numbers;
  int in_phonetic = 0;
  std::string type;
  size_t column = 0;
  std::string value;
  bool in_value = false;
  bool in_row = false;
  void Start(const char* name, const XML_Char** attributes) {
    const std::string_view local = LocalName(name);
    if (local == "row") {
      rows.emplace_back();
      const char* reference = Attribute(attributes, "r");
      numbers.push_back(reference != nullptr ? std::strtoll(reference, nullptr, 10)
                        : numbers.empty()    ? 1
                                             : numbers.back() + 1);
      in_row = true;
    } else if (local == "c" && in_row) {
      const char* kind = Attribute(attributes, "t");
      type = kind == nullptr ? "n" : kind;
      value.clear();
      column = rows.back().size();
      if (const char* reference = Attribute(attributes, "r")) {
        size_t index = 0;
        for (const char* p = reference; *p >= 'A' && *p <= 'Z'; ++p)
          index = index * 26 + static_cast<size_t>(*p - 'A' + 1);
        if (index > 0) column = index - 1;
      }
    } else if (local == "rPh") {
      ++in_phonetic;
    } else if ((local == "v" || local == "t") && in_phonetic == 0) {
      in_value = true;
    }
  }
  void End(const char* name) {
    const std::string_view local = LocalName(name);
    if (local == "v" || local == "t") {
      in_value = false;
    } else if (local == "rPh") {
      if (in_phonetic > 0) --in_phonetic;
    } else if (local == "c" && in_row) {
      std::string text = value;
      if (type == "s") {
        const size_t index = static_cast<size_t>(std::strtoul(value.c_str(), nullptr, 10));
        text = shared != nullptr && index < shared->size() ? Unescape((*shared)[index]) : "";
      } else if (type == "inlineStr" || type == "str") {
        text = Unescape(value);
      } else if (type == "b") {
        text = value == "1" ? "TRUE" : "FALSE";
      }
      std::vector<std::string>& row = rows.back();
      if (row.size() <= column) row.resize(column + 1);
      row[column] = std::move(text);
    } else if (local == "row") {
      in_row = false;
      if (rows.back().empty()) {
        rows.pop_back();
        numbers.pop_back();
      }
    }
  }
  void Text(const char* text, int length) {
    if (in_value) value.append(text, static_cast<size_t>(length));
  }
};

}  // namespace

namespace {

Result<std::vector<std::vector<std::string>>> ReadArchive(zip_t* archive, const std::string& path,
                                                          std::vector<int64_t>* row_numbers) {
  Result<std::string> strings_xml = ReadEntry(archive, "xl/sharedStrings.xml", false, path);
  if (!strings_xml.ok()) return strings_xml.status();
  SharedStrings strings;
  if (!strings_xml->empty() && !ParseXml(*strings_xml, strings))
    return Status::InvalidArgument("core.xlsx_broken_strings", path);
  Result<std::string> sheet_xml = ReadEntry(archive, "xl/worksheets/sheet1.xml", true, path);
  if (!sheet_xml.ok()) return sheet_xml.status();
  Sheet sheet;
  sheet.shared = &strings.strings;
  if (!ParseXml(*sheet_xml, sheet)) return Status::InvalidArgument("core.xlsx_broken_sheet", path);
  if (row_numbers != nullptr) *row_numbers = std::move(sheet.numbers);
  return sheet.rows;
}

}  // namespace

Result<std::vector<std::vector<std::string>>> ReadXlsxFirstSheet(const std::string& path) {
  int error = 0;
  std::unique_ptr<zip_t, void (*)(zip_t*)> archive(zip_open(path.c_str(), ZIP_RDONLY, &error),
                                                   zip_discard);
  if (!archive) return Status::InvalidArgument("core.xlsx_cannot_open", path);
  return ReadArchive(archive.get(), path, nullptr);
}

Result<std::vector<std::vector<std::string>>> ReadXlsxFirstSheetBytes(
    std::string_view bytes, const std::string& name, std::vector<int64_t>* row_numbers) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return Status::InvalidArgument("core.xlsx_cannot_open", name);
  }
  zip_t* opened = zip_open_from_source(source, ZIP_RDONLY, &error);
  zip_error_fini(&error);
  if (opened == nullptr) {
    zip_source_free(source);
    return Status::InvalidArgument("core.xlsx_cannot_open", name);
  }
  std::unique_ptr<zip_t, void (*)(zip_t*)> archive(opened, zip_discard);
  return ReadArchive(archive.get(), name, row_numbers);
}

}  // namespace civicdesk
