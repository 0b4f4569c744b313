#include "plan/plan_module.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/csv.h"
#include "core/text_normalize.h"
#include "core/wareki.h"
#include "embedded/plan_files.h"
#include "plan/actuals.h"
#include "plan/administrative_evaluation.h"
#include "plan/evaluation.h"
#include "plan/plan_data.h"
#include "plan/repository.h"
#include "plan/versions.h"
#include "text/search_index.h"

namespace civicdesk::plan {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

json Number(std::optional<double> value) {
  if (!value) return nullptr;
  double rounded = std::round(*value);
  if (std::fabs(*value - rounded) < 1e-9 && std::fabs(rounded) < 1e15)
    return static_cast<int64_t>(rounded);
  return *value;
}

json SegmentsJson(const std::vector<Segment>& segments) {
  json list = json::array();
  for (const Segment& segment : segments)
    list.push_back({{"segment", segment.segment}, {"value", Number(segment.value)}});
  return list;
}

std::string FiscalYearLabel(int fiscal_year, bool end_of_year = false) {
  return FormatWarekiFiscalYear(FiscalYear(fiscal_year), end_of_year);
}

// The policy number from the path: InvalidArgument for anything but digits (naming the
// parameter), NotFound when it is not a policy of the plan.
Result<int> ParseNumber(const std::string& text, std::string_view field) {
  int number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || text.size() > 6 || error != std::errc() || end != text.data() + text.size() ||
      number < 0) {
    return Status::InvalidArgument(
        "番号は半角数字で指定してください / must be a number: \"" + text + "\"",
        std::string(field));
  }
  return number;
}

const Area* FindArea(const PlanData& data, int number) {
  for (const Area& area : data.areas) {
    if (area.number == number) return &area;
  }
  return nullptr;
}

Result<PlanData> ReadOnePolicy(RequestContext& context, int& number) {
  Result<int> parsed = ParseNumber(context.request().PathParam("n"), "n");
  if (!parsed.ok()) return parsed.status();
  number = *parsed;
  Result<PlanData> data = ReadPlan(context.app().database(), number);
  if (!data.ok()) return data.status();
  if (data->policies.empty()) {
    return Status::NotFound("政策" + std::to_string(number) + "はありません / there is no policy " +
                            std::to_string(number));
  }
  return data;
}

// --- JSON API ---

json MeasureJson(const Measure& measure) {
  json initiatives = json::array();
  for (const Initiative& initiative : measure.initiatives) {
    json item = {{"number", initiative.number},
                 {"title", initiative.title},
                 {"description", initiative.description},
                 {"planned_project", initiative.planned_project}};
    if (initiative.priority_issue) {
      item["priority_issue"] = {{"plan_version", initiative.priority_issue_version},
                                {"number", *initiative.priority_issue}};
    }
    initiatives.push_back(std::move(item));
  }
  json kpis = json::array();
  for (const Kpi& kpi : measure.kpis) kpis.push_back(KpiJson(kpi));
  return {{"number", measure.number},
          {"title", measure.title},
          {"goal", measure.goal},
          {"initiatives", initiatives},
          {"kpis", kpis},
          {"related_plans", measure.related_plans},
          {"sdg_goals", measure.sdg_goals}};
}

Response ApiPolicies(RequestContext& context) {
  Result<PlanData> data = ReadPlan(context.app().database());
  if (!data.ok()) return context.Error(data.status());
  json policies = json::array();
  for (const Policy& policy : data->policies) {
    const Area* area = FindArea(*data, policy.area);
    policies.push_back({{"number", policy.number},
                        {"title", policy.title},
                        {"area", area != nullptr ? area->name : ""},
                        {"area_number", policy.area}});
  }
  return context.Json(200, policies);
}

Response ApiPolicy(RequestContext& context) {
  int number = 0;
  Result<PlanData> data = ReadOnePolicy(context, number);
  if (!data.ok()) return context.Error(data.status());
  const Policy& policy = data->policies.front();
  const Area* area = FindArea(*data, policy.area);
  json kpis = json::array();
  for (const Kpi& kpi : policy.kpis) kpis.push_back(KpiJson(kpi));
  json measures = json::array();
  for (const Measure& measure : policy.measures) measures.push_back(MeasureJson(measure));
  return context.Json(200, {{"number", policy.number},
                            {"title", policy.title},
                            {"area", area != nullptr ? area->name : ""},
                            {"area_number", policy.area},
                            {"direction", policy.direction},
                            {"kpis", kpis},
                            {"measures", measures},
                            {"source", policy.source}});
}

json EvaluationJson(const KpiEvaluation& evaluation) {
  json result = {{"status", KpiStatusName(evaluation.status)},
                 {"label", KpiStatusLabel(evaluation.status)},
                 {"achievement_rate",
                  evaluation.achievement_rate ? json(*evaluation.achievement_rate) : json(nullptr)},
                 {"rule", evaluation.rule}};
  if (evaluation.latest) {
    result["fiscal_year"] = evaluation.latest->fiscal_year;
    result["value"] = evaluation.latest->value;
  }
  if (evaluation.target) {
    result["target"] = {{"kind", evaluation.target->stage},
                        {"fiscal_year", evaluation.target->fiscal_year},
                        {"label", evaluation.target->label}};
  }
  return result;
}

// The KPI's actuals: those entered, plus — for a KPI measured by another module's indicator —
// the indicator's value for each fiscal year nobody entered. Ordered by fiscal year. An
// indicator no installed module measures adds nothing.
Result<std::vector<KpiActual>> ActualsOf(http::App& app, const Kpi& kpi) {
  Result<std::vector<KpiActual>> actuals = ListKpiActuals(app.database(), kpi.code);
  if (!actuals.ok() || kpi.measured_by.empty()) return actuals;
  const http::Indicator* indicator = app.FindIndicator(kpi.measured_by);
  if (indicator == nullptr) return actuals;
  Result<std::map<int, double>> measured = indicator->by_fiscal_year(app.database());
  if (!measured.ok()) return measured.status();
  for (const auto& [fiscal_year, value] : *measured) {
    if (std::any_of(actuals->begin(), actuals->end(),
                    [&](const KpiActual& actual) { return actual.fiscal_year == fiscal_year; }))
      continue;
    actuals->push_back({fiscal_year, value, indicator->source});
  }
  std::sort(actuals->begin(), actuals->end(),
            [](const KpiActual& a, const KpiActual& b) { return a.fiscal_year < b.fiscal_year; });
  return actuals;
}

