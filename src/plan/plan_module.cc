// The plan module's manifest and route table. The handlers are in pages.cc (public HTML),
// staff_pages.cc, api.cc and datasets.cc; see handlers.h.

#include "plan/plan_module.h"

#include "embedded/plan_files.h"
#include "plan/feeds.h"
#include "plan/handlers.h"
#include "plan/plan_data.h"
#include "plan/repository.h"
#include "plan/search_documents.h"
#include "plan/table_imports.h"

namespace civicdesk::plan {
namespace {

using http::Access;
using http::kPublicPageSeconds;
using http::PublicCache;

std::vector<http::Route> Routes() {
  return {
      // Public pages.
      {"GET", "/", Access::kPublic, PublicCache(kPublicPageSeconds, HomePage)},
      {"GET", "/plan", Access::kPublic, PublicCache(kPublicPageSeconds, PlanIndexPage)},
      {"GET", "/plan/policies/{n}", Access::kPublic, PublicCache(kPublicPageSeconds, PolicyPage)},
      {"GET", "/plan/policies/{n}/measures/{m}", Access::kPublic,
       PublicCache(kPublicPageSeconds, MeasurePage)},
      // Not cached: staff who may enter its actuals see a form.
      {"GET", "/plan/kpis/{code}", Access::kPublic, KpiPage},
      {"GET", "/plan/evaluations", Access::kPublic, EvaluationsPage},
      {"GET", "/plan/versions", Access::kPublic, PublicCache(kPublicPageSeconds, VersionsPage)},
      {"GET", "/plan/dashboard", Access::kPublic, PublicCache(kPublicPageSeconds, DashboardPage)},
      // Downloads.
      // Atom feeds of KPI updates, the whole plan's and each policy's.
      {"GET", "/plan/kpis.atom", Access::kPublic, PublicCache(kPublicPageSeconds, KpisFeed)},
      {"GET", "/plan/policies/{n}/kpis.atom", Access::kPublic,
       PublicCache(kPublicPageSeconds, PolicyKpisFeed)},
      {"GET", "/plan/kpis.csv", Access::kPublic, KpisCsv},
      {"GET", "/plan/kpis.xlsx", Access::kPublic, KpisXlsx},
      // Staff: any signed-in staff member; MayEnterActuals then admits admins, publishers and the
      // section that owns the KPI.
      {"POST", "/plan/kpis/{code}/actuals", Access::kStaff, EnterActual},
      // JSON API.
      {"GET", "/api/v1/plan/policies", Access::kPublic, ApiPolicies},
      {"GET", "/api/v1/plan/policies/{n}", Access::kPublic, ApiPolicy},
      {"GET", "/api/v1/plan/kpis/{code}", Access::kPublic, ApiKpi},
      {"GET", "/api/v1/plan/versions", Access::kPublic, ApiVersions},
      {"GET", "/api/v1/plan/evaluations", Access::kPublic, ApiEvaluations},
  };
}

Status Install(http::App& app) {
  CIVICDESK_RETURN_IF_ERROR(http::AddEmbeddedTemplates(app, "plan", plan_files::EmbeddedFilePaths(),
                                                       plan_files::FindEmbeddedFile));
  app.router().Add(Routes());
  return Status::Ok();
}

// The Minato plan shipped in the binary, loaded into an empty database and indexed for search.
Status LoadMinato(storage::Database& database) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ParsePlanFiles(MinatoPlanFiles()));
  CIVICDESK_RETURN_IF_ERROR(LoadPlanIfEmpty(database, data));
  return IndexPlan(database);
}

}  // namespace

http::Module PlanModule() {
  http::Module module;
  module.name = "plan";
  module.importers = {KpiActualsImporter(), EvaluationImporter()};
  module.migrations = PlanMigrations();
  module.install = Install;
  module.load_initial_data = LoadMinato;
  module.public_datasets = PlanDatasets;
  module.audit_trail = ReadPlanAudit;
  // The sections that own KPIs: their staff enter the actuals.
  module.organisation_units =
      [](storage::Database& database) -> Result<std::vector<std::pair<std::string, std::string>>> {
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult rows,
        database.Query("SELECT DISTINCT department, section FROM plan_kpi_owner", {}));
    std::vector<std::pair<std::string, std::string>> units;
    for (const auto& row : rows.rows)
      units.emplace_back(storage::AsText(row[0]), storage::AsText(row[1]));
    return units;
  };
  module.messages = [](http::MessageCatalog& catalog) {
    return http::AddEmbeddedMessages(catalog, "plan", plan_files::EmbeddedFilePaths(),
                                     plan_files::FindEmbeddedFile);
  };
  return module;
}

}  // namespace civicdesk::plan
