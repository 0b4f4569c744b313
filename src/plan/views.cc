#include "plan/views.h"

#include <algorithm>
#include <cmath>

#include "core/wareki.h"
#include "plan/kpi_progress.h"
#include "plan/plan_module.h"
#include "plan/repository.h"

namespace civicdesk::plan {
namespace {

using http::RequestContext;
using nlohmann::json;

// Policy and measure numbers have at most six digits; a longer number is refused as malformed
// rather than looked up.
constexpr int64_t kLargestNumber = 999999;

Result<int> NumberOfPath(RequestContext& context, std::string_view name) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t number, context.PathId(name));
  if (number > kLargestNumber) {
    return Status::InvalidArgument(
        "plan.number_invalid", {{"value", context.request().PathParam(name)}}, std::string(name));
  }
  return static_cast<int>(number);
}

json SegmentsJson(const std::vector<Segment>& segments) {
  json list = json::array();
  for (const Segment& segment : segments)
    list.push_back({{"segment", segment.segment}, {"value", NumberJson(segment.value)}});
  return list;
}

template <typename Entry, typename Describe>
json ChangesJson(RequestContext& context, const std::vector<Change<Entry>>& changes,
                 const Describe& describe) {
  json list = json::array();
  for (const Change<Entry>& change : changes) {
    json item = {{"change", ChangeName(change.kind)},
                 {"label", ChangeLabel(change.kind)},
                 {"fields", change.fields}};
    std::string shown;
    for (const std::string& field : change.fields) {
      if (!shown.empty()) shown += context.Message("list_separator");
      shown += context.Message("versions_field_" + field);
    }
    item["fields_label"] = shown;
    if (change.from) item["from"] = describe(*change.from);
    if (change.to) item["to"] = describe(*change.to);
    list.push_back(std::move(item));
  }
  return list;
}

}  // namespace

json NumberJson(std::optional<double> value) {
  if (!value) return nullptr;
  double rounded = std::round(*value);
  if (std::fabs(*value - rounded) < 1e-9 && std::fabs(rounded) < 1e15)
    return static_cast<int64_t>(rounded);
  return *value;
}

std::string FiscalYearLabel(int fiscal_year, bool end_of_year) {
  return FormatWarekiFiscalYear(FiscalYear(fiscal_year), end_of_year);
}

std::string FiscalYearLabel(const RequestContext& context, int fiscal_year, bool end_of_year) {
  return FormatFiscalYearIn(context.language(), FiscalYear(fiscal_year), end_of_year);
}

void PutName(const RequestContext& context, json& view, const std::string& key,
             const std::string& japanese, const std::string& english) {
  const bool in_english = context.language() == "en" && !english.empty();
  view[key] = in_english ? english : japanese;
  view[key + "_lang"] = in_english ? "en" : "ja";
}

const Area* FindArea(const PlanData& data, int number) {
  for (const Area& area : data.areas) {
    if (area.number == number) return &area;
  }
  return nullptr;
}

Result<PlanData> ReadPolicyOfPath(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int number, NumberOfPath(context, "n"));
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPlan(context.app().database(), number));
  if (data.policies.empty())
    return Status::NotFound("plan.policy_not_found", {{"number", std::to_string(number)}});
  return data;
}

Result<const Measure*> MeasureOfPath(RequestContext& context, const Policy& policy) {
  CIVICDESK_ASSIGN_OR_RETURN(int number, NumberOfPath(context, "m"));
  for (const Measure& measure : policy.measures) {
    if (measure.number == number) return &measure;
  }
  return Status::NotFound("plan.measure_not_found", {{"policy", std::to_string(policy.number)},
                                                     {"measure", std::to_string(number)}});
}

std::optional<std::string> DatasetParam(RequestContext& context) {
  std::optional<std::string> dataset = context.request().QueryParam("dataset");
  if (dataset && dataset->empty()) dataset.reset();
  return dataset;
}

Result<std::pair<std::string, std::string>> EditionsParam(RequestContext& context,
                                                          const PlanData& data) {
  if (data.versions.size() < 2) return Status::NotFound("plan.only_one_edition");
  std::string from = context.request().QueryParam("from").value_or(data.versions.front().code);
  std::string to = context.request().QueryParam("to").value_or(data.versions.back().code);
  for (const std::string* code : {&from, &to}) {
    if (std::none_of(data.versions.begin(), data.versions.end(),
                     [&](const PlanVersion& version) { return version.code == *code; })) {
      return Status::InvalidArgument("plan.edition_not_found", {{"code", *code}},
                                     code == &from ? "from" : "to");
    }
  }
  return std::make_pair(from, to);
}

