#ifndef CIVICDESK_PLAN_ADMINISTRATIVE_EVALUATION_H_
#define CIVICDESK_PLAN_ADMINISTRATIVE_EVALUATION_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/tabular_import.h"
#include "storage/database.h"

namespace civicdesk::plan {

// One 活動指標, 成果指標 or 対象指標 of a project in one fiscal year.
struct EvaluationIndicator {
  std::string kind;  // "activity", "outcome", "target"
  int position = 0;  // 1-based within its kind: 活動指標1, 活動指標2 …
  std::string name;
  std::string unit;
  std::optional<double> target;  // 目標値
  std::optional<double> actual;  // 実績値
  std::string target_note;  // the cell as written when it carried an annotation: 「36（1）」
  std::string actual_note;
};

// The funding sources, as stored (keys of ProjectEvaluation::cost_thousand_yen), in the order of
// the sheets.
inline constexpr std::string_view kFundingSources[] = {"国庫支出金", "都道府県支出金", "地方債",
                                                       "その他特定財源", "一般財源"};

// One project's administrative evaluation (事務事業評価) for one fiscal year.
struct ProjectEvaluation {
  std::string dataset;  // where it came from: a city's evaluation sheet ("架空市 令和5年度", ...)
  std::string policy;         // 政策
  std::string policy_number;  // the city's own numbers, as written ("" when none)
  std::string measure;        // 施策
  std::string measure_number;
  std::string basic_project;  // 基本事業
  std::string basic_project_number;
  std::string project;  // 事務事業
  std::string project_number;
  std::string department;    // 担当課
  std::string sheet_number;  // the row's number in the sheet (No., 通し番号), as written
  int fiscal_year = 0;
  std::map<std::string, double> cost_thousand_yen;  // by funding source (kFundingSources)
  std::optional<double> cost_total;             // the total the sheet states (事業費, 決算額)
  std::optional<double> cost_budget;            // 予算額
  std::optional<double> personnel;              // 人員 (人)
  std::optional<double> hours;                  // 従事時間
  std::vector<EvaluationIndicator> indicators;  // by kind, then position
  std::string direction;                        // 今後の方向性 in the city's own words
  std::string direction_normalized;             // NormalizeDirection of it ("" when none)
  std::string comment;
  std::string note;  // 備考
  // Cells whose number carried an annotation, by their column's header: 「36（1）」.
  std::map<std::string, std::string> annotations;

  int64_t source_row = 0;  // while importing: the sheet row it was first read from

  double total_cost() const;  // the sum of the funding sources
};

// Reads a city's 事務事業評価 sheet through the shared pipeline (tabular::ReadTable with
// EvaluationColumns(): CSV/TSV/XLSX, UTF-8/CP932/UTF-16, notes above and below kept, dashes
// and annotated numbers read and reported) and stores it under `dataset`, replacing that
// dataset's earlier rows, in one transaction (nothing when options.dry_run).
//
// Long layout: one row per project and year (a 年度 column). Wide layout: one row per project,
// its columns in year blocks (令和4年度決算額, R4 国庫支出金 …); a value whose column names no year
// belongs to the row's 年度, or else to the latest year the row's headers name. Indicators:
// each 活動指標/成果指標/対象指標 column starts one indicator; 単位, 目標 and 実績 columns belong
// to the indicator named by their own kind and ordinal (成果指標2目標値), or else to the nearest
// indicator on their left. Costs are in 千円 (a header's (円), (万円) or (百万円) is converted).
//
// Rows naming the same city number (事業番号, under the same 政策/施策/基本事業 numbers) are
// one project: a differing name is taken as the city's typo, the first spelling kept, and a
// warning names both. Warnings also for a stated total that differs from the sum of its
// sources and for a direction that the synonym list cannot place (kept, and normalised to
// 「その他」). Every bad row is an error naming its row and field (a year that is not one, a
// number that is not one, the same project and year twice, a value given twice); with any
// error nothing is written, and `refused` (when not null) receives the report.
Result<tabular::Report> ImportProjectEvaluations(storage::Database& database,
                                                 std::string_view bytes, const std::string& dataset,
                                                 const std::string& login,
                                                 const tabular::ImportOptions& options = {},
                                                 tabular::Report* refused = nullptr);

// Every stored evaluation, by dataset, policy, measure, project and year, with its indicators.
Result<std::vector<ProjectEvaluation>> ListProjectEvaluations(
    storage::Database& database, const std::optional<std::string>& dataset = std::nullopt);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_ADMINISTRATIVE_EVALUATION_H_
