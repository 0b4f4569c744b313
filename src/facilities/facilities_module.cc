#include "facilities/facilities_module.h"

#include "embedded/facilities_files.h"
#include "facilities/handlers.h"
#include "facilities/store.h"
#include "facilities/table_imports.h"

namespace civicdesk::facilities {
namespace {

using http::Access;
using http::kPublicPageSeconds;
using http::PublicCache;

std::vector<http::Route> Routes() {
  return {
      {"GET", "/facilities", Access::kPublic, PublicCache(kPublicPageSeconds, IndexPage)},
      {"GET", "/facilities/registry.csv", Access::kPublic, RegistryCsv},
      {"GET", "/facilities/registry.xlsx", Access::kPublic, RegistryXlsx},
      {"GET", "/facilities/projection", Access::kPublic, ProjectionPage},
      {"GET", "/facilities/projection.csv", Access::kPublic, ProjectionCsv},
      {"GET", "/facilities/projection.xlsx", Access::kPublic, ProjectionXlsx},
      // Publishers and admins also get the editor (with its form), so not cached.
      {"GET", "/facilities/policies", Access::kPublic, PoliciesPage},
      {"GET", "/facilities/{id}", Access::kPublic, FacilityPage},
      {"GET", "/staff/facilities/levelling", Access::kStaff, LevellingPage},
      {"POST", "/staff/facilities/policies", Access::kPublisher, SavePolicyForm},
      // Any staff member reaches it; MayRecordWorks then admits the facility's own section.
      {"POST", "/staff/facilities/{id}/works", Access::kStaff, RecordWorkForm},
  };
}

}  // namespace

http::Module FacilitiesModule() {
  http::Module module;
  module.name = "facilities";
  module.importers = {FacilitiesImporter()};
  module.migrations = FacilitiesMigrations();
  module.install = [](http::App& app) -> Status {
    CIVICDESK_RETURN_IF_ERROR(http::AddEmbeddedTemplates(app, "facilities",
                                                         facilities_files::EmbeddedFilePaths(),
                                                         facilities_files::FindEmbeddedFile));
    app.router().Add(Routes());
    return Status::Ok();
  };
  module.load_initial_data = LoadSampleData;
  module.load_builtin_data = LoadBuiltInPolicies;
  module.public_datasets = PublicDatasets;
  module.audit_trail = FacilitiesAuditTrail;
  module.indicators.push_back(
      {std::string(kMaintenanceWorks), "施設台帳の工事履歴（自動集計）", MaintenanceWorksByYear});
  module.messages = [](http::MessageCatalog& catalog) {
    return http::AddEmbeddedMessages(catalog, "facilities", facilities_files::EmbeddedFilePaths(),
                                     facilities_files::FindEmbeddedFile);
  };
  return module;
}

}  // namespace civicdesk::facilities
