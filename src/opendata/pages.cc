#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/wareki.h"
#include "opendata/downloads.h"
#include "opendata/handlers.h"

namespace civicdesk::opendata {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr size_t kPreviewRows = 20;

using DownloadCounts = std::map<std::string, int64_t>;

json DatasetSummary(const http::PublicDataset& dataset, int64_t downloads) {
  json formats = json::array();
  for (const FormatInfo& format : Formats())
    formats.push_back({{"label", format.label}, {"url", FilePath(dataset.id, format)}});
  json tags = json::array();
  for (const std::string& tag : dataset.tags) tags.push_back(tag);
  return {{"id", dataset.id},
          {"title", dataset.title},
          {"title_en", dataset.title_en},
          {"description", dataset.description},
          {"tags", tags},
          {"modified", dataset.modified},
          {"url", DatasetPath(dataset.id)},
          {"formats", formats},
          {"cp932_url", "/opendata/files/" + dataset.id + ".csv?encoding=cp932"},
          {"downloads", downloads}};
}

}  // namespace

Result<Response> CatalogPage(RequestContext& context, const CatalogSettings& settings) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<http::PublicDataset> all, SortedDatasets(context.app()));
  CIVICDESK_ASSIGN_OR_RETURN(DownloadCounts totals, DownloadsPerDataset(context.app().database()));
  const std::string query = context.request().QueryParam("q").value_or("");
  const std::string tag = context.request().QueryParam("tag").value_or("");
  std::vector<FilterTerm> filters;
  if (!tag.empty()) filters.push_back({"tags", tag});
  json items = json::array();
  for (const http::PublicDataset& dataset : all) {
    if (!MatchesSearch(dataset, settings, query, filters)) continue;
    auto found = totals.find(dataset.id);
    items.push_back(DatasetSummary(dataset, found == totals.end() ? 0 : found->second));
  }
  return context.Page("opendata/catalog", context.Message("opendata_title"),
                      {{"datasets", items},
                       {"count", items.size()},
                       {"q", query},
                       {"tag", tag},
                       {"filtered", !query.empty() || !tag.empty()},
                       {"license_title", settings.license_title},
                       {"license_url", settings.license_url}});
}

Result<Response> DatasetPage(RequestContext& context, const CatalogSettings& settings) {
  CIVICDESK_ASSIGN_OR_RETURN(http::PublicDataset dataset,
                             FindDataset(context.app(), context.request().PathParam("id")));
  CIVICDESK_ASSIGN_OR_RETURN(DownloadCounts monthly,
                             MonthlyDownloads(context.app().database(), dataset.id));
  int64_t total = 0;
  json months = json::array();
  for (const auto& [month, count] : monthly) {
    total += count;
    int year = 0;
    unsigned number = 0;
    const bool parsed = std::sscanf(month.c_str(), "%d-%u", &year, &number) == 2;
    months.push_back(
        {{"month", parsed ? FormatWarekiYear(year) + std::to_string(number) + "月" : month},
         {"downloads", count}});
  }
  json columns = json::array();
  for (const std::string& column : PublishedColumns(dataset)) columns.push_back(column);
  json rows = json::array();
  // The preview reads the rows as a download does, stopping after kPreviewRows.
  bool preview_full = false;
  http::DatasetRowWriter collect = [&](const std::vector<std::string>& cells) -> Status {
    if (rows.size() >= kPreviewRows) {
      preview_full = true;
      return Status::Conflict("preview full");  // stops the rows; not an error
    }
    json cells_json = json::array();
    for (const std::string& cell : cells) cells_json.push_back(cell);
    rows.push_back({{"cells", cells_json}});
    return Status::Ok();
  };
  Status read = ForEachPublishedDatasetRow(context.app(), dataset, settings, collect);
  if (!read.ok() && !preview_full) return read;
  json data = DatasetSummary(dataset, total);
  data["columns"] = columns;
  data["has_rows"] = !rows.empty();
  data["rows"] = rows;
  data["preview_truncated"] = preview_full;
  data["preview_rows"] = kPreviewRows;
  data["months"] = months;
  if (Result<Date> modified = ParseIsoDate(dataset.modified); modified.ok())
    data["modified"] = FormatWarekiDate(*modified);
  data["has_months"] = !months.empty();
  data["standard"] = dataset.standard;
  data["license_title"] = settings.license_title;
  data["license_url"] = settings.license_url;
  data["api_url"] = "/api/3/action/package_show?id=" + dataset.id;
  return context.Page("opendata/dataset", dataset.title, data);
}

}  // namespace civicdesk::opendata