Response ApiKpi(RequestContext& context) {
  const std::string code = context.request().PathParam("code");
  Result<Kpi> kpi = FindKpi(context.app().database(), code);
  if (!kpi.ok()) return context.Error(kpi.status());
  Result<std::vector<KpiActual>> actuals = ActualsOf(context.app(), *kpi);
  if (!actuals.ok()) return context.Error(actuals.status());
  json body = KpiJson(*kpi);
  json list = json::array();
  for (const KpiActual& actual : *actuals) {
    list.push_back({{"fiscal_year", actual.fiscal_year},
                    {"label", FiscalYearLabel(actual.fiscal_year)},
                    {"value", actual.value},
                    {"source", actual.source}});
  }
  body["actuals"] = list;
  body["evaluation"] = EvaluationJson(EvaluateKpi(*kpi, *actuals));
  if (std::optional<double> share = SatisfiedShare(kpi->survey)) body["survey_share"] = *share;
  return context.Json(200, body);
}

// --- Pages ---

// 達成 / Achieved ...: a status as the page's language shows it (the API keeps the Japanese).
std::string StatusLabel(RequestContext& context, KpiStatus status) {
  return context.Message(std::string("kpi_status_") + KpiStatusName(status));
}

json KpiRowView(RequestContext& context, const Kpi& kpi, const std::vector<KpiActual>& actuals,
                const KpiEvaluation& evaluation) {
  json mid_terms = json::array();
  json finals = json::array();
  for (const KpiTarget& target : kpi.targets) {
    json cell = {{"label", target.label},
                 {"year", FiscalYearLabel(target.fiscal_year, target.end_of_year)}};
    (target.stage == "final" ? finals : mid_terms).push_back(std::move(cell));
  }
  return {{"code", kpi.code},
          {"name", kpi.name},
          {"note", kpi.note},
          {"baseline_label", kpi.baseline_label},
          {"baseline_year", FiscalYearLabel(kpi.baseline_fiscal_year)},
          {"baseline_kind", kpi.baseline_kind},
          {"mid_terms", mid_terms},
          {"finals", finals},
          {"actual", evaluation.latest ? Number(evaluation.latest->value).dump() + kpi.unit : ""},
          {"actual_year",
           evaluation.latest ? FiscalYearLabel(evaluation.latest->fiscal_year) : std::string()},
          {"status", StatusLabel(context, evaluation.status)},
          {"status_class", KpiStatusName(evaluation.status)},
          {"rate",
           evaluation.achievement_rate
               ? std::to_string(static_cast<int>(*evaluation.achievement_rate * 100 + 0.5)) + "%"
               : ""},
          {"actual_count", actuals.size()}};
}

// The KPI table rows with each KPI's latest actual and evaluation, and their roll-up.
Result<json> KpiTableView(RequestContext& context, const std::vector<Kpi>& kpis,
                          KpiRollUp* rollup = nullptr) {
  json rows = json::array();
  std::vector<KpiEvaluation> evaluations;
  for (const Kpi& kpi : kpis) {
    Result<std::vector<KpiActual>> actuals = ActualsOf(context.app(), kpi);
    if (!actuals.ok()) return actuals.status();
    evaluations.push_back(EvaluateKpi(kpi, *actuals));
    rows.push_back(KpiRowView(context, kpi, *actuals, evaluations.back()));
  }
  if (rollup != nullptr) *rollup = RollUp(evaluations);
  return rows;
}

json RollUpView(const KpiRollUp& rollup) {
  return {{"total", rollup.total},
          {"measured", rollup.measured},
          {"on_track", rollup.on_track},
          {"share", rollup.share ? std::to_string(static_cast<int>(*rollup.share * 100 + 0.5)) + "%"
                                 : std::string("—")}};
}

json PriorityIssuesView(const PlanData& data, const std::string& version) {
  json issues = json::array();
  for (const PriorityIssue& issue : data.priority_issues) {
    if (issue.plan_version != version) continue;
    issues.push_back({{"number", issue.number},
                      {"title", issue.title},
                      {"summary", issue.summary},
                      {"initiatives", issue.initiatives},
                      {"has_initiatives", !issue.initiatives.empty()}});
  }
  return issues;
}

json AreasView(const PlanData& data) {
  json areas = json::array();
  for (const Area& area : data.areas) {
    json policies = json::array();
    for (const Policy& policy : data.policies) {
      if (policy.area == area.number)
        policies.push_back({{"number", policy.number}, {"title", policy.title}});
    }
    areas.push_back({{"number", area.number},
                     {"name", area.name},
                     {"theme", area.theme},
                     {"has_theme", !area.theme.empty()},
                     {"policies", policies}});
  }
  return areas;
}

json VersionsView(const PlanData& data) {
  json versions = json::array();
  for (const PlanVersion& version : data.versions) {
    json issues = PriorityIssuesView(data, version.code);
    versions.push_back({{"code", version.code},
                        {"title", version.title},
                        {"period", FiscalYearLabel(version.period_from) + "〜" +
                                       FiscalYearLabel(version.period_to)},
                        {"note", version.note},
                        {"issue_count", issues.size()},
                        {"issues", issues}});
  }
  return versions;
}

// Every KPI of the plan with its policy, measure and evaluation, in plan order.
struct EvaluatedKpi {
  const Policy* policy;
  const Kpi* kpi;
  std::vector<KpiActual> actuals;
  KpiEvaluation evaluation;
};

Result<std::vector<EvaluatedKpi>> EvaluateAll(http::App& app, const PlanData& data) {
  std::vector<EvaluatedKpi> all;
  for (const Policy& policy : data.policies) {
    std::vector<const Kpi*> kpis;
    for (const Kpi& kpi : policy.kpis) kpis.push_back(&kpi);
    for (const Measure& measure : policy.measures)
      for (const Kpi& kpi : measure.kpis) kpis.push_back(&kpi);
    for (const Kpi* kpi : kpis) {
      Result<std::vector<KpiActual>> actuals = ActualsOf(app, *kpi);
      if (!actuals.ok()) return actuals.status();
      KpiEvaluation evaluation = EvaluateKpi(*kpi, *actuals);
      all.push_back({&policy, kpi, std::move(*actuals), evaluation});
    }
  }
  return all;
}

