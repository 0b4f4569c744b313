#include "facilities/lifecycle.h"

#include <gtest/gtest.h>

#include <numeric>

#include "facilities/report.h"

namespace civicdesk::facilities {
namespace {

Facility Administration1990() {
  Facility facility;
  facility.id = "A1";
  facility.name = "行政棟";
  facility.category = Category::kAdministration;
  facility.floor_area_sqm = 1000;
  facility.year_built = 1990;
  return facility;
}

int64_t Sum(std::span<const int64_t> row, size_t first, size_t count) {
  return std::accumulate(row.begin() + static_cast<long>(first),
                         row.begin() + static_cast<long>(first + count), int64_t{0});
}

// The golden case: 行政系, 1,000 ㎡, built 1990, from 2025 over 40 years, 総務省 policy.
// The renovation (due 2020) is overdue: 25万円 × 1,000 ㎡ = 2.5億円 over 10 years. The rebuild
// falls in 2050–2052 at 40万円/㎡: 4億円 over 3 years.
TEST(Projection, SoumuGoldenAdministration1990) {
  const LifecyclePolicy policy = SoumuPolicy();
  const ProjectionOptions options{2025, 40};
  const std::vector<Facility> facilities = {Administration1990()};
  const std::vector<PlannedWork> works = ScheduleWorks(facilities, policy, options);
  ASSERT_EQ(works.size(), 2u);
  EXPECT_EQ(works[0].kind, WorkKind::kRenovation);
  EXPECT_TRUE(works[0].overdue);
  EXPECT_EQ(works[0].due_year, 2020);
  EXPECT_EQ(works[0].cost_yen, 250'000'000);
  EXPECT_EQ(works[1].kind, WorkKind::kRebuild);
  EXPECT_EQ(works[1].start_year, 2050);
  EXPECT_EQ(works[1].cost_yen, 400'000'000);

  const auto rows = CostByFacilityAndYear(facilities, works, policy, options);
  std::span<const int64_t> row = rows[0];
  for (size_t y = 0; y < 10; ++y) EXPECT_EQ(row[y], 25'000'000) << 2025 + y;
  for (size_t y = 10; y < 25; ++y) EXPECT_EQ(row[y], 0) << 2025 + y;
  EXPECT_EQ(row[25], 133'333'333);  // 2050
  EXPECT_EQ(row[26], 133'333'333);
  EXPECT_EQ(row[27], 133'333'334);  // 2052: the remainder
  EXPECT_EQ(Sum(row, 25, 3), 400'000'000);
  for (size_t y = 28; y < 40; ++y) EXPECT_EQ(row[y], 0) << 2025 + y;
  EXPECT_EQ(Sum(row, 0, 40), 650'000'000);
}

TEST(Projection, BacklogSpreadFollowsThePolicy) {
  LifecyclePolicy policy = SoumuPolicy();
  policy.backlog_spread_years = 5;
  const ProjectionOptions options{2025, 40};
  const std::vector<Facility> facilities = {Administration1990()};
  const auto rows = CostByFacilityAndYear(facilities, ScheduleWorks(facilities, policy, options),
                                          policy, options);
  for (size_t y = 0; y < 5; ++y) EXPECT_EQ(rows[0][y], 50'000'000);
  EXPECT_EQ(rows[0][5], 0);
}

// A renovation recorded in 2021 means nothing is overdue; the rebuild stays at 60 years.
TEST(Projection, RecordedRenovationRemovesTheBacklog) {
  Facility facility = Administration1990();
  facility.history = {{2021, WorkKind::kRenovation, 240'000'000}};
  const std::vector<Facility> facilities = {facility};
  const auto works = ScheduleWorks(facilities, SoumuPolicy(), {2025, 40});
  ASSERT_EQ(works.size(), 1u);
  EXPECT_EQ(works[0].kind, WorkKind::kRebuild);
  EXPECT_EQ(works[0].start_year, 2050);
}

// 総務省's rule: a building whose rebuild is due within 10 years gets no overdue renovation.
TEST(Projection, OldBuildingSkipsRenovationBeforeRebuild) {
  Facility facility = Administration1990();
  facility.year_built = 1970;  // rebuild 2030, renovation was due 2000
  const auto works = ScheduleWorks({facility}, SoumuPolicy(), {2025, 40});
  ASSERT_GE(works.size(), 1u);
  EXPECT_EQ(works[0].kind, WorkKind::kRebuild);
  EXPECT_EQ(works[0].start_year, 2030);
  // The rebuilt building (2033 on) is renovated at 30 years: 2063.
  ASSERT_EQ(works.size(), 2u);
  EXPECT_EQ(works[1].kind, WorkKind::kRenovation);
  EXPECT_EQ(works[1].start_year, 2063);
}

TEST(Projection, OverdueRebuildGoesToTheBacklogAndRestartsTheCycle) {
  Facility facility = Administration1990();
  facility.year_built = 1955;  // rebuild was due 2015
  const LifecyclePolicy policy = SoumuPolicy();
  const auto works = ScheduleWorks({facility}, policy, {2025, 40});
  ASSERT_EQ(works.size(), 2u);
  EXPECT_TRUE(works[0].overdue);
  EXPECT_EQ(works[0].kind, WorkKind::kRebuild);
  EXPECT_EQ(works[1].kind, WorkKind::kRenovation);
  EXPECT_EQ(works[1].start_year, 2025 + 3 + 30);
  const auto rows = CostByFacilityAndYear({facility}, works, policy, {2025, 40});
  EXPECT_EQ(rows[0][0], 40'000'000);  // 4億円 over 10 years
}

// 80-year policy: 1,000 ㎡ 学校 built 2000: mid repair 2020 is overdue (30% of 33万円/㎡),
// life extension 2040 (40%) over 2 years, mid repair 2060; routine 1,000円/㎡ every year.
TEST(Projection, LongLife80School2000) {
  Facility school = Administration1990();
  school.category = Category::kSchool;
  school.year_built = 2000;
  const LifecyclePolicy policy = LongLife80Policy();
  const ProjectionOptions options{2025, 40};
  const auto works = ScheduleWorks({school}, policy, options);
  ASSERT_EQ(works.size(), 3u);
  EXPECT_TRUE(works[0].overdue);
  EXPECT_EQ(works[0].kind, WorkKind::kMidRepair);
  EXPECT_EQ(works[0].cost_yen, 99'000'000);
  EXPECT_EQ(works[1].kind, WorkKind::kLifeExtension);
  EXPECT_EQ(works[1].start_year, 2040);
  EXPECT_EQ(works[1].cost_yen, 132'000'000);
  EXPECT_EQ(works[2].kind, WorkKind::kMidRepair);
  EXPECT_EQ(works[2].start_year, 2060);
  const auto rows = CostByFacilityAndYear({school}, works, policy, options);
  EXPECT_EQ(rows[0][0], 9'900'000 + 1'000'000);
  EXPECT_EQ(rows[0][15], 66'000'000 + 1'000'000);  // 2040
  EXPECT_EQ(rows[0][35], 99'000'000 + 1'000'000);  // 2060
  EXPECT_EQ(rows[0][39], 1'000'000);
}

// A life extension done a year early (2024, due 2025) moves the next mid repair to 2044.
TEST(Projection, HistoryMovesTheLaterSteps) {
  Facility facility = Administration1990();
  facility.year_built = 1985;
  facility.history = {{2005, WorkKind::kMidRepair, 0}, {2024, WorkKind::kRenovation, 0}};
  const auto works = ScheduleWorks({facility}, LongLife80Policy(), {2025, 50});
  ASSERT_GE(works.size(), 2u);
  EXPECT_EQ(works[0].kind, WorkKind::kMidRepair);
  EXPECT_EQ(works[0].start_year, 2044);  // 1985 + 60 - 1 (renovation came a year early)
  EXPECT_EQ(works[1].kind, WorkKind::kRebuild);
  EXPECT_EQ(works[1].start_year, 2065);
}

TEST(Projection, PerFacilityOverrides) {
  Facility facility = Administration1990();
  facility.rebuild_age = 70;
  facility.rebuild_yen_per_sqm = 500'000;
  const auto works = ScheduleWorks({facility}, SoumuPolicy(), {2025, 60});
  ASSERT_EQ(works.back().kind, WorkKind::kRebuild);
  EXPECT_EQ(works.back().start_year, 2060);
  EXPECT_EQ(works.back().cost_yen, 500'000'000);
}

TEST(Categories, ShortAndFullNamesParse) {
  EXPECT_EQ(*ParseCategory("行政系"), Category::kAdministration);
  EXPECT_EQ(*ParseCategory("行政系施設"), Category::kAdministration);
  EXPECT_EQ(*ParseCategory("保健福祉"), Category::kHealthWelfare);
  EXPECT_EQ(*ParseCategory("スポーツ・レクリエーション系"), Category::kSportsRecreation);
  Result<Category> unknown = ParseCategory("宇宙港");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message_id(), "facilities.category_unknown");
  EXPECT_EQ(unknown.status().arg("value"), "宇宙港");
  EXPECT_NE(unknown.status().arg("known").find("行政系施設"), std::string::npos);
}

TEST(Policies, JsonRoundTripAndErrorsNameTheField) {
  for (const LifecyclePolicy& policy : {SoumuPolicy(), LongLife80Policy()}) {
    Result<LifecyclePolicy> back = PolicyFromJson(PolicyToJson(policy));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(PolicyToJson(*back), PolicyToJson(policy));
  }
  nlohmann::json broken = PolicyToJson(SoumuPolicy());
  broken["cycle"][1]["at_age"] = 20;  // before the renovation at 30
  Result<LifecyclePolicy> result = PolicyFromJson(broken);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().field(), "cycle[1].at_age");
  EXPECT_EQ(result.status().message_id(), "facilities.cycle_ages_increase");
  broken = PolicyToJson(SoumuPolicy());
  broken["backlog_spread_years"] = 0;
  Result<LifecyclePolicy> out_of_range = PolicyFromJson(broken);
  EXPECT_EQ(out_of_range.status().field(), "backlog_spread_years");
  EXPECT_EQ(out_of_range.status().message_id(), "facilities.out_of_range");
  EXPECT_EQ(out_of_range.status().arg("low"), "1");
  EXPECT_EQ(out_of_range.status().arg("high"), "30");
  broken = PolicyToJson(SoumuPolicy());
  broken["cycle"][0]["kind"] = "塗装";
  Result<LifecyclePolicy> kind = PolicyFromJson(broken);
  EXPECT_EQ(kind.status().field(), "cycle[0].kind");
  EXPECT_EQ(kind.status().message_id(), "facilities.work_kind_unknown");
  EXPECT_EQ(kind.status().arg("value"), "塗装");
}

