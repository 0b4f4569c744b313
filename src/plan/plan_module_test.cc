#include "plan/plan_module.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/http_module.h"
#include "http/testing.h"
#include "plan/repository.h"
#include "text/text_module.h"

namespace civicdesk::plan {
namespace {

using http::testing::ClientResponse;
using http::testing::Send;
using http::testing::TestSite;
using nlohmann::json;

class PlanSiteTest : public ::testing::TestWithParam<std::string> {
 protected:
  PlanSiteTest() : site_(GetParam(), {http::HttpModule(), text::TextModule(), PlanModule()}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  json GetJson(const std::string& target, int expected_status = 200) {
    ClientResponse response = Send(site_.port(), "GET", target);
    EXPECT_EQ(response.status, expected_status) << target << ": " << response.body;
    EXPECT_EQ(response.headers["content-type"], "application/json; charset=utf-8") << target;
    return json::parse(response.body, nullptr, false);
  }

  TestSite site_;
};

TEST_P(PlanSiteTest, ListsTheTwentySixPolicies) {
  json policies = GetJson("/api/v1/plan/policies");
  ASSERT_TRUE(policies.is_array());
  ASSERT_EQ(policies.size(), 26u);
  EXPECT_EQ(policies[0]["number"], 1);
  EXPECT_EQ(policies[0]["area"], "かがやくまち");
  EXPECT_EQ(policies[23]["number"], 24);
  EXPECT_EQ(policies[23]["title"], "先端技術の活用により利便性の高い区民生活を実現する");
  EXPECT_EQ(policies[23]["area"], "実現をめざして");
}

TEST_P(PlanSiteTest, PolicyTwentyFourHasItsMeasuresAndKpis) {
  json policy = GetJson("/api/v1/plan/policies/24");
  ASSERT_EQ(policy["measures"].size(), 3u);
  ASSERT_EQ(policy["kpis"].size(), 1u);
  EXPECT_EQ(policy["kpis"][0]["code"], "24-0-1");
  const json& kpi = policy["measures"][0]["kpis"][0];
  EXPECT_EQ(kpi["code"], "24-1-1");
  EXPECT_EQ(kpi["name"], "オンライン申請ができる行政手続の割合");
  EXPECT_EQ(kpi["unit"], "%");
  EXPECT_EQ(kpi["baseline"]["value"], 4);
  EXPECT_EQ(kpi["baseline"]["fiscal_year"], 2020);
  ASSERT_EQ(kpi["targets"].size(), 2u);
  EXPECT_EQ(kpi["targets"][0]["value"], 75);
  EXPECT_EQ(kpi["targets"][0]["fiscal_year"], 2023);
  EXPECT_EQ(kpi["targets"][0]["kind"], "mid_term");
  EXPECT_EQ(kpi["targets"][1]["value"], 100);
  EXPECT_EQ(kpi["targets"][1]["fiscal_year"], 2026);
  EXPECT_EQ(kpi["targets"][1]["kind"], "final");
  EXPECT_EQ(kpi["targets"][1]["end_of_year"], true);
  EXPECT_EQ(policy["measures"][0]["initiatives"].size(), 3u);
  EXPECT_EQ(policy["measures"][1]["initiatives"].size(), 4u);
}

TEST_P(PlanSiteTest, PolicyWithoutTranscribedDetailStillAnswers) {
  json policy = GetJson("/api/v1/plan/policies/7");
  EXPECT_EQ(policy["title"], "人や生物にやさしい、環境負荷の少ない都心環境をつくる");
  EXPECT_TRUE(policy["measures"].empty());
}

TEST_P(PlanSiteTest, BadPolicyNumbersAre4xxNever500) {
  json missing = GetJson("/api/v1/plan/policies/99", 404);
  EXPECT_EQ(missing["error"]["code"], "not_found");
  json letters = GetJson("/api/v1/plan/policies/abc", 400);
  EXPECT_EQ(letters["error"]["field"], "n");
  GetJson("/api/v1/plan/policies/-1", 400);
  GetJson("/api/v1/plan/policies/99999999999999", 400);
  EXPECT_EQ(Send(site_.port(), "GET", "/plan/policies/99").status, 404);
  EXPECT_EQ(Send(site_.port(), "GET", "/plan/policies/%E7%B7%91").status, 400);
  EXPECT_EQ(Send(site_.port(), "GET", "/plan/policies/24/measures/9").status, 404);
  EXPECT_EQ(Send(site_.port(), "GET", "/plan/policies/24/measures/x").status, 400);
}

TEST_P(PlanSiteTest, PagesShowThePlanInJapaneseWithWarekiYears) {
  ClientResponse home = Send(site_.port(), "GET", "/");
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("誰もが住みやすく、地域に愛着と誇りを持てるまち・港区"),
            std::string::npos);
  EXPECT_NE(home.body.find("区民サービスを飛躍的に向上する「港区版DX」の加速化"),
            std::string::npos);
  EXPECT_NE(home.body.find("<html lang=\"ja\">"), std::string::npos);

  ClientResponse index = Send(site_.port(), "GET", "/plan");
  ASSERT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("851億円"), std::string::npos);
  EXPECT_NE(index.body.find("芝浦港南地区総合支所"), std::string::npos);
  EXPECT_NE(index.body.find("東京2020大会の成功と「レガシーの継承」"), std::string::npos);

  ClientResponse policy = Send(site_.port(), "GET", "/plan/policies/24");
  ASSERT_EQ(policy.status, 200);
  EXPECT_NE(policy.body.find("令和元(2019)年度"), std::string::npos);
  EXPECT_NE(policy.body.find("/plan/policies/24/measures/3"), std::string::npos);

  ClientResponse measure = Send(site_.port(), "GET", "/plan/policies/24/measures/1");
  ASSERT_EQ(measure.status, 200);
  EXPECT_NE(measure.body.find("オンライン申請ができる行政手続の割合"), std::string::npos);
  EXPECT_NE(measure.body.find("令和2(2020)年度"), std::string::npos);
  EXPECT_NE(measure.body.find("令和8(2026)年度末"), std::string::npos);
  EXPECT_NE(measure.body.find("港区情報化推進計画"), std::string::npos);

  ClientResponse english = Send(site_.port(), "GET", "/plan/policies/24/measures/1?lang=en");
  EXPECT_NE(english.body.find("Final target"), std::string::npos);
  EXPECT_NE(english.body.find("令和8(2026)年度末"), std::string::npos);
}

TEST_P(PlanSiteTest, LoadingAgainChangesNothing) {
  ASSERT_TRUE(PlanModule().load_initial_data(site_.database()).ok());
  Result<storage::QueryResult> count = site_.database().Query("SELECT COUNT(*) FROM plan_policy");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(storage::AsInt(count->rows[0][0]), 26);
  Result<storage::QueryResult> kpis = site_.database().Query("SELECT COUNT(*) FROM plan_kpi");
  EXPECT_EQ(storage::AsInt(kpis->rows[0][0]), 29);  // 6 in policy 24, 10 in 25, 13 in 26
}

INSTANTIATE_TEST_SUITE_P(Backends, PlanSiteTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::plan
