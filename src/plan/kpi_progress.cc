#include "plan/kpi_progress.h"

#include <algorithm>
#include <map>

#include "plan/actuals.h"

namespace civicdesk::plan {

Result<std::vector<KpiActual>> ActualsOf(http::App& app, const Kpi& kpi) {
  Result<std::vector<KpiActual>> actuals = ListKpiActuals(app.database(), kpi.code);
  if (!actuals.ok() || kpi.measured_by.empty()) return actuals;
  const http::Indicator* indicator = app.FindIndicator(kpi.measured_by);
  if (indicator == nullptr) return actuals;
  CIVICDESK_ASSIGN_OR_RETURN(auto measured, indicator->by_fiscal_year(app.database()));
  for (const auto& [fiscal_year, value] : measured) {
    if (std::any_of(actuals->begin(), actuals->end(),
                    [&](const KpiActual& actual) { return actual.fiscal_year == fiscal_year; }))
      continue;
    actuals->push_back({fiscal_year, value, indicator->source});
  }
  std::sort(actuals->begin(), actuals->end(),
            [](const KpiActual& a, const KpiActual& b) { return a.fiscal_year < b.fiscal_year; });
  return actuals;
}

Result<std::vector<EvaluatedKpi>> EvaluateAll(http::App& app, const PlanData& data) {
  std::vector<EvaluatedKpi> all;
  for (const Policy& policy : data.policies) {
    std::vector<const Kpi*> kpis;
    for (const Kpi& kpi : policy.kpis) kpis.push_back(&kpi);
    for (const Measure& measure : policy.measures)
      for (const Kpi& kpi : measure.kpis) kpis.push_back(&kpi);
    for (const Kpi* kpi : kpis) {
      CIVICDESK_ASSIGN_OR_RETURN(std::vector<KpiActual> actuals, ActualsOf(app, *kpi));
      KpiEvaluation evaluation = EvaluateKpi(*kpi, actuals);
      all.push_back({&policy, kpi, std::move(actuals), evaluation});
    }
  }
  return all;
}

}  // namespace civicdesk::plan
