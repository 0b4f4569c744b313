#include "plan/evaluation.h"

#include <gtest/gtest.h>

#include <cmath>

namespace civicdesk::plan {
namespace {

Kpi KpiWith(std::optional<double> baseline, int baseline_year, KpiTarget target) {
  Kpi kpi;
  kpi.code = "0-0-1";
  kpi.baseline_value = baseline;
  kpi.baseline_fiscal_year = baseline_year;
  kpi.targets.push_back(target);
  return kpi;
}

KpiTarget Target(TargetCondition condition, int year, std::optional<double> value = {},
                 std::optional<double> min = {}, std::optional<double> max = {}) {
  KpiTarget target;
  target.stage = "final";
  target.fiscal_year = year;
  target.condition = condition;
  target.value = value;
  target.min_value = min;
  target.max_value = max;
  return target;
}

// The checks issue 5 names.
TEST(EvaluateKpi, BandWithTheActualInsideIsAchieved) {  // 経常収支比率 「70~80%以内」
  Kpi kpi = KpiWith(75.0, 2020, Target(TargetCondition::kBand, 2026, {}, 70.0, 80.0));
  KpiEvaluation evaluation = EvaluateKpi(kpi, {{2021, 71.9, "決算"}});
  EXPECT_EQ(evaluation.status, KpiStatus::kAchieved);
  EXPECT_STREQ(KpiStatusLabel(evaluation.status), "達成");
  EXPECT_EQ(EvaluateKpi(kpi, {{2021, 81.0, ""}}).status, KpiStatus::kBehind);
  EXPECT_EQ(EvaluateKpi(kpi, {{2021, 80.0, ""}}).status, KpiStatus::kAchieved);
}

TEST(EvaluateKpi, FloorNotMetIsBehind) {  // 財政力指数 「1.00以上」
  Kpi kpi = KpiWith(1.02, 2020, Target(TargetCondition::kAtLeast, 2026, 1.00));
  EXPECT_EQ(EvaluateKpi(kpi, {{2022, 0.98, ""}}).status, KpiStatus::kBehind);
  EXPECT_EQ(EvaluateKpi(kpi, {{2022, 1.00, ""}}).status, KpiStatus::kAchieved);
}

TEST(EvaluateKpi, DirectionTargetsFollowTheDirection) {  // 差別や人権侵害 71.5% 「減少」
  Kpi kpi = KpiWith(71.5, 2020, Target(TargetCondition::kDecrease, 2026));
  EXPECT_EQ(EvaluateKpi(kpi, {{2023, 69.0, ""}}).status, KpiStatus::kOnTrack);
  EXPECT_EQ(EvaluateKpi(kpi, {{2023, 72.0, ""}}).status, KpiStatus::kBehind);
  EXPECT_EQ(EvaluateKpi(kpi, {{2026, 69.0, ""}}).status, KpiStatus::kAchieved);
  EXPECT_FALSE(EvaluateKpi(kpi, {{2023, 69.0, ""}}).achievement_rate.has_value());
}

TEST(EvaluateKpi, SurveyShareIsSatisfiedPlusSomewhatSatisfied) {  // seed 001
  std::vector<SurveyAnswer> survey = {{"満足", 3.9},
                                      {"まあ満足", 23.7},
                                      {"どちらともいえない", 53.3},
                                      {"あまり満足ではない", 9.8},
                                      {"満足ではない", 3.5},
                                      {"不明", 5.7}};
  ASSERT_TRUE(SatisfiedShare(survey).has_value());
  EXPECT_DOUBLE_EQ(*SatisfiedShare(survey), 27.6);
  EXPECT_FALSE(SatisfiedShare({{"不明", 100}}).has_value());

  Result<std::vector<SurveyAnswer>> parsed = ParseSurveyShares("3.9/23.7/53.3/9.8/3.5/5.7");
  ASSERT_TRUE(parsed.ok());
  EXPECT_DOUBLE_EQ(*SatisfiedShare(*parsed), 27.6);
  EXPECT_TRUE(ParseSurveyShares("３.９，２３.７，５３.３，９.８，３.５，５.７").ok());
  for (const char* bad : {"3.9/23.7", "50/50/50/50/50", "a/b/c/d/e", "10/20/30/20/10/5/5", ""}) {
    Result<std::vector<SurveyAnswer>> refused = ParseSurveyShares(bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.status().field(), "survey");
    EXPECT_EQ(refused.status().message_id(), "plan.survey_shares_invalid");
  }
}

TEST(EvaluateKpi, NoActualIsNotMeasured) {
  Kpi kpi = KpiWith(4.0, 2020, Target(TargetCondition::kReach, 2026, 100.0));
  KpiEvaluation evaluation = EvaluateKpi(kpi, {});
  EXPECT_EQ(evaluation.status, KpiStatus::kNotMeasured);
  EXPECT_STREQ(KpiStatusLabel(evaluation.status), "未測定");
}

// 24-1-1: 4% (令和2年度) → 75% (令和5年度) → 100% (令和8年度末).
TEST(EvaluateKpi, ReachTargetsCompareProgressWithTimeElapsed) {
  Kpi kpi = KpiWith(4.0, 2020, Target(TargetCondition::kReach, 2023, 75.0));
  kpi.targets[0].stage = "mid_term";
  kpi.targets.push_back(Target(TargetCondition::kReach, 2026, 100.0));
  // 2022: two thirds of the time to the mid-term target; 52.7 is (52.7-4)/71 = 0.686 ≥ 0.667.
  KpiEvaluation on_track = EvaluateKpi(kpi, {{2021, 30.0, ""}, {2022, 52.7, ""}});
  EXPECT_EQ(on_track.status, KpiStatus::kOnTrack);
  EXPECT_EQ(on_track.latest->fiscal_year, 2022);
  EXPECT_NEAR(*on_track.achievement_rate, 0.686, 0.001);
  EXPECT_EQ(on_track.target->stage, "mid_term");
  // 0.6 of the way: at least 80% of the expected 0.667.
  EXPECT_EQ(EvaluateKpi(kpi, {{2022, 46.6, ""}}).status, KpiStatus::kSlightlyBehind);
  EXPECT_EQ(EvaluateKpi(kpi, {{2022, 20.0, ""}}).status, KpiStatus::kBehind);
  // In the target year, short of the target is behind; reaching it is achieved.
  EXPECT_EQ(EvaluateKpi(kpi, {{2023, 74.0, ""}}).status, KpiStatus::kBehind);
  EXPECT_EQ(EvaluateKpi(kpi, {{2023, 75.0, ""}}).status, KpiStatus::kAchieved);
  // After the mid-term year, the final target applies.
  KpiEvaluation later = EvaluateKpi(kpi, {{2024, 80.0, ""}});
  EXPECT_EQ(later.target->stage, "final");
  EXPECT_NEAR(*later.achievement_rate, (80.0 - 4) / 96, 0.001);
}

TEST(EvaluateKpi, DownwardReachTargetsCountTheRightWay) {
  Kpi kpi = KpiWith(120.0, 2020, Target(TargetCondition::kReach, 2026, 100.0));
  KpiEvaluation evaluation = EvaluateKpi(kpi, {{2026, 95.0, ""}});
  EXPECT_EQ(evaluation.status, KpiStatus::kAchieved);
  EXPECT_GT(*evaluation.achievement_rate, 1.0);
}

// 24-2-1 after four downloads: 4 a month against a baseline of 2,400 and a target of 3,200
// would be (4 − 2,400) ÷ 800 = −300%. A rate is never negative: none, below_baseline, 遅れ.
TEST(EvaluateKpi, AnActualBelowTheBaselineHasNoNegativeRate) {
  Kpi kpi = KpiWith(2400.0, 2020, Target(TargetCondition::kReach, 2023, 3200.0));
  KpiEvaluation below = EvaluateKpi(kpi, {{2022, 4.0, "opendata"}});
  EXPECT_FALSE(below.achievement_rate.has_value());
  EXPECT_TRUE(below.below_baseline);
  EXPECT_EQ(below.status, KpiStatus::kBehind);
  EXPECT_STREQ(AchievementState(below), "below_baseline");
  EXPECT_EQ(AchievementLabel(below), "基準値未満");
  EXPECT_EQ(below.rule, "plan.rule_below_baseline");  // the page says why
  // In the target year too, and for a downward target whose actual went up.
  EXPECT_TRUE(EvaluateKpi(kpi, {{2023, 10.0, ""}}).below_baseline);
  Kpi downward = KpiWith(120.0, 2020, Target(TargetCondition::kReach, 2026, 100.0));
  KpiEvaluation worse = EvaluateKpi(downward, {{2022, 130.0, ""}});
  EXPECT_TRUE(worse.below_baseline);
  EXPECT_FALSE(worse.achievement_rate.has_value());
  // At the baseline the rate is 0 (not below); a hair under it rounds to 0, never to −0.
  KpiEvaluation at = EvaluateKpi(kpi, {{2022, 2400.0, ""}});
  EXPECT_FALSE(at.below_baseline);
  ASSERT_TRUE(at.achievement_rate.has_value());
  EXPECT_EQ(*at.achievement_rate, 0.0);
  EXPECT_FALSE(std::signbit(*EvaluateKpi(kpi, {{2022, 2399.9, ""}}).achievement_rate));
  EXPECT_EQ(AchievementLabel(at), "0%");
  EXPECT_STREQ(AchievementState(at), "rate");
  // Targets without a rate say so.
  Kpi direction = KpiWith(71.5, 2020, Target(TargetCondition::kDecrease, 2026));
  KpiEvaluation moved = EvaluateKpi(direction, {{2023, 80.0, ""}});
  EXPECT_FALSE(moved.below_baseline);
  EXPECT_STREQ(AchievementState(moved), "none");
  EXPECT_EQ(AchievementLabel(moved), "");
}

}  // namespace
}  // namespace civicdesk::plan
