#include "plan/plan_data.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/app.h"
#include "http/http_module.h"
#include "plan/plan_module.h"
#include "plan/testing.h"

namespace civicdesk::plan {
namespace {

using nlohmann::json;

// A Status's field and words in Japanese and English, as the command line shows them.
std::string Words(const Status& status) {
  static const Result<http::MessageCatalog> catalog =
      http::CatalogOf({http::HttpModule(), PlanModule()});
  EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
  if (!catalog.ok()) return status.ToString();
  return status.field() + ": " + catalog->FormatBoth(status);
}

const Policy& PolicyNumber(const PlanData& data, int number) {
  for (const Policy& policy : data.policies) {
    if (policy.number == number) return policy;
  }
  throw std::runtime_error("no policy " + std::to_string(number));
}

TEST(MinatoPlan, MatchesTheSeeds) {
  Result<PlanData> data = ParsePlanFiles(MinatoPlanFiles());
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_EQ(data->policies.size(), 26u);
  EXPECT_EQ(data->areas.size(), 4u);
  int issues_2021 = 0;
  int issues_2023 = 0;
  for (const PriorityIssue& issue : data->priority_issues) {
    (issue.plan_version == "2021" ? issues_2021 : issues_2023)++;
  }
  EXPECT_EQ(issues_2021, 7);
  EXPECT_EQ(issues_2023, 8);
  EXPECT_EQ(data->vision.statements.size(), 4u);
  EXPECT_EQ(data->district_plans.size(), 5u);
  ASSERT_EQ(data->project_totals.size(), 1u);
  EXPECT_EQ(data->project_totals[0].count, 38);
  EXPECT_EQ(data->project_totals[0].budget_yen, 85'100'000'000);
  EXPECT_EQ(data->project_totals[0].from_fiscal_year, 2021);
  EXPECT_EQ(data->project_totals[0].to_fiscal_year, 2023);

  const Policy& policy24 = PolicyNumber(*data, 24);
  EXPECT_EQ(policy24.title, "先端技術の活用により利便性の高い区民生活を実現する");
  EXPECT_EQ(policy24.area, 4);
  ASSERT_EQ(policy24.measures.size(), 3u);
  EXPECT_EQ(PolicyNumber(*data, 25).measures.size(), 6u);
  EXPECT_EQ(PolicyNumber(*data, 26).measures.size(), 6u);
  EXPECT_TRUE(PolicyNumber(*data, 1).measures.empty());

  const Kpi& online = policy24.measures[0].kpis[0];
  EXPECT_EQ(online.code, "24-1-1");
  EXPECT_EQ(online.name, "オンライン申請ができる行政手続の割合");
  EXPECT_EQ(online.unit, "%");
  EXPECT_EQ(online.baseline_value, 4);
  EXPECT_EQ(online.baseline_fiscal_year, 2020);
  ASSERT_EQ(online.targets.size(), 2u);
  EXPECT_EQ(online.targets[0].value, 75);
  EXPECT_EQ(online.targets[0].fiscal_year, 2023);
  EXPECT_EQ(online.targets[0].stage, "mid_term");
  EXPECT_EQ(online.targets[1].value, 100);
  EXPECT_EQ(online.targets[1].fiscal_year, 2026);
  EXPECT_TRUE(online.targets[1].end_of_year);
  EXPECT_EQ(online.targets[1].stage, "final");

  // The policy-level satisfaction KPI: 満足 + まあ満足 = the baseline (seed 001: 3.9 + 23.7
  // = 27.6).
  ASSERT_EQ(policy24.kpis.size(), 1u);
  const Kpi& satisfaction = policy24.kpis[0];
  EXPECT_EQ(satisfaction.code, "24-0-1");
  ASSERT_EQ(satisfaction.survey.size(), 6u);
  EXPECT_NEAR(satisfaction.survey[0].share + satisfaction.survey[1].share,
              *satisfaction.baseline_value, 1e-9);
  EXPECT_EQ(satisfaction.targets.size(), 3u);
  EXPECT_EQ(satisfaction.baseline_fiscal_year, 2019);

  const Kpi& ratio = PolicyNumber(*data, 26).measures[1].kpis[0];
  EXPECT_EQ(ratio.code, "26-2-1");
  EXPECT_EQ(ratio.targets[0].condition, TargetCondition::kBand);
  EXPECT_EQ(ratio.targets[0].min_value, 70);
  EXPECT_EQ(ratio.targets[0].max_value, 80);
  EXPECT_EQ(PolicyNumber(*data, 26).measures[1].kpis[1].targets[0].condition,
            TargetCondition::kAtLeast);
  EXPECT_EQ(PolicyNumber(*data, 25).measures[1].kpis[0].targets[0].condition,
            TargetCondition::kDecrease);
  const Kpi& unmeasured = PolicyNumber(*data, 25).measures[0].kpis[1];
  EXPECT_EQ(unmeasured.baseline_label, "—");
  EXPECT_FALSE(unmeasured.baseline_value.has_value());

  const Initiative& first = policy24.measures[0].initiatives[0];
  EXPECT_TRUE(first.planned_project);
  EXPECT_EQ(first.priority_issue, 1);
  EXPECT_EQ(policy24.measures[0].related_plans, std::vector<std::string>{"港区情報化推進計画"});
}

// Edits one field of the shipped data and expects the error to name the file and the path.
void ExpectRejected(const std::string& file, const std::function<void(json&)>& edit,
                    const std::string& where) {
  PlanFiles files = MinatoPlanFiles();
  json document = json::parse(files.at(file));
  edit(document);
  files[file] = document.dump();
  Result<PlanData> data = ParsePlanFiles(files);
  ASSERT_FALSE(data.ok()) << where;
  EXPECT_EQ(data.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(Words(data.status()).find(where), std::string::npos) << Words(data.status());
}

TEST(PlanFiles, BadDataIsRejectedNamingFileAndPath) {
  ExpectRejected(
      "policies/24.json", [](json& d) { d["measures"][0]["kpis"][1]["code"] = "24-1-3"; },
      "policies/24.json: measures[0].kpis[1].code");
  ExpectRejected(
      "policies/24.json",
      [](json& d) { d["measures"][0]["kpis"][0]["baseline"]["fiscal_year"] = "平成32年度"; },
      "policies/24.json: measures[0].kpis[0].baseline.fiscal_year");
  ExpectRejected(
      "policies/25.json", [](json& d) { d["measures"][1].erase("title"); },
      "policies/25.json: measures[1].title");
  ExpectRejected(
      "plan.json", [](json& d) { d["policies"][0]["area"] = 9; }, "plan.json: policies[0].area");
  ExpectRejected(
      "plan.json", [](json& d) { d["priority_issues"][0]["plan_version"] = "1999"; },
      "unknown plan version");
  ExpectRejected(
      "policies/26.json", [](json& d) { d["measures"][1]["kpis"][0]["targets"][0].erase("max"); },
      "a band needs min and max");
  ExpectRejected(
      "policies/26.json", [](json& d) { d["number"] = 99; }, "policy is not listed");
}

TEST(PlanFiles, MinatoPoliciesAreThe2021Edition) {
  Result<PlanData> data = ParsePlanFiles(MinatoPlanFiles());
  ASSERT_TRUE(data.ok());
  ASSERT_EQ(data->editions.size(), 1u);
  EXPECT_EQ(data->editions[0].plan_version, "2021");
  EXPECT_EQ(data->editions[0].policies.size(), 26u);
  int detailed = 0;
  for (const EditionPolicy& policy : data->editions[0].policies) detailed += policy.detailed;
  EXPECT_EQ(detailed, 3);  // 24, 25, 26
  ASSERT_FALSE(data->editions[0].kpis.empty());
  EXPECT_EQ(data->editions[0].kpis[0].code, "24-0-1");
}

TEST(PlanFiles, AnotherEditionIsReadFromItsOwnFolder) {
  PlanFiles files = testing::MinatoFilesWithRevisedEdition();
  Result<PlanData> data = ParsePlanFiles(files);
  ASSERT_TRUE(data.ok()) << data.status().message();
  ASSERT_EQ(data->editions.size(), 2u);
  const Edition& revised = data->editions[1];
  EXPECT_EQ(revised.plan_version, "2023");
  EXPECT_EQ(revised.policies.size(), 25u);
  const auto mid_term = std::find_if(revised.kpis.begin(), revised.kpis.end(),
                                     [](const EditionKpi& kpi) { return kpi.code == "24-1-1"; });
  ASSERT_NE(mid_term, revised.kpis.end());
  EXPECT_EQ(mid_term->targets, "80%(令和5(2023)年度)、100%(令和8(2026)年度末)");
  // The current plan's own policies are not touched by the other edition.
  EXPECT_EQ(PolicyNumber(*data, 24).measures[0].kpis.size(), 2u);

  PlanFiles unknown = files;
  unknown["editions/1999/plan.json"] = files["editions/2023/plan.json"];
  EXPECT_EQ(ParsePlanFiles(unknown).status().field(), "editions/1999/plan.json");
  PlanFiles broken = files;
  json policy = json::parse(broken["editions/2023/policies/24.json"]);
  policy["measures"][0]["kpis"][0]["code"] = "24-1-9";
  broken["editions/2023/policies/24.json"] = policy.dump();
  Result<PlanData> rejected = ParsePlanFiles(broken);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.status().field(), "editions/2023/policies/24.json: measures[0].kpis[0].code");
  EXPECT_EQ(rejected.status().message_id(), "plan.kpi_code_unexpected");
  EXPECT_EQ(rejected.status().arg("expected"), "24-1-1");
  EXPECT_EQ(rejected.status().arg("found"), "24-1-9");
}

TEST(PlanFiles, BrokenJsonIsNamed) {
  PlanFiles files = MinatoPlanFiles();
  files["policies/24.json"] = "{ not json";
  Result<PlanData> data = ParsePlanFiles(files);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().field(), "policies/24.json");
  files.erase("plan.json");
  EXPECT_EQ(ParsePlanFiles(files).status().field(), "plan.json");
}

}  // namespace
}  // namespace civicdesk::plan
