#ifndef CIVICDESK_PLAN_KPI_PROGRESS_H_
#define CIVICDESK_PLAN_KPI_PROGRESS_H_

#include <vector>

#include "core/result.h"
#include "http/app.h"
#include "plan/evaluation.h"
#include "plan/model.h"

namespace civicdesk::plan {

// The KPI's actuals: those entered, plus — for a KPI measured by another module's indicator
// (its `measured_by`, or an indicator that says it feeds this KPI, a survey question) — the
// indicator's value for each fiscal year (and segment) nobody entered, with its fed_by. Ordered
// by fiscal year. An indicator no installed module measures adds nothing.
Result<std::vector<KpiActual>> ActualsOf(http::App& app, const Kpi& kpi);

// Who feeds the KPI: the fed_by of each fed actual, each source once, and the indicator the KPI
// names in `measured_by` even before it measured anything.
std::vector<http::FedBy> FedByOf(const http::App& app, const Kpi& kpi,
                                 const std::vector<KpiActual>& actuals);

// A KPI of the plan with its policy, its actuals and its evaluation.
struct EvaluatedKpi {
  const Policy* policy;
  const Kpi* kpi;
  std::vector<KpiActual> actuals;
  KpiEvaluation evaluation;
};

// Every KPI of the plan (each policy's own, then its measures'), in plan order. The pointers
// refer into `data`.
Result<std::vector<EvaluatedKpi>> EvaluateAll(http::App& app, const PlanData& data);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_KPI_PROGRESS_H_
