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
  EXPECT_EQ(changes[0].kind, IssueChange::Kind::kAdded);
  EXPECT_EQ(changes[1].kind, IssueChange::Kind::kUnchanged);
  EXPECT_EQ(changes[1].from->number, 2);
  EXPECT_EQ(changes[2].kind, IssueChange::Kind::kAdded);
  EXPECT_EQ(changes[3].kind, IssueChange::Kind::kAdded);  // the near-copy's partner is taken
  EXPECT_EQ(changes[4].kind, IssueChange::Kind::kRemoved);
  EXPECT_EQ(changes[4].from->number, 1);
  EXPECT_EQ(changes[5].kind, IssueChange::Kind::kRemoved);
  EXPECT_STREQ(IssueChangeLabel(changes[5].kind), "削除");

  // A reworded title pairs as changed.
  PlanData reworded;
  reworded.priority_issues = {data.priority_issues[1], data.priority_issues[6]};
  reworded.priority_issues[1].plan_version = "2023";
  std::vector<IssueChange> renamed = DiffPriorityIssues(reworded, "2021", "2023");
  ASSERT_EQ(renamed.size(), 1u);
  EXPECT_EQ(renamed[0].kind, IssueChange::Kind::kChanged);
}

}  // namespace
}  // namespace civicdesk::plan
