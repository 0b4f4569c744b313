// The plan's public pages.

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/number_format.h"
#include "core/wareki.h"
#include "plan/access.h"
#include "plan/actuals.h"
#include "plan/feeds.h"
#include "plan/handlers.h"
#include "plan/kpi_chart.h"
#include "plan/kpi_progress.h"
#include "plan/repository.h"
#include "plan/views.h"

namespace civicdesk::plan {

using http::RequestContext;
using http::Response;
using nlohmann::json;

Result<Response> HomePage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPlan(context.app().database()));
  std::string current = data.versions.empty() ? "" : data.versions.back().code;
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<std::string> panels, context.app().HomePanels(context));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<EvaluatedKpi> all, EvaluateAll(context.app(), data));
  json kpi_counts = json::array();
  for (KpiStatus status : {KpiStatus::kAchieved, KpiStatus::kOnTrack, KpiStatus::kSlightlyBehind,
                           KpiStatus::kBehind, KpiStatus::kNotMeasured}) {
    const auto count = std::count_if(all.begin(), all.end(), [&](const EvaluatedKpi& item) {
      return item.evaluation.status == status;
    });
    kpi_counts.push_back({{"status", KpiStatusName(status)},
                          {"label", StatusLabel(context, status)},
                          {"count", count}});
  }
  return context.Page(
      "plan/home", context.Message("home_title"),
      {{"vision", {{"title", data.vision.title}, {"statements", data.vision.statements}}},
       {"issues", PriorityIssuesView(context, data, current)},
       {"areas", AreasView(context, data)},
       {"panels", panels},
       {"kpi_counts", kpi_counts},
       {"today", FormatDateIn(context.language(), TodayInJapan())}});
}

Result<Response> PlanIndexPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPlan(context.app().database()));
  json totals = json::array();
  for (const ProjectTotal& total : data.project_totals) {
    totals.push_back({{"count", total.count},
                      {"budget", total.budget_label},
                      {"period", FiscalYearLabel(context, total.from_fiscal_year) +
                                     context.Message("range_separator") +
                                     FiscalYearLabel(context, total.to_fiscal_year)}});
  }
  json projects = json::array();
  for (const Project& project : data.projects) {
    json item = {{"name", project.name}, {"description", project.description}};
    if (!project.initiative.empty()) {
      int policy = 0;
      int measure = 0;
      std::sscanf(project.initiative.c_str(), "%d-%d", &policy, &measure);
      item["link"] =
          "/plan/policies/" + std::to_string(policy) + "/measures/" + std::to_string(measure);
    }
    if (project.priority_issue) item["priority_issue"] = *project.priority_issue;
    projects.push_back(std::move(item));
  }
  json districts = json::array();
  for (const DistrictPlan& plan : data.district_plans) {
    districts.push_back({{"district", plan.district},
                         {"office", plan.office},
                         {"title", plan.title},
                         {"description", plan.description}});
  }
  return context.Page(
      "plan/index", context.Message("plan_title"),
      {{"vision", {{"title", data.vision.title}, {"statements", data.vision.statements}}},
       {"feeds", PlanFeedLinks(context, 0)},
       {"areas", AreasView(context, data)},
       {"versions", VersionsView(context, data)},
       {"project_totals", totals},
       {"projects", projects},
       {"districts", districts}});
}

