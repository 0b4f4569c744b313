#ifndef CIVICDESK_CORE_KPI_FEED_H_
#define CIVICDESK_CORE_KPI_FEED_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

// How a module feeds plan KPIs with what it measures, with where each value came from: it offers
// a public dataset whose columns are exactly Columns() (the surveys module's "survey-kpi-feeds"),
// one row per KPI, fiscal year and segment. The plan reads every such dataset through the
// open-data declarations (never the module's tables) and shows each value's source as `fed_by`.
// The same rows are open data.
namespace civicdesk::kpi_feed {

struct Row {
  std::string kpi;      // "24-0-1"
  int fiscal_year = 0;  // Western starting year
  std::string segment;  // "在住", "在勤" for a KPI measured per segment; "" otherwise
  double value = 0;
  std::string module;        // "surveys"
  std::string source;        // the survey's or register's title
  std::string reference;     // "surveys/survey/3": module, kind, id
  std::string address;       // the public page that shows it ("/surveys/3/results"); "" when none
  std::optional<int64_t> n;  // respondents or records behind the value; none when unknown
  // Half the width of the 95 % confidence interval, in the value's unit (percentage points);
  // none when the value is not estimated from a sample or its sample is unknown.
  std::optional<double> margin_of_error;
};

// 指標番号, 年度, 区分, 値, モジュール, 出典, 参照, URL, 回答者数, 誤差.
const std::vector<std::string>& Columns();
// The columns holding numbers (年度, 値, 回答者数, 誤差).
const std::vector<std::string>& NumberColumns();

std::vector<std::string> ToCells(const Row& row);
// InvalidArgument (core.kpi_feed_row) when the cells are not such a row.
Result<Row> FromCells(const std::vector<std::string>& cells);

}  // namespace civicdesk::kpi_feed

#endif  // CIVICDESK_CORE_KPI_FEED_H_
