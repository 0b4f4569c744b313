#ifndef CIVICDESK_PLAN_VIEWS_H_
#define CIVICDESK_PLAN_VIEWS_H_

// The JSON and view data the plan's pages and API share, and the request parameters both read.
// Internal to the plan module.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/app.h"
#include "plan/administrative_evaluation.h"
#include "plan/evaluation.h"
#include "plan/model.h"
#include "plan/versions.h"

namespace civicdesk::plan {

// A number as JSON: an integer when it is whole, null when absent.
nlohmann::json NumberJson(std::optional<double> value);

// 令和5(2023)年度, or 令和8(2026)年度末 with `end_of_year`.
std::string FiscalYearLabel(int fiscal_year, bool end_of_year = false);
// The same in the page's language: "FY2023 (Reiwa 5)" on an English page.
std::string FiscalYearLabel(const http::RequestContext& context, int fiscal_year,
                            bool end_of_year = false);

// A name the plan keeps in Japanese and, where we wrote one, in English, as a page shows it:
// view[key] is our English on an English page when there is one, else the Japanese (the
// reference); view[key + "_lang"] says which ("en" or "ja") for the lang attribute of the element
// holding it, so Japanese left on an English page is marked lang="ja".
void PutName(const http::RequestContext& context, nlohmann::json& view, const std::string& key,
             const std::string& japanese, const std::string& english);

// The area numbered `number`; nullptr when the plan has none.
const Area* FindArea(const PlanData& data, int number);

// The plan read with only the policy of the path parameter {n}: InvalidArgument naming n for
// anything but a whole number, NotFound when the plan has no such policy.
Result<PlanData> ReadPolicyOfPath(http::RequestContext& context);

// The measure of the path parameter {m} in `policy`: InvalidArgument naming m, or NotFound.
Result<const Measure*> MeasureOfPath(http::RequestContext& context, const Policy& policy);

// ?dataset= of the evaluation pages; absent when empty.
std::optional<std::string> DatasetParam(http::RequestContext& context);

// The two editions to compare: ?from=&to=, by default the first and the last.
Result<std::pair<std::string, std::string>> EditionsParam(http::RequestContext& context,
                                                          const PlanData& data);

// --- API shapes ---

nlohmann::json MeasureJson(const Measure& measure);
// The evaluation of a KPI; `rule` in the request's language.
nlohmann::json EvaluationJson(http::RequestContext& context, const KpiEvaluation& evaluation);
// Evaluations with their funding, indicators and direction (as written, normalised, and its
// label in the request's language).
nlohmann::json EvaluationsJson(const http::RequestContext& context,
                               const std::vector<ProjectEvaluation>& evaluations);
// One evaluation as the evaluations page shows it: EvaluationsJson's entry with its numbers
// ready to print (an annotated number as written).
nlohmann::json EvaluationRowView(const http::RequestContext& context,
                                 const ProjectEvaluation& evaluation);
nlohmann::json IssueChangesJson(http::RequestContext& context,
                                const std::vector<IssueChange>& changes);
nlohmann::json PolicyChangesJson(http::RequestContext& context,
                                 const std::vector<PolicyChange>& changes);
nlohmann::json KpiChangesJson(http::RequestContext& context, const std::vector<KpiChange>& changes);
// What the two editions compared lack (EditionGaps), for the page and the API alike: each gap
// as {"version", "no_policies", "policies_without_kpis": [numbers], "sentence"}, the sentence
// naming the parts in the request's language.
nlohmann::json EditionGapsJson(http::RequestContext& context, const PlanData& data,
                               const std::string& from_version, const std::string& to_version);

// --- Page views ---

// 達成 / Achieved ...: a status as the page's language shows it (the API keeps the Japanese).
std::string StatusLabel(http::RequestContext& context, KpiStatus status);

// The achievement rate as the page shows it: "69%", 基準値未満 / below baseline (never a
// negative percentage), or "" when the target has no rate.
std::string RateLabel(http::RequestContext& context, const KpiEvaluation& evaluation);

nlohmann::json KpiRowView(http::RequestContext& context, const Kpi& kpi,
                          const std::vector<KpiActual>& actuals, const KpiEvaluation& evaluation);

// The KPI table rows with each KPI's latest actual and evaluation, and their roll-up.
Result<nlohmann::json> KpiTableView(http::RequestContext& context, const std::vector<Kpi>& kpis,
                                    KpiRollUp* rollup = nullptr);

// The roll-up with its counts in a sentence of the request's language ("counts").
nlohmann::json RollUpView(http::RequestContext& context, const KpiRollUp& rollup);
// Names in the page's language (PutName).
nlohmann::json PriorityIssuesView(const http::RequestContext& context, const PlanData& data,
                                  const std::string& version);
nlohmann::json AreasView(const http::RequestContext& context, const PlanData& data);
nlohmann::json VersionsView(const http::RequestContext& context, const PlanData& data);
nlohmann::json PolicyHeaderView(const http::RequestContext& context, const PlanData& data,
                                const Policy& policy);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_VIEWS_H_