Response Home(RequestContext& context) {
  Result<PlanData> data = ReadPlan(context.app().database());
  if (!data.ok()) return context.Error(data.status());
  std::string current = data->versions.empty() ? "" : data->versions.back().code;
  Result<std::vector<std::string>> panels = context.app().HomePanels(context);
  if (!panels.ok()) return context.Error(panels.status());
  Result<std::vector<EvaluatedKpi>> all = EvaluateAll(context.app(), *data);
  if (!all.ok()) return context.Error(all.status());
  json kpi_counts = json::array();
  for (KpiStatus status : {KpiStatus::kAchieved, KpiStatus::kOnTrack, KpiStatus::kSlightlyBehind,
                           KpiStatus::kBehind, KpiStatus::kNotMeasured}) {
    const auto count = std::count_if(all->begin(), all->end(), [&](const EvaluatedKpi& item) {
      return item.evaluation.status == status;
    });
    kpi_counts.push_back({{"status", KpiStatusName(status)},
                          {"label", StatusLabel(context, status)},
                          {"count", count}});
  }
  return context.Page(
      "plan/home", context.Message("home_title"),
      {{"vision", {{"title", data->vision.title}, {"statements", data->vision.statements}}},
       {"issues", PriorityIssuesView(*data, current)},
       {"areas", AreasView(*data)},
       {"panels", *panels},
       {"kpi_counts", kpi_counts},
       {"today", FormatWarekiDate(TodayInJapan())}});
}

