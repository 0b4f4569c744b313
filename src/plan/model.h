#ifndef CIVICDESK_PLAN_MODEL_H_
#define CIVICDESK_PLAN_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace civicdesk::plan {

// The master plan (基本計画) as Minato publishes it: vision → priority issues (per plan
// version) → four areas → policies 1-26 → measures (施策) → initiatives (主な取組), with
// outcome indicators (成果指標) at policy and measure level, planned projects (計画事業) and
// district plans (地区版計画書). Fiscal years are Western starting years (年度 2023 = 令和5年度).

struct PlanVersion {
  std::string code;  // "2021", "2023"
  std::string title;
  int period_from = 0;  // first 年度
  int period_to = 0;    // last 年度
  std::optional<int> revised_in;
  std::string note;
  std::string source;
};

struct PriorityIssue {
  std::string plan_version;
  int number = 0;
  std::string title;
  std::string summary;
  std::vector<std::string> initiatives;
  std::string title_en;  // our English, "" where none is written (the Japanese is the reference)
};

struct Area {
  int number = 0;  // 1-4
  std::string code;
  std::string name;
  std::string theme;
  std::string name_en;
};

// A value split by population, as in "在住 21.0% 在勤 16.4%".
struct Segment {
  std::string segment;
  double value = 0;
};

// What a target asks for.
enum class TargetCondition {
  kReach,     // reach `value` (up or down from the baseline)
  kDecrease,  // 「減少」: lower than the baseline, no number
  kIncrease,  // 「増加」
  kBand,      // 「70~80%以内」: between min and max
  kAtLeast,   // 「1.00以上」
  kAtMost,    // 「…以下」
};

const char* TargetConditionName(TargetCondition condition);  // "reach", "decrease", ...

struct KpiTarget {
  std::string stage;  // "mid_term" (中間目標値) or "final" (計画目標値)
  int fiscal_year = 0;
  bool end_of_year = false;  // 「年度末」
  TargetCondition condition = TargetCondition::kReach;
  std::string label;  // as printed: "75%", "減少", "70~80%以内"
  std::optional<double> value;
  std::optional<double> min_value;
  std::optional<double> max_value;
  std::vector<Segment> segments;
};

struct SurveyAnswer {
  std::string answer;  // 満足, まあ満足, どちらともいえない, あまり満足ではない, 満足ではない, 不明
  double share = 0;    // percent
};

// An outcome indicator. Code "<policy>-<measure>-<n>"; measure 0 for a policy-level KPI.
struct Kpi {
  std::string code;
  int policy = 0;
  int measure = 0;
  int position = 0;
  std::string name;
  std::string name_en;  // our English; "" where none is written
  std::string unit;
  std::string note;            // the ※ footnote
  std::string baseline_label;  // "4%", or "—" when not measured yet
  std::optional<double> baseline_value;
  int baseline_fiscal_year = 0;
  std::string baseline_kind;  // 現状値, 現状見込値, 未測定
  std::vector<Segment> baseline_segments;
  std::vector<SurveyAnswer> survey;  // satisfaction KPIs: the distribution behind the baseline
  std::vector<KpiTarget> targets;
  // The indicator another module measures this KPI by ("opendata.monthly_average_downloads");
  // its values are the actuals of the fiscal years staff have not entered. Empty: entered only.
  std::string measured_by;
};

struct Initiative {
  int number = 0;  // ①, ② ...
  std::string title;
  std::string title_en;                  // our English; "" where none is written
  std::vector<std::string> description;  // paragraphs
  bool planned_project = false;
  std::optional<int> priority_issue;  // 重点課題 number in priority_issue_version
  std::string priority_issue_version;
};

struct Measure {
  int policy = 0;
  int number = 0;
  std::string title;
  std::string title_en;  // our English; "" where none is written
  std::string goal;      // 目標・期待する成果
  std::vector<Initiative> initiatives;
  std::vector<Kpi> kpis;
  std::vector<std::string> related_plans;
  std::vector<int> sdg_goals;
};

struct Policy {
  int number = 0;
  int area = 0;
  std::string title;
  std::string title_en;                // our English; "" where none is written
  std::vector<std::string> direction;  // 政策のめざす方向性, paragraphs; empty when not transcribed
  std::string source;
  std::vector<Kpi> kpis;  // policy-level (measure 0)
  std::vector<Measure> measures;
};

struct ProjectTotal {
  std::string plan_version;
  int count = 0;
  int64_t budget_yen = 0;
  std::string budget_label;
  int from_fiscal_year = 0;
  int to_fiscal_year = 0;
  std::string source;
};

struct Project {
  std::string plan_version;
  std::string name;
  std::string description;
  std::optional<int> priority_issue;
  std::string initiative;  // "24-1-1": policy-measure-initiative, when the seed names one
  std::string source;
};

struct DistrictPlan {
  std::string plan_version;
  std::string district;  // 芝, 麻布, 赤坂, 高輪, 芝浦港南
  std::string office;
  std::string title;
  std::string description;
};

struct Vision {
  std::string title;
  std::vector<std::string> statements;
};

// Everything the plan module holds.
// What one edition of the plan says about its policies and KPIs: the part compared between
// editions. Targets are written as printed with their 年度 ("75%(2023)、100%(2026末)").
struct EditionKpi {
  std::string code;
  int policy = 0;
  std::string name;
  std::string unit;
  std::string baseline;
  std::string targets;
};

struct EditionPolicy {
  int number = 0;
  int area = 0;
  std::string title;
  bool detailed = false;  // its measures and KPIs are transcribed for this edition
};

struct Edition {
  std::string plan_version;
  std::vector<EditionPolicy> policies;
  std::vector<EditionKpi> kpis;
};

struct PlanData {
  Vision vision;
  std::vector<PlanVersion> versions;
  std::vector<PriorityIssue> priority_issues;
  std::vector<Area> areas;
  std::vector<Policy> policies;  // all 26; measures only where transcribed
  std::vector<ProjectTotal> project_totals;
  std::vector<Project> projects;
  std::vector<DistrictPlan> district_plans;
  std::vector<Edition> editions;  // the editions whose policies are transcribed
};

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_MODEL_H_