// --- API shapes ---

json KpiJson(const Kpi& kpi) {
  json targets = json::array();
  for (const KpiTarget& target : kpi.targets) {
    json item = {{"value", NumberJson(target.value)},
                 {"fiscal_year", target.fiscal_year},
                 {"kind", target.stage},
                 {"end_of_year", target.end_of_year},
                 {"condition", TargetConditionName(target.condition)},
                 {"label", target.label}};
    if (target.min_value) item["min"] = NumberJson(target.min_value);
    if (target.max_value) item["max"] = NumberJson(target.max_value);
    if (!target.segments.empty()) item["segments"] = SegmentsJson(target.segments);
    targets.push_back(std::move(item));
  }
  json baseline = {{"value", NumberJson(kpi.baseline_value)},
                   {"fiscal_year", kpi.baseline_fiscal_year},
                   {"label", kpi.baseline_label},
                   {"kind", kpi.baseline_kind}};
  if (!kpi.baseline_segments.empty()) baseline["segments"] = SegmentsJson(kpi.baseline_segments);
  json result = {{"code", kpi.code}, {"name", kpi.name},     {"unit", kpi.unit},
                 {"note", kpi.note}, {"baseline", baseline}, {"targets", targets}};
  if (!kpi.name_en.empty()) result["name_en"] = kpi.name_en;
  if (!kpi.survey.empty()) {
    json survey = json::array();
    for (const SurveyAnswer& answer : kpi.survey)
      survey.push_back({{"answer", answer.answer}, {"share", answer.share}});
    result["survey"] = survey;
  }
  return result;
}

json MeasureJson(const Measure& measure) {
  json initiatives = json::array();
  for (const Initiative& initiative : measure.initiatives) {
    json item = {{"number", initiative.number},
                 {"title", initiative.title},
                 {"description", initiative.description},
                 {"planned_project", initiative.planned_project}};
    if (!initiative.title_en.empty()) item["title_en"] = initiative.title_en;
    if (initiative.priority_issue) {
      item["priority_issue"] = {{"plan_version", initiative.priority_issue_version},
                                {"number", *initiative.priority_issue}};
    }
    initiatives.push_back(std::move(item));
  }
  json kpis = json::array();
  for (const Kpi& kpi : measure.kpis) kpis.push_back(KpiJson(kpi));
  json result = {{"number", measure.number},
                 {"title", measure.title},
                 {"goal", measure.goal},
                 {"initiatives", initiatives},
                 {"kpis", kpis},
                 {"related_plans", measure.related_plans},
                 {"sdg_goals", measure.sdg_goals}};
  if (!measure.title_en.empty()) result["title_en"] = measure.title_en;
  return result;
}

json EvaluationJson(RequestContext& context, const KpiEvaluation& evaluation) {
  json result = {{"status", KpiStatusName(evaluation.status)},
                 {"label", KpiStatusLabel(evaluation.status)},
                 {"achievement_rate",
                  evaluation.achievement_rate ? json(*evaluation.achievement_rate) : json(nullptr)},
                 // "rate", "below_baseline" (the rate is null: never negative) or "none".
                 {"achievement_state", AchievementState(evaluation)},
                 {"rule_id", evaluation.rule},
                 {"rule", context.Message(evaluation.rule)}};
  if (evaluation.latest) {
    result["fiscal_year"] = evaluation.latest->fiscal_year;
    result["value"] = evaluation.latest->value;
  }
  if (evaluation.target) {
    result["target"] = {{"kind", evaluation.target->stage},
                        {"fiscal_year", evaluation.target->fiscal_year},
                        {"label", evaluation.target->label}};
  }
  if (!evaluation.segments.empty()) {
    result["segments"] = json::array();
    for (const SegmentEvaluation& part : evaluation.segments) {
      json segment = EvaluationJson(context, part.evaluation);
      segment["segment"] = part.segment;
      result["segments"].push_back(std::move(segment));
    }
  }
  return result;
}

