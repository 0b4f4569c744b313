#ifndef CIVICDESK_PLAN_HANDLERS_H_
#define CIVICDESK_PLAN_HANDLERS_H_

// The handlers the plan's route table (plan_module.cc) names. Internal to the plan module.

#include <vector>

#include "core/result.h"
#include "http/app.h"
#include "http/public_data.h"

namespace civicdesk::plan {

// --- pages.cc: public HTML ---
Result<http::Response> HomePage(http::RequestContext& context);         // /
Result<http::Response> PlanIndexPage(http::RequestContext& context);    // /plan
Result<http::Response> PolicyPage(http::RequestContext& context);       // /plan/policies/{n}
Result<http::Response> MeasurePage(http::RequestContext& context);      // .../measures/{m}
Result<http::Response> KpiPage(http::RequestContext& context);          // /plan/kpis/{code}
Result<http::Response> EvaluationsPage(http::RequestContext& context);  // /plan/evaluations
Result<http::Response> VersionsPage(http::RequestContext& context);     // /plan/versions
Result<http::Response> DashboardPage(http::RequestContext& context);    // /plan/dashboard

// The KPI page with `error` shown above its entry form, answered with the error's HTTP status:
// for a form that was sent with a mistake.
Result<http::Response> KpiPageWithError(http::RequestContext& context, const Status& error);

// --- staff_pages.cc: staff HTML ---
Result<http::Response> EnterActual(
    http::RequestContext& context);  // POST /plan/kpis/{code}/actuals

// --- api.cc: JSON API under /api/v1/plan ---
Result<http::Response> ApiPolicies(http::RequestContext& context);
Result<http::Response> ApiPolicy(http::RequestContext& context);
Result<http::Response> ApiKpi(http::RequestContext& context);
Result<http::Response> ApiEvaluations(http::RequestContext& context);
Result<http::Response> ApiVersions(http::RequestContext& context);

// --- datasets.cc: public datasets and downloads ---
Result<http::Response> KpisCsv(http::RequestContext& context);   // /plan/kpis.csv
Result<http::Response> KpisXlsx(http::RequestContext& context);  // /plan/kpis.xlsx
// The plan's public datasets for the open-data catalog.
Result<std::vector<http::PublicDataset>> PlanDatasets(http::App& app);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_HANDLERS_H_