Response PlanIndex(RequestContext& context) {
  Result<PlanData> data = ReadPlan(context.app().database());
  if (!data.ok()) return context.Error(data.status());
  json totals = json::array();
  for (const ProjectTotal& total : data->project_totals) {
    totals.push_back({{"count", total.count},
                      {"budget", total.budget_label},
                      {"period", FiscalYearLabel(total.from_fiscal_year) + "〜" +
                                     FiscalYearLabel(total.to_fiscal_year)}});
  }
  json projects = json::array();
  for (const Project& project : data->projects) {
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
  for (const DistrictPlan& plan : data->district_plans) {
    districts.push_back({{"district", plan.district},
                         {"office", plan.office},
                         {"title", plan.title},
                         {"description", plan.description}});
  }
  return context.Page(
      "plan/index", context.Message("plan_title"),
      {{"vision", {{"title", data->vision.title}, {"statements", data->vision.statements}}},
       {"areas", AreasView(*data)},
       {"versions", VersionsView(*data)},
       {"project_totals", totals},
       {"projects", projects},
       {"districts", districts}});
}

json PolicyHeaderView(const PlanData& data, const Policy& policy) {
  const Area* area = FindArea(data, policy.area);
  return {{"number", policy.number},
          {"title", policy.title},
          {"area", area != nullptr ? area->name : ""}};
}

// The KPI's history as an SVG line chart: actuals joined by a line, the baseline as a hollow
// circle, targets as squares. Presentation attributes only (no inline style), so the strict
// Content-Security-Policy holds. The page puts the same numbers in a table for screen readers.
std::string KpiChartSvg(const Kpi& kpi, const std::vector<KpiActual>& actuals,
                        const std::string& label) {
  struct Point {
    int year;
    double value;
  };
  std::vector<Point> targets;
  for (const KpiTarget& target : kpi.targets) {
    std::optional<double> value = target.value;
    if (!value && target.min_value && target.max_value)
      value = (*target.min_value + *target.max_value) / 2;
    if (value) targets.push_back({target.fiscal_year, *value});
  }
  int first_year = kpi.baseline_fiscal_year > 0 ? kpi.baseline_fiscal_year : 9999;
  int last_year = 0;
  double low = 1e300, high = -1e300;
  auto take = [&](int year, double value) {
    first_year = std::min(first_year, year);
    last_year = std::max(last_year, year);
    low = std::min(low, value);
    high = std::max(high, value);
  };
  if (kpi.baseline_value) take(kpi.baseline_fiscal_year, *kpi.baseline_value);
  for (const Point& point : targets) take(point.year, point.value);
  for (const KpiActual& actual : actuals) take(actual.fiscal_year, actual.value);
  if (last_year == 0 || first_year > last_year) return "";
  if (high - low < 1e-9) {
    low -= 1;
    high += 1;
  }
  const double pad = (high - low) * 0.1;
  low = std::max(0.0, low - pad);
  high += pad;
  constexpr double kWidth = 640, kHeight = 260, kLeft = 56, kRight = 16, kTop = 16, kBottom = 36;
  const int span = std::max(1, last_year - first_year);
  auto x = [&](int year) { return kLeft + (kWidth - kLeft - kRight) * (year - first_year) / span; };
  auto y = [&](double value) {
    return kTop + (kHeight - kTop - kBottom) * (1 - (value - low) / (high - low));
  };
  char buffer[256];
  std::string svg;
  std::snprintf(buffer, sizeof(buffer),
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
                "class=\"chart\" role=\"img\" aria-labelledby=\"chart-title\" "
                "aria-describedby=\"history-table\">",
                kWidth, kHeight);
  svg += buffer;
  svg += "<title id=\"chart-title\">";
  for (char c : label) {
    if (c == '<')
      svg += "&lt;";
    else if (c == '&')
      svg += "&amp;";
    else
      svg += c;
  }
  svg += "</title>";
  std::snprintf(buffer, sizeof(buffer),
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>", kLeft,
                kHeight - kBottom, kWidth - kRight, kHeight - kBottom);
  svg += buffer;
  for (int year = first_year; year <= last_year; ++year) {
    std::snprintf(buffer, sizeof(buffer),
                  "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
                  "fill=\"#333\">%d</text>",
                  x(year), kHeight - kBottom + 16, year);
    svg += buffer;
  }
  for (double value : {low, (low + high) / 2, high}) {
    std::snprintf(buffer, sizeof(buffer),
                  "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\" "
                  "fill=\"#333\">%.4g</text>",
                  kLeft - 6, y(value) + 4, value);
    svg += buffer;
  }
  if (kpi.baseline_value) {
    std::snprintf(buffer, sizeof(buffer),
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#fff\" stroke=\"#1b4f8a\" "
                  "stroke-width=\"2\"/>",
                  x(kpi.baseline_fiscal_year), y(*kpi.baseline_value));
    svg += buffer;
  }
  for (const Point& point : targets) {
    std::snprintf(buffer, sizeof(buffer),
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"#b35c00\"/>",
                  x(point.year) - 5, y(point.value) - 5);
    svg += buffer;
  }
  if (!actuals.empty()) {
    std::string points;
    for (const KpiActual& actual : actuals) {
      std::snprintf(buffer, sizeof(buffer), "%.1f,%.1f ", x(actual.fiscal_year), y(actual.value));
      points += buffer;
    }
    svg +=
        "<polyline fill=\"none\" stroke=\"#1b4f8a\" stroke-width=\"2\" points=\"" + points + "\"/>";
    for (const KpiActual& actual : actuals) {
      std::snprintf(buffer, sizeof(buffer),
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#1b4f8a\"/>",
                    x(actual.fiscal_year), y(actual.value));
      svg += buffer;
    }
  }
  svg += "</svg>";
  return svg;
}

// May the signed-in user enter this KPI's actuals? Admins and publishers always; section
// staff when their section owns it.
bool CanEnterActuals(RequestContext& context, const std::string& code) {
  const auto& principal = context.principal();
  if (!principal) return false;
  if (principal->role != http::Role::kSectionStaff) return true;
  Result<storage::QueryResult> owner = context.app().database().Query(
      "SELECT department, section FROM plan_kpi_owner WHERE code = ?", {code});
  return owner.ok() && !owner->empty() &&
         storage::AsText(owner->rows[0][0]) == principal->department &&
         storage::AsText(owner->rows[0][1]) == principal->section;
}

Response KpiPage(RequestContext& context, const Status& error = Status::Ok()) {
  const std::string code = context.request().PathParam("code");
  storage::Database& database = context.app().database();
  Result<Kpi> kpi = FindKpi(database, code);
  if (!kpi.ok()) return context.Error(kpi.status());
  Result<std::vector<KpiActual>> actuals = ActualsOf(context.app(), *kpi);
  if (!actuals.ok()) return context.Error(actuals.status());
  const KpiEvaluation evaluation = EvaluateKpi(*kpi, *actuals);
  json history = json::array();
  for (const KpiActual& actual : *actuals) {
    history.push_back({{"year", FiscalYearLabel(actual.fiscal_year)},
                       {"value", Number(actual.value).dump() + kpi->unit},
                       {"source", actual.source}});
  }
  json years = json::array();
  int first_year = kpi->baseline_fiscal_year, last_year = kpi->baseline_fiscal_year;
  for (const KpiTarget& target : kpi->targets) last_year = std::max(last_year, target.fiscal_year);
  for (int year = first_year; year <= last_year && first_year > 0; ++year)
    years.push_back({{"value", year}, {"label", FiscalYearLabel(year)}});
  json data = {{"kpi", KpiRowView(context, *kpi, *actuals, evaluation)},
               {"unit", kpi->unit},
               {"policy", kpi->policy},
               {"measure", kpi->measure},
               {"has_measure", kpi->measure > 0},
               {"history", history},
               {"has_history", !history.empty()},
               {"chart", KpiChartSvg(*kpi, *actuals, kpi->name)},
               {"rule", evaluation.rule},
               {"can_enter", CanEnterActuals(context, code)},
               {"years", years}};
  if (!error.ok()) data["error"] = {{"message", error.message()}, {"field", error.field()}};
  return context.Page("plan/kpi", kpi->code + " " + kpi->name, data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

Response EnterActual(RequestContext& context) {
  Status allowed =
      context.RequireRole({http::Role::kAdmin, http::Role::kPublisher, http::Role::kSectionStaff});
  if (!allowed.ok()) return context.Error(allowed);
  const std::string code = context.request().PathParam("code");
  const auto& principal = context.principal();
  KpiEditor editor{principal->login, "", ""};
  if (principal->role == http::Role::kSectionStaff) {
    editor.department = principal->department;
    editor.section = principal->section;
  }
  // Who may enter comes before what was entered: another section gets 403 whatever it sent.
  if (Status owner = CheckKpiEditor(context.app().database(), code, editor); !owner.ok())
    return context.Error(owner);
  std::map<std::string, std::string> form = context.request().Form();
  const std::string year_text = TrimSpaces(NormalizeNfkc(form["fiscal_year"]));
  const std::string value_text = TrimSpaces(NormalizeNfkc(form["value"]));
  int year = 0;
  double value = 0;
  auto [year_end, year_error] =
      std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
  if (year_text.empty() || year_error != std::errc() ||
      year_end != year_text.data() + year_text.size()) {
    return KpiPage(context, Status::InvalidArgument("年度を選んでください / choose a fiscal year",
                                                    "fiscal_year"));
  }
  auto [value_end, value_error] =
      std::from_chars(value_text.data(), value_text.data() + value_text.size(), value);
  if (value_text.empty() || value_error != std::errc() ||
      value_end != value_text.data() + value_text.size()) {
    return KpiPage(context,
                   Status::InvalidArgument(
                       "実績値を数で入力してください / enter the value as a number", "value"));
  }
  Status saved =
      SetKpiActual(context.app().database(), code, year, value, TrimSpaces(form["source"]), editor);
  if (saved.code() == StatusCode::kPermissionDenied || saved.code() == StatusCode::kNotFound)
    return context.Error(saved);
  if (!saved.ok()) return KpiPage(context, saved);
  return http::RedirectResponse("/plan/kpis/" + code);
}

json EvaluationsJson(const std::vector<ProjectEvaluation>& evaluations) {
  json list = json::array();
  for (const ProjectEvaluation& evaluation : evaluations) {
    auto optional = [](const std::optional<double>& value) {
      return value ? json(*value) : json(nullptr);
    };
    list.push_back({{"dataset", evaluation.dataset},
                    {"policy", evaluation.policy},
                    {"measure", evaluation.measure},
                    {"project", evaluation.project},
                    {"fiscal_year", evaluation.fiscal_year},
                    {"cost_thousand_yen", evaluation.cost_thousand_yen},
                    {"cost_total_thousand_yen", evaluation.total_cost()},
                    {"personnel", optional(evaluation.personnel)},
                    {"hours", optional(evaluation.hours)},
                    {"activity",
                     {{"indicator", evaluation.activity_indicator},
                      {"value", optional(evaluation.activity_value)}}},
                    {"target",
                     {{"indicator", evaluation.target_indicator},
                      {"value", optional(evaluation.target_value)}}},
                    {"outcome",
                     {{"indicator", evaluation.outcome_indicator},
                      {"value", optional(evaluation.outcome_value)}}},
                    {"direction", evaluation.direction},
                    {"comment", evaluation.comment}});
  }
  return list;
}

std::optional<std::string> DatasetParam(RequestContext& context) {
  std::optional<std::string> dataset = context.request().QueryParam("dataset");
  if (dataset && dataset->empty()) dataset.reset();
  return dataset;
}

Response ApiEvaluations(RequestContext& context) {
  Result<std::vector<ProjectEvaluation>> evaluations =
      ListProjectEvaluations(context.app().database(), DatasetParam(context));
  if (!evaluations.ok()) return context.Error(evaluations.status());
  return context.Json(200, {{"evaluations", EvaluationsJson(*evaluations)}});
}

Response EvaluationsPage(RequestContext& context) {
  Result<std::vector<ProjectEvaluation>> evaluations =
      ListProjectEvaluations(context.app().database(), DatasetParam(context));
  if (!evaluations.ok()) return context.Error(evaluations.status());
  json datasets = json::array();
  for (const ProjectEvaluation& evaluation : *evaluations) {
    if (datasets.empty() || datasets.back()["name"] != evaluation.dataset)
      datasets.push_back({{"name", evaluation.dataset}, {"rows", json::array()}});
    char cost[32];
    std::snprintf(cost, sizeof(cost), "%.0f", evaluation.total_cost());
    std::string sources;
    for (const auto& [source, value] : evaluation.cost_thousand_yen) {
      char part[64];
      std::snprintf(part, sizeof(part), "%s %.0f", source.c_str(), value);
      sources += (sources.empty() ? "" : "、") + std::string(part);
    }
    datasets.back()["rows"].push_back(
        {{"policy", evaluation.policy},
         {"measure", evaluation.measure},
         {"project", evaluation.project},
         {"year", FiscalYearLabel(evaluation.fiscal_year)},
         {"cost", cost},
         {"sources", sources},
         {"outcome", evaluation.outcome_indicator},
         {"outcome_value", evaluation.outcome_value ? Number(evaluation.outcome_value).dump() : ""},
         {"direction", evaluation.direction},
         {"comment", evaluation.comment}});
  }
  return context.Page("plan/evaluations", context.Message("evaluations_title"),
                      {{"datasets", datasets}, {"has_datasets", !datasets.empty()}});
}

// The two editions to compare: ?from=&to=, by default the first and the last.
Result<std::pair<std::string, std::string>> EditionsParam(RequestContext& context,
                                                          const PlanData& data) {
  if (data.versions.size() < 2)
    return Status::NotFound("比較できる版がありません / there is only one edition");
  std::string from = context.request().QueryParam("from").value_or(data.versions.front().code);
  std::string to = context.request().QueryParam("to").value_or(data.versions.back().code);
  for (const std::string* code : {&from, &to}) {
    if (std::none_of(data.versions.begin(), data.versions.end(),
                     [&](const PlanVersion& version) { return version.code == *code; })) {
      return Status::InvalidArgument("版「" + *code + "」はありません / no edition " + *code,
                                     code == &from ? "from" : "to");
    }
  }
  return std::make_pair(from, to);
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

Response ApiVersions(RequestContext& context) {
  Result<PlanData> data = ReadPlan(context.app().database());
  if (!data.ok()) return context.Error(data.status());
  Result<std::pair<std::string, std::string>> editions = EditionsParam(context, *data);
  if (!editions.ok()) return context.Error(editions.status());
  json body = {
      {"from", editions->first},
      {"to", editions->second},
      {"priority_issues",
       IssueChangesJson(context, DiffPriorityIssues(*data, editions->first, editions->second))}};
  EditionDiff diff = DiffEditions(*data, editions->first, editions->second);
  if (diff.compared) {
    body["policies"] = PolicyChangesJson(context, diff.policies);
    body["kpis"] = KpiChangesJson(context, diff.kpis);
    body["kpis_not_compared"] = diff.kpis_not_compared;  // policy numbers
  } else {
    // An edition whose policies are not transcribed is not compared, rather than reported as
    // having no policies.
    body["not_compared"] = {"policies", "kpis"};
    body["note"] = context.Message("versions_scope");
  }
  return context.Json(200, body);
}

Response VersionsPage(RequestContext& context) {
  Result<PlanData> data = ReadPlan(context.app().database());
  if (!data.ok()) return context.Error(data.status());
  Result<std::pair<std::string, std::string>> editions = EditionsParam(context, *data);
  if (!editions.ok()) return context.Error(editions.status());
  json rows =
      IssueChangesJson(context, DiffPriorityIssues(*data, editions->first, editions->second));
  EditionDiff diff = DiffEditions(*data, editions->first, editions->second);
  json versions = json::array();
  for (const PlanVersion& version : data->versions) {
    versions.push_back({{"code", version.code},
                        {"title", version.title},
                        {"note", version.note},
                        {"issues", PriorityIssuesView(*data, version.code)}});
  }
  std::string not_compared;
  for (int policy : diff.kpis_not_compared) {
    if (!not_compared.empty()) not_compared += context.Message("list_separator");
    not_compared += std::to_string(policy);
  }
  return context.Page("plan/versions", context.Message("versions_title"),
                      {{"versions", versions},
                       {"changes", rows},
                       {"compared", diff.compared},
                       {"policy_changes", PolicyChangesJson(context, diff.policies)},
                       {"kpi_changes", KpiChangesJson(context, diff.kpis)},
                       {"has_kpi_changes", !diff.kpis.empty()},
                       {"kpis_not_compared", not_compared}});
}

// Per area and policy: how many KPIs are in each status, and the share on track.
Response DashboardPage(RequestContext& context) {
  Result<PlanData> data = ReadPlan(context.app().database());
  if (!data.ok()) return context.Error(data.status());
  Result<std::vector<EvaluatedKpi>> all = EvaluateAll(context.app(), *data);
  if (!all.ok()) return context.Error(all.status());
  json areas = json::array();
  for (const Area& area : data->areas) {
    json policies = json::array();
    std::vector<KpiEvaluation> area_evaluations;
    for (const Policy& policy : data->policies) {
      if (policy.area != area.number) continue;
      std::vector<KpiEvaluation> evaluations;
      std::map<KpiStatus, int> counts;
      for (const EvaluatedKpi& item : *all) {
        if (item.policy != &policy) continue;
        evaluations.push_back(item.evaluation);
        ++counts[item.evaluation.status];
      }
      if (evaluations.empty()) continue;
      area_evaluations.insert(area_evaluations.end(), evaluations.begin(), evaluations.end());
      policies.push_back({{"number", policy.number},
                          {"title", policy.title},
                          {"rollup", RollUpView(RollUp(evaluations))},
                          {"achieved", counts[KpiStatus::kAchieved]},
                          {"on_track", counts[KpiStatus::kOnTrack]},
                          {"slightly_behind", counts[KpiStatus::kSlightlyBehind]},
                          {"behind", counts[KpiStatus::kBehind]},
                          {"not_measured", counts[KpiStatus::kNotMeasured]}});
    }
    if (policies.empty()) continue;
    areas.push_back({{"name", area.name},
                     {"rollup", RollUpView(RollUp(area_evaluations))},
                     {"policies", policies}});
  }
  return context.Page("plan/dashboard", context.Message("dashboard_title"), {{"areas", areas}});
}

// The export columns of every KPI, shared by the CSV and XLSX downloads.
constexpr std::array<const char*, 13> kKpiExportColumns = {"code",
                                                           "policy",
                                                           "name",
                                                           "unit",
                                                           "baseline",
                                                           "baseline_fiscal_year",
                                                           "final_target",
                                                           "final_fiscal_year",
                                                           "latest_fiscal_year",
                                                           "latest_value",
                                                           "status",
                                                           "status_label",
                                                           "achievement_rate"};

std::vector<std::array<std::string, 13>> KpiExportRows(const std::vector<EvaluatedKpi>& all) {
  std::vector<std::array<std::string, 13>> rows;
  auto number = [](const std::optional<double>& value) {
    return value ? Number(value).dump() : std::string();
  };
  for (const EvaluatedKpi& item : all) {
    const Kpi& kpi = *item.kpi;
    const KpiEvaluation& evaluation = item.evaluation;
    const KpiTarget* final_target = kpi.targets.empty() ? nullptr : &kpi.targets.back();
    rows.push_back({kpi.code, std::to_string(item.policy->number), kpi.name, kpi.unit,
                    kpi.baseline_label,
                    kpi.baseline_fiscal_year > 0 ? std::to_string(kpi.baseline_fiscal_year) : "",
                    final_target ? final_target->label : "",
                    final_target ? std::to_string(final_target->fiscal_year) : "",
                    evaluation.latest ? std::to_string(evaluation.latest->fiscal_year) : "",
                    evaluation.latest ? number(evaluation.latest->value) : "",
                    KpiStatusName(evaluation.status), KpiStatusLabel(evaluation.status),
                    number(evaluation.achievement_rate)});
  }
  return rows;
}

// All KPIs with their latest actual and evaluation, as CSV (UTF-8 with BOM, Excel opens it) or
// XLSX.
Response KpisExport(RequestContext& context, bool xlsx) {
  Result<PlanData> data = ReadPlan(context.app().database());
  if (!data.ok()) return context.Error(data.status());
  Result<std::vector<EvaluatedKpi>> all = EvaluateAll(context.app(), *data);
  if (!all.ok()) return context.Error(all.status());
  const std::vector<std::array<std::string, 13>> rows = KpiExportRows(*all);
  Response response;
  if (!xlsx) {
    std::string csv = "\xEF\xBB\xBF";
    for (size_t c = 0; c < kKpiExportColumns.size(); ++c)
      csv += std::string(c > 0 ? "," : "") + kKpiExportColumns[c];
    csv += "\r\n";
    for (const auto& row : rows) {
      for (size_t c = 0; c < row.size(); ++c) csv += (c > 0 ? "," : "") + CsvQuote(row[c]);
      csv += "\r\n";
    }
    response.content_type = "text/csv; charset=utf-8";
    response.body = std::move(csv);
    response.AddHeader("Content-Disposition", "attachment; filename=\"kpis.csv\"");
    return response;
  }
  char path[] = "/tmp/civicdesk-kpis-XXXXXX";
  const int descriptor = mkstemp(path);
  if (descriptor < 0)
    return context.Error(
        Status::Unavailable("一時ファイルを作れません / cannot create a temporary file"));
  close(descriptor);
  lxw_workbook* workbook = workbook_new(path);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "成果指標");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  for (size_t c = 0; c < kKpiExportColumns.size(); ++c)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), kKpiExportColumns[c], bold);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      worksheet_write_string(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                             rows[r][c].c_str(), nullptr);
    }
  }
  const lxw_error closed = workbook_close(workbook);
  std::ifstream file(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  std::remove(path);
  if (closed != LXW_NO_ERROR)
    return context.Error(Status::Internal(std::string("xlsx: ") + lxw_strerror(closed)));
  response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.body = bytes.str();
  response.AddHeader("Content-Disposition", "attachment; filename=\"kpis.xlsx\"");
  return response;
}

