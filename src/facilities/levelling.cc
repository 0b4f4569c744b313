#include "facilities/levelling.h"

#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <numeric>
#include <string>

namespace civicdesk::facilities {
namespace {

// A work the levelling may move: its yearly cost parts and its allowed start years.
struct Movable {
  size_t work = 0;
  std::vector<int64_t> parts;  // cost in each year of its duration
  int earliest = 0;
  int latest = 0;
  int original = 0;
};

class Profile {
 public:
  Profile(std::vector<int64_t> totals, int from_year)
      : totals_(std::move(totals)), from_(from_year) {}

  void Apply(const Movable& movable, int start, int sign) {
    for (size_t i = 0; i < movable.parts.size(); ++i) {
      const int index = start + static_cast<int>(i) - from_;
      if (index < 0 || index >= static_cast<int>(totals_.size())) continue;
      totals_[static_cast<size_t>(index)] += sign * movable.parts[i];
    }
  }
  const std::vector<int64_t>& totals() const { return totals_; }

 private:
  std::vector<int64_t> totals_;
  int from_;
};

int64_t Peak(const std::vector<int64_t>& totals) {
  return totals.empty() ? 0 : *std::max_element(totals.begin(), totals.end());
}

int64_t Excess(const std::vector<int64_t>& totals, const std::optional<int64_t>& cap) {
  if (!cap) return 0;
  int64_t excess = 0;
  for (int64_t total : totals) excess += std::max<int64_t>(0, total - *cap);
  return excess;
}

// The heuristic's cost of one year: the square of the total (flattest) or of the amount over
// the cap. Squares spread the burden; only strict improvements move a work.
double YearCost(int64_t total, const std::optional<int64_t>& cap) {
  const double value =
      cap ? static_cast<double>(std::max<int64_t>(0, total - *cap)) : static_cast<double>(total);
  const double scaled = value / 1e6;
  return scaled * scaled;
}

// The heuristic: works in order of cost, each moved to the start in its window that lowers the
// sum of year costs the most, in passes until no move helps.
std::vector<int> LocalSearch(const std::vector<Movable>& movables, Profile& profile,
                             const std::optional<int64_t>& cap, int from_year) {
  std::vector<int> starts(movables.size());
  for (size_t m = 0; m < movables.size(); ++m) starts[m] = movables[m].original;
  std::vector<size_t> order(movables.size());
  std::iota(order.begin(), order.end(), 0);
  // Stable, so that equal works keep their schedule order (bench/facilities_baseline.py too).
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::accumulate(movables[a].parts.begin(), movables[a].parts.end(), int64_t{0}) >
           std::accumulate(movables[b].parts.begin(), movables[b].parts.end(), int64_t{0});
  });
  const std::vector<int64_t>& totals = profile.totals();
  // The year cost summed over the years the work touches at either start.
  auto cost_over = [&](const Movable& movable, int a, int b) {
    double cost = 0;
    const int first = std::min(a, b) - from_year;
    const int last = std::max(a, b) + static_cast<int>(movable.parts.size()) - 1 - from_year;
    for (int index = std::max(first, 0); index <= last && index < static_cast<int>(totals.size());
         ++index) {
      const bool touched = (index + from_year - a >= 0 &&
                            index + from_year - a < static_cast<int>(movable.parts.size())) ||
                           (index + from_year - b >= 0 &&
                            index + from_year - b < static_cast<int>(movable.parts.size()));
      if (touched) cost += YearCost(totals[static_cast<size_t>(index)], cap);
    }
    return cost;
  };
  for (int pass = 0; pass < 100; ++pass) {
    bool moved = false;
    for (size_t m : order) {
      const Movable& movable = movables[m];
      const int current = starts[m];
      double best_delta = 0;
      int best_start = current;
      for (int start = movable.earliest; start <= movable.latest; ++start) {
        if (start == current) continue;
        const double at_current = cost_over(movable, current, start);
        profile.Apply(movable, current, -1);
        profile.Apply(movable, start, +1);
        const double at_start = cost_over(movable, current, start);
        profile.Apply(movable, start, -1);
        profile.Apply(movable, current, +1);
        const double delta = at_start - at_current;
        if (delta < best_delta - 1e-9 * std::max(1.0, at_current)) {
          best_delta = delta;
          best_start = start;
        }
      }
      if (best_start != current) {
        profile.Apply(movable, current, -1);
        profile.Apply(movable, best_start, +1);
        starts[m] = best_start;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return starts;
}

struct ExactOutcome {
  bool solved = false;
  bool optimal = false;
  std::vector<int> starts;
  double bound = 0;  // in yen
};

// min P (or the total excess over the cap) + a tiny cost per move, with one 0-1 variable per
// work and allowed start, solved by CBC. `start_hint` (the heuristic's plan) is handed to CBC as
// its first incumbent, so the answer is never worse than the heuristic's when time runs out.
ExactOutcome SolveExact(const std::vector<Movable>& movables, const std::vector<int64_t>& fixed,
                        const std::optional<int64_t>& cap, int from_year, double time_limit,
                        const std::vector<int>& start_hint) {
  constexpr double kUnit = 10000;        // the model counts in 万円
  constexpr double kMovePenalty = 1e-4;  // 万円 per move: only breaks ties
  const int years = static_cast<int>(fixed.size());
  Cbc_Model* model = Cbc_newModel();
  Cbc_setLogLevel(model, 0);
  Cbc_setMaximumSeconds(model, time_limit);
  // Columns 0..years-1: the excess per year (cap), or column 0: the peak P.
  const int objective_columns = cap ? years : 1;
  for (int c = 0; c < objective_columns; ++c) {
    Cbc_addCol(model, ("z" + std::to_string(c)).c_str(), 0, 1e12, 1.0, 0, 0, nullptr, nullptr);
  }
  std::vector<std::vector<int>> column_of(movables.size());
  int next_column = objective_columns;
  for (size_t m = 0; m < movables.size(); ++m) {
    for (int start = movables[m].earliest; start <= movables[m].latest; ++start) {
      // Each moved work costs ten units and one per year: the fewest moves, then the shortest.
      const int shift = std::abs(start - movables[m].original);
      const double penalty = shift == 0 ? 0 : kMovePenalty * (10 + shift);
      Cbc_addCol(model, ("x" + std::to_string(next_column)).c_str(), 0, 1, penalty, 1, 0, nullptr,
                 nullptr);
      column_of[m].push_back(next_column++);
    }
    std::vector<int> columns = column_of[m];
    std::vector<double> ones(columns.size(), 1.0);
    Cbc_addRow(model, ("one" + std::to_string(m)).c_str(), static_cast<int>(columns.size()),
               columns.data(), ones.data(), 'E', 1.0);
  }
  // Per year: Σ parts·x - z ≤ cap - fixed (cap) or Σ parts·x - P ≤ -fixed (flattest).
  std::vector<std::vector<std::pair<int, double>>> rows(static_cast<size_t>(years));
  for (size_t m = 0; m < movables.size(); ++m) {
    for (size_t k = 0; k < column_of[m].size(); ++k) {
      const int start = movables[m].earliest + static_cast<int>(k);
      for (size_t i = 0; i < movables[m].parts.size(); ++i) {
        const int index = start + static_cast<int>(i) - from_year;
        if (index < 0 || index >= years || movables[m].parts[i] == 0) continue;
        rows[static_cast<size_t>(index)].push_back(
            {column_of[m][k], static_cast<double>(movables[m].parts[i]) / kUnit});
      }
    }
  }
  for (int y = 0; y < years; ++y) {
    std::vector<int> columns = {cap ? y : 0};
    std::vector<double> coefficients = {-1.0};
    for (const auto& [column, value] : rows[static_cast<size_t>(y)]) {
      columns.push_back(column);
      coefficients.push_back(value);
    }
    const double rhs = ((cap ? static_cast<double>(*cap) : 0.0) -
                        static_cast<double>(fixed[static_cast<size_t>(y)])) /
                       kUnit;
    Cbc_addRow(model, ("y" + std::to_string(y)).c_str(), static_cast<int>(columns.size()),
               columns.data(), coefficients.data(), 'L', rhs);
  }
  std::vector<int> hint_columns;
  std::vector<double> hint_values;
  for (size_t m = 0; m < movables.size(); ++m) {
    for (size_t k = 0; k < column_of[m].size(); ++k) {
      hint_columns.push_back(column_of[m][k]);
      hint_values.push_back(movables[m].earliest + static_cast<int>(k) == start_hint[m] ? 1 : 0);
    }
  }
  Cbc_setMIPStartI(model, static_cast<int>(hint_columns.size()), hint_columns.data(),
                   hint_values.data());
  ExactOutcome outcome;
  Cbc_solve(model);
  const double* solution = Cbc_bestSolution(model);
  if (solution != nullptr) {
    outcome.solved = true;
    outcome.optimal = Cbc_isProvenOptimal(model) != 0;
    for (size_t m = 0; m < movables.size(); ++m) {
      int chosen = movables[m].original;
      for (size_t k = 0; k < column_of[m].size(); ++k) {
        if (solution[column_of[m][k]] > 0.5) chosen = movables[m].earliest + static_cast<int>(k);
      }
      outcome.starts.push_back(chosen);
    }
    // The bound covers objective + move penalties; remove the most the penalties could add.
    double penalty_room = 0;
    for (const Movable& movable : movables) {
      penalty_room += kMovePenalty * (10 + std::max(movable.original - movable.earliest,
                                                    movable.latest - movable.original));
    }
    outcome.bound = std::max(0.0, (Cbc_getBestPossibleObjValue(model) - penalty_room) * kUnit);
  }
  Cbc_deleteModel(model);
  return outcome;
}

}  // namespace

LevellingResult LevelWorks(const std::vector<PlannedWork>& works,
                           const FacilityYearCosts& facility_years, const LifecyclePolicy& policy,
                           const ProjectionOptions& projection, const LevellingOptions& options) {
  const int years = projection.years;
  const int end_year = projection.from_year + years;
  LevellingResult result;
  result.before.assign(static_cast<size_t>(years), 0);
  for (size_t f = 0; f < facility_years.size(); ++f) {
    std::span<const int64_t> row = facility_years[f];
    for (int y = 0; y < years; ++y) {
      result.before[static_cast<size_t>(y)] += row[static_cast<size_t>(y)];
    }
  }
  // Fixed load: everything except the works that can move.
  std::vector<int64_t> fixed = result.before;
  std::vector<Movable> movables;
  for (size_t w = 0; w < works.size(); ++w) {
    const PlannedWork& work = works[w];
    if (work.overdue) continue;
    Movable movable;
    movable.work = w;
    movable.original = work.start_year;
    movable.earliest = std::max(work.earliest_start, projection.from_year);
    // A work inside the horizon stays inside it; never past the safety limit.
    movable.latest =
        std::min(work.latest_start, std::max(work.start_year, end_year - work.duration_years));
    if (movable.latest <= movable.earliest) continue;
    ProjectionOptions at_zero{0, work.duration_years};
    PlannedWork unit = work;
    unit.start_year = 0;
    movable.parts.assign(static_cast<size_t>(work.duration_years), 0);
    AddWorkCost(unit, policy, at_zero, movable.parts);
    for (size_t i = 0; i < movable.parts.size(); ++i) {
      const int index = work.start_year + static_cast<int>(i) - projection.from_year;
      if (index >= 0 && index < years) fixed[static_cast<size_t>(index)] -= movable.parts[i];
    }
    movables.push_back(std::move(movable));
  }
  size_t variables = 0;
  for (const Movable& movable : movables) {
    variables += static_cast<size_t>(movable.latest - movable.earliest + 1);
  }
  Profile profile(result.before, projection.from_year);
  std::vector<int> starts =
      LocalSearch(movables, profile, options.yearly_cap_yen, projection.from_year);
  result.method = "heuristic";
  double bound = 0;
  if (options.allow_exact && variables <= options.exact_max_variables && !movables.empty()) {
    ExactOutcome exact = SolveExact(movables, fixed, options.yearly_cap_yen, projection.from_year,
                                    options.exact_time_limit_seconds, starts);
    if (exact.solved) {
      // Keep CBC's plan unless the heuristic's is better on the objective itself.
      Profile heuristic(fixed, projection.from_year), solver(fixed, projection.from_year);
      for (size_t m = 0; m < movables.size(); ++m) {
        heuristic.Apply(movables[m], starts[m], +1);
        solver.Apply(movables[m], exact.starts[m], +1);
      }
      const auto objective = [&](const std::vector<int64_t>& totals) {
        return options.yearly_cap_yen ? Excess(totals, options.yearly_cap_yen) : Peak(totals);
      };
      if (objective(solver.totals()) <= objective(heuristic.totals())) {
        starts = exact.starts;
        result.method = "cbc";
        result.proven_optimal = exact.optimal;
      }
      bound = exact.bound;
    }
  }
  // A simple bound holds for any method: the fixed load's peak and the average year (flattest),
  // or the fixed excess and the total over the cap (cap).
  int64_t total = std::accumulate(fixed.begin(), fixed.end(), int64_t{0});
  for (const Movable& movable : movables) {
    total += std::accumulate(movable.parts.begin(), movable.parts.end(), int64_t{0});
  }
  const double simple_bound =
      options.yearly_cap_yen
          ? static_cast<double>(
                std::max(Excess(fixed, options.yearly_cap_yen),
                         std::max<int64_t>(0, total - *options.yearly_cap_yen * years)))
          : static_cast<double>(std::max(Peak(fixed), (total + years - 1) / years));
  bound = std::max(bound, simple_bound);
  if (!options.yearly_cap_yen) {
    // The peak is at least what any one work adds to the fixed load wherever it goes.
    for (const Movable& movable : movables) {
      int64_t best = INT64_MAX;
      for (int start = movable.earliest; start <= movable.latest; ++start) {
        int64_t highest = 0;
        for (size_t i = 0; i < movable.parts.size(); ++i) {
          const int index = start + static_cast<int>(i) - projection.from_year;
          if (index < 0 || index >= years) continue;
          highest = std::max(highest, fixed[static_cast<size_t>(index)] + movable.parts[i]);
        }
        best = std::min(best, highest);
      }
      if (best != INT64_MAX) bound = std::max(bound, static_cast<double>(best));
    }
  }

  Profile after(fixed, projection.from_year);
  result.start_years.resize(works.size());
  for (size_t w = 0; w < works.size(); ++w) result.start_years[w] = works[w].start_year;
  for (size_t m = 0; m < movables.size(); ++m) {
    after.Apply(movables[m], starts[m], +1);
    result.start_years[movables[m].work] = starts[m];
  }
  result.after = after.totals();
  result.peak_before = Peak(result.before);
  result.peak_after = Peak(result.after);
  result.excess_before = Excess(result.before, options.yearly_cap_yen);
  result.excess_after = Excess(result.after, options.yearly_cap_yen);
  // Keep the original plan when moving does not help its own objective.
  const bool worse = options.yearly_cap_yen ? result.excess_after > result.excess_before
                                            : result.peak_after > result.peak_before;
  if (worse) {
    result.after = result.before;
    result.peak_after = result.peak_before;
    result.excess_after = result.excess_before;
    for (size_t w = 0; w < works.size(); ++w) result.start_years[w] = works[w].start_year;
    result.proven_optimal = false;
  }
  result.objective = options.yearly_cap_yen ? result.excess_after : result.peak_after;
  result.lower_bound = std::min<int64_t>(result.objective, std::llround(std::floor(bound)));
  result.gap = result.objective == 0 ? 0
                                     : static_cast<double>(result.objective - result.lower_bound) /
                                           static_cast<double>(result.objective);
  if (result.proven_optimal && result.method == "cbc") {
    // CBC's own proof; rounding to whole yen aside, the gap is zero.
    if (result.gap < 1e-6) result.gap = 0;
  }
  for (const Movable& movable : movables) {
    const int to = result.start_years[movable.work];
    if (to == movable.original) continue;
    LevellingMove move;
    move.work = movable.work;
    move.from_year = movable.original;
    move.to_year = to;
    move.latest_allowed = movable.latest;
    const size_t index = static_cast<size_t>(movable.original - projection.from_year);
    move.from_year_total_before = result.before[index];
    move.from_year_total_after = result.after[index];
    result.moves.push_back(move);
  }
  return result;
}

}  // namespace civicdesk::facilities
