#include "opendata/opendata_module.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/log.h"
#include "core/wareki.h"
#include "embedded/opendata_files.h"
#include "opendata/downloads.h"

namespace civicdesk::opendata {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr int kDefaultRows = 10;
constexpr int kMaxRows = 1000;  // as CKAN's ckan.search.rows_max
constexpr size_t kPreviewRows = 20;

// "http://host:port" from the Host header, so that resource URLs are absolute as CKAN's are. A
// Host with anything but host-name characters is ignored.
std::string BaseUrl(RequestContext& context) {
  std::string host = context.request().Header("host");
  const bool plain =
      !host.empty() && host.size() < 256 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
               c == '[' || c == ']';
      });
  if (!plain) host = "127.0.0.1";
  return (context.app().options().secure_cookies ? "https://" : "http://") + host;
}

// CKAN's envelope: {help, success: true, result} or {help, success: false, error: {__type,
// message}} with the status CKAN uses (404 Not Found Error, 409 Validation Error, 400 for an
// unknown action, 500 otherwise).
Response CkanResult(RequestContext& context, const std::string& action, const json& result) {
  return context.Json(200, {{"help", BaseUrl(context) + "/api/3/action/help_show?name=" + action},
                            {"success", true},
                            {"result", result}});
}

Response CkanError(RequestContext& context, const std::string& action, const Status& status) {
  int code = 500;
  std::string type = "Internal Error";
  json error;
  switch (status.code()) {
    case StatusCode::kNotFound:
      code = 404;
      type = "Not Found Error";
      break;
    case StatusCode::kInvalidArgument:
      code = 409;
      type = "Validation Error";
      if (!status.field().empty()) error[status.field()] = json::array({status.message()});
      break;
    default:
      Log(LogLevel::kError, "CKAN API " + action + ": " + status.message());
      break;
  }
  error["__type"] = type;
  error["message"] =
      code == 500 ? "サーバー内部のエラーです / internal server error" : status.message();
  return context.Json(code, {{"help", BaseUrl(context) + "/api/3/action/help_show?name=" + action},
                             {"success", false},
                             {"error", error}});
}

// An action's parameters: the query string of a GET, or the JSON object a POST carries (as
// ckanapi and CKAN's own clients send). Numbers and booleans are read as their JSON text.
class ActionParams {
 public:
  static Result<ActionParams> Of(const http::Request& request) {
    ActionParams params;
    if (request.method != "POST") {
      params.values_ = request.query;
      return params;
    }
    json body = request.body.empty() ? json::object() : json::parse(request.body, nullptr, false);
    if (!body.is_object()) {
      return Status::InvalidArgument(
          "本文は JSON のオブジェクトにしてください / the body must be a JSON object", "body");
    }
    for (const auto& [key, value] : body.items())
      params.values_[key] = value.is_string() ? value.get<std::string>() : value.dump();
    return params;
  }

  std::optional<std::string> Get(const std::string& name) const {
    auto found = values_.find(name);
    if (found == values_.end()) return std::nullopt;
    return found->second;
  }

 private:
  std::map<std::string, std::string> values_;
};

Result<int> NonNegativeParam(const ActionParams& params, const char* name, int fallback) {
  std::optional<std::string> text = params.Get(name);
  if (!text || text->empty()) return fallback;
  int value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < 0) {
    return Status::InvalidArgument(
        std::string(name) + " は0以上の整数で指定してください / must be a whole number ≥ 0", name);
  }
  return value;
}

class Catalog {
 public:
  explicit Catalog(CatalogSettings settings) : settings_(std::move(settings)) {}

  const CatalogSettings& settings() const { return settings_; }

  // Every module's datasets, this catalog's own included, sorted by id.
  Result<std::vector<http::PublicDataset>> Datasets(http::App& app) const {
    Result<std::vector<http::PublicDataset>> all = app.PublicDatasets();
    if (!all.ok()) return all.status();
    std::sort(
        all->begin(), all->end(),
        [](const http::PublicDataset& a, const http::PublicDataset& b) { return a.id < b.id; });
    return all;
  }

  Result<http::PublicDataset> Find(http::App& app, const std::string& id) const {
    Result<std::vector<http::PublicDataset>> all = Datasets(app);
    if (!all.ok()) return all.status();
    for (http::PublicDataset& dataset : *all)
      if (dataset.id == id) return std::move(dataset);
    return Status::NotFound("データセット「" + id + "」はありません / no dataset " + id);
  }