Response PolicyPage(RequestContext& context) {
  int number = 0;
  Result<PlanData> data = ReadOnePolicy(context, number);
  if (!data.ok()) return context.Error(data.status());
  const Policy& policy = data->policies.front();
  json measures = json::array();
  for (const Measure& measure : policy.measures) {
    measures.push_back({{"number", measure.number},
                        {"title", measure.title},
                        {"goal", measure.goal},
                        {"kpi_count", measure.kpis.size()},
                        {"initiative_count", measure.initiatives.size()}});
  }
  std::string title =
      context.Message("policy_label") + std::to_string(policy.number) + " " + policy.title;
  // Roll-up over every KPI of the policy, its own and its measures'.
  std::vector<Kpi> all_kpis = policy.kpis;
  for (const Measure& measure : policy.measures)
    all_kpis.insert(all_kpis.end(), measure.kpis.begin(), measure.kpis.end());
  KpiRollUp rollup;
  Result<json> all_rows = KpiTableView(context, all_kpis, &rollup);
  if (!all_rows.ok()) return context.Error(all_rows.status());
  Result<json> kpi_rows = KpiTableView(context, policy.kpis);
  if (!kpi_rows.ok()) return context.Error(kpi_rows.status());
  return context.Page("plan/policy", title,
                      {{"policy", PolicyHeaderView(*data, policy)},
                       {"direction", policy.direction},
                       {"rollup", RollUpView(rollup)},
                       {"has_rollup_kpis", rollup.total > 0},
                       {"kpis", *kpi_rows},
                       {"has_kpis", !policy.kpis.empty()},
                       {"measures", measures},
                       {"has_measures", !policy.measures.empty()},
                       {"source", policy.source}});
}

