#ifndef CIVICDESK_FACILITIES_HANDLERS_H_
#define CIVICDESK_FACILITIES_HANDLERS_H_

#include <string>
#include <vector>

#include "core/result.h"
#include "http/app.h"
#include "http/public_data.h"
#include "storage/database.h"

// The handlers the route table of facilities_module.cc names, and the parts of its manifest.
namespace civicdesk::facilities {

// pages.cc: the register (/facilities), one facility with its works (/facilities/{id}), the
// projection (/facilities/projection) and the policies (/facilities/policies; publishers and
// admins also get the editor).
Result<http::Response> IndexPage(http::RequestContext& context);
Result<http::Response> FacilityPage(http::RequestContext& context);
Result<http::Response> ProjectionPage(http::RequestContext& context);
Result<http::Response> PoliciesPage(http::RequestContext& context);
// The policies page with a rejected draft back in its editor and `error`'s words above it (422).
Result<http::Response> PoliciesPageWithError(http::RequestContext& context, const Status& error,
                                             const std::string& draft);

// staff_pages.cc: levelling the projection (/staff/facilities/levelling), saving a new policy
// version (POST /staff/facilities/policies) and recording a completed work (POST
// /staff/facilities/{id}/works, MayRecordWorks).
Result<http::Response> LevellingPage(http::RequestContext& context);
Result<http::Response> SavePolicyForm(http::RequestContext& context);
Result<http::Response> RecordWorkForm(http::RequestContext& context);

// datasets.cc: the register and the projection as files, streamed. The projection's XLSX also
// holds the list of works, as a second sheet.
Result<http::Response> RegistryCsv(http::RequestContext& context);
Result<http::Response> RegistryXlsx(http::RequestContext& context);
Result<http::Response> ProjectionCsv(http::RequestContext& context);
Result<http::Response> ProjectionXlsx(http::RequestContext& context);
// The public datasets 公共施設一覧 and the projection by category, for the open-data catalog.
Result<std::vector<http::PublicDataset>> PublicDatasets(http::App& app);

// sample_data.cc: the 総務省 and 80-year policies, and the sample registry
// (data/sample/facilities.csv) unless a register was imported before the first start.
Status LoadSampleData(storage::Database& database);
// Saves 総務省 and 80-year policies when the database lacks them (each looked for by its id); run
// by every command after migrating, whatever created the database.
Status LoadBuiltInPolicies(storage::Database& database);

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_HANDLERS_H_
