// Results on both databases: counts, shares, suppression of small cells, the weighting to a
// population table checked against the same sums done by hand, and the KPI feed.

#include "surveys/results.h"

#include <gtest/gtest.h>

#include <cmath>

#include "http/http_module.h"
#include "http/testing.h"
#include "surveys/population_import.h"
#include "surveys/store.h"
#include "surveys/surveys_module.h"

namespace civicdesk::surveys {
namespace {

constexpr char kDefinition[] = R"({
  "key": "weighting", "title": "重み付けの調査", "fiscal_year": 2025,
  "sections": [{"key": "s", "title": "設問", "questions": [
    {"key": "district", "type": "single", "segment": "district", "text": "地区",
     "choices": ["芝", "麻布"]},
    {"key": "residence", "type": "single", "segment": "residence", "text": "在住・在勤",
     "choices": ["在住", "在勤"]},
    {"key": "q", "type": "satisfaction", "text": "満足していますか"}]}],
  "feeds": [{"kpi": "24-0-1", "question": "q", "choices": ["満足", "まあ満足"]},
            {"kpi": "25-3-2", "question": "q", "choices": ["満足"], "segment": "在勤"}]
})";

class ResultsTest : public ::testing::TestWithParam<std::string> {
 protected:
  ResultsTest() : site_(GetParam(), {http::HttpModule(), SurveysModule()}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  int64_t Define() {
    Survey survey = *ParseDefinition(kDefinition);
    Result<int64_t> id = SaveSurvey(site_.database(), survey, "tester");
    EXPECT_TRUE(id.ok());
    return *id;
  }
  void Answer(int64_t id, const std::string& district, const std::string& residence,
              const std::string& answer, int times) {
    for (int i = 0; i < times; ++i) {
      ResponseInput input{"web",
                          district,
                          "",
                          residence,
                          {{"district", district}, {"residence", residence}, {"q", answer}},
                          ""};
      ASSERT_TRUE(StoreResponse(site_.database(), id, input).ok());
    }
  }

  http::testing::TestSite site_;
};

TEST_P(ResultsTest, WeightsToThePopulationAsByHand) {
  const int64_t id = Define();
  // 芝: 10 respondents, 2 satisfied (20 %); 麻布: 30 respondents, 24 satisfied (80 %).
  Answer(id, "芝", "在住", "満足", 2);
  Answer(id, "芝", "在住", "どちらともいえない", 8);
  Answer(id, "麻布", "在勤", "まあ満足", 24);
  Answer(id, "麻布", "在勤", "満足ではない", 6);
  Survey survey = *GetSurvey(site_.database(), id);

  Result<SurveyResults> plain = ComputeResults(site_.database(), survey, std::nullopt);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->respondents, 40);
  const QuestionResult& q = plain->questions[2];
  EXPECT_EQ(q.n, 40);
  EXPECT_EQ(q.choices[0].count, 2);
  EXPECT_NEAR(q.choices[1].share, 60.0, 1e-9);
  EXPECT_FALSE(q.choices[1].weighted_share.has_value());

  // The ward's population: 芝 300, 麻布 100 (split by district only).
  const std::string table = "地区,人口\n芝,300\n麻布,100\n";
  Result<tabular::Report> imported =
      ImportPopulation(site_.database(), table, "テスト人口", {}, "tester", nullptr);
  ASSERT_TRUE(imported.ok()) << imported.status().message_id();
  std::optional<Population> population = *LatestPopulation(site_.database());
  ASSERT_TRUE(population.has_value());
  Result<SurveyResults> weighted = ComputeResults(site_.database(), survey, population);
  ASSERT_TRUE(weighted.ok());
  EXPECT_TRUE(weighted->weighted);
  EXPECT_EQ(weighted->weighting_dimensions, std::vector<std::string>{"district"});
  // By hand: (300 × 2/10 + 100 × 24/30) / 400 = 35 % satisfied or somewhat; weights 3 and 1/3,
  // n_eff = 40² / (10·9 + 30/9) = 17.14.
  const QuestionResult& w = weighted->questions[2];
  const double satisfied = *w.choices[0].weighted_share + *w.choices[1].weighted_share;
  EXPECT_NEAR(satisfied, 35.0, 1e-9);
  const double n_effective = 1600.0 / (90.0 + 30.0 / 9.0);
  EXPECT_NEAR(*w.n_effective, n_effective, 1e-9);
  EXPECT_NEAR(*w.choices[1].margin, 1.96 * std::sqrt(0.2 * 0.8 / n_effective) * 100,
              1e-9);  // まあ満足: 20 %