  // This module's own datasets: the catalog as the standard オープンデータ一覧, and the
  // download counts behind the plan's KPI.
  std::vector<http::PublicDataset> OwnDatasets() const {
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
    const CatalogSettings settings = settings_;
    list.rows = [settings](http::App& app, const http::DatasetRowWriter& write) -> Status {
      Result<std::vector<http::PublicDataset>> all = app.PublicDatasets();
      if (!all.ok()) return all.status();
      for (const http::PublicDataset& dataset : *all) {
        std::string keywords;
        for (const std::string& tag : dataset.tags) keywords += (keywords.empty() ? "" : ";") + tag;
        Status written = write({dataset.title, dataset.title_en, dataset.description, keywords,
                                settings.license_title, DatasetPath(dataset.id), dataset.modified});
        if (!written.ok()) return written;
      }
      return Status::Ok();
    };
    datasets.push_back(std::move(list));

    http::PublicDataset downloads;
    downloads.id = "opendata-downloads";
    downloads.title = "オープンデータのダウンロード数（月別）";
    downloads.title_en = "Open data downloads per month";
    downloads.description =
        "データセットごと、月ごとのダウンロード数。基本計画の成果指標「月平均のオープンデータ"
        "ダウンロード数」はこの数から計算しています。";
    downloads.tags = {"オープンデータ", "成果指標"};
    downloads.columns = {"month", "dataset", "downloads"};
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

  Response Api(RequestContext& context) const {
    const std::string action = context.request().PathParam("action");
    Result<ActionParams> params = ActionParams::Of(context.request());
    if (!params.ok()) return CkanError(context, action, params.status());
    Result<std::vector<http::PublicDataset>> all = Datasets(context.app());
    if (!all.ok()) return CkanError(context, action, all.status());
    const std::string base = BaseUrl(context);
    auto id_param = [&]() -> Result<std::string> {
      std::optional<std::string> id = params->Get("id");
      if (!id || id->empty()) return Status::InvalidArgument("id が必要です / Missing value", "id");
      return *id;
    };
    auto find = [&](const std::string& id) -> const http::PublicDataset* {
      for (const http::PublicDataset& dataset : *all)
        if (dataset.id == id) return &dataset;
      return nullptr;
    };
    if (action == "package_list") {
      json names = json::array();
      for (const http::PublicDataset& dataset : *all) names.push_back(dataset.id);
      return CkanResult(context, action, names);
    }
    if (action == "package_show") {
      Result<std::string> id = id_param();
      if (!id.ok()) return CkanError(context, action, id.status());
      const http::PublicDataset* dataset = find(*id);
      if (dataset == nullptr)
        return CkanError(context, action,
                         Status::NotFound("データセットが見つかりません / Not found"));
      return CkanResult(context, action, PackageJson(*dataset, settings_, base));
    }
    if (action == "resource_show") {
      Result<std::string> id = id_param();
      if (!id.ok()) return CkanError(context, action, id.status());
      for (const http::PublicDataset& dataset : *all) {
        for (const FormatInfo& format : Formats()) {
          if (dataset.id + "-" + std::string(format.extension) == *id)
            return CkanResult(context, action, ResourceJson(dataset, format, settings_, base));
        }
      }
      return CkanError(context, action, Status::NotFound("リソースが見つかりません / Not found"));
    }
    if (action == "organization_list") {
      const bool all_fields = params->Get("all_fields").value_or("") == "true";
      return CkanResult(context, action,
                        json::array({all_fields ? OrganizationJson(settings_, all->size())
                                                : json(settings_.organization)}));
    }
    if (action == "organization_show") {
      Result<std::string> id = id_param();
      if (!id.ok()) return CkanError(context, action, id.status());
      if (*id != settings_.organization)
        return CkanError(context, action, Status::NotFound("組織が見つかりません / Not found"));
      return CkanResult(context, action, OrganizationJson(settings_, all->size()));
    }
    if (action == "package_search") {
      Result<int> rows = NonNegativeParam(*params, "rows", kDefaultRows);
      if (!rows.ok()) return CkanError(context, action, rows.status());
      Result<int> start = NonNegativeParam(*params, "start", 0);
      if (!start.ok()) return CkanError(context, action, start.status());
      Result<std::vector<FilterTerm>> filters = ParseFilterQuery(params->Get("fq").value_or(""));
      if (!filters.ok()) return CkanError(context, action, filters.status());
      const std::string query = params->Get("q").value_or("");
      std::vector<const http::PublicDataset*> matched;
      for (const http::PublicDataset& dataset : *all) {
        if (MatchesSearch(dataset, settings_, query == "*:*" ? "" : query, *filters))
          matched.push_back(&dataset);
      }
      const size_t limit = static_cast<size_t>(std::min(*rows, kMaxRows));
      json results = json::array();
      for (size_t i = static_cast<size_t>(*start); i < matched.size() && results.size() < limit;
           ++i)
        results.push_back(PackageJson(*matched[i], settings_, base));
      return CkanResult(context, action,
                        {{"count", matched.size()},
                         {"results", results},
                         {"sort", "name asc"},
                         {"facets", json::object()},
                         {"search_facets", json::object()}});
    }
    return context.Json(400, {{"help", base + "/api/3/action/help_show?name=" + action},
                              {"success", false},
                              {"error",
                               {{"__type", "Bad request - Action name not known"},
                                {"message", "Bad request - Action name not known: " + action}}}});
  }

  Response Download(RequestContext& context) const {
    const std::string file = context.request().PathParam("file");
    const size_t dot = file.rfind('.');
    std::optional<FormatInfo> format =
        dot == std::string::npos ? std::nullopt : FormatOfExtension(file.substr(dot + 1));
    if (!format) {
      return context.Error(Status::NotFound(
          "ファイルが見つかりません（形式は csv, json, xlsx） / no such file (formats: csv, json, "
          "xlsx)"));
    }
    const std::string encoding = context.request().QueryParam("encoding").value_or("utf-8");
    const bool cp932 = encoding == "cp932" || encoding == "shift_jis" || encoding == "sjis";
    if (!cp932 && encoding != "utf-8" && encoding != "utf8") {
      return context.Error(Status::InvalidArgument(
          "encoding は utf-8 か cp932 です / encoding must be utf-8 or cp932", "encoding"));
    }
    if (cp932 && format->format != FileFormat::kCsv) {
      return context.Error(
          Status::InvalidArgument("cp932 は CSV だけです / cp932 applies to CSV only", "encoding"));
    }
    Result<http::PublicDataset> dataset = Find(context.app(), file.substr(0, dot));
    if (!dataset.ok()) return context.Error(dataset.status());
    if (context.request().method == "GET") {
      if (Status counted = CountDownload(context.app().database(), dataset->id, TodayInJapan());
          !counted.ok())
        return context.Error(counted);
    }
    Response response;
    response.content_type = std::string(format->mime_type);
    if (format->format == FileFormat::kCsv)
      response.content_type += cp932 ? "; charset=Shift_JIS" : "; charset=utf-8";
    if (format->format == FileFormat::kJson) response.content_type += "; charset=utf-8";
    response.AddHeader("Content-Disposition", "attachment; filename=\"" + file + "\"");
    response.AddHeader("Link", "<" + settings_.license_url + ">; rel=\"license\"");
    http::App* app = &context.app();
    auto shared = std::make_shared<http::PublicDataset>(std::move(*dataset));
    const FormatInfo chosen = *format;
    const CatalogSettings settings = settings_;
    response.stream = [app, shared, chosen, cp932, settings](const http::BodyWriter& write) {
      return WriteDatasetFile(*app, *shared, chosen, cp932, settings, write);
    };
    return response;
  }

  json DatasetSummary(const http::PublicDataset& dataset, int64_t downloads) const {
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

  Response ListPage(RequestContext& context) const {
    Result<std::vector<http::PublicDataset>> all = Datasets(context.app());
    if (!all.ok()) return context.Error(all.status());
    Result<std::map<std::string, int64_t>> totals = DownloadsPerDataset(context.app().database());
    if (!totals.ok()) return context.Error(totals.status());
    const std::string query = context.request().QueryParam("q").value_or("");
    const std::string tag = context.request().QueryParam("tag").value_or("");
    std::vector<FilterTerm> filters;
    if (!tag.empty()) filters.push_back({"tags", tag});
    json items = json::array();
    for (const http::PublicDataset& dataset : *all) {
      if (!MatchesSearch(dataset, settings_, query, filters)) continue;
      auto found = totals->find(dataset.id);
      items.push_back(DatasetSummary(dataset, found == totals->end() ? 0 : found->second));
    }
    return context.Page("opendata/catalog", context.Message("opendata_title"),
                        {{"datasets", items},
                         {"count", items.size()},
                         {"q", query},
                         {"tag", tag},
                         {"filtered", !query.empty() || !tag.empty()},
                         {"license_title", settings_.license_title},
                         {"license_url", settings_.license_url}});
  }

  Response DatasetPage(RequestContext& context) const {
    Result<http::PublicDataset> dataset = Find(context.app(), context.request().PathParam("id"));
    if (!dataset.ok()) return context.Error(dataset.status());
    Result<std::map<std::string, int64_t>> monthly =
        MonthlyDownloads(context.app().database(), dataset->id);
    if (!monthly.ok()) return context.Error(monthly.status());
    int64_t total = 0;
    json months = json::array();
    for (const auto& [month, count] : *monthly) {
      total += count;
      int year = 0;
      unsigned number = 0;
      const bool parsed = std::sscanf(month.c_str(), "%d-%u", &year, &number) == 2;
      months.push_back(
          {{"month", parsed ? FormatWarekiYear(year) + std::to_string(number) + "月" : month},
           {"downloads", count}});
    }
    json columns = json::array();
    for (const std::string& column : PublishedColumns(*dataset)) columns.push_back(column);
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
    Status read = ForEachPublishedDatasetRow(context.app(), *dataset, settings_, collect);
    if (!read.ok() && !preview_full) return context.Error(read);
    json data = DatasetSummary(*dataset, total);
    data["columns"] = columns;
    data["has_rows"] = !rows.empty();
    data["rows"] = rows;
    data["preview_truncated"] = preview_full;
    data["preview_rows"] = kPreviewRows;
    data["months"] = months;
    if (Result<Date> modified = ParseIsoDate(dataset->modified); modified.ok())
      data["modified"] = FormatWarekiDate(*modified);
    data["has_months"] = !months.empty();
    data["standard"] = dataset->standard;
    data["license_title"] = settings_.license_title;
    data["license_url"] = settings_.license_url;
    data["api_url"] = "/api/3/action/package_show?id=" + dataset->id;
    return context.Page("opendata/dataset", dataset->title, data);
  }

  Response Dcat(RequestContext& context) const {
    Result<std::vector<http::PublicDataset>> all = Datasets(context.app());
    if (!all.ok()) return context.Error(all.status());
    Response response = context.Json(200, DcatCatalog(*all, settings_, BaseUrl(context)));
    response.content_type = "application/ld+json; charset=utf-8";
    return response;
  }

 private:
  CatalogSettings settings_;
};

}  // namespace

http::Module OpendataModule(CatalogSettings settings) {
  auto catalog = std::make_shared<Catalog>(std::move(settings));
  http::Module module;
  module.name = "opendata";
  module.migrations = OpendataMigrations();
  module.install = [catalog](http::App& app) -> Status {
    Status added = http::AddEmbeddedTemplatesAndMessages(
        app, "opendata", opendata_files::EmbeddedFilePaths(), opendata_files::FindEmbeddedFile);
    if (!added.ok()) return added;
    http::Router& router = app.router();
    router.Get("/opendata",
               http::PublicCache(http::kPublicPageSeconds, [catalog](RequestContext& context) {
                 return catalog->ListPage(context);
               }));
    router.Get("/opendata/datasets/{id}",
               [catalog](RequestContext& context) { return catalog->DatasetPage(context); });
    router.Get("/opendata/files/{file}",
               [catalog](RequestContext& context) { return catalog->Download(context); });
    router.Get("/opendata/catalog.jsonld",
               [catalog](RequestContext& context) { return catalog->Dcat(context); });
    router.Get("/api/3/action/{action}",
               [catalog](RequestContext& context) { return catalog->Api(context); });
    // POST with a JSON body, as ckanapi calls actions; a cross-site form cannot send JSON.
    router.Post(
        "/api/3/action/{action}",
        [catalog](RequestContext& context) { return catalog->Api(context); },
        http::CsrfPolicy::kJsonOnly);
    return Status::Ok();
  };
  module.public_datasets = [catalog](http::App&) -> Result<std::vector<http::PublicDataset>> {
    return catalog->OwnDatasets();
  };
  module.indicators.push_back(
      {std::string(kMonthlyAverageDownloads), "オープンデータカタログのダウンロード数（自動集計）",
       [](storage::Database& database) -> Result<std::map<int, double>> {
         Result<std::map<std::string, int64_t>> monthly = MonthlyDownloads(database);
         if (!monthly.ok()) return monthly.status();
         return MonthlyAverageByFiscalYear(*monthly, TodayInJapan());
       }});
  return module;
}

}  // namespace civicdesk::opendata
