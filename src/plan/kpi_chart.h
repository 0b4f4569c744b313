#ifndef CIVICDESK_PLAN_KPI_CHART_H_
#define CIVICDESK_PLAN_KPI_CHART_H_

#include <string>
#include <string_view>
#include <vector>

#include "plan/evaluation.h"
#include "plan/model.h"

namespace civicdesk::plan {

// The KPI's history as an SVG line chart titled `label`: actuals joined by a line and drawn
// last (a filled dot ringed in white, so an actual that meets its target stays visible), the
// baseline as a hollow circle, targets as hollow squares. The value axis has round ticks (1, 2
// or 5 × 10^n, the axis starting and ending on a tick); each year is labelled with the Western
// year over its era year (令和7 on Japanese pages, R7 on English ones, as `language` says).
// Presentation attributes only (no inline style), so the strict Content-Security-Policy holds.
// The page puts the same numbers in a table for screen readers (the chart is described by
// #history-table). Empty when there is nothing to draw.
std::string KpiChartSvg(const Kpi& kpi, const std::vector<KpiActual>& actuals,
                        const std::string& label, std::string_view language);

// Round ticks covering [low, high]: a step of 1, 2 or 5 × 10^n giving 3 to 6 intervals, the
// first tick at or below `low` and the last at or above `high`.
std::vector<double> RoundTicks(double low, double high);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_KPI_CHART_H_
