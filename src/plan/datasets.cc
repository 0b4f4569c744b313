// The plan's public datasets (for the open-data catalog) and its table downloads.

#include <array>
#include <string>
#include <vector>

#include "http/table_response.h"
#include "plan/handlers.h"
#include "plan/kpi_progress.h"
#include "plan/repository.h"
#include "plan/views.h"

namespace civicdesk::plan {
namespace {

using http::DatasetRowWriter;
using http::RequestContext;
using http::Response;

// The columns of every KPI with its latest actual, shared by the dataset and the downloads.
// achievement_rate is empty when the actual is below the baseline (never negative):
// achievement_state says so ("below_baseline"; "rate" when there is one, "none" for targets
// without a rate) and achievement_label shows it as the pages do (69%, 基準値未満).
constexpr std::array<const char*, 15> kKpiExportColumns = {"code",
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
                                                           "achievement_rate",
                                                           "achievement_state",
                                                           "achievement_label"};

// A CSV cannot say that a column is text, and spreadsheets read 24-1-1 as a date: the datasets
// say how to open it (the XLSX keeps the codes as text).
constexpr char kKpiCodeNote[] =
    "CSVを表計算ソフトで開くときは、指標番号（code）の列を「文字列」として読み込んでください"
    "（24-1-1 が日付に変わるのを防ぎます。XLSXでは文字列のままです）。";

// The columns of kKpiExportColumns that hold numbers (a value or a rate may be negative).
const std::vector<std::string> kKpiNumberColumns = {
    "policy",       "baseline_fiscal_year", "final_fiscal_year", "latest_fiscal_year",
    "latest_value", "achievement_rate"};

std::vector<std::string> KpiExportRow(const EvaluatedKpi& item) {
  auto number = [](const std::optional<double>& value) {
    return value ? NumberJson(value).dump() : std::string();
  };
  const Kpi& kpi = *item.kpi;
  const KpiEvaluation& evaluation = item.evaluation;
  const KpiTarget* final_target = kpi.targets.empty() ? nullptr : &kpi.targets.back();
  return {kpi.code,
          std::to_string(item.policy->number),
          kpi.name,
          kpi.unit,
          kpi.baseline_label,
          kpi.baseline_fiscal_year > 0 ? std::to_string(kpi.baseline_fiscal_year) : "",
          final_target ? final_target->label : "",
          final_target ? std::to_string(final_target->fiscal_year) : "",
          evaluation.latest ? std::to_string(evaluation.latest->fiscal_year) : "",
          evaluation.latest ? number(evaluation.latest->value) : "",
          KpiStatusName(evaluation.status),
          KpiStatusLabel(evaluation.status),
          number(evaluation.achievement_rate),
          AchievementState(evaluation),
          AchievementLabel(evaluation)};
}

// Every KPI with its latest actual and evaluation, in plan order.
Status WriteKpiRows(http::App& app, const DatasetRowWriter& write) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPlan(app.database()));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<EvaluatedKpi> all, EvaluateAll(app, data));
  for (const EvaluatedKpi& item : all) CIVICDESK_RETURN_IF_ERROR(write(KpiExportRow(item)));
  return Status::Ok();
}

// Each KPI's actuals, one row per fiscal year.
Status WriteActualRows(http::App& app, const DatasetRowWriter& write) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPlan(app.database()));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<EvaluatedKpi> all, EvaluateAll(app, data));
  for (const EvaluatedKpi& item : all) {
    for (const KpiActual& actual : item.actuals) {
      CIVICDESK_RETURN_IF_ERROR(
          write({item.kpi->code,
                 item.kpi->name + (actual.segment.empty() ? "" : "（" + actual.segment + "）"),
                 std::to_string(actual.fiscal_year), FiscalYearLabel(actual.fiscal_year),
                 NumberJson(actual.value).dump(), item.kpi->unit, actual.source}));
    }
  }
  return Status::Ok();
}

