// Issue 21: which KPIs of policies 24–26 other work fills, as GET /api/v1/plan/kpis/{code} says
// in fed_by — on a site with every module, on both databases. Shipped: the three satisfaction
// KPIs (seed 001's 令和元年度 shares), 24-2-1 (open-data downloads) and 26-4-1 (facility works).
// Once a survey declares the other survey KPIs (the sample definition of
// data/sample/survey_kpi_questions.json), is answered and closed: the 15 survey KPIs and those two.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/modules.h"
#include "http/testing.h"
#include "surveys/store.h"
#include "surveys/survey.h"

namespace civicdesk::app {
namespace {

using nlohmann::json;

const std::vector<std::string> kKpis = {"24-0-1", "24-1-1", "24-1-2", "24-2-1", "24-3-1", "24-3-2",
                                        "25-0-1", "25-1-1", "25-1-2", "25-2-1", "25-3-1", "25-3-2",
                                        "25-4-1", "25-5-1", "25-5-2", "25-6-1", "26-0-1", "26-1-1",
                                        "26-1-2", "26-2-1", "26-2-2", "26-3-1", "26-3-2", "26-4-1",
                                        "26-4-2", "26-5-1", "26-5-2", "26-6-1", "26-6-2"};

class KpiFeedsTest : public ::testing::TestWithParam<std::string> {
 protected:
  KpiFeedsTest() : site_(GetParam(), AllModules()) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  json Kpi(const std::string& code) {
    http::testing::ClientResponse response =
        http::testing::Send(site_.port(), "GET", "/api/v1/plan/kpis/" + code);
    EXPECT_EQ(response.status, 200) << code;
    return json::parse(response.body, nullptr, false);
  }
  std::vector<std::string> Fed() {
    std::vector<std::string> fed;
    for (const std::string& code : kKpis)
      if (!Kpi(code)["fed_by"].empty()) fed.push_back(code);
    return fed;
  }

  http::testing::TestSite site_;
};

TEST_P(KpiFeedsTest, FedByCountsOverPolicies24To26) {
  EXPECT_EQ(Fed(), (std::vector<std::string>{"24-0-1", "24-2-1", "25-0-1", "26-0-1", "26-4-1"}));
  json baseline = Kpi("25-0-1");
  ASSERT_EQ(baseline["fed_by"].size(), 1u);
  EXPECT_EQ(baseline["fed_by"][0]["module"], "surveys");
  EXPECT_TRUE(baseline["fed_by"][0]["n"].is_null());
  EXPECT_EQ(baseline["actuals"][0]["fiscal_year"], 2019);
  EXPECT_EQ(baseline["actuals"][0]["value"], 19.7);
  EXPECT_EQ(Kpi("24-2-1")["fed_by"][0]["module"], "opendata");

  std::ifstream file(std::string(CIVICDESK_SOURCE_DIR) + "/data/sample/survey_kpi_questions.json");
  std::stringstream text;
  text << file.rdbuf();
  Result<surveys::Survey> survey = surveys::ParseDefinition(text.str());
  ASSERT_TRUE(survey.ok()) << survey.status().message_id() << " " << survey.status().field();
  Result<int64_t> id = surveys::SaveSurvey(site_.database(), *survey, "tester");
  ASSERT_TRUE(id.ok());
  // 12 residents and 10 workers, each answering every question with its first choice (a KPI
  // value needs 10 respondents in its segment).
  std::vector<std::string> people(12, "在住");
  people.insert(people.end(), 10, "在勤");
  for (const std::string& residence : people) {
    surveys::ResponseInput input{"web", "芝", "40〜49歳", residence, {}, ""};
    for (const surveys::Question* question : survey->Questions())
      if (question->HasChoices())
        input.answers.emplace_back(question->key, question->segment == "residence"
                                                      ? residence
                                                      : question->choices[0].value);
    ASSERT_TRUE(surveys::StoreResponse(site_.database(), *id, input).ok());
  }
  EXPECT_EQ(Fed().size(), 5u);  // open: not yet
  ASSERT_TRUE(surveys::SetStatus(site_.database(), *id, "closed", "tester").ok());
  const std::vector<std::string> fed = Fed();
  EXPECT_EQ(fed.size(), 17u);
  json split = Kpi("25-3-2");
  int segments = 0;
  for (const json& actual : split["actuals"]) {
    if (actual["fiscal_year"] != 2026) continue;
    ++segments;
    EXPECT_EQ(actual["value"], 100);
    EXPECT_EQ(actual["fed_by"]["n"], actual["segment"] == "在住" ? 12 : 10);
  }
  EXPECT_EQ(segments, 2);
  EXPECT_EQ(Kpi("24-0-1")["fed_by"].size(), 2u);  // the 令和元年度 baseline and this survey
}

INSTANTIATE_TEST_SUITE_P(Backends, KpiFeedsTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::app
