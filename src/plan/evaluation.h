#ifndef CIVICDESK_PLAN_EVALUATION_H_
#define CIVICDESK_PLAN_EVALUATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "plan/model.h"

namespace civicdesk::plan {

// One fiscal year's actual value of a KPI.
struct KpiActual {
  int fiscal_year = 0;  // Western starting year (2023 = 令和5年度)
  double value = 0;
  std::string source;  // where the number comes from (調査名, 決算, ...)
  // The population segment the value is of ("在住", "在勤") for a KPI with segments (KpiSegments);
  // "" for a KPI measured as a whole.
  std::string segment;
};

// The segments a KPI is measured by ("在住", "在勤" for 25-3-2): its baseline's, or without
// those its targets', in the order the plan writes them; empty for a KPI measured as a whole. A
// target written for several together (「在住及び在勤 40.0%」) holds for each of them.
std::vector<std::string> KpiSegments(const Kpi& kpi);

struct SegmentEvaluation;

enum class KpiStatus { kAchieved, kOnTrack, kSlightlyBehind, kBehind, kNotMeasured };

// 達成, 順調, やや遅れ, 遅れ, 未測定.
const char* KpiStatusLabel(KpiStatus status);
// "achieved", "on_track", "slightly_behind", "behind", "not_measured".
const char* KpiStatusName(KpiStatus status);

struct KpiEvaluation {
  KpiStatus status = KpiStatus::kNotMeasured;
  // Share of the way from the baseline to the target covered by the latest actual (1 = there),
  // for targets with a number; absent for direction, band, floor and ceiling targets, and when
  // the actual is below the baseline (see below_baseline): a rate is never negative.
  std::optional<double> achievement_rate;
  // A number target whose latest actual moved away from the target, past the baseline (24-2-1:
  // 4 downloads a month against 2,400): shown as 基準値未満 / below baseline, never as a
  // negative rate. The status is 遅れ.
  bool below_baseline = false;
  std::optional<KpiActual> latest;
  const KpiTarget* target = nullptr;  // the target the latest actual is judged against
  // The rule applied: the id of its words in the catalogs ("plan.rule_rate", ...), for the page
  // and the API.
  std::string rule;
  // For a KPI with segments: each segment judged on its own actuals against its own baseline and
  // targets, in KpiSegments order. Empty otherwise.
  std::vector<SegmentEvaluation> segments;
};

struct SegmentEvaluation {
  std::string segment;
  KpiEvaluation evaluation;
};

// The rules (written on the KPI page as well):
// - no actual: 未測定.
// - The latest actual is judged against the first target whose fiscal year it has not passed
//   (the mid-term target, then the final one; after the final year, the final one).
// - reach a number: rate = (actual − baseline) / (target − baseline), in the target's
//   direction (with no baseline, actual / target). 達成 at rate ≥ 1. Before the target year,
//   the expected rate is the share of the time elapsed since the baseline year; 順調 when the
//   rate reaches it, やや遅れ when it reaches 80% of it, else 遅れ. In or after the target
//   year, short of 1 is 遅れ.
// - 「減少」/「増加」: 順調 when the actual moved from the baseline in that direction (達成 once
//   the target year is reached), 遅れ otherwise.
// - band 「70~80%以内」: 達成 inside the band (ends included), 遅れ outside.
// - floor 「1.00以上」 / ceiling 「…以下」: 達成 when met, 遅れ when not.
//   An actual on the far side of the baseline (a rate below 0) has no rate: below_baseline, 遅れ,
//   rule plan.rule_below_baseline.
// - a KPI with segments (在住 21.0% / 在勤 16.4%): each segment by the rules above, on the actuals
//   of that segment, its baseline and its targets (`segments`); the KPI as a whole is the most
//   behind of the segments measured (未測定 while none is), its rate the lowest of theirs, its
//   latest actual the latest of theirs; rule plan.rule_segments. Actuals without a segment are
//   not used for it.
KpiEvaluation EvaluateKpi(const Kpi& kpi, const std::vector<KpiActual>& actuals);

// What the achievement rate of an evaluation is, for machines: "rate" (achievement_rate holds
// it), "below_baseline" (no rate: the actual is short of the baseline) or "none" (no number
// target, or no actual).
const char* AchievementState(const KpiEvaluation& evaluation);
// The same in the words of the downloads (Japanese, as KpiStatusLabel): "69%", 基準値未満, or "".
std::string AchievementLabel(const KpiEvaluation& evaluation);

// The share of a set of KPIs on track (達成 or 順調) among those measured, for the roll-up to
// measure, policy and area.
struct KpiRollUp {
  int total = 0;
  int measured = 0;
  int on_track = 0;
  std::optional<double> share;  // on_track / measured; absent when nothing is measured
};
KpiRollUp RollUp(const std::vector<KpiEvaluation>& evaluations);

// A satisfaction KPI's value from its distribution: 満足 + まあ満足 (percent, one decimal).
std::optional<double> SatisfiedShare(const std::vector<SurveyAnswer>& survey);

// A survey's answer shares as written in the reports, "3.9/23.7/53.3/9.8/3.5/5.7" (満足,
// まあ満足, どちらともいえない, あまり満足ではない, 満足ではない[, 不明]; separators / , or
// spaces; full-width digits accepted), as answers. InvalidArgument naming `survey` for anything
// but five or six numbers from 0 to 100 that add up to 100 (±1 for rounding).
Result<std::vector<SurveyAnswer>> ParseSurveyShares(std::string_view text);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_EVALUATION_H_
