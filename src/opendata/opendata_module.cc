#include "opendata/opendata_module.h"

#include <memory>

#include "core/date.h"
#include "embedded/opendata_files.h"
#include "opendata/downloads.h"
#include "opendata/handlers.h"

namespace civicdesk::opendata {
namespace {

using http::Access;
using http::CsrfPolicy;
using http::kPublicPageSeconds;
using http::PublicCache;
using http::RequestContext;

using CatalogHandler = Result<http::Response> (*)(RequestContext&, const CatalogSettings&);

// `handler` with this catalog's settings.
http::Handler With(std::shared_ptr<const CatalogSettings> settings, CatalogHandler handler) {
  return [settings = std::move(settings), handler](RequestContext& context) {
    return handler(context, *settings);
  };
}

std::vector<http::Route> Routes(const std::shared_ptr<const CatalogSettings>& settings) {
  return {
      {"GET", "/opendata", Access::kPublic,
       PublicCache(kPublicPageSeconds, With(settings, CatalogPage))},
      {"GET", "/opendata/datasets/{id}", Access::kPublic, With(settings, DatasetPage)},
      {"GET", "/opendata/files/{file}", Access::kPublic, With(settings, DownloadFile)},
      {"GET", "/opendata/catalog.jsonld", Access::kPublic, With(settings, DcatJsonLd)},
      {"GET", "/api/3/action/{action}", Access::kPublic, With(settings, CkanAction)},
      // A JSON body, as ckanapi calls actions; a cross-site form cannot send JSON.
      {"POST", "/api/3/action/{action}", Access::kPublic, With(settings, CkanAction),
       CsrfPolicy::kJsonOnly},
  };
}

}  // namespace

http::Module OpendataModule(CatalogSettings settings) {
  auto shared = std::make_shared<const CatalogSettings>(std::move(settings));
  http::Module module;
  module.name = "opendata";
  module.migrations = OpendataMigrations();
  module.install = [shared](http::App& app) -> Status {
    CIVICDESK_RETURN_IF_ERROR(http::AddEmbeddedTemplates(
        app, "opendata", opendata_files::EmbeddedFilePaths(), opendata_files::FindEmbeddedFile));
    app.router().Add(Routes(shared));
    return Status::Ok();
  };
  module.public_datasets = [shared](http::App&) -> Result<std::vector<http::PublicDataset>> {
    return OwnDatasets(*shared);
  };
  module.indicators.push_back(
      {std::string(kMonthlyAverageDownloads),
       "オープンデータカタログのダウンロード数（自動集計。同じ接続元からの同じデータセット"
       "のダウンロードは1日1回と数え、検索エンジン等のクローラーは数えない）",
       [](storage::Database& database) -> Result<std::map<int, double>> {
         Result<std::map<std::string, int64_t>> monthly = MonthlyDownloads(database);
         if (!monthly.ok()) return monthly.status();
         return MonthlyAverageByFiscalYear(*monthly, TodayInJapan());
       }});
  module.messages = [](http::MessageCatalog& catalog) {
    return http::AddEmbeddedMessages(catalog, "opendata", opendata_files::EmbeddedFilePaths(),
                                     opendata_files::FindEmbeddedFile);
  };
  return module;
}

}  // namespace civicdesk::opendata