TEST(Report, GroupsByCategoryAndWritesCsv) {
  Facility school = Administration1990();
  school.id = "S1";
  school.category = Category::kSchool;
  const std::vector<Facility> facilities = {Administration1990(), school};
  const ProjectionOptions options{2025, 3};
  const LifecyclePolicy policy = SoumuPolicy();
  const auto rows = CostByFacilityAndYear(facilities, ScheduleWorks(facilities, policy, options),
                                          policy, options);
  const GroupedCosts costs = GroupCosts(facilities, rows, Grouping::kCategory, options);
  ASSERT_EQ(costs.labels.size(), 2u);
  EXPECT_EQ(costs.labels[0], "学校教育系施設");
  EXPECT_EQ(costs.labels[1], "行政系施設");
  std::ostringstream csv;
  WriteGroupedCsv(costs, "category", csv);
  // The bytes of the site's projection.csv: UTF-8 with a BOM, CRLF (http::WriteTable).
  EXPECT_EQ(csv.str(),
            "\xEF\xBB\xBFyear,category,cost_yen\r\n"
            "2025,学校教育系施設,17000000\r\n2025,行政系施設,25000000\r\n"
            "2026,学校教育系施設,17000000\r\n2026,行政系施設,25000000\r\n"
            "2027,学校教育系施設,17000000\r\n2027,行政系施設,25000000\r\n");
  const std::string svg = StackedBarSvg(costs, "将来経費", "projection-table");
  EXPECT_NE(svg.find("aria-describedby=\"projection-table\""), std::string::npos);
  EXPECT_NE(svg.find("学校教育系施設"), std::string::npos);
}

// Issue 23 (6): the projection chart's axis showed Western years only. Each labelled year shows
// its era year under it, as the KPI chart does: 令和7 on Japanese pages, R7 on English ones.
TEST(Report, ChartAxisShowsTheEraYearUnderTheWesternYear) {
  GroupedCosts costs;
  costs.from_year = 2025;
  costs.labels = {"行政系施設"};
  costs.series = {{1000000, 2000000, 3000000, 4000000, 5000000, 6000000}};
  const std::string japanese = StackedBarSvg(costs, "将来経費", "projection-table");
  EXPECT_NE(japanese.find(">2025</text>"), std::string::npos) << japanese;
  EXPECT_NE(japanese.find(">令和7</text>"), std::string::npos) << japanese;
  EXPECT_NE(japanese.find(">令和12</text>"), std::string::npos) << japanese;
  const std::string english = StackedBarSvg(costs, "Future costs", "projection-table", "en");
  EXPECT_NE(english.find(">R7</text>"), std::string::npos) << english;
  EXPECT_EQ(english.find("令和"), std::string::npos) << english;
}

}  // namespace
}  // namespace civicdesk::facilities
