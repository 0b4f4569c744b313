#ifndef CIVICDESK_SURVEYS_RESULTS_H_
#define CIVICDESK_SURVEYS_RESULTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/kpi_feed.h"
#include "core/result.h"
#include "storage/database.h"
#include "surveys/store.h"
#include "surveys/survey.h"

// A survey's results: counts and shares per question, by segment, and weighted to the
// population by post-stratification, with the margin of error at 95 %.
//
// Weighting: the cells are the segment dimensions the population table splits by (district,
// age band, 在住/在勤; a table may name fewer). A respondent in cell c weighs N_c / n_c, scaled
// so that the weights of the respondents in covered cells sum to their number. Respondents in a
// cell the table does not have (or without an answer to a dimension it splits by) get no
// weight and are counted as `unweighted`. The margin of error of a share p from weighted data
// uses Kish's effective sample size n_eff = (Σw)² / Σw²: 1.96 · √(p(1−p) / n_eff), in points.
namespace civicdesk::surveys {

// The smallest number of respondents a segment's figures are shown for; a smaller cell is
// suppressed in pages, downloads and open data.
inline constexpr int64_t kMinimumCell = 10;

// 1.96 · √(p(1−p)/n) · 100 for p in [0, 1]: the 95 % margin of error in percentage points.
double MarginOfError(double p, double n);

struct ChoiceResult {
  std::string value;
  int64_t count = 0;
  double share = 0;                      // % of the question's respondents
  std::optional<double> weighted_share;  // % after weighting
  std::optional<double> margin;          // ± points (weighted when weighted)
};

struct SegmentResult {
  std::string dimension;  // kDistrict, kAgeBand, kResidence
  std::string value;      // "芝", "18〜29歳", "在住"; "" : not answered
  int64_t n = 0;
  bool suppressed = false;      // n < kMinimumCell: counts not shown
  std::vector<int64_t> counts;  // per choice, in the question's order (empty when suppressed)
};

struct QuestionResult {
  const Question* question = nullptr;
  int64_t n = 0;  // respondents who answered it
  std::vector<ChoiceResult> choices;
  std::optional<double> n_effective;  // after weighting
  std::vector<SegmentResult> segments;
  // number questions
  std::optional<double> mean;
  std::optional<double> minimum;
  std::optional<double> maximum;
  bool published = false;  // shares from a report, no counts
};

struct SurveyResults {
  int64_t respondents = 0;
  bool weighted = false;
  std::string population_label;
  std::vector<std::string> weighting_dimensions;
  int64_t unweighted = 0;  // respondents outside every cell of the population table
  std::vector<QuestionResult> questions;
};

// Everything above for `survey`, read in one pass over its answers; for a published survey its
// shares as reported (n unknown).
Result<SurveyResults> ComputeResults(storage::Database& database, const Survey& survey,
                                     const std::optional<Population>& population);

// The values the surveys feed to plan KPIs (the dataset survey-kpi-feeds, core/kpi_feed.h): per
// survey that is closed or published and per feed it declares, the share of the feed's choices
// among the respondents to its question (in its segment), weighted when a population table
// exists, with n and the margin of error — none from fewer than kMinimumCell respondents; a
// published survey's share as reported (n unknown).
// Only the rows of KPI `code` when it is not empty.
Result<std::vector<kpi_feed::Row>> FedValues(storage::Database& database, std::string_view code);

}  // namespace civicdesk::surveys

#endif  // CIVICDESK_SURVEYS_RESULTS_H_
