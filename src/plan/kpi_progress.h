#ifndef CIVICDESK_PLAN_KPI_PROGRESS_H_
#define CIVICDESK_PLAN_KPI_PROGRESS_H_

#include <vector>

#include "core/kpi_feed.h"
#include "core/result.h"
#include "http/app.h"
#include "plan/evaluation.h"
#include "plan/model.h"

namespace civicdesk::plan {

// The KPI's actuals: those entered, plus — for a KPI another module measures — that module's
// value for each fiscal year (and segment) nobody entered: the indicator the KPI names in
// `measured_by`, and the rows of the KPI feed datasets (core/kpi_feed.h: a survey question
// declared to feed this KPI). Ordered by fiscal year. An indicator no installed module measures
// adds nothing. `fed`, when given, receives the row behind each actual another module gave.
Result<std::vector<KpiActual>> ActualsOf(http::App& app, const Kpi& kpi,
                                         std::vector<kpi_feed::Row>* fed = nullptr);

// Every row of the KPI feed datasets the installed modules offer (their columns are exactly
// kpi_feed::Columns()); read through the open-data declarations, never a module's tables.
Result<std::vector<kpi_feed::Row>> ReadKpiFeeds(http::App& app);

// Who feeds the KPI, each source once: the indicator it names in `measured_by` (its module is the
// indicator id's prefix, "opendata."), even before it measured anything, and the sources of `fed`.
std::vector<kpi_feed::Row> FedByOf(const http::App& app, const Kpi& kpi,
                                   const std::vector<kpi_feed::Row>& fed);

// The row of `fed` behind `actual` (same fiscal year and segment), or nullptr.
const kpi_feed::Row* FedRowOf(const std::vector<kpi_feed::Row>& fed, const KpiActual& actual);

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
