#include "plan/versions.h"

#include <gtest/gtest.h>

namespace civicdesk::plan {
namespace {

// The 2021 plan's 7 priority issues against the 2023 revision's 8 (seeds 001, 002, 004).
TEST(DiffPriorityIssues, MinatoRevisionAddsRemovesAndKeeps) {
  PlanData data;
  auto add = [&](const char* version, int number, const char* title) {
    PriorityIssue issue;
    issue.plan_version = version;
    issue.number = number;
    issue.title = title;
    data.priority_issues.push_back(issue);
  };
  add("2021", 1, "「新たな時代」に対応した区政運営への転換");
  add("2021", 2, "あらゆる危機から区民の命を守る「強靱な都市」の実現");
  add("2021", 7, "東京2020大会の成功と「レガシーの継承」");
  add("2023", 1, "希望あふれる「にぎわいと活力に満ちた都市」の実現");
  add("2023", 2, "あらゆる危機から区民の命を守る「強靱な都市」の実現");
  add("2023", 7, "区民サービスを飛躍的に向上する「港区版DX」の加速化");
  add("2023", 8, "あらゆる危機から区民の命を守る「強靭な都市」の実現へ");
  std::vector<IssueChange> changes = DiffPriorityIssues(data, "2021", "2023");
  ASSERT_EQ(changes.size(), 6u);
  EXPECT_EQ(changes[0].kind, ChangeKind::kAdded);
  EXPECT_EQ(changes[1].kind, ChangeKind::kUnchanged);
  EXPECT_EQ(changes[1].from->number, 2);
  EXPECT_EQ(changes[2].kind, ChangeKind::kAdded);
  EXPECT_EQ(changes[3].kind, ChangeKind::kAdded);  // the near-copy's partner is taken
  EXPECT_EQ(changes[4].kind, ChangeKind::kRemoved);
  EXPECT_EQ(changes[4].from->number, 1);
  EXPECT_EQ(changes[5].kind, ChangeKind::kRemoved);
  EXPECT_STREQ(ChangeLabel(changes[5].kind), "削除");

  // A reworded title pairs as changed.
  PlanData reworded;
  reworded.priority_issues = {data.priority_issues[1], data.priority_issues[6]};
  reworded.priority_issues[1].plan_version = "2023";
  std::vector<IssueChange> renamed = DiffPriorityIssues(reworded, "2021", "2023");
  ASSERT_EQ(renamed.size(), 1u);
  EXPECT_EQ(renamed[0].kind, ChangeKind::kChanged);
}

Edition MakeEdition(const char* version) {
  Edition edition;
  edition.plan_version = version;
  edition.policies = {{1, 1, "多様な人びとがともに支え合う魅力的な都心生活の舞台をつくる", false},
                      {24, 4, "区民サービスを向上させる区政をつくる", true},
                      {25, 4, "区民とともに進める区政を実現する", true}};
  edition.kpis = {
      {"24-1-1", 24, "オンライン申請が可能な手続の割合", "%", "4%", "100%(令和8(2026)年度末)"},
      {"24-1-2", 24, "キャッシュレス決済の導入窓口数", "窓口", "10", "50(令和8(2026)年度末)"},
      {"25-1-1", 25, "区政への参画の機会があると感じる区民の割合", "%", "30%",
       "40%(令和8(2026)年度末)"}};
  return edition;
}

TEST(DiffEditions, PoliciesAndKpisAddedChangedAndRemoved) {
  PlanData data;
  data.editions.push_back(MakeEdition("2021"));
  Edition revised = MakeEdition("2023");
  revised.policies[1].title = "区民サービスを飛躍的に向上させる区政をつくる";  // reworded
  revised.policies.erase(revised.policies.begin());                            // policy 1 dropped
  revised.policies.push_back({27, 4, "デジタル技術で地域の課題を解決する", true});
  revised.policies[1].detailed = false;                 // 25's KPIs not transcribed
  revised.kpis[0].targets = "100%(令和7(2025)年度末)";  // brought forward
  revised.kpis.erase(revised.kpis.begin() + 1);         // 24-1-2 dropped
  revised.kpis.push_back(
      {"24-1-2", 24, "電子契約の利用件数", "件", "—", "増加(令和8(2026)年度末)"});
  revised.kpis.push_back(
      {"27-1-1", 27, "地域課題の解決に向けた実証実験の件数", "件", "0", "10(令和8(2026)年度末)"});
  data.editions.push_back(revised);

  EditionDiff diff = DiffEditions(data, "2021", "2023");
  ASSERT_TRUE(diff.compared);
  ASSERT_EQ(diff.policies.size(), 4u);
  EXPECT_EQ(diff.policies[0].kind, ChangeKind::kChanged);
  EXPECT_EQ(diff.policies[0].fields, std::vector<std::string>{"title"});
  EXPECT_EQ(diff.policies[1].kind, ChangeKind::kUnchanged);
  EXPECT_EQ(diff.policies[2].kind, ChangeKind::kAdded);
  EXPECT_EQ(diff.policies[2].to->number, 27);
  EXPECT_EQ(diff.policies[3].kind, ChangeKind::kRemoved);
  EXPECT_EQ(diff.policies[3].from->number, 1);

  // 24: 24-1-1's target changed, the new 24-1-2 is a different indicator (added) and the old
  // one removed; 25 is not compared; 27's indicator is added with its policy.
  ASSERT_EQ(diff.kpis.size(), 4u);
  EXPECT_EQ(diff.kpis[0].kind, ChangeKind::kChanged);
  EXPECT_EQ(diff.kpis[0].fields, std::vector<std::string>{"targets"});
  EXPECT_EQ(diff.kpis[1].kind, ChangeKind::kAdded);
  EXPECT_EQ(diff.kpis[1].to->name, "電子契約の利用件数");
  EXPECT_EQ(diff.kpis[2].kind, ChangeKind::kRemoved);
  EXPECT_EQ(diff.kpis[2].from->name, "キャッシュレス決済の導入窓口数");
  EXPECT_EQ(diff.kpis[3].kind, ChangeKind::kAdded);
  EXPECT_EQ(diff.kpis[3].to->code, "27-1-1");
  EXPECT_EQ(diff.kpis_not_compared, std::vector<int>{25});

  // Nothing is compared with an edition that is not transcribed.
  EXPECT_FALSE(DiffEditions(data, "2021", "2026").compared);
  EXPECT_TRUE(DiffEditions(data, "2021", "2026").policies.empty());
}

// Issue 23 #8: the page says exactly what each edition compared lacks.
TEST(EditionGaps, NameTheEditionWithoutPoliciesAndThePoliciesWithoutKpis) {
  PlanData data;
  Edition edition = MakeEdition("2021");
  edition.policies[0].detailed = false;
  data.editions.push_back(edition);
  std::vector<EditionGap> gaps = EditionGaps(data, "2021", "2023");
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0].plan_version, "2021");
  EXPECT_FALSE(gaps[0].no_policies);
  EXPECT_EQ(gaps[0].policies_without_kpis, std::vector<int>{edition.policies[0].number});
  EXPECT_EQ(gaps[1].plan_version, "2023");
  EXPECT_TRUE(gaps[1].no_policies);
  EXPECT_TRUE(gaps[1].policies_without_kpis.empty());
  // An edition that lacks nothing is not named; one compared with itself is named once.
  data.editions[0].policies[0].detailed = true;
  EXPECT_TRUE(EditionGaps(data, "2021", "2021").empty());
  EXPECT_EQ(EditionGaps(data, "2023", "2023").size(), 1u);
}

TEST(NumberRuns, ConsecutiveNumbersBecomeRanges) {
  EXPECT_EQ(NumberRuns({1, 2, 3, 5, 7, 8}, "〜", "、"), "1〜3、5、7〜8");
  EXPECT_EQ(NumberRuns({4}, " to ", ", "), "4");
  EXPECT_EQ(NumberRuns({}, "〜", "、"), "");
}

}  // namespace
}  // namespace civicdesk::plan