Result<Response> PolicyPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPolicyOfPath(context));
  const Policy& policy = data.policies.front();
  json measures = json::array();
  for (const Measure& measure : policy.measures) {
    json item = {{"number", measure.number},
                 {"goal", measure.goal},
                 {"kpi_count", measure.kpis.size()},
                 {"initiative_count", measure.initiatives.size()}};
    PutName(context, item, "title", measure.title, measure.title_en);
    measures.push_back(std::move(item));
  }
  json header = PolicyHeaderView(context, data, policy);
  std::string title = context.Message("policy_label") + std::to_string(policy.number) + " " +
                      header["title"].get<std::string>();
  // Roll-up over every KPI of the policy, its own and its measures'.
  std::vector<Kpi> all_kpis = policy.kpis;
  for (const Measure& measure : policy.measures)
    all_kpis.insert(all_kpis.end(), measure.kpis.begin(), measure.kpis.end());
  KpiRollUp rollup;
  CIVICDESK_RETURN_IF_ERROR(KpiTableView(context, all_kpis, &rollup).status());
  CIVICDESK_ASSIGN_OR_RETURN(json kpi_rows, KpiTableView(context, policy.kpis));
  return context.Page("plan/policy", title,
                      {{"policy", header},
                       {"feeds", PlanFeedLinks(context, policy.number)},
                       {"direction", policy.direction},
                       {"rollup", RollUpView(context, rollup)},
                       {"has_rollup_kpis", rollup.total > 0},
                       {"kpis", kpi_rows},
                       {"has_kpis", !policy.kpis.empty()},
                       {"measures", measures},
                       {"has_measures", !policy.measures.empty()},
                       {"source", policy.source}});
}

Result<Response> MeasurePage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPolicyOfPath(context));
  const Policy& policy = data.policies.front();
  CIVICDESK_ASSIGN_OR_RETURN(const Measure* measure, MeasureOfPath(context, policy));
  json initiatives = json::array();
  for (const Initiative& initiative : measure->initiatives) {
    json item = {{"number", initiative.number},
                 {"description", initiative.description},
                 {"planned_project", initiative.planned_project}};
    PutName(context, item, "title", initiative.title, initiative.title_en);
    if (initiative.priority_issue) item["priority_issue"] = *initiative.priority_issue;
    initiatives.push_back(std::move(item));
  }
  json measure_view = {{"number", measure->number}, {"goal", measure->goal}};
  PutName(context, measure_view, "title", measure->title, measure->title_en);
  std::string title = context.Message("measure_label") + std::to_string(measure->number) + " " +
                      measure_view["title"].get<std::string>();
  KpiRollUp rollup;
  CIVICDESK_ASSIGN_OR_RETURN(json kpi_rows, KpiTableView(context, measure->kpis, &rollup));
  return context.Page("plan/measure", title,
                      {{"policy", PolicyHeaderView(context, data, policy)},
                       {"measure", measure_view},
                       {"kpis", kpi_rows},
                       {"rollup", RollUpView(context, rollup)},
                       {"has_kpis", !measure->kpis.empty()},
                       {"initiatives", initiatives},
                       {"related_plans", measure->related_plans},
                       {"has_related_plans", !measure->related_plans.empty()}});
}

namespace {

// Where a fed actual came from, for the KPI page: module, source, the address of its page, and
// the respondents and margin of error in the reader's language ("" when not a sample).
json FedByView(const RequestContext& context, const kpi_feed::Row& fed_by) {
  std::string sample;
  if (fed_by.n && fed_by.margin_of_error) {
    char margin[32];
    std::snprintf(margin, sizeof margin, "%.1f", *fed_by.margin_of_error);
    sample = context.Format(Status(StatusCode::kOk, "plan.kpi_fed_by_sample",
                                   {{"n", GroupThousands(*fed_by.n)}, {"margin", margin}}));
  } else if (fed_by.module == "surveys") {
    sample = context.Message("kpi_fed_by_sample_unknown");
  }
  return {{"module", fed_by.module},
          {"source", fed_by.source},
          {"address", fed_by.address},
          {"sample", sample}};
}

}  // namespace