Response MeasurePage(RequestContext& context) {
  int number = 0;
  Result<PlanData> data = ReadOnePolicy(context, number);
  if (!data.ok()) return context.Error(data.status());
  Result<int> measure_number = ParseNumber(context.request().PathParam("m"), "m");
  if (!measure_number.ok()) return context.Error(measure_number.status());
  const Policy& policy = data->policies.front();
  const Measure* measure = nullptr;
  for (const Measure& candidate : policy.measures) {
    if (candidate.number == *measure_number) measure = &candidate;
  }
  if (measure == nullptr) {
    return context.Error(Status::NotFound("政策" + std::to_string(number) + "に施策" +
                                          std::to_string(*measure_number) +
                                          "はありません / policy " + std::to_string(number) +
                                          " has no measure " + std::to_string(*measure_number)));
  }
  json initiatives = json::array();
  for (const Initiative& initiative : measure->initiatives) {
    json item = {{"number", initiative.number},
                 {"title", initiative.title},
                 {"description", initiative.description},
                 {"planned_project", initiative.planned_project}};
    if (initiative.priority_issue) item["priority_issue"] = *initiative.priority_issue;
    initiatives.push_back(std::move(item));
  }
  std::string title =
      context.Message("measure_label") + std::to_string(measure->number) + " " + measure->title;
  KpiRollUp rollup;
  Result<json> kpi_rows = KpiTableView(context, measure->kpis, &rollup);
  if (!kpi_rows.ok()) return context.Error(kpi_rows.status());
  return context.Page(
      "plan/measure", title,
      {{"policy", PolicyHeaderView(*data, policy)},
       {"measure",
        {{"number", measure->number}, {"title", measure->title}, {"goal", measure->goal}}},
       {"kpis", *kpi_rows},
       {"rollup", RollUpView(rollup)},
       {"has_kpis", !measure->kpis.empty()},
       {"initiatives", initiatives},
       {"related_plans", measure->related_plans},
       {"has_related_plans", !measure->related_plans.empty()}});
}

