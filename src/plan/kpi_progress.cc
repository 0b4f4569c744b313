#include "plan/kpi_progress.h"

#include <algorithm>
#include <map>

#include "plan/actuals.h"

namespace civicdesk::plan {

Result<std::vector<KpiActual>> ActualsOf(http::App& app, const Kpi& kpi) {
  Result<std::vector<KpiActual>> actuals = ListKpiActuals(app.database(), kpi.code);
  if (!actuals.ok()) return actuals;
  // A year (and segment) someone entered, or an earlier indicator filled, is left as it is.
  auto known = [&](int fiscal_year, const std::string& segment) {
    return std::any_of(actuals->begin(), actuals->end(), [&](const KpiActual& actual) {
      return actual.fiscal_year == fiscal_year && (segment.empty() || actual.segment == segment);
    });
  };
  const http::Indicator* named =
      kpi.measured_by.empty() ? nullptr : app.FindIndicator(kpi.measured_by);
  if (named != nullptr && named->by_fiscal_year) {
    CIVICDESK_ASSIGN_OR_RETURN(auto measured, named->by_fiscal_year(app.database()));
    for (const auto& [fiscal_year, value] : measured) {
      if (known(fiscal_year, "")) continue;
      actuals->push_back(
          {fiscal_year, value, named->source, "",
           http::FedBy{named->module, named->source, named->id, "", std::nullopt, std::nullopt}});
    }
  }
  for (const http::Indicator& indicator : app.indicators()) {
    if (!indicator.for_kpi) continue;
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<http::FedValue> fed,
                               indicator.for_kpi(app.database(), kpi.code));
    for (http::FedValue& value : fed) {
      if (known(value.fiscal_year, value.segment)) continue;
      actuals->push_back(
          {value.fiscal_year, value.value, value.fed_by.source, value.segment, value.fed_by});
    }
  }
  std::stable_sort(actuals->begin(), actuals->end(), [](const KpiActual& a, const KpiActual& b) {
    return a.fiscal_year < b.fiscal_year;
  });
  return actuals;
}

std::vector<http::FedBy> FedByOf(const http::App& app, const Kpi& kpi,
                                 const std::vector<KpiActual>& actuals) {
  std::vector<http::FedBy> sources;
  auto add = [&](const http::FedBy& fed_by) {
    for (const http::FedBy& known : sources)
      if (known.module == fed_by.module && known.reference == fed_by.reference &&
          known.source == fed_by.source)
        return;
    sources.push_back(fed_by);
  };
  const http::Indicator* named =
      kpi.measured_by.empty() ? nullptr : app.FindIndicator(kpi.measured_by);
  if (named != nullptr)
    add({named->module, named->source, named->id, "", std::nullopt, std::nullopt});
  for (const KpiActual& actual : actuals)
    if (actual.fed_by) add(*actual.fed_by);
  return sources;
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
