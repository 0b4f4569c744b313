#ifndef CIVICDESK_FACILITIES_LEVELLING_H_
#define CIVICDESK_FACILITIES_LEVELLING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "facilities/lifecycle.h"

namespace civicdesk::facilities {

struct LevellingOptions {
  // With a cap: keep each year at or under it where the windows allow (least total excess).
  // Without: the flattest profile (the lowest peak year).
  std::optional<int64_t> yearly_cap_yen;
  // The exact solver (COIN-OR CBC) is used while the model has at most this many 0-1 variables
  // (one per work and allowed start year); larger problems use the heuristic.
  size_t exact_max_variables = 4000;
  double exact_time_limit_seconds = 20;
  bool allow_exact = true;
};

// One work the levelling moved, with the reason in figures.
struct LevellingMove {
  size_t work = 0;  // index into the scheduled works
  int from_year = 0;
  int to_year = 0;
  int latest_allowed = 0;  // the safety limit
  // The total of the year it left, before and after all moves.
  int64_t from_year_total_before = 0;
  int64_t from_year_total_after = 0;
};

struct LevellingResult {
  std::string method;  // "cbc" or "heuristic"
  bool proven_optimal = false;
  std::vector<int> start_years;  // per scheduled work
  std::vector<int64_t> before;   // yearly totals
  std::vector<int64_t> after;
  int64_t peak_before = 0;
  int64_t peak_after = 0;
  int64_t excess_before = 0;  // sum over years of the amount above the cap (0 without one)
  int64_t excess_after = 0;
  // The objective reached (peak, or total excess with a cap), a proven lower bound on it, and
  // the relative gap between them (0: optimal).
  int64_t objective = 0;
  int64_t lower_bound = 0;
  double gap = 0;
  std::vector<LevellingMove> moves;
};

// Moves works within their windows ([earliest_start, latest_start], never past the latest: the
// safety limit) to level the yearly totals of `facility_years` (the projection) over the
// horizon. Overdue works and routine costs stay where they are.
LevellingResult LevelWorks(const std::vector<PlannedWork>& works,
                           const FacilityYearCosts& facility_years, const LifecyclePolicy& policy,
                           const ProjectionOptions& projection, const LevellingOptions& options);

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_LEVELLING_H_