Status Install(http::App& app) {
  Status added = http::AddEmbeddedTemplatesAndMessages(app, "plan", plan_files::EmbeddedFilePaths(),
                                                       plan_files::FindEmbeddedFile);
  if (!added.ok()) return added;
  http::Router& router = app.router();
  router.Get("/", http::PublicCache(http::kPublicPageSeconds, Home));
  router.Get("/plan", http::PublicCache(http::kPublicPageSeconds, PlanIndex));
  router.Get("/plan/policies/{n}", http::PublicCache(http::kPublicPageSeconds, PolicyPage));
  router.Get("/plan/policies/{n}/measures/{m}",
             http::PublicCache(http::kPublicPageSeconds, MeasurePage));
  router.Get("/api/v1/plan/policies", ApiPolicies);
  router.Get("/api/v1/plan/policies/{n}", ApiPolicy);
  router.Get("/api/v1/plan/kpis/{code}", ApiKpi);
  router.Get("/plan/kpis/{code}", [](RequestContext& context) { return KpiPage(context); });
  router.Get("/plan/evaluations", EvaluationsPage);
  router.Get("/plan/versions", http::PublicCache(http::kPublicPageSeconds, VersionsPage));
  router.Get("/plan/dashboard", http::PublicCache(http::kPublicPageSeconds, DashboardPage));
  router.Get("/plan/kpis.csv", [](RequestContext& context) { return KpisExport(context, false); });
  router.Get("/plan/kpis.xlsx", [](RequestContext& context) { return KpisExport(context, true); });
  router.Get("/api/v1/plan/versions", ApiVersions);
  router.Get("/api/v1/plan/evaluations", ApiEvaluations);
  router.Post("/plan/kpis/{code}/actuals", EnterActual);
  return Status::Ok();
}

// The plan's texts in the search index: policies, measures (with their goals) and initiatives,
// all public. ref_id encodes the place: policy × 10000 + measure × 100 + initiative.
Status IndexPlan(storage::Database& database) {
  text::SearchIndex& index = text::SearchIndex::For(database);
  if (index.HasKind("plan")) return Status::Ok();
  Result<PlanData> data = ReadPlan(database);
  if (!data.ok()) return data.status();
  std::vector<text::SearchDocument> documents;
  for (const Policy& policy : data->policies) {
    const std::string policy_url = "/plan/policies/" + std::to_string(policy.number);
    std::string body;
    for (const std::string& paragraph : policy.direction) body += paragraph + "\n";
    for (const Kpi& kpi : policy.kpis) body += kpi.name + "\n";
    documents.push_back({"plan",
                         policy.number * 10000,
                         "政策" + std::to_string(policy.number) + " " + policy.title,
                         body,
                         policy_url,
                         true,
                         {}});
    for (const Measure& measure : policy.measures) {
      std::string measure_body = measure.goal + "\n";
      for (const Kpi& kpi : measure.kpis) measure_body += kpi.name + "\n";
      const std::string measure_url = policy_url + "/measures/" + std::to_string(measure.number);
      documents.push_back({"plan",
                           policy.number * 10000 + measure.number * 100,
                           "施策" + std::to_string(policy.number) + "-" +
                               std::to_string(measure.number) + " " + measure.title,
                           measure_body,
                           measure_url,
                           true,
                           {}});
      for (const Initiative& initiative : measure.initiatives) {
        std::string initiative_body;
        for (const std::string& paragraph : initiative.description)
          initiative_body += paragraph + "\n";
        documents.push_back({"plan",
                             policy.number * 10000 + measure.number * 100 + initiative.number,
                             initiative.title,
                             initiative_body,
                             measure_url,
                             true,
                             {}});
      }
    }
  }
  return index.Put(documents);
}

Status LoadMinato(storage::Database& database) {
  Result<PlanData> data = ParsePlanFiles(MinatoPlanFiles());
  if (!data.ok()) return data.status();
  if (Status loaded = LoadPlanIfEmpty(database, *data); !loaded.ok()) return loaded;
  return IndexPlan(database);
}

}  // namespace