namespace {

// The catalog id of a normalised direction's label, or "" for none.
std::string DirectionMessage(const std::string& normalized) {
  static const std::map<std::string, std::string> ids = {
      {"拡充", "evaluations_direction_expand"},   {"継続", "evaluations_direction_continue"},
      {"改善", "evaluations_direction_improve"},  {"縮小", "evaluations_direction_reduce"},
      {"統合", "evaluations_direction_merge"},    {"休止・廃止", "evaluations_direction_abolish"},
      {"完了", "evaluations_direction_complete"}, {"その他", "evaluations_direction_other"}};
  auto found = ids.find(normalized);
  return found == ids.end() ? "" : found->second;
}

// The catalog id of a funding source's label.
std::string SourceMessage(const std::string& source) {
  static const std::map<std::string, std::string> ids = {
      {"国庫支出金", "evaluations_source_national"},
      {"都道府県支出金", "evaluations_source_prefecture"},
      {"地方債", "evaluations_source_bonds"},
      {"その他特定財源", "evaluations_source_other"},
      {"一般財源", "evaluations_source_general"}};
  auto found = ids.find(source);
  return found == ids.end() ? "" : found->second;
}

json OptionalJson(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json IndicatorsJson(const RequestContext& context, const ProjectEvaluation& evaluation) {
  json list = json::array();
  for (const EvaluationIndicator& indicator : evaluation.indicators) {
    list.push_back({{"kind", indicator.kind},
                    {"kind_label", context.Message("evaluations_indicator_" + indicator.kind)},
                    {"position", indicator.position},
                    {"name", indicator.name},
                    {"unit", indicator.unit},
                    {"target", OptionalJson(indicator.target)},
                    {"actual", OptionalJson(indicator.actual)},
                    {"target_as_written", indicator.target_note},
                    {"actual_as_written", indicator.actual_note}});
  }
  return list;
}

}  // namespace

json EvaluationsJson(const RequestContext& context,
                     const std::vector<ProjectEvaluation>& evaluations) {
  json list = json::array();
  for (const ProjectEvaluation& evaluation : evaluations) {
    json funding = json::array();
    for (std::string_view source : kFundingSources) {
      auto found = evaluation.cost_thousand_yen.find(std::string(source));
      if (found == evaluation.cost_thousand_yen.end()) continue;
      funding.push_back({{"source", source},
                         {"label", context.Message(SourceMessage(found->first))},
                         {"thousand_yen", found->second}});
    }
    const std::string direction_id = DirectionMessage(evaluation.direction_normalized);
    list.push_back({{"dataset", evaluation.dataset},
                    {"policy", evaluation.policy},
                    {"policy_number", evaluation.policy_number},
                    {"measure", evaluation.measure},
                    {"measure_number", evaluation.measure_number},
                    {"basic_project", evaluation.basic_project},
                    {"basic_project_number", evaluation.basic_project_number},
                    {"project", evaluation.project},
                    {"project_number", evaluation.project_number},
                    {"department", evaluation.department},
                    {"sheet_number", evaluation.sheet_number},
                    {"fiscal_year", evaluation.fiscal_year},
                    {"fiscal_year_label", FiscalYearLabel(context, evaluation.fiscal_year)},
                    {"cost_thousand_yen", evaluation.cost_thousand_yen},
                    {"funding", funding},
                    {"cost_total_thousand_yen",
                     evaluation.cost_total ? *evaluation.cost_total : evaluation.total_cost()},
                    {"cost_stated_total_thousand_yen", OptionalJson(evaluation.cost_total)},
                    {"cost_sources_sum_thousand_yen", evaluation.total_cost()},
                    {"cost_budget_thousand_yen", OptionalJson(evaluation.cost_budget)},
                    {"personnel", OptionalJson(evaluation.personnel)},
                    {"hours", OptionalJson(evaluation.hours)},
                    {"indicators", IndicatorsJson(context, evaluation)},
                    {"direction", evaluation.direction},
                    {"direction_normalized", evaluation.direction_normalized},
                    {"direction_label", direction_id.empty() ? "" : context.Message(direction_id)},
                    {"comment", evaluation.comment},
                    {"note", evaluation.note},
                    {"as_written", evaluation.annotations}});
  }
  return list;
}

json EvaluationRowView(const RequestContext& context, const ProjectEvaluation& evaluation) {
  json row = EvaluationsJson(context, {evaluation})[0];
  auto number = [](const json& value) {
    return value.is_null() ? "" : NumberJson(value.get<double>()).dump();
  };
  row["total"] = number(row["cost_total_thousand_yen"]);
  row["stated_differs"] = evaluation.cost_total && !evaluation.cost_thousand_yen.empty() &&
                          std::fabs(*evaluation.cost_total - evaluation.total_cost()) > 0.5;
  row["sum"] = NumberJson(evaluation.total_cost()).dump();
  row["budget"] = number(row["cost_budget_thousand_yen"]);
  row["staff"] = number(row["personnel"]);
  row["hours_shown"] = number(row["hours"]);
  for (json& source : row["funding"])
    source["shown"] = NumberJson(source["thousand_yen"].get<double>()).dump();
  for (json& indicator : row["indicators"]) {
    indicator["target_shown"] = indicator["target_as_written"].get<std::string>().empty()
                                    ? number(indicator["target"])
                                    : indicator["target_as_written"].get<std::string>();
    indicator["actual_shown"] = indicator["actual_as_written"].get<std::string>().empty()
                                    ? number(indicator["actual"])
                                    : indicator["actual_as_written"].get<std::string>();
  }
  row["has_indicators"] = !row["indicators"].empty();
  row["has_funding"] = !row["funding"].empty();
  return row;
}

json IssueChangesJson(RequestContext& context, const std::vector<IssueChange>& changes) {
  return ChangesJson(context, changes, [](const PriorityIssue& issue) -> json {
    return {{"number", issue.number}, {"title", issue.title}};
  });
}

json PolicyChangesJson(RequestContext& context, const std::vector<PolicyChange>& changes) {
  return ChangesJson(context, changes, [](const EditionPolicy& policy) -> json {
    return {{"number", policy.number}, {"area", policy.area}, {"title", policy.title}};
  });
}

json KpiChangesJson(RequestContext& context, const std::vector<KpiChange>& changes) {
  return ChangesJson(context, changes, [](const EditionKpi& kpi) -> json {
    return {{"code", kpi.code}, {"policy", kpi.policy},     {"name", kpi.name},
            {"unit", kpi.unit}, {"baseline", kpi.baseline}, {"targets", kpi.targets}};
  });
}

// --- Page views ---

std::string StatusLabel(RequestContext& context, KpiStatus status) {
  return context.Message(std::string("kpi_status_") + KpiStatusName(status));
}

std::string RateLabel(RequestContext& context, const KpiEvaluation& evaluation) {
  if (evaluation.below_baseline) return context.Message("kpi_below_baseline");
  return AchievementLabel(evaluation);  // "69%" or ""
}

json KpiRowView(RequestContext& context, const Kpi& kpi, const std::vector<KpiActual>& actuals,
                const KpiEvaluation& evaluation) {
  json mid_terms = json::array();
  json finals = json::array();
  for (const KpiTarget& target : kpi.targets) {
    json cell = {{"label", target.label},
                 {"year", FiscalYearLabel(context, target.fiscal_year, target.end_of_year)}};
    (target.stage == "final" ? finals : mid_terms).push_back(std::move(cell));
  }
  json row = {
      {"code", kpi.code},
      {"note", kpi.note},
      {"baseline_label", kpi.baseline_label},
      {"baseline_year", FiscalYearLabel(context, kpi.baseline_fiscal_year)},
      {"baseline_kind", kpi.baseline_kind},
      {"mid_terms", mid_terms},
      {"finals", finals},
      {"actual", evaluation.latest ? NumberJson(evaluation.latest->value).dump() + kpi.unit : ""},
      {"actual_year", evaluation.latest ? FiscalYearLabel(context, evaluation.latest->fiscal_year)
                                        : std::string()},
      {"status", StatusLabel(context, evaluation.status)},
      {"status_class", KpiStatusName(evaluation.status)},
      {"rate", RateLabel(context, evaluation)},
      {"below_baseline", evaluation.below_baseline},
      {"actual_count", actuals.size()}};
  PutName(context, row, "name", kpi.name, kpi.name_en);
  return row;
}

Result<json> KpiTableView(RequestContext& context, const std::vector<Kpi>& kpis,
                          KpiRollUp* rollup) {
  json rows = json::array();
  std::vector<KpiEvaluation> evaluations;
  for (const Kpi& kpi : kpis) {
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<KpiActual> actuals, ActualsOf(context.app(), kpi));
    evaluations.push_back(EvaluateKpi(kpi, actuals));
    rows.push_back(KpiRowView(context, kpi, actuals, evaluations.back()));
  }
  if (rollup != nullptr) *rollup = RollUp(evaluations);
  return rows;
}

