#include "facilities/registry_io.h"

#include <cmath>
#include <map>

#include "core/csv.h"
#include "core/number_format.h"
#include "core/xlsx_reader.h"
#include "http/table_response.h"

namespace civicdesk::facilities {
namespace {

const std::map<std::string, std::string>& JapaneseHeaders() {
  static const std::map<std::string, std::string> headers = {{"施設番号", "id"},
                                                             {"施設名", "name"},
                                                             {"施設分類", "category"},
                                                             {"分類", "category"},
                                                             {"地区", "district"},
                                                             {"延床面積", "floor_area_sqm"},
                                                             {"延床面積（㎡）", "floor_area_sqm"},
                                                             {"建築年", "year_built"},
                                                             {"建築年度", "year_built"},
                                                             {"構造", "structure"},
                                                             {"所管部", "department"},
                                                             {"所管課", "section"},
                                                             {"工事履歴", "works"},
                                                             {"建替え年数", "rebuild_age"},
                                                             {"建替え単価", "rebuild_yen_per_sqm"}};
  return headers;
}

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

Result<std::vector<Facility>> ParseFacilityRows(const std::vector<std::vector<std::string>>& rows,
                                                int current_year) {
  if (rows.empty()) return Status::InvalidArgument("facilities.no_header", "line 1");
  std::map<std::string, size_t> column_of;
  for (size_t c = 0; c < rows[0].size(); ++c) {
    std::string name = Trim(rows[0][c]);
    if (c == 0) StripUtf8Bom(name);
    if (auto japanese = JapaneseHeaders().find(name); japanese != JapaneseHeaders().end())
      name = japanese->second;
    bool known = false;
    for (const char* column : kFacilityColumns) known = known || name == column;
    if (!known) {
      return AtLine(1, name, "facilities.unknown_column");
    }
    column_of[name] = c;
  }
  for (const char* required : {"name", "category", "floor_area_sqm", "year_built"}) {
    if (!column_of.contains(required)) return AtLine(1, required, "facilities.missing_column");
  }
  std::vector<Facility> facilities;
  std::map<std::string, int64_t> line_of_id;
  for (size_t r = 1; r < rows.size(); ++r) {
    const int64_t line = static_cast<int64_t>(r) + 1;
    const std::vector<std::string>& row = rows[r];
    bool blank = true;
    for (const std::string& cell : row) blank = blank && Trim(cell).empty();
    if (blank) continue;
    auto cell = [&](const char* name) -> std::string {
      auto found = column_of.find(name);
      if (found == column_of.end() || found->second >= row.size()) return {};
      return Trim(row[found->second]);
    };
    Facility facility;
    facility.id = cell("id");
    if (facility.id.empty()) facility.id = "F" + std::to_string(facilities.size() + 1);
    if (auto [it, inserted] = line_of_id.emplace(facility.id, line); !inserted) {
      return AtLine(line, "id", "facilities.duplicate_id",
                    {{"id", facility.id}, {"line", std::to_string(it->second)}});
    }
    facility.name = cell("name");
    if (facility.name.empty()) return AtLine(line, "name", "facilities.name_empty");
    Result<Category> category = ParseCategory(cell("category"));
    if (!category.ok()) return AtLine(line, "category", category.status());
    facility.category = *category;
    facility.district = cell("district");
    const std::string area = cell("floor_area_sqm");
    char* end = nullptr;
    const double parsed_area = std::strtod(area.c_str(), &end);
    if (area.empty() || end != area.c_str() + area.size() || !std::isfinite(parsed_area)) {
      return AtLine(line, "floor_area_sqm", "facilities.area_not_number", {{"value", area}});
    }
    if (parsed_area <= 0) {
      return AtLine(line, "floor_area_sqm", "facilities.area_not_positive", {{"value", area}});
    }
    facility.floor_area_sqm = parsed_area;
    Result<int64_t> built = ParseWhole(cell("year_built"));
    if (!built.ok()) {
      return AtLine(line, "year_built", "facilities.year_built_invalid",
                    {{"value", cell("year_built")}});
    }
    if (*built > current_year) {
      return AtLine(line, "year_built", "facilities.year_built_future",
                    {{"year", std::to_string(*built)}, {"current", std::to_string(current_year)}});
    }
    if (*built < 1868) return AtLine(line, "year_built", "facilities.year_built_too_old");
    facility.year_built = static_cast<int>(*built);
    facility.structure = cell("structure");
    facility.department = cell("department");
    facility.section = cell("section");
    Result<std::vector<WorkRecord>> works = ParseWorks(cell("works"));
    if (!works.ok()) return AtLine(line, "works", works.status());
    for (const WorkRecord& work : *works) {
      if (work.year < facility.year_built || work.year > current_year) {
        return AtLine(line, "works", "facilities.work_year_out_of_range",
                      {{"year", std::to_string(work.year)}});
      }
    }
    facility.history = *works;
    if (const std::string age = cell("rebuild_age"); !age.empty()) {
      Result<int64_t> value = ParseWhole(age);
      if (!value.ok() || *value < 10 || *value > 150) {
        return AtLine(line, "rebuild_age", "facilities.rebuild_age_invalid");
      }
      facility.rebuild_age = static_cast<int>(*value);
    }
    if (const std::string cost = cell("rebuild_yen_per_sqm"); !cost.empty()) {
      Result<int64_t> value = ParseWhole(cost);
      if (!value.ok() || *value <= 0) {
        return AtLine(line, "rebuild_yen_per_sqm", "facilities.rebuild_unit_invalid");
      }
      facility.rebuild_yen_per_sqm = *value;
    }
    facilities.push_back(std::move(facility));
  }
  return facilities;
}

Result<std::vector<Facility>> ReadFacilitiesCsv(std::istream& input, int current_year) {
  std::vector<std::vector<std::string>> rows;
  Status read = ForEachCsvRow(input, [&](std::vector<std::string>& cells, int64_t) {
    for (std::string& cell : cells) UnguardFormula(cell);
    rows.push_back(std::move(cells));
    return Status::Ok();
  });
  if (!read.ok()) return read;
  return ParseFacilityRows(rows, current_year);
}

Result<std::vector<Facility>> ReadFacilitiesXlsx(const std::string& path, int current_year) {
  Result<std::vector<std::vector<std::string>>> rows = ReadXlsxFirstSheet(path);
  if (!rows.ok()) return rows.status();
  return ParseFacilityRows(*rows, current_year);
}

std::vector<std::vector<std::string>> FacilityRows(const std::vector<Facility>& facilities) {
  std::vector<std::vector<std::string>> rows;
  for (const Facility& facility : facilities) {
    char area[32];
    std::snprintf(area, sizeof(area), "%.2f", facility.floor_area_sqm);
    std::string area_text = area;
    while (area_text.back() == '0') area_text.pop_back();
    if (area_text.back() == '.') area_text.pop_back();
    rows.push_back(
        {facility.id, facility.name, std::string(CategoryName(facility.category)),
         facility.district, area_text, std::to_string(facility.year_built), facility.structure,
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
