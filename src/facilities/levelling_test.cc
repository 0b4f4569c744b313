#include "facilities/levelling.h"

#include <gtest/gtest.h>

#include <numeric>

namespace civicdesk::facilities {
namespace {

Facility Building(std::string id, int year_built, double area) {
  Facility facility;
  facility.id = std::move(id);
  facility.name = "施設" + facility.id;
  facility.category = Category::kAdministration;
  facility.floor_area_sqm = area;
  facility.year_built = year_built;
  return facility;
}

struct Case {
  std::vector<Facility> facilities;
  LifecyclePolicy policy = SoumuPolicy();
  ProjectionOptions options{2025, 30};
  std::vector<PlannedWork> works;
  FacilityYearCosts rows;

  void Project() {
    works = ScheduleWorks(facilities, policy, options);
    rows = CostByFacilityAndYear(facilities, works, policy, options);
  }
};

// Two equal renovations due in 2030 (built 2000): the flattest plan separates them.
Case TwinRenovations() {
  Case c;
  c.facilities = {Building("A", 2000, 1000), Building("B", 2000, 1000)};
  c.options = {2025, 20};  // the rebuilds (2060) are beyond the horizon
  c.Project();
  return c;
}

void ExpectWithinWindows(const Case& c, const LevellingResult& result) {
  ASSERT_EQ(result.start_years.size(), c.works.size());
  for (size_t w = 0; w < c.works.size(); ++w) {
    if (c.works[w].overdue) {
      EXPECT_EQ(result.start_years[w], c.works[w].start_year);
      continue;
    }
    EXPECT_GE(result.start_years[w], std::max(c.works[w].earliest_start, c.options.from_year));
    EXPECT_LE(result.start_years[w], c.works[w].latest_start) << "past the safety limit";
  }
  EXPECT_EQ(std::accumulate(result.before.begin(), result.before.end(), int64_t{0}),
            std::accumulate(result.after.begin(), result.after.end(), int64_t{0}));
}

TEST(Levelling, ExactSolverSeparatesTwinRenovations) {
  Case c = TwinRenovations();
  const LevellingResult result = LevelWorks(c.works, c.rows, c.policy, c.options, {});
  EXPECT_EQ(result.method, "cbc");
  EXPECT_TRUE(result.proven_optimal);
  EXPECT_EQ(result.peak_before, 250'000'000);  // 2 × 2.5億 over 2 years
  EXPECT_EQ(result.peak_after, 125'000'000);
  EXPECT_EQ(result.gap, 0);
  ASSERT_EQ(result.moves.size(), 1u);
  EXPECT_EQ(result.moves[0].from_year, 2030);
  EXPECT_EQ(result.moves[0].from_year_total_before, 250'000'000);
  EXPECT_LE(result.moves[0].from_year_total_after, 125'000'000);
  ExpectWithinWindows(c, result);
}

TEST(Levelling, HeuristicReachesTheSamePeakOnTwins) {
  Case c = TwinRenovations();
  LevellingOptions options;
  options.allow_exact = false;
  const LevellingResult result = LevelWorks(c.works, c.rows, c.policy, c.options, options);
  EXPECT_EQ(result.method, "heuristic");
  EXPECT_EQ(result.peak_after, 125'000'000);
  EXPECT_EQ(result.lower_bound, 125'000'000);  // the average year cannot go lower here
  ExpectWithinWindows(c, result);
}

TEST(Levelling, CapIsMetWithTheFewestMoves) {
  Case c = TwinRenovations();
  LevellingOptions options;
  options.yearly_cap_yen = 130'000'000;
  const LevellingResult result = LevelWorks(c.works, c.rows, c.policy, c.options, options);
  EXPECT_GT(result.excess_before, 0);
  EXPECT_EQ(result.excess_after, 0);
  EXPECT_EQ(result.objective, 0);
  EXPECT_EQ(result.moves.size(), 1u);
  for (int64_t total : result.after) EXPECT_LE(total, 130'000'000);
}

TEST(Levelling, NeverPastTheSafetyLimit) {
  LifecyclePolicy policy = SoumuPolicy();
  policy.cycle[0].max_delay_years = 1;
  policy.cycle[0].max_advance_years = 0;
  Case c;
  c.policy = policy;
  c.options = {2025, 20};
  for (int i = 0; i < 6; ++i) c.facilities.push_back(Building(std::to_string(i), 2000, 1000));
  c.Project();
  for (bool exact : {true, false}) {
    LevellingOptions options;
    options.allow_exact = exact;
    const LevellingResult result = LevelWorks(c.works, c.rows, c.policy, c.options, options);
    ExpectWithinWindows(c, result);
    for (int year : result.start_years) EXPECT_LE(year, 2031);
    // Six works can use only two start years: three each, at best.
    EXPECT_GE(result.peak_after, 3 * 125'000'000);
  }
}

TEST(Levelling, LargerProblemKeepsWindowsAndReportsAGap) {
  Case c;
  c.options = {2025, 40};
  for (int i = 0; i < 60; ++i) {
    c.facilities.push_back(
        Building(std::to_string(i), 1970 + (i * 7) % 50, 500 + (i * 137) % 3000));
  }
  c.Project();
  LevellingOptions options;
  options.exact_max_variables = 0;  // force the heuristic
  const LevellingResult result = LevelWorks(c.works, c.rows, c.policy, c.options, options);
  EXPECT_EQ(result.method, "heuristic");
  EXPECT_LE(result.peak_after, result.peak_before);
  EXPECT_GE(result.gap, 0);
  EXPECT_LE(result.lower_bound, result.objective);
  ExpectWithinWindows(c, result);
}

}  // namespace
}  // namespace civicdesk::facilities