Result<Response> KpiPageWithError(RequestContext& context, const Status& error) {
  const std::string code = context.request().PathParam("code");
  CIVICDESK_ASSIGN_OR_RETURN(Kpi kpi, FindKpi(context.app().database(), code));
  std::vector<kpi_feed::Row> fed;
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<KpiActual> actuals, ActualsOf(context.app(), kpi, &fed));
  const KpiEvaluation evaluation = EvaluateKpi(kpi, actuals);
  json history = json::array();
  for (const KpiActual& actual : actuals) {
    history.push_back({{"year", FiscalYearLabel(context, actual.fiscal_year)},
                       {"value", (actual.segment.empty() ? "" : actual.segment + " ") +
                                     NumberJson(actual.value).dump() + kpi.unit},
                       {"source", actual.source}});
    if (const kpi_feed::Row* row = FedRowOf(fed, actual))
      history.back()["fed_by"] = FedByView(context, *row);
  }
  json fed_by = json::array();
  for (const kpi_feed::Row& source : FedByOf(context.app(), kpi, fed))
    fed_by.push_back(FedByView(context, source));
  // The chart draws the KPI as a whole; the actuals of segments are in the table and judged below.
  std::vector<KpiActual> whole;
  for (const KpiActual& actual : actuals)
    if (actual.segment.empty()) whole.push_back(actual);
  // A KPI with segments takes an actual per segment, and is judged per segment.
  json segments = json::array();
  for (const std::string& segment : KpiSegments(kpi)) segments.push_back({{"name", segment}});
  json segment_evaluations = json::array();
  for (const SegmentEvaluation& part : evaluation.segments) {
    segment_evaluations.push_back(
        {{"segment", part.segment},
         {"status", StatusLabel(context, part.evaluation.status)},
         {"status_class", KpiStatusName(part.evaluation.status)},
         {"actual", part.evaluation.latest
                        ? NumberJson(part.evaluation.latest->value).dump() + kpi.unit + "（" +
                              FiscalYearLabel(context, part.evaluation.latest->fiscal_year) + "）"
                        : std::string()},
         {"rate", RateLabel(context, part.evaluation)}});
  }
  // Entry offers the plan's years and this fiscal year, and starts on this fiscal year.
  const int this_year = FiscalYear::Containing(TodayInJapan()).year();
  json years = json::array();
  int first_year = kpi.baseline_fiscal_year, last_year = kpi.baseline_fiscal_year;
  for (const KpiTarget& target : kpi.targets) last_year = std::max(last_year, target.fiscal_year);
  if (first_year > 0) last_year = std::max(last_year, this_year);
  for (int year = first_year; year <= last_year && first_year > 0; ++year)
    years.push_back({{"value", year},
                     {"label", FiscalYearLabel(context, year)},
                     {"selected", year == this_year}});
  // After an entry the page says what was recorded, read back from the history.
  json recorded = nullptr;
  const std::string recorded_year = context.request().QueryParam("recorded").value_or("");
  const std::string recorded_segment = context.request().QueryParam("segment").value_or("");
  for (const KpiActual& actual : actuals) {
    if (recorded_year.empty() || std::to_string(actual.fiscal_year) != recorded_year ||
        actual.segment != recorded_segment)
      continue;
    recorded = {{"message", context.Format(Status(
                                StatusCode::kOk, "plan.kpi_recorded",
                                {{"year", FiscalYearLabel(context, actual.fiscal_year)},
                                 {"value", (actual.segment.empty() ? "" : actual.segment + " ") +
                                               NumberJson(actual.value).dump() + kpi.unit}}))}};
  }
  json data = {{"kpi", KpiRowView(context, kpi, actuals, evaluation)},
               {"unit", kpi.unit},
               {"policy", kpi.policy},
               {"measure", kpi.measure},
               {"has_measure", kpi.measure > 0},
               {"history", history},
               {"has_history", !history.empty()},
               {"chart", KpiChartSvg(kpi, whole, kpi.name, context.language())},
               {"rule", context.Message(evaluation.rule)},
               {"can_enter", context.principal() && MayEnterActuals(context, code).ok()},
               {"years", years},
               {"segments", segments},
               {"has_segments", !segments.empty()},
               {"segment_evaluations", segment_evaluations},
               {"recorded", recorded},
               {"fed_by", fed_by},
               {"has_fed_by", !fed_by.empty()}};
  // A KPI another module measures says how (opendata's download-counting rule for 24-2-1).
  const http::Indicator* measured =
      kpi.measured_by.empty() ? nullptr : context.app().FindIndicator(kpi.measured_by);
  data["measured_source"] = measured != nullptr ? measured->source : "";
  if (!error.ok()) data["error"] = {{"message", context.Format(error)}, {"field", error.field()}};
  return context.Page("plan/kpi", kpi.code + " " + data["kpi"]["name"].get<std::string>(), data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

Result<Response> KpiPage(RequestContext& context) {
  return KpiPageWithError(context, Status::Ok());
}

Result<Response> EvaluationsPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(
      std::vector<ProjectEvaluation> evaluations,
      ListProjectEvaluations(context.app().database(), DatasetParam(context)));
  json datasets = json::array();
  for (const ProjectEvaluation& evaluation : evaluations) {
    if (datasets.empty() || datasets.back()["name"] != evaluation.dataset)
      datasets.push_back({{"name", evaluation.dataset}, {"rows", json::array()}});
    datasets.back()["rows"].push_back(EvaluationRowView(context, evaluation));
  }
  return context.Page("plan/evaluations", context.Message("evaluations_title"),
                      {{"datasets", datasets}, {"has_datasets", !datasets.empty()}});
}