json KpiJson(const Kpi& kpi) {
  json targets = json::array();
  for (const KpiTarget& target : kpi.targets) {
    json item = {{"value", Number(target.value)},
                 {"fiscal_year", target.fiscal_year},
                 {"kind", target.stage},
                 {"end_of_year", target.end_of_year},
                 {"condition", TargetConditionName(target.condition)},
                 {"label", target.label}};
    if (target.min_value) item["min"] = Number(target.min_value);
    if (target.max_value) item["max"] = Number(target.max_value);
    if (!target.segments.empty()) item["segments"] = SegmentsJson(target.segments);
    targets.push_back(std::move(item));
  }
  json baseline = {{"value", Number(kpi.baseline_value)},
                   {"fiscal_year", kpi.baseline_fiscal_year},
                   {"label", kpi.baseline_label},
                   {"kind", kpi.baseline_kind}};
  if (!kpi.baseline_segments.empty()) baseline["segments"] = SegmentsJson(kpi.baseline_segments);
  json result = {{"code", kpi.code}, {"name", kpi.name},     {"unit", kpi.unit},
                 {"note", kpi.note}, {"baseline", baseline}, {"targets", targets}};
  if (!kpi.survey.empty()) {
    json survey = json::array();
    for (const SurveyAnswer& answer : kpi.survey)
      survey.push_back({{"answer", answer.answer}, {"share", answer.share}});
    result["survey"] = survey;
  }
  return result;
}

namespace {

// The plan's public datasets for the open-data catalog.
Result<std::vector<http::PublicDataset>> PlanDatasets(http::App&) {
  std::vector<http::PublicDataset> datasets;
  http::PublicDataset kpis;
  kpis.id = "plan-kpis";
  kpis.title = "基本計画の成果指標と実績";
  kpis.title_en = "Master plan KPIs (成果指標) with their latest actuals";
  kpis.description =
      "港区基本計画の成果指標ごとの現状値、計画目標値、最新の実績値と評価（達成率、達成・順調・"
      "やや遅れ・遅れ・未測定）。評価の基準は /plan/dashboard に記載しています。";
  kpis.tags = {"基本計画", "成果指標", "行政評価"};
  kpis.columns.assign(kKpiExportColumns.begin(), kKpiExportColumns.end());
  kpis.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    Result<PlanData> data = ReadPlan(app.database());
    if (!data.ok()) return data.status();
    Result<std::vector<EvaluatedKpi>> all = EvaluateAll(app, *data);
    if (!all.ok()) return all.status();
    for (const auto& row : KpiExportRows(*all)) {
      if (Status written = write(std::vector<std::string>(row.begin(), row.end())); !written.ok())
        return written;
    }
    return Status::Ok();
  };
  datasets.push_back(std::move(kpis));

  http::PublicDataset actuals;
  actuals.id = "plan-kpi-actuals";
  actuals.title = "成果指標の年度別実績";
  actuals.title_en = "KPI actuals by fiscal year";
  actuals.description = "成果指標の年度ごとの実績値と出典。";
  actuals.tags = {"基本計画", "成果指標"};
  actuals.columns = {"code", "name", "fiscal_year", "fiscal_year_label", "value", "unit", "source"};
  actuals.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    Result<PlanData> data = ReadPlan(app.database());
    if (!data.ok()) return data.status();
    Result<std::vector<EvaluatedKpi>> all = EvaluateAll(app, *data);
    if (!all.ok()) return all.status();
    for (const EvaluatedKpi& item : *all) {
      for (const KpiActual& actual : item.actuals) {
        Status written = write({item.kpi->code, item.kpi->name, std::to_string(actual.fiscal_year),
                                FiscalYearLabel(actual.fiscal_year), Number(actual.value).dump(),
                                item.kpi->unit, actual.source});
        if (!written.ok()) return written;
      }
    }
    return Status::Ok();
  };
  datasets.push_back(std::move(actuals));

  http::PublicDataset structure;
  structure.id = "plan-structure";
  structure.title = "基本計画の体系（政策・施策・主な取組）";
  structure.title_en = "Master plan structure: policies, measures and initiatives";
  structure.description =
      "港区基本計画の分野、政策、施策、主な取組の一覧。施策と主な取組は転記済みの政策について。";
  structure.tags = {"基本計画"};
  structure.columns = {"level", "code", "title", "area", "parent"};
  structure.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    Result<PlanData> data = ReadPlan(app.database());
    if (!data.ok()) return data.status();
    std::vector<std::vector<std::string>> rows;
    for (const Area& area : data->areas)
      rows.push_back({"area", std::to_string(area.number), area.name, area.name, ""});
    for (const Policy& policy : data->policies) {
      const std::string policy_code = std::to_string(policy.number);
      std::string area_name;
      for (const Area& area : data->areas)
        if (area.number == policy.area) area_name = area.name;
      rows.push_back({"policy", policy_code, policy.title, area_name, ""});
      for (const Measure& measure : policy.measures) {
        const std::string measure_code = policy_code + "-" + std::to_string(measure.number);
        rows.push_back({"measure", measure_code, measure.title, area_name, policy_code});
        for (const Initiative& initiative : measure.initiatives) {
          rows.push_back({"initiative", measure_code + "-" + std::to_string(initiative.number),
                          initiative.title, area_name, measure_code});
        }
      }
    }
    for (const auto& row : rows)
      if (Status written = write(row); !written.ok()) return written;
    return Status::Ok();
  };
  datasets.push_back(std::move(structure));
  return datasets;
}

}  // namespace

namespace {

Result<std::vector<http::AuditEntry>> PlanAuditTrail(storage::Database& database, size_t limit) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT at, user_login, action, entity, before_value, after_value FROM plan_audit"
      " ORDER BY id DESC LIMIT ?",
      {static_cast<int64_t>(limit)});
  if (!rows.ok()) return rows.status();
  std::vector<http::AuditEntry> entries;
  for (const auto& row : rows->rows) {
    entries.push_back({storage::AsText(row[0]), storage::AsText(row[1]), "plan",
                       storage::AsText(row[2]), storage::AsText(row[3]), storage::AsText(row[4]),
                       storage::AsText(row[5])});
  }
  return entries;
}

}  // namespace

http::Module PlanModule() {
  http::Module module{"plan", PlanMigrations(), Install, LoadMinato};
  module.public_datasets = PlanDatasets;
  module.audit_trail = PlanAuditTrail;
  return module;
}

}  // namespace civicdesk::plan