// Areas, policies, measures and initiatives, each with its parent.
Status WriteStructureRows(http::App& app, const DatasetRowWriter& write) {
  CIVICDESK_ASSIGN_OR_RETURN(PlanData data, ReadPlan(app.database()));
  for (const Area& area : data.areas)
    CIVICDESK_RETURN_IF_ERROR(
        write({"area", std::to_string(area.number), area.name, area.name, ""}));
  for (const Policy& policy : data.policies) {
    const std::string policy_code = std::to_string(policy.number);
    const Area* area = FindArea(data, policy.area);
    const std::string area_name = area != nullptr ? area->name : "";
    CIVICDESK_RETURN_IF_ERROR(write({"policy", policy_code, policy.title, area_name, ""}));
    for (const Measure& measure : policy.measures) {
      const std::string measure_code = policy_code + "-" + std::to_string(measure.number);
      CIVICDESK_RETURN_IF_ERROR(
          write({"measure", measure_code, measure.title, area_name, policy_code}));
      for (const Initiative& initiative : measure.initiatives) {
        CIVICDESK_RETURN_IF_ERROR(
            write({"initiative", measure_code + "-" + std::to_string(initiative.number),
                   initiative.title, area_name, measure_code}));
      }
    }
  }
  return Status::Ok();
}

// Every KPI as a table whose rows are read while the download is sent.
http::Table KpiTable(RequestContext& context) {
  http::Table table;
  table.columns.assign(kKpiExportColumns.begin(), kKpiExportColumns.end());
  table.number_columns = kKpiNumberColumns;
  table.rows = [&app = context.app()](const DatasetRowWriter& write) {
    return WriteKpiRows(app, write);
  };
  table.sheet_name = context.Message("kpi_table_caption");
  return table;
}

}  // namespace

// All KPIs with their latest actual and evaluation: CSV (UTF-8 with BOM, Excel opens it) or XLSX.
Result<Response> KpisCsv(RequestContext& context) {
  return http::TableResponse(KpiTable(context), http::TableFormat::kCsv, "kpis");
}

Result<Response> KpisXlsx(RequestContext& context) {
  return http::TableResponse(KpiTable(context), http::TableFormat::kXlsx, "kpis");
}

Result<std::vector<http::PublicDataset>> PlanDatasets(http::App&) {
  std::vector<http::PublicDataset> datasets;
  http::PublicDataset kpis;
  kpis.id = "plan-kpis";
  kpis.title = "基本計画の成果指標と実績";
  kpis.title_en = "Master plan KPIs (成果指標) with their latest actuals";
  kpis.description =
      "港区基本計画の成果指標ごとの現状値、計画目標値、最新の実績値と評価（達成率、達成・順調・"
      "やや遅れ・遅れ・未測定。実績値が現状値を下回るときは達成率を空欄にし「基準値未満」）。評価の"
      "基準は /plan/dashboard に記載しています。" +
      std::string(kKpiCodeNote);
  kpis.tags = {"基本計画", "成果指標", "行政評価"};
  kpis.columns.assign(kKpiExportColumns.begin(), kKpiExportColumns.end());
  kpis.number_columns = kKpiNumberColumns;
  kpis.rows = WriteKpiRows;
  datasets.push_back(std::move(kpis));

  http::PublicDataset actuals;
  actuals.id = "plan-kpi-actuals";
  actuals.title = "成果指標の年度別実績";
  actuals.title_en = "KPI actuals by fiscal year";
  actuals.description = "成果指標の年度ごとの実績値と出典。" + std::string(kKpiCodeNote);
  actuals.tags = {"基本計画", "成果指標"};
  actuals.columns = {"code", "name", "fiscal_year", "fiscal_year_label", "value", "unit", "source"};
  actuals.number_columns = {"fiscal_year", "value"};
  actuals.rows = WriteActualRows;
  datasets.push_back(std::move(actuals));

  http::PublicDataset structure;
  structure.id = "plan-structure";
  structure.title = "基本計画の体系（政策・施策・主な取組）";
  structure.title_en = "Master plan structure: policies, measures and initiatives";
  structure.description =
      "港区基本計画の分野、政策、施策、主な取組の一覧。施策と主な取組は転記済みの政策について。";
  structure.tags = {"基本計画"};
  structure.columns = {"level", "code", "title", "area", "parent"};
  structure.rows = WriteStructureRows;
  datasets.push_back(std::move(structure));
  return datasets;
}

}  // namespace civicdesk::plan