json RollUpView(RequestContext& context, const KpiRollUp& rollup) {
  const MessageArgs counts = {{"total", std::to_string(rollup.total)},
                              {"measured", std::to_string(rollup.measured)},
                              {"on_track", std::to_string(rollup.on_track)}};
  // In words, never the raw "(0 / 0; 2)".
  const char* sentence = rollup.measured > 0 ? "plan.rollup_counts" : "plan.rollup_none_measured";
  return {{"total", rollup.total},
          {"measured", rollup.measured},
          {"on_track", rollup.on_track},
          {"counts", context.Format(Status(StatusCode::kOk, sentence, counts))},
          {"share", rollup.share ? std::to_string(static_cast<int>(*rollup.share * 100 + 0.5)) + "%"
                                 : std::string("—")}};
}

json PriorityIssuesView(const RequestContext& context, const PlanData& data,
                        const std::string& version) {
  json issues = json::array();
  for (const PriorityIssue& issue : data.priority_issues) {
    if (issue.plan_version != version) continue;
    json item = {{"number", issue.number},
                 {"summary", issue.summary},
                 {"initiatives", issue.initiatives},
                 {"has_initiatives", !issue.initiatives.empty()}};
    PutName(context, item, "title", issue.title, issue.title_en);
    issues.push_back(std::move(item));
  }
  return issues;
}

