#ifndef CIVICDESK_FACILITIES_REGISTRY_IO_H_
#define CIVICDESK_FACILITIES_REGISTRY_IO_H_

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/xlsx_writer.h"
#include "facilities/lifecycle.h"

namespace civicdesk::facilities {

// The registry's file columns, in order (headers may also be the Japanese ones: 施設番号, 施設名,
// 施設分類, 地区, 延床面積, 建築年, 構造, 所管部, 所管課, 工事履歴, 建替え年数, 建替え単価).
// `works` holds the works history as "2012:大規模改修:250000000;2020:中規模修繕" (cost in yen,
// optional). department and section name the owning 部 and 課, whose staff record the facility's
// works.
inline constexpr const char* kFacilityColumns[] = {
    "id",        "name",       "category", "district", "floor_area_sqm", "year_built",
    "structure", "department", "section",  "works",    "rebuild_age",    "rebuild_yen_per_sqm"};

// Reads a registry from CSV (UTF-8, a BOM allowed; the ' that WriteFacilitiesCsv puts before a
// cell starting like a formula is taken off). Required columns: name, category,
// floor_area_sqm, year_built. Every row is checked; the first bad one is InvalidArgument naming
// its line and column ("line 5: floor_area_sqm"): a non-positive area, a build year after
// `current_year` or before 1868, an unknown category or kind of work.
Result<std::vector<Facility>> ReadFacilitiesCsv(std::istream& input, int current_year);
// The same from the first sheet of an XLSX workbook.
Result<std::vector<Facility>> ReadFacilitiesXlsx(const std::string& path, int current_year);
// The same from rows already split into cells (the first is the header); line numbers count
// from 1 at the header.
Result<std::vector<Facility>> ParseFacilityRows(const std::vector<std::vector<std::string>>& rows,
                                                int current_year);

// The registry as rows of kFacilityColumns (the inverse of ParseFacilityRows).
std::vector<std::vector<std::string>> FacilityRows(const std::vector<Facility>& facilities);
// The columns of kFacilityColumns that hold numbers (http::Table::number_columns).
std::vector<std::string> FacilityNumberColumns();
// The registry as CSV through http::WriteTable (UTF-8 with a BOM; a cell that starts like a
// formula gets a leading ', which ReadFacilitiesCsv takes off again).
void WriteFacilitiesCsv(const std::vector<Facility>& facilities, std::ostream& output);

// The works history cell ("2012:大規模改修:250000000;...") and back.
std::string FormatWorks(const std::vector<WorkRecord>& works);
Result<std::vector<WorkRecord>> ParseWorks(std::string_view cell);

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_REGISTRY_IO_H_
