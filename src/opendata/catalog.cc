#include "opendata/catalog.h"

#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "core/csv.h"
#include "text/normalize.h"

namespace civicdesk::opendata {
namespace {

using nlohmann::json;

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t c = 0; c < cells.size(); ++c) {
    if (c > 0) line += ',';
    line += CsvQuote(cells[c]);
  }
  line += "\r\n";
  return line;
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

struct UConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};

Result<std::unique_ptr<UConverter, UConverterCloser>> OpenCp932() {
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<UConverter, UConverterCloser> converter(ucnv_open("windows-31j", &error));
  if (U_FAILURE(error)) return Status::Internal("ICU has no windows-31j converter");
  ucnv_setSubstChars(converter.get(), "\x81\xAC", 2, &error);  // 〓
  if (U_FAILURE(error))
    return Status::Internal("CP932 substitution: " + std::string(u_errorName(error)));
  return converter;
}

Status WriteCsv(http::App& app, const http::PublicDataset& dataset, bool cp932,
                const CatalogSettings& settings, const http::BodyWriter& write) {
  std::unique_ptr<UConverter, UConverterCloser> converter;
  if (cp932) {
    Result<std::unique_ptr<UConverter, UConverterCloser>> opened = OpenCp932();
    if (!opened.ok()) return opened.status();
    converter = std::move(*opened);
  }
  auto emit = [&](const std::string& line) -> Status {
    if (!converter) return write(line);
    Result<std::string> encoded = EncodeCp932(converter.get(), line);
    if (!encoded.ok()) return encoded.status();
    return write(*encoded);
  };
  if (!cp932) {
    if (Status bom = write("\xEF\xBB\xBF"); !bom.ok()) return bom;
  }
  if (Status header = emit(CsvLine(PublishedColumns(dataset))); !header.ok()) return header;
  return ForEachPublishedDatasetRow(
      app, dataset, settings,
      [&](const std::vector<std::string>& cells) { return emit(CsvLine(cells)); });
}

Status WriteJson(http::App& app, const http::PublicDataset& dataset,
                 const CatalogSettings& settings, const http::BodyWriter& write) {
  const std::vector<std::string> columns = PublishedColumns(dataset);
  bool first = true;
  if (Status opened = write("["); !opened.ok()) return opened;
  Status rows = ForEachPublishedDatasetRow(
      app, dataset, settings, [&](const std::vector<std::string>& cells) {
        json object = json::object();
        for (size_t c = 0; c < columns.size() && c < cells.size(); ++c)
          object[columns[c]] = cells[c];
        std::string piece = (first ? "\n" : ",\n") + object.dump();
        first = false;
        return write(piece);
      });
  if (!rows.ok()) return rows;
  return write("\n]\n");
}

Status WriteXlsx(http::App& app, const http::PublicDataset& dataset,
                 const CatalogSettings& settings, const http::BodyWriter& write) {
  char path[] = "/tmp/civicdesk-opendata-XXXXXX";
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
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  const std::vector<std::string> columns = PublishedColumns(dataset);
  for (size_t c = 0; c < columns.size(); ++c)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), columns[c].c_str(), bold);
  lxw_row_t row_number = 0;
  Status rows = ForEachPublishedDatasetRow(
      app, dataset, settings, [&](const std::vector<std::string>& cells) -> Status {
        ++row_number;
        for (size_t c = 0; c < cells.size(); ++c) {
          worksheet_write_string(sheet, row_number, static_cast<lxw_col_t>(c), cells[c].c_str(),
                                 nullptr);
        }
        return Status::Ok();
      });
  const lxw_error closed = workbook_close(workbook);
  if (!rows.ok()) return rows;
  if (closed != LXW_NO_ERROR) return Status::Internal(std::string("XLSX: ") + lxw_strerror(closed));
  std::ifstream file(path, std::ios::binary);
  std::string buffer(64 * 1024, '\0');
  while (file) {
    file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = file.gcount();
    if (got <= 0) break;
    if (Status written = write(std::string_view(buffer.data(), static_cast<size_t>(got)));
        !written.ok())
      return written;
  }
  return Status::Ok();
}

}  // namespace

Status ForEachPublishedDatasetRow(http::App& app, const http::PublicDataset& dataset,
                                  const CatalogSettings& settings,
                                  const http::DatasetRowWriter& write) {
  if (dataset.standard.empty()) return dataset.rows(app, write);
  int64_t id = 0;
  return dataset.rows(app, [&](const std::vector<std::string>& cells) {
    std::vector<std::string> row = {settings.local_government_code, std::to_string(++id),
                                    settings.local_government_name};
    row.insert(row.end(), cells.begin(), cells.end());
    return write(row);
  });
}

