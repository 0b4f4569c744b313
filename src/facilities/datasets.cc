#include <memory>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "facilities/handlers.h"
#include "facilities/registry_io.h"
#include "facilities/views.h"
#include "facilities/workbook.h"
#include "http/table_response.h"

namespace civicdesk::facilities {
namespace {

using http::RequestContext;
using http::Response;
using http::TableFormat;

// The register as kFacilityColumns, read from the database while the file is sent.
http::Table RegistryTable(http::App& app) {
  http::Table table;
  for (const char* column : kFacilityColumns) table.columns.emplace_back(column);
  table.number_columns = FacilityNumberColumns();
  table.sheet_name = "施設";
  table.rows = [&app](const http::DatasetRowWriter& write) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(Registry registry, LoadRegistry(app.database()));
    for (const std::vector<std::string>& row : FacilityRows(registry.facilities))
      CIVICDESK_RETURN_IF_ERROR(write(row));
    return Status::Ok();
  };
  return table;
}

// The projection's yearly costs per group: year, <group column>, cost_yen.
http::Table CostsTable(std::shared_ptr<const GroupedCosts> costs, const std::string& column) {
  http::Table table;
  table.columns = {"year", column, "cost_yen"};
  table.number_columns = {"year", "cost_yen"};
  table.sheet_name = "将来経費";
  table.rows = [costs](const http::DatasetRowWriter& write) {
    return ForEachCostRow(*costs, write);
  };
  return table;
}

// The projection's planned works, one row each.
http::Table WorksTable(std::shared_ptr<const Projection> projection) {
  http::Table table;
  table.columns = {"facility_id", "facility",       "kind",    "due_year",
                   "start_year",  "duration_years", "overdue", "cost_yen"};
  table.number_columns = {"due_year", "start_year", "duration_years", "overdue", "cost_yen"};
  table.sheet_name = "工事一覧";
  table.rows = [projection](const http::DatasetRowWriter& write) -> Status {
    for (const PlannedWork& work : projection->works) {
      const Facility& facility = projection->registry.facilities[work.facility];
      CIVICDESK_RETURN_IF_ERROR(
          write({facility.id, facility.name, std::string(WorkKindName(work.kind)),
                 std::to_string(work.due_year), std::to_string(work.start_year),
                 std::to_string(work.overdue ? projection->policy.policy.backlog_spread_years
                                             : work.duration_years),
                 work.overdue ? "1" : "0", std::to_string(work.cost_yen)}));
    }
    return Status::Ok();
  };
  return table;
}

// The projection the query asks for, worked out before the response starts so that a bad
// query is a 400, not a broken download.
struct ProjectionFile {
  std::shared_ptr<const Projection> projection;
  std::shared_ptr<const GroupedCosts> costs;
  std::string column;
};

Result<ProjectionFile> ProjectionFor(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(ProjectionQuery query, ParseQuery(context.request()));
  CIVICDESK_ASSIGN_OR_RETURN(Projection projection, Project(context.app().database(), query));
  auto costs = std::make_shared<const GroupedCosts>(Group(projection, query));
  return ProjectionFile{std::make_shared<const Projection>(std::move(projection)), std::move(costs),
                        GroupColumn(query.grouping)};
}

}  // namespace

Result<Response> RegistryCsv(RequestContext& context) {
  return http::TableResponse(RegistryTable(context.app()), TableFormat::kCsv, "facilities");
}

Result<Response> RegistryXlsx(RequestContext& context) {
  return http::TableResponse(RegistryTable(context.app()), TableFormat::kXlsx, "facilities");
}

Result<Response> ProjectionCsv(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(ProjectionFile file, ProjectionFor(context));
  return http::TableResponse(CostsTable(file.costs, file.column), TableFormat::kCsv, "projection");
}

// Two sheets, the costs and the list of works, which one http::Table cannot hold: a streamed
// workbook of its own.
Result<Response> ProjectionXlsx(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(ProjectionFile file, ProjectionFor(context));
  std::vector<http::Table> sheets = {CostsTable(file.costs, file.column),
                                     WorksTable(file.projection)};
  return http::FileResponse(std::string(http::TableMimeType(TableFormat::kXlsx)), "projection.xlsx",
                            [sheets = std::move(sheets)](const http::BodyWriter& write) {
                              return WriteWorkbook(sheets, write);
                            });
}

Result<std::vector<http::PublicDataset>> PublicDatasets(http::App& app) {
  CIVICDESK_ASSIGN_OR_RETURN(Registry registry, LoadRegistry(app.database()));
  const std::string sample = registry.sample ? "（サンプルデータ）" : "";
  const std::string sample_en = registry.sample ? " (sample data)" : "";
  const std::string sample_note =
      registry.sample
          ? "試算の機能を試すための架空のサンプルデータであり、港区の施設の実際の値ではありません。"
          : "";
  http::PublicDataset list;
  list.id = "facilities";
  list.title = "公共施設一覧" + sample;
  list.title_en = "Public facilities" + sample_en;
  list.description =
      "区有施設の名称、総務省の施設分類、地区、延床面積、建築年、構造、所管課。" + sample_note;
  list.tags = {"公共施設", "施設マネジメント"};
  list.standard = "公共施設一覧";
  list.columns = {"施設番号",       "名称",   "施設分類", "地区",
                  "延床面積（㎡）", "建築年", "構造",     "所管課"};
  list.number_columns = {"延床面積（㎡）", "建築年"};
  list.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(Registry registry, LoadRegistry(app.database()));
    for (const std::vector<std::string>& row : FacilityRows(registry.facilities)) {
      // id, name, category, district, floor_area_sqm, year_built, structure, section.
      CIVICDESK_RETURN_IF_ERROR(
          write({row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[8]}));
    }
    return Status::Ok();
  };
  http::PublicDataset projection;
  projection.id = "facilities-projection";
  projection.title = "公共施設の将来経費試算（総務省方式・施設分類別）" + sample;
  projection.title_en = "Future cost of public facilities by category" + sample_en;
  projection.description =
      "総務省 公共施設等更新費用試算ソフトの考え方（大規模改修30年・建替え60年、積み残しは10年で"
      "平準化）による今年度からの40年間の年度別・施設分類別の経費（円）。" +
      sample_note;
  projection.tags = {"公共施設", "将来経費"};
  projection.columns = {"年度", "施設分類", "経費（円）"};
  projection.number_columns = {"年度", "経費（円）"};
  projection.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    ProjectionQuery query;
    query.options = {FiscalYear::Containing(TodayInJapan()).year(), 40};
    CIVICDESK_ASSIGN_OR_RETURN(Projection result, Project(app.database(), query));
    return ForEachCostRow(Group(result, query), write);
  };
  return std::vector<http::PublicDataset>{list, projection};
}

}  // namespace civicdesk::facilities