Result<Response> VersionsPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPlan(context.app().database()));
  CIVICDESK_ASSIGN_OR_RETURN(auto editions, EditionsParam(context, data));
  json rows = IssueChangesJson(context, DiffPriorityIssues(data, editions.first, editions.second));
  EditionDiff diff = DiffEditions(data, editions.first, editions.second);
  json versions = json::array();
  for (const PlanVersion& version : data.versions) {
    versions.push_back({{"code", version.code},
                        {"title", version.title},
                        {"note", version.note},
                        {"issues", PriorityIssuesView(context, data, version.code)}});
  }
  std::string not_compared;
  for (int policy : diff.kpis_not_compared) {
    if (!not_compared.empty()) not_compared += context.Message("list_separator");
    not_compared += std::to_string(policy);
  }
  json gaps = EditionGapsJson(context, data, editions.first, editions.second);
  const bool has_gaps = !gaps.empty();
  return context.Page("plan/versions", context.Message("versions_title"),
                      {{"versions", versions},
                       {"changes", rows},
                       {"compared", diff.compared},
                       {"policy_changes", PolicyChangesJson(context, diff.policies)},
                       {"kpi_changes", KpiChangesJson(context, diff.kpis)},
                       {"has_kpi_changes", !diff.kpis.empty()},
                       {"kpis_not_compared", not_compared},
                       {"gaps", std::move(gaps)},
                       {"has_gaps", has_gaps}});
}

// Per area and policy: how many KPIs are in each status, and the share on track.
Result<Response> DashboardPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPlan(context.app().database()));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<EvaluatedKpi> all, EvaluateAll(context.app(), data));
  json areas = json::array();
  for (const Area& area : data.areas) {
    json policies = json::array();
    std::vector<KpiEvaluation> area_evaluations;
    for (const Policy& policy : data.policies) {
      if (policy.area != area.number) continue;
      std::vector<KpiEvaluation> evaluations;
      std::map<KpiStatus, int> counts;
      for (const EvaluatedKpi& item : all) {
        if (item.policy != &policy) continue;
        evaluations.push_back(item.evaluation);
        ++counts[item.evaluation.status];
      }
      if (evaluations.empty()) continue;
      area_evaluations.insert(area_evaluations.end(), evaluations.begin(), evaluations.end());
      json row = {{"number", policy.number},
                  {"rollup", RollUpView(context, RollUp(evaluations))},
                  {"achieved", counts[KpiStatus::kAchieved]},
                  {"on_track", counts[KpiStatus::kOnTrack]},
                  {"slightly_behind", counts[KpiStatus::kSlightlyBehind]},
                  {"behind", counts[KpiStatus::kBehind]},
                  {"not_measured", counts[KpiStatus::kNotMeasured]}};
      PutName(context, row, "title", policy.title, policy.title_en);
      policies.push_back(std::move(row));
    }
    if (policies.empty()) continue;
    json row = {{"rollup", RollUpView(context, RollUp(area_evaluations))}, {"policies", policies}};
    PutName(context, row, "name", area.name, area.name_en);
    areas.push_back(std::move(row));
  }
  return context.Page("plan/dashboard", context.Message("dashboard_title"),
                      {{"areas", areas}, {"feeds", PlanFeedLinks(context, 0)}});
}

}  // namespace civicdesk::plan