const std::array<FormatInfo, 3>& Formats() {
  static const std::array<FormatInfo, 3> formats = {{
      {FileFormat::kCsv, "csv", "CSV", "text/csv"},
      {FileFormat::kJson, "json", "JSON", "application/json"},
      {FileFormat::kXlsx, "xlsx", "XLSX",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
  }};
  return formats;
}

std::optional<FormatInfo> FormatOfExtension(std::string_view extension) {
  for (const FormatInfo& format : Formats())
    if (format.extension == extension) return format;
  return std::nullopt;
}

std::string DatasetPath(const std::string& id) { return "/opendata/datasets/" + id; }

std::string FilePath(const std::string& id, const FormatInfo& format) {
  return "/opendata/files/" + id + "." + std::string(format.extension);
}

std::vector<std::string> PublishedColumns(const http::PublicDataset& dataset) {
  std::vector<std::string> columns;
  if (!dataset.standard.empty())
    columns.assign(kStandardLeadingColumns.begin(), kStandardLeadingColumns.end());
  columns.insert(columns.end(), dataset.columns.begin(), dataset.columns.end());
  return columns;
}

json ResourceJson(const http::PublicDataset& dataset, const FormatInfo& format,
                  const CatalogSettings& settings, const std::string& base_url) {
  return {{"id", dataset.id + "-" + std::string(format.extension)},
          {"package_id", dataset.id},
          {"name", dataset.title + "（" + std::string(format.label) + "）"},
          {"description", dataset.description},
          {"format", format.label},
          {"mimetype", format.mime_type},
          {"url", base_url + FilePath(dataset.id, format)},
          {"url_type", nullptr},
          {"state", "active"},
          {"last_modified", dataset.modified.empty() ? json(nullptr) : json(dataset.modified)},
          {"license_id", settings.license_id}};
}

json PackageJson(const http::PublicDataset& dataset, const CatalogSettings& settings,
                 const std::string& base_url) {
  json tags = json::array();
  for (const std::string& tag : dataset.tags)
    tags.push_back({{"name", tag}, {"display_name", tag}, {"state", "active"}});
  json resources = json::array();
  for (const FormatInfo& format : Formats())
    resources.push_back(ResourceJson(dataset, format, settings, base_url));
  const json modified = dataset.modified.empty() ? json(nullptr) : json(dataset.modified);
  json extras =
      json::array({{{"key", "title_en"}, {"value", dataset.title_en}},
                   {{"key", "columns"}, {"value", json(PublishedColumns(dataset)).dump()}}});
  if (!dataset.standard.empty())
    extras.push_back({{"key", "standard_dataset"}, {"value", dataset.standard}});
  return {{"id", dataset.id},
          {"name", dataset.id},
          {"title", dataset.title},
          {"notes", dataset.description},
          {"type", "dataset"},
          {"state", "active"},
          {"private", false},
          {"license_id", settings.license_id},
          {"license_title", settings.license_title},
          {"license_url", settings.license_url},
          {"owner_org", settings.organization},
          {"organization", OrganizationJson(settings, 0)},
          {"author", settings.organization_title},
          {"maintainer", settings.organization_title},
          {"metadata_modified", modified},
          {"url", base_url + DatasetPath(dataset.id)},
          {"tags", tags},
          {"num_tags", tags.size()},
          {"resources", resources},
          {"num_resources", resources.size()},
          {"extras", extras}};
}

json OrganizationJson(const CatalogSettings& settings, size_t package_count) {
  return {{"id", settings.organization},
          {"name", settings.organization},
          {"title", settings.organization_title},
          {"display_name", settings.organization_title},
          {"type", "organization"},
          {"state", "active"},
          {"is_organization", true},
          {"package_count", package_count}};
}

json DcatCatalog(const std::vector<http::PublicDataset>& datasets, const CatalogSettings& settings,
                 const std::string& base_url) {
  const json publisher = {{"@type", "foaf:Organization"},
                          {"foaf:name", settings.organization_title}};
  json items = json::array();
  for (const http::PublicDataset& dataset : datasets) {
    json distributions = json::array();
    for (const FormatInfo& format : Formats()) {
      distributions.push_back(
          {{"@type", "dcat:Distribution"},
           {"dct:title", dataset.title + "（" + std::string(format.label) + "）"},
           {"dcat:downloadURL", {{"@id", base_url + FilePath(dataset.id, format)}}},
           {"dcat:accessURL", {{"@id", base_url + DatasetPath(dataset.id)}}},
           {"dcat:mediaType", format.mime_type},
           {"dct:format", format.label},
           {"dct:license", {{"@id", settings.license_url}}}});
    }
    json keywords = json::array();
    for (const std::string& tag : dataset.tags)
      keywords.push_back({{"@value", tag}, {"@language", "ja"}});
    json item = {{"@id", base_url + DatasetPath(dataset.id)},
                 {"@type", "dcat:Dataset"},
                 {"dct:identifier", dataset.id},
                 {"dct:title", json::array({{{"@value", dataset.title}, {"@language", "ja"}},
                                            {{"@value", dataset.title_en}, {"@language", "en"}}})},
                 {"dct:description", {{"@value", dataset.description}, {"@language", "ja"}}},
                 {"dcat:keyword", keywords},
                 {"dct:publisher", publisher},
                 {"dct:license", {{"@id", settings.license_url}}},
                 {"dcat:landingPage", {{"@id", base_url + DatasetPath(dataset.id)}}},
                 {"dcat:distribution", distributions}};
    if (!dataset.modified.empty())
      item["dct:modified"] = {{"@value", dataset.modified}, {"@type", "xsd:date"}};
    items.push_back(std::move(item));
  }
  return {
      {"@context",
       {{"dcat", "http://www.w3.org/ns/dcat#"},
        {"dct", "http://purl.org/dc/terms/"},
        {"foaf", "http://xmlns.com/foaf/0.1/"},
        {"xsd", "http://www.w3.org/2001/XMLSchema#"}}},
      {"@id", base_url + "/opendata/catalog.jsonld"},
      {"@type", "dcat:Catalog"},
      {"dct:title",
       {{"@value", settings.organization_title + " オープンデータカタログ"}, {"@language", "ja"}}},
      {"dct:publisher", publisher},
      {"dct:license", {{"@id", settings.license_url}}},
      {"foaf:homepage", {{"@id", base_url + "/opendata"}}},
      {"dcat:dataset", items}};
}

Result<std::vector<FilterTerm>> ParseFilterQuery(std::string_view fq) {
  std::vector<FilterTerm> terms;
  size_t at = 0;
  auto invalid = [](const std::string& why) {
    return Status::InvalidArgument(
        "fq: " + why +
            "（organization:名前 または tags:タグ の形で指定してください / "
            "use organization:NAME or tags:TAG)",
        "fq");
  };
  while (at < fq.size()) {
    while (at < fq.size() && (fq[at] == ' ' || fq[at] == '+')) ++at;
    if (at >= fq.size()) break;
    if (fq.substr(at, 4) == "AND ") {
      at += 4;
      continue;
    }
    const size_t colon = fq.find(':', at);
    if (colon == std::string_view::npos) return invalid("「:」がありません / missing ':'");
    std::string field(fq.substr(at, colon - at));
    if (field != "organization" && field != "tags")
      return invalid("「" + field + "」では絞り込めません / cannot filter on " + field);
    at = colon + 1;
    std::string value;
    if (at < fq.size() && fq[at] == '"') {
      const size_t close = fq.find('"', at + 1);
      if (close == std::string_view::npos)
        return invalid("引用符が閉じていません / unclosed quote");
      value = std::string(fq.substr(at + 1, close - at - 1));
      at = close + 1;
    } else {
      const size_t end = std::min(fq.find(' ', at), fq.size());
      value = std::string(fq.substr(at, end - at));
      at = end;
    }
    if (value.empty()) return invalid("値が空です / empty value");
    terms.push_back({std::move(field), std::move(value)});
  }
  return terms;
}

bool MatchesSearch(const http::PublicDataset& dataset, const CatalogSettings& settings,
                   std::string_view query, const std::vector<FilterTerm>& filters) {
  for (const FilterTerm& filter : filters) {
    if (filter.field == "organization" && filter.value != settings.organization) return false;
    if (filter.field == "tags" &&
        std::find(dataset.tags.begin(), dataset.tags.end(), filter.value) == dataset.tags.end())
      return false;
  }
  std::string haystack =
      dataset.id + "\n" + dataset.title + "\n" + dataset.title_en + "\n" + dataset.description;
  for (const std::string& tag : dataset.tags) haystack += "\n" + tag;
  for (const std::string& column : PublishedColumns(dataset)) haystack += "\n" + column;
  const std::string folded = text::FoldForMatching(haystack);
  const std::string words = text::FoldForMatching(query);
  size_t at = 0;
  while (at < words.size()) {
    while (at < words.size() && words[at] == ' ') ++at;
    const size_t end = std::min(words.find(' ', at), words.size());
    if (end > at && folded.find(words.substr(at, end - at)) == std::string::npos) return false;
    at = end;
  }
  return true;
}

Status WriteDatasetFile(http::App& app, const http::PublicDataset& dataset,
                        const FormatInfo& format, bool cp932, const CatalogSettings& settings,
                        const http::BodyWriter& write) {
  switch (format.format) {
    case FileFormat::kCsv:
      return WriteCsv(app, dataset, cp932, settings, write);
    case FileFormat::kJson:
      return WriteJson(app, dataset, settings, write);
    case FileFormat::kXlsx:
      return WriteXlsx(app, dataset, settings, write);
  }
  return Status::Internal("unknown format");
}

Result<std::string> ToCp932(std::string_view utf8) {
  Result<std::unique_ptr<UConverter, UConverterCloser>> converter = OpenCp932();
  if (!converter.ok()) return converter.status();
  return EncodeCp932(converter->get(), utf8);
}

}  // namespace civicdesk::opendata
