#ifndef CIVICDESK_PLAN_ADMINISTRATIVE_EVALUATION_H_
#define CIVICDESK_PLAN_ADMINISTRATIVE_EVALUATION_H_

#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::plan {

// One project's administrative evaluation (事務事業評価) for one fiscal year.
struct ProjectEvaluation {
  std::string dataset;  // where it came from: a city's evaluation sheet ("港区 令和4年度", ...)
  std::string policy;   // 政策
  std::string measure;  // 施策
  std::string project;  // 事業
  int fiscal_year = 0;
  std::map<std::string, double>
      cost_thousand_yen;            // by funding source: 国, 都道府県, 一般財源, その他
  std::optional<double> personnel;  // 人員 (人)
  std::optional<double> hours;      // 従事時間
  std::string activity_indicator;   // 活動指標
  std::optional<double> activity_value;
  std::string target_indicator;  // 対象指標
  std::optional<double> target_value;
  std::string outcome_indicator;  // 成果指標
  std::optional<double> outcome_value;
  std::string direction;  // 拡充, 継続, 改善, 縮小, 廃止
  std::string comment;

  double total_cost() const;
};

// Reads a city's evaluation sheet from CSV (UTF-8, one row per project and fiscal year) and
// stores it under `dataset`, replacing that dataset's earlier rows. Columns are found by their
// header, in Japanese or English, so any city's export can be mapped:
//   政策/policy, 施策/measure, 事業/project, 年度/fiscal_year (2022 or 令和4年度) — required;
//   国/cost_national, 都道府県/cost_prefecture, 一般財源/cost_general, その他/cost_other
//   (千円), 人員/personnel, 時間/hours, 活動指標/activity_indicator, 活動実績/activity_value,
//   対象指標/target_indicator, 対象実績/target_value, 成果指標/outcome_indicator,
//   成果実績/outcome_value, 方向性/direction, コメント/comment — optional.
// Every row is checked before anything is written; InvalidArgument names the row and column
// (an unknown direction, a year that is not one, a cost that is not a number). Returns the
// number of rows.
Result<int> ImportProjectEvaluations(storage::Database& database, std::istream& csv,
                                     const std::string& dataset, const std::string& login);

// Every stored evaluation, by dataset, policy, measure, project and year.
Result<std::vector<ProjectEvaluation>> ListProjectEvaluations(
    storage::Database& database, const std::optional<std::string>& dataset = std::nullopt);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_ADMINISTRATIVE_EVALUATION_H_