  // The survey feeds nothing while open (24-0-1 has only the shipped 令和元年度 baseline); closed,
  // 24-0-1 gets the weighted share.
  auto of_this = [&](const std::string& code) {
    std::vector<kpi_feed::Row> rows;
    const std::vector<kpi_feed::Row> all = *FedValues(site_.database(), code);
    for (const kpi_feed::Row& row : all)
      if (row.reference == "surveys/survey/" + std::to_string(id)) rows.push_back(row);
    return rows;
  };
  EXPECT_TRUE(of_this("24-0-1").empty());
  EXPECT_EQ(FedValues(site_.database(), "24-0-1")->size(), 1u);
  ASSERT_TRUE(SetStatus(site_.database(), id, "closed", "tester").ok());
  std::vector<kpi_feed::Row> fed = of_this("24-0-1");
  ASSERT_EQ(fed.size(), 1u);
  EXPECT_EQ(fed[0].fiscal_year, 2025);
  EXPECT_NEAR(fed[0].value, 35.0, 1e-9);
  EXPECT_EQ(fed[0].module, "surveys");
  EXPECT_EQ(fed[0].n, 40);
  const double margin = 1.96 * std::sqrt(0.35 * 0.65 / n_effective) * 100;
  EXPECT_NEAR(*fed[0].margin_of_error, std::round(margin * 10) / 10, 1e-9);
  // 25-3-2 is fed for 在勤 only: the 30 of 麻布, none satisfied.
  std::vector<kpi_feed::Row> work = of_this("25-3-2");
  ASSERT_EQ(work.size(), 1u);
  EXPECT_EQ(work[0].segment, "在勤");
  EXPECT_EQ(work[0].n, 30);
  EXPECT_NEAR(work[0].value, 0.0, 1e-9);
}

TEST_P(ResultsTest, SmallCellsAreSuppressedEverywhere) {
  const int64_t id = Define();
  Answer(id, "芝", "在住", "満足", 12);
  Answer(id, "麻布", "在勤", "不明", 3);  // three people of 麻布: never shown with their answers
  Survey survey = *GetSurvey(site_.database(), id);
  SurveyResults results = *ComputeResults(site_.database(), survey, std::nullopt);
  int suppressed = 0;
  for (const SegmentResult& segment : results.questions[2].segments) {
    if (segment.value == "麻布" || segment.value == "在勤") {
      EXPECT_TRUE(segment.suppressed);
      EXPECT_TRUE(segment.counts.empty());
      ++suppressed;
    }
    if (segment.value == "芝") {
      EXPECT_EQ(segment.counts[0], 12);
    }
  }
  EXPECT_EQ(suppressed, 2);
  // Closed, the survey feeds 24-0-1 from its 15 respondents, but not 25-3-2 for 在勤: three
  // people's answers with their segment are not a KPI value.
  ASSERT_TRUE(SetStatus(site_.database(), id, "closed", "tester").ok());
  int whole = 0, work = 0;
  const std::vector<kpi_feed::Row> all = *FedValues(site_.database(), "");
  for (const kpi_feed::Row& row : all) {
    if (row.reference != "surveys/survey/" + std::to_string(id)) continue;
    whole += row.kpi == "24-0-1" && row.n == 15 ? 1 : 0;
    work += row.kpi == "25-3-2" ? 1 : 0;
  }
  EXPECT_EQ(whole, 1);
  EXPECT_EQ(work, 0);
}

TEST_P(ResultsTest, PopulationImportNamesTheBadRow) {
  tabular::Report refused;
  Result<tabular::Report> twice = ImportPopulation(site_.database(), "地区,人口\n芝,300\n芝,100\n",
                                                   "x", {}, "tester", &refused);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().message_id(), "surveys.population_twice");
  EXPECT_EQ(twice.status().field(), "line 3: population");
  Result<tabular::Report> number =
      ImportPopulation(site_.database(), "地区,人口\n芝,三百\n", "x", {}, "tester", &refused);
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.status().field(), "line 2: population");
  Result<tabular::Report> label =
      ImportPopulation(site_.database(), "地区,人口\n芝,300\n", " ", {}, "tester", &refused);
  ASSERT_FALSE(label.ok());
  EXPECT_EQ(label.status().message_id(), "surveys.population_label_required");
  EXPECT_FALSE(LatestPopulation(site_.database())->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, ResultsTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::surveys
