#include "opendata/catalog.h"

#include <algorithm>

#include "text/normalize.h"

namespace civicdesk::opendata {
namespace {

using nlohmann::json;

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
      {http::TableFormat::kCsv, "csv", "CSV", "text/csv"},
      {http::TableFormat::kJson, "json", "JSON", "application/json"},
      {http::TableFormat::kXlsx, "xlsx", "XLSX",
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
  // The texts add how fq is written (organization:NAME or tags:TAG).
  auto invalid = [](std::string id, MessageArgs args = {}) {
    return Status::InvalidArgument(std::move(id), std::move(args), "fq");
  };
  while (at < fq.size()) {
    while (at < fq.size() && (fq[at] == ' ' || fq[at] == '+')) ++at;
    if (at >= fq.size()) break;
    if (fq.substr(at, 4) == "AND ") {
      at += 4;
      continue;
    }
    const size_t colon = fq.find(':', at);
    if (colon == std::string_view::npos) return invalid("opendata.fq_colon_missing");
    std::string field(fq.substr(at, colon - at));
    if (field != "organization" && field != "tags")
      return invalid("opendata.fq_field_unknown", {{"field", field}});
    at = colon + 1;
    std::string value;
    if (at < fq.size() && fq[at] == '"') {
      const size_t close = fq.find('"', at + 1);
      if (close == std::string_view::npos) return invalid("opendata.fq_quote_unclosed");
      value = std::string(fq.substr(at + 1, close - at - 1));
      at = close + 1;
    } else {
      const size_t end = std::min(fq.find(' ', at), fq.size());
      value = std::string(fq.substr(at, end - at));
      at = end;
    }
    if (value.empty()) return invalid("opendata.fq_value_empty");
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

}  // namespace civicdesk::opendata
