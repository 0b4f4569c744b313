#include "facilities/registry_io.h"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/csv.h"
#include "core/number_format.h"
#include "core/text_normalize.h"
#include "facilities/import_columns.h"
#include "facilities/store.h"
#include "http/table_response.h"

namespace civicdesk::facilities {
namespace {

std::string Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

Result<int64_t> ParseWhole(std::string_view text) {
  std::optional<int64_t> value = ParseWholeNumber(text);
  if (!value) return Status::InvalidArgument("facilities.not_whole_number");
  return *value;
}

// `status` naming the line and column it is about: "line 5: floor_area_sqm".
Status AtLine(int64_t line, const std::string& column, const Status& status) {
  return status.WithField("line " + std::to_string(line) + ": " + column);
}

Status AtLine(int64_t line, const std::string& column, std::string message_id,
              MessageArgs args = {}) {
  return AtLine(line, column, Status::InvalidArgument(std::move(message_id), std::move(args)));
}

}  // namespace

Result<std::vector<WorkRecord>> ParseWorks(std::string_view cell) {
  std::vector<WorkRecord> works;
  size_t start = 0;
  while (start <= cell.size()) {
    size_t end = cell.find(';', start);
    if (end == std::string_view::npos) end = cell.size();
    const std::string entry = Trim(cell.substr(start, end - start));
    start = end + 1;
    if (entry.empty()) continue;
    std::vector<std::string> parts;
    size_t from = 0;
    while (true) {
      const size_t colon = entry.find(':', from);
      parts.push_back(
          Trim(entry.substr(from, colon == std::string::npos ? std::string::npos : colon - from)));
      if (colon == std::string::npos) break;
      from = colon + 1;
    }
    if (parts.size() < 2 || parts.size() > 3) {
      return Status::InvalidArgument("facilities.works_format", {{"entry", entry}});
    }
    WorkRecord record;
    Result<int64_t> year = ParseWhole(parts[0]);
    if (!year.ok() || *year < 1868 || *year > 2200) {
      return Status::InvalidArgument("facilities.work_year_bad", {{"value", parts[0]}});
    }
    record.year = static_cast<int>(*year);
    Result<WorkKind> kind = ParseWorkKind(parts[1]);
    if (!kind.ok()) return kind.status().WithField("");
    record.kind = *kind;
    if (parts.size() == 3 && !parts[2].empty()) {
      Result<int64_t> cost = ParseWhole(parts[2]);
      if (!cost.ok() || *cost < 0) {
        return Status::InvalidArgument("facilities.work_cost_bad", {{"value", parts[2]}});
      }
      record.cost_yen = *cost;
    }
    works.push_back(record);
  }
  return works;
}

std::string FormatWorks(const std::vector<WorkRecord>& works) {
  std::string cell;
  for (const WorkRecord& work : works) {
    if (!cell.empty()) cell += ";";
    cell += std::to_string(work.year) + ":" + std::string(WorkKindName(work.kind));
    if (work.cost_yen > 0) cell += ":" + std::to_string(work.cost_yen);
  }
  return cell;
}

namespace {

// Every problem of one row, each naming its line and column, appended to `errors`; the row's
// facility in `facility`.
void CheckRow(const tabular::Table& table, const tabular::Record& record, int current_year,
              size_t position, std::map<std::string, int64_t>& line_of_id, Facility& facility,
              std::vector<Status>& errors) {
  auto cell = [&](const char* field) -> std::string {
    std::string value = Trim(table.Value(record, field));
    UnguardFormula(value);  // the ' that WriteFacilitiesCsv put before a formula-like cell
    return value;
  };
  auto fail = [&](const char* column, std::string message_id, MessageArgs args = {}) {
    errors.push_back(AtLine(record.line, column, std::move(message_id), std::move(args)));
  };
  auto failed = [&](const char* column, const Status& status) {
    errors.push_back(AtLine(record.line, column, status));
  };
  for (const char* field :
       {"id", "name", "category", "district", "structure", "department", "section", "works"}) {
    if (!IsValidUtf8(table.Value(record, field))) fail(field, "facilities.value_not_utf8");
  }
  facility.id = cell("id");
  if (facility.id.empty() && table.Has("id")) {
    fail("id", "facilities.id_empty");
  } else if (facility.id.empty()) {
    facility.id = "F" + std::to_string(position + 1);  // a register without numbers
  }
  if (!facility.id.empty()) {
    if (auto [it, inserted] = line_of_id.emplace(facility.id, record.line); !inserted) {
      fail("id", "facilities.duplicate_id",
           {{"id", facility.id}, {"line", std::to_string(it->second)}});
    }
  }
  facility.name = cell("name");
  if (facility.name.empty()) fail("name", "facilities.name_empty");
  if (const std::string category = cell("category"); !category.empty()) {
    Result<Category> parsed = ParseCategory(category);
    if (parsed.ok()) {
      facility.category = *parsed;
    } else {
      failed("category", parsed.status());
    }
  }
  facility.district = cell("district");
  if (const std::string area = cell("floor_area_sqm"); !area.empty()) {
    char* end = nullptr;
    const double parsed_area = std::strtod(area.c_str(), &end);
    if (end != area.c_str() + area.size() || !std::isfinite(parsed_area)) {
      fail("floor_area_sqm", "facilities.area_not_number", {{"value", area}});
    } else if (parsed_area <= 0) {
      fail("floor_area_sqm", "facilities.area_not_positive", {{"value", area}});
    } else {
      facility.floor_area_sqm = parsed_area;
    }
  }
  if (const std::string built = cell("year_built"); !built.empty()) {
    Result<int64_t> year = ParseWhole(built);
    if (!year.ok()) {
      fail("year_built", "facilities.year_built_invalid", {{"value", built}});
    } else if (*year > current_year) {
      fail("year_built", "facilities.year_built_future",
           {{"year", std::to_string(*year)}, {"current", std::to_string(current_year)}});
    } else if (*year < 1868) {
      fail("year_built", "facilities.year_built_too_old");
    } else {
      facility.year_built = static_cast<int>(*year);
    }
  }
  facility.structure = cell("structure");
  facility.department = cell("department");
  facility.section = cell("section");
  Result<std::vector<WorkRecord>> works = ParseWorks(cell("works"));
  if (!works.ok()) {
    failed("works", works.status());
  } else {
    for (const WorkRecord& work : *works) {
      if ((facility.year_built > 0 && work.year < facility.year_built) ||
          work.year > current_year) {
        fail("works", "facilities.work_year_out_of_range", {{"year", std::to_string(work.year)}});
      }
    }
    facility.history = *works;
  }
  if (const std::string age = cell("rebuild_age"); !age.empty()) {
    Result<int64_t> value = ParseWhole(age);
    if (!value.ok() || *value < 10 || *value > 150) {
      fail("rebuild_age", "facilities.rebuild_age_invalid");
    } else {
      facility.rebuild_age = static_cast<int>(*value);
    }
  }
  if (const std::string cost = cell("rebuild_yen_per_sqm"); !cost.empty()) {
    Result<int64_t> value = ParseWhole(cost);
    if (!value.ok() || *value <= 0) {
      fail("rebuild_yen_per_sqm", "facilities.rebuild_unit_invalid");
    } else {
      facility.rebuild_yen_per_sqm = *value;
    }
  }
}

}  // namespace

Result<FacilitiesRead> ReadFacilitiesTable(std::string_view bytes, int current_year,
                                           const tabular::ImportOptions& options,
                                           tabular::Report* refused) {
  CIVICDESK_ASSIGN_OR_RETURN(tabular::Table table,
                             tabular::ReadTable(bytes, FacilitiesColumns(), options));
  FacilitiesRead read;
  std::map<std::string, int64_t> line_of_id;
  int64_t without_category = 0, not_projected = 0;
  for (const tabular::Record& record : table.records) {
    Facility facility;
    CheckRow(table, record, current_year, read.facilities.size(), line_of_id, facility,
             table.report.errors);
    without_category += Trim(table.Value(record, "category")).empty() ? 1 : 0;
    not_projected += facility.floor_area_sqm <= 0 || facility.year_built == 0 ? 1 : 0;
    read.facilities.push_back(std::move(facility));
  }
  if (!table.report.errors.empty()) {
    if (refused != nullptr) *refused = table.report;
    return tabular::FirstError(table.report);
  }
  if (without_category > 0) {
    table.report.warnings.push_back(Status(StatusCode::kOk, "facilities.import_category_other",
                                           {{"count", std::to_string(without_category)}}));
  }
  if (not_projected > 0) {
    table.report.warnings.push_back(Status(StatusCode::kOk, "facilities.import_not_projected",
                                           {{"count", std::to_string(not_projected)}}));
  }
  read.report = std::move(table.report);
  return read;
}

Result<tabular::Report> ImportFacilities(storage::Database& database, std::string_view bytes,
                                         int current_year, const tabular::ImportOptions& options,
                                         const std::string& user_login, tabular::Report* refused) {
  CIVICDESK_ASSIGN_OR_RETURN(FacilitiesRead read,
                             ReadFacilitiesTable(bytes, current_year, options, refused));
  if (read.facilities.empty()) {  // a register of nothing is a wrong file, not an import
    read.report.errors.push_back(AtLine(read.report.header_row + 1, "name", "facilities.no_rows"));
    if (refused != nullptr) *refused = read.report;
    return tabular::FirstError(read.report);
  }
  if (options.dry_run) return std::move(read.report);
  const auto total = static_cast<int64_t>(read.facilities.size());
  if (options.progress) options.progress(0, total);
  CIVICDESK_RETURN_IF_ERROR(ImportRegistry(database, read.facilities, false, user_login));
  read.report.rows_written = total;
  if (options.progress) options.progress(total, total);
  return std::move(read.report);
}

Result<std::vector<Facility>> ReadFacilitiesCsv(std::istream& input, int current_year) {
  std::ostringstream bytes;
  bytes << input.rdbuf();
  CIVICDESK_ASSIGN_OR_RETURN(FacilitiesRead read,
                             ReadFacilitiesTable(bytes.str(), current_year, {}, nullptr));
  return std::move(read.facilities);
}

Result<std::vector<Facility>> ReadFacilitiesXlsx(const std::string& path, int current_year) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::InvalidArgument("facilities.file_unreadable", path);
  return ReadFacilitiesCsv(file, current_year);
}

