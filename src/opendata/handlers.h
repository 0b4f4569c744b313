#ifndef CIVICDESK_OPENDATA_HANDLERS_H_
#define CIVICDESK_OPENDATA_HANDLERS_H_

#include <string>
#include <vector>

#include "core/result.h"
#include "http/app.h"
#include "http/public_data.h"
#include "opendata/catalog.h"

// The handlers the route table of opendata_module.cc names, and what they share. Each takes the
// catalog's settings after the request.
namespace civicdesk::opendata {

// pages.cc: the catalog (/opendata, ?q= and ?tag=) and one dataset's page with a preview.
Result<http::Response> CatalogPage(http::RequestContext& context, const CatalogSettings& settings);
Result<http::Response> DatasetPage(http::RequestContext& context, const CatalogSettings& settings);

// api.cc: one CKAN API v3 action (/api/3/action/{action}, GET or a JSON POST), answered in CKAN's
// envelope, errors included; and the DCAT catalog in JSON-LD.
Result<http::Response> CkanAction(http::RequestContext& context, const CatalogSettings& settings);
Result<http::Response> DcatJsonLd(http::RequestContext& context, const CatalogSettings& settings);

// datasets.cc: a dataset as a file (/opendata/files/{id}.{csv,json,xlsx}, ?encoding=cp932 for
// CSV in Shift_JIS), streamed; a GET counts as a download.
Result<http::Response> DownloadFile(http::RequestContext& context, const CatalogSettings& settings);

// Every module's datasets, this catalog's own included, sorted by id.
Result<std::vector<http::PublicDataset>> SortedDatasets(http::App& app);
// The dataset with this id; NotFound otherwise.
Result<http::PublicDataset> FindDataset(http::App& app, const std::string& id);

// This module's own datasets: the catalog as the standard オープンデータ一覧, and the download
// counts behind the plan's KPI.
std::vector<http::PublicDataset> OwnDatasets(const CatalogSettings& settings);

}  // namespace civicdesk::opendata

#endif  // CIVICDESK_OPENDATA_HANDLERS_H_
