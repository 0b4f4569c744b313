#ifndef CIVICDESK_OPENDATA_OPENDATA_MODULE_H_
#define CIVICDESK_OPENDATA_OPENDATA_MODULE_H_

#include "http/app.h"
#include "opendata/catalog.h"

namespace civicdesk::opendata {

// The open-data catalog: every public dataset the installed modules declare, as files
// (/opendata/files/{id}.csv|json|xlsx, CSV also in CP932 with ?encoding=cp932), pages
// (/opendata, /opendata/datasets/{id}), a CKAN API v3 read subset (/api/3/action/package_list,
// package_show, package_search, organization_list, organization_show, resource_show), a DCAT
// catalog (/opendata/catalog.jsonld), and download counts per dataset per month, which it
// offers as the indicator "opendata.monthly_average_downloads".
http::Module OpendataModule(CatalogSettings settings = {});

inline constexpr std::string_view kMonthlyAverageDownloads = "opendata.monthly_average_downloads";

}  // namespace civicdesk::opendata

#endif  // CIVICDESK_OPENDATA_OPENDATA_MODULE_H_
