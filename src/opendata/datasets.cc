#include <algorithm>
#include <optional>

#include "core/date.h"
#include "http/table_response.h"
#include "opendata/downloads.h"
#include "opendata/handlers.h"

namespace civicdesk::opendata {

using http::RequestContext;
using http::Response;

Result<std::vector<http::PublicDataset>> SortedDatasets(http::App& app) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<http::PublicDataset> all, app.PublicDatasets());
  std::sort(all.begin(), all.end(),
            [](const http::PublicDataset& a, const http::PublicDataset& b) { return a.id < b.id; });
  return all;
}

Result<http::PublicDataset> FindDataset(http::App& app, const std::string& id) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<http::PublicDataset> all, SortedDatasets(app));
  for (http::PublicDataset& dataset : all)
    if (dataset.id == id) return std::move(dataset);
  return Status::NotFound("opendata.dataset_not_found", {{"id", id}});
}

std::vector<http::PublicDataset> OwnDatasets(const CatalogSettings& settings) {
  std::vector<http::PublicDataset> datasets;
  http::PublicDataset list;
  list.id = "opendata-list";
  list.title = "オープンデータ一覧";
  list.title_en = "List of open data";
  list.description =
      "このカタログで公開しているデータセットの一覧（自治体標準オープンデータセット「オープンデー"
      "タ一覧」の形式）。";
  list.tags = {"オープンデータ"};
  list.standard = "オープンデータ一覧";
  list.columns = {"名称", "名称_英語", "概要", "キーワード", "ライセンス", "URL", "最終更新日"};
  list.rows = [settings](http::App& app, const http::DatasetRowWriter& write) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<http::PublicDataset> all, app.PublicDatasets());
    for (const http::PublicDataset& dataset : all) {
      std::string keywords;
      for (const std::string& tag : dataset.tags) keywords += (keywords.empty() ? "" : ";") + tag;
      CIVICDESK_RETURN_IF_ERROR(
          write({dataset.title, dataset.title_en, dataset.description, keywords,
                 settings.license_title, DatasetPath(dataset.id), dataset.modified}));
    }
    return Status::Ok();
  };
  datasets.push_back(std::move(list));

  http::PublicDataset downloads;
  downloads.id = "opendata-downloads";
  downloads.title = "オープンデータのダウンロード数（月別）";
  downloads.title_en = "Open data downloads per month";
  downloads.description =
      "データセットごと、月ごとのダウンロード数。同じ接続元からの同じデータセットのダウンロード"
      "は1日1回と数え、検索エンジン等のクローラーは数えません。基本計画の成果指標「月平均のオー"
      "プンデータダウンロード数」はこの数から計算しています。";
  downloads.tags = {"オープンデータ", "成果指標"};
  downloads.columns = {"month", "dataset", "downloads"};
  downloads.number_columns = {"downloads"};
  downloads.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    return app.database().QueryEach(
        "SELECT month, dataset, downloads FROM opendata_download ORDER BY month, dataset", {},
        [&](const std::vector<storage::Value>& row) {
          return write({storage::AsText(row[0]), storage::AsText(row[1]),
                        std::to_string(storage::AsInt(row[2]))});
        });
  };
  datasets.push_back(std::move(downloads));
  return datasets;
}

Result<Response> DownloadFile(RequestContext& context, const CatalogSettings& settings) {
  const std::string file = context.request().PathParam("file");
  const size_t dot = file.rfind('.');
  std::optional<FormatInfo> format =
      dot == std::string::npos ? std::nullopt : FormatOfExtension(file.substr(dot + 1));
  if (!format) return Status::NotFound("opendata.file_not_found", {{"file", file}});
  const std::string encoding = context.request().QueryParam("encoding").value_or("utf-8");
  const bool cp932 = encoding == "cp932" || encoding == "shift_jis" || encoding == "sjis";
  if (!cp932 && encoding != "utf-8" && encoding != "utf8")
    return Status::InvalidArgument("opendata.encoding_invalid", {{"encoding", encoding}},
                                   "encoding");
  if (cp932 && format->format != http::TableFormat::kCsv)
    return Status::InvalidArgument("opendata.cp932_csv_only", "encoding");
  CIVICDESK_ASSIGN_OR_RETURN(http::PublicDataset dataset,
                             FindDataset(context.app(), file.substr(0, dot)));
  // One download per client, dataset and day; crawlers are not counted (downloads.h).
  if (context.request().method == "GET" && !IsCrawler(context.request().Header("user-agent"))) {
    CIVICDESK_RETURN_IF_ERROR(CountDownload(context.app().database(), dataset.id, TodayInJapan(),
                                            context.request().remote_address)
                                  .status());
  }

  http::Table table;
  table.columns = PublishedColumns(dataset);
  table.number_columns = dataset.number_columns;
  // Runs after the handler returned: the App outlives the response; the rest is copied.
  table.rows = [&app = context.app(), dataset, settings](const http::DatasetRowWriter& write) {
    return ForEachPublishedDatasetRow(app, dataset, settings, write);
  };
  Response response = http::TableResponse(
      std::move(table), cp932 ? http::TableFormat::kCsvCp932 : format->format, dataset.id);
  response.AddHeader("Link", "<" + settings.license_url + ">; rel=\"license\"");
  return response;
}

}  // namespace civicdesk::opendata