json AreasView(const RequestContext& context, const PlanData& data) {
  json areas = json::array();
  for (const Area& area : data.areas) {
    json policies = json::array();
    for (const Policy& policy : data.policies) {
      if (policy.area != area.number) continue;
      json item = {{"number", policy.number}};
      PutName(context, item, "title", policy.title, policy.title_en);
      policies.push_back(std::move(item));
    }
    json item = {{"number", area.number}, {"policies", policies}};
    PutName(context, item, "name", area.name, area.name_en);
    // Our English name says the theme already ("A shining city (urban development and ...)").
    const bool theme_shown = item["name_lang"] == "ja" && !area.theme.empty();
    item["theme"] = area.theme;
    item["has_theme"] = theme_shown;
    areas.push_back(std::move(item));
  }
  return areas;
}

json EditionGapsJson(RequestContext& context, const PlanData& data, const std::string& from_version,
                     const std::string& to_version) {
  json gaps = json::array();
  for (const EditionGap& gap : EditionGaps(data, from_version, to_version)) {
    std::string title = gap.plan_version;
    for (const PlanVersion& version : data.versions)
      if (version.code == gap.plan_version) title = version.title;
    MessageArgs args = {{"title", title}, {"code", gap.plan_version}};
    if (!gap.no_policies) {
      args.emplace_back("policies",
                        NumberRuns(gap.policies_without_kpis, context.Message("range_separator"),
                                   context.Message("list_separator")));
    }
    const char* sentence =
        gap.no_policies ? "plan.versions_missing_all" : "plan.versions_missing_kpis";
    gaps.push_back({{"version", gap.plan_version},
                    {"no_policies", gap.no_policies},
                    {"policies_without_kpis", gap.policies_without_kpis},
                    {"sentence", context.Format(Status(StatusCode::kOk, sentence, args))}});
  }
  return gaps;
}

json VersionsView(const RequestContext& context, const PlanData& data) {
  json versions = json::array();
  for (const PlanVersion& version : data.versions) {
    json issues = PriorityIssuesView(context, data, version.code);
    versions.push_back({{"code", version.code},
                        {"title", version.title},
                        {"period", FiscalYearLabel(context, version.period_from) +
                                       context.Message("range_separator") +
                                       FiscalYearLabel(context, version.period_to)},
                        {"note", version.note},
                        {"issue_count", issues.size()},
                        {"issues", issues}});
  }
  return versions;
}

json PolicyHeaderView(const RequestContext& context, const PlanData& data, const Policy& policy) {
  const Area* area = FindArea(data, policy.area);
  json view = {{"number", policy.number}};
  PutName(context, view, "title", policy.title, policy.title_en);
  PutName(context, view, "area", area != nullptr ? area->name : "",
          area != nullptr ? area->name_en : "");
  return view;
}

}  // namespace civicdesk::plan
