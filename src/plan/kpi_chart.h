#ifndef CIVICDESK_PLAN_KPI_CHART_H_
#define CIVICDESK_PLAN_KPI_CHART_H_

#include <string>
#include <vector>

#include "plan/evaluation.h"
#include "plan/model.h"

namespace civicdesk::plan {

// The KPI's history as an SVG line chart titled `label`: actuals joined by a line, the baseline
// as a hollow circle, targets as squares. Presentation attributes only (no inline style), so the
// strict Content-Security-Policy holds. The page puts the same numbers in a table for screen
// readers (the chart is described by #history-table). Empty when there is nothing to draw.
std::string KpiChartSvg(const Kpi& kpi, const std::vector<KpiActual>& actuals,
                        const std::string& label);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_KPI_CHART_H_
