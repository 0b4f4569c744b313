#ifndef CIVICDESK_OPENDATA_CATALOG_H_
#define CIVICDESK_OPENDATA_CATALOG_H_

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/app.h"
#include "http/public_data.h"
#include "http/table_response.h"

namespace civicdesk::opendata {

// Who publishes the catalog, and under which licence.
struct CatalogSettings {
  std::string local_government_code = "131032";  // 全国地方公共団体コード (with check digit)
  std::string local_government_name = "港区";
  std::string organization = "minatoku";  // the CKAN organisation name, as on Minato's catalog
  std::string organization_title = "港区";
  std::string license_id = "cc-by-4.0";
  std::string license_title = "クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)";
  std::string license_url = "https://creativecommons.org/licenses/by/4.0/deed.ja";
};

// A file format each dataset is offered in (CSV also in CP932, as http::TableFormat::kCsvCp932).
struct FormatInfo {
  http::TableFormat format;
  std::string_view extension;  // "csv"
  std::string_view label;      // "CSV", as CKAN's resource format
  std::string_view mime_type;
};

const std::array<FormatInfo, 3>& Formats();
std::optional<FormatInfo> FormatOfExtension(std::string_view extension);

// The stable URL paths: /opendata/datasets/{id} (the page) and /opendata/files/{id}.{ext}.
std::string DatasetPath(const std::string& id);
std::string FilePath(const std::string& id, const FormatInfo& format);

// The dataset's columns as published. A dataset following a Digital Agency standard
// (自治体標準オープンデータセット) starts with 全国地方公共団体コード, ID, 地方公共団体名.
std::vector<std::string> PublishedColumns(const http::PublicDataset& dataset);
inline constexpr std::array<std::string_view, 3> kStandardLeadingColumns = {
    "全国地方公共団体コード", "ID", "地方公共団体名"};

// The dataset's rows as published: with the standard's leading cells (the code, a running ID
// from 1, the name) when it follows one.
Status ForEachPublishedDatasetRow(http::App& app, const http::PublicDataset& dataset,
                                  const CatalogSettings& settings,
                                  const http::DatasetRowWriter& write);

// CKAN API v3 shapes (package_show, resource_show, organization_show). `base_url` makes the
// resource URLs absolute ("http://127.0.0.1:8080").
nlohmann::json ResourceJson(const http::PublicDataset& dataset, const FormatInfo& format,
                            const CatalogSettings& settings, const std::string& base_url);
nlohmann::json PackageJson(const http::PublicDataset& dataset, const CatalogSettings& settings,
                           const std::string& base_url);
nlohmann::json OrganizationJson(const CatalogSettings& settings, size_t package_count);

// The catalog as DCAT in JSON-LD.
nlohmann::json DcatCatalog(const std::vector<http::PublicDataset>& datasets,
                           const CatalogSettings& settings, const std::string& base_url);

// package_search's fq: space- or "AND"-separated `organization:NAME` and `tags:TAG` terms (a
// value may be "quoted"). Anything else is InvalidArgument naming fq.
struct FilterTerm {
  std::string field;  // "organization" or "tags"
  std::string value;
};
Result<std::vector<FilterTerm>> ParseFilterQuery(std::string_view fq);

// True when every word of `query` (white-space separated, folded as search folds text) occurs
// in the dataset's title, description, tags or columns, and every filter holds.
bool MatchesSearch(const http::PublicDataset& dataset, const CatalogSettings& settings,
                   std::string_view query, const std::vector<FilterTerm>& filters);

}  // namespace civicdesk::opendata

#endif  // CIVICDESK_OPENDATA_CATALOG_H_
