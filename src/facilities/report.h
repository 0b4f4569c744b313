#ifndef CIVICDESK_FACILITIES_REPORT_H_
#define CIVICDESK_FACILITIES_REPORT_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "facilities/lifecycle.h"

namespace civicdesk::facilities {

// Yearly costs grouped by one attribute: series[s][y] is the cost of group `labels[s]` in year
// from_year + y. Groups keep a stable order (categories in 総務省 order, the rest by name).
struct GroupedCosts {
  int from_year = 0;
  std::vector<std::string> labels;
  std::vector<std::vector<int64_t>> series;
  std::vector<int64_t> Totals() const;
};

enum class Grouping { kCategory, kDistrict, kFacility, kWorkKind };
Result<Grouping> ParseGrouping(std::string_view text);

// Sums `facility_years` (CostByFacilityAndYear) by category, district or facility. kWorkKind
// needs the works and the policy (routine costs become their own group, 日常修繕).
GroupedCosts GroupCosts(const std::vector<Facility>& facilities,
                        const FacilityYearCosts& facility_years, Grouping grouping,
                        const ProjectionOptions& options);
GroupedCosts GroupCostsByWorkKind(const std::vector<Facility>& facilities,
                                  const std::vector<PlannedWork>& works,
                                  const LifecyclePolicy& policy, const ProjectionOptions& options);

// Hands `write` the rows {year, group, cost_yen} of `costs`, every year × every group (zeros
// included), years first; stops at the first failed write and returns it.
using CostRowWriter = std::function<Status(const std::vector<std::string>& cells)>;
Status ForEachCostRow(const GroupedCosts& costs, const CostRowWriter& write);

// "year,<group>,cost_yen" rows, every year × every group (zeros included), with a header whose
// second column is `group_column` ("category"), as CSV through http::WriteTable: the bytes of
// the site's /facilities/projection.csv (UTF-8 with a BOM, CRLF, formula cells guarded).
void WriteGroupedCsv(const GroupedCosts& costs, const std::string& group_column,
                     std::ostream& output);

// A stacked bar chart of `costs`, one bar per year, in 億円. Presentation attributes only (the
// site's Content-Security-Policy forbids inline style); `described_by` names the table that holds
// the same numbers for screen readers. Colours are distinguishable and labelled in a legend.
// Each labelled year shows the Western year over its era year (EraYearLabel: 令和7, or R7 when
// `language` is "en").
std::string StackedBarSvg(const GroupedCosts& costs, const std::string& title,
                          const std::string& described_by, std::string_view language = "ja");

// "12.3" for 1,230,000,000 yen: 億円 with one decimal.
std::string OkuYen(int64_t yen);

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_REPORT_H_