std::vector<std::vector<std::string>> FacilityRows(const std::vector<Facility>& facilities) {
  std::vector<std::vector<std::string>> rows;
  for (const Facility& facility : facilities) {
    char area[32];
    std::snprintf(area, sizeof(area), "%.2f", facility.floor_area_sqm);
    std::string area_text = area;
    while (area_text.back() == '0') area_text.pop_back();
    if (area_text.back() == '.') area_text.pop_back();
    if (facility.floor_area_sqm <= 0) area_text.clear();  // unknown
    rows.push_back(
        {facility.id, facility.name, std::string(CategoryName(facility.category)),
         facility.district, area_text,
         facility.year_built > 0 ? std::to_string(facility.year_built) : "", facility.structure,
         facility.department, facility.section, FormatWorks(facility.history),
         facility.rebuild_age ? std::to_string(*facility.rebuild_age) : "",
         facility.rebuild_yen_per_sqm ? std::to_string(*facility.rebuild_yen_per_sqm) : ""});
  }
  return rows;
}

std::vector<std::string> FacilityNumberColumns() {
  return {"floor_area_sqm", "year_built", "rebuild_age", "rebuild_yen_per_sqm"};
}

void WriteFacilitiesCsv(const std::vector<Facility>& facilities, std::ostream& output) {
  http::Table table;
  for (const char* column : kFacilityColumns) table.columns.emplace_back(column);
  table.number_columns = FacilityNumberColumns();
  table.rows = [&facilities](const http::DatasetRowWriter& write) -> Status {
    for (const std::vector<std::string>& row : FacilityRows(facilities))
      CIVICDESK_RETURN_IF_ERROR(write(row));
    return Status::Ok();
  };
  (void)http::WriteTable(table, http::TableFormat::kCsv, output);
}

}  // namespace civicdesk::facilities
