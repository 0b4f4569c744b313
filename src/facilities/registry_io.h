#ifndef CIVICDESK_FACILITIES_REGISTRY_IO_H_
#define CIVICDESK_FACILITIES_REGISTRY_IO_H_

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/tabular_import.h"
#include "core/xlsx_writer.h"
#include "facilities/lifecycle.h"
#include "storage/database.h"

namespace civicdesk::facilities {

// The registry's file columns, in order, as `facilities export` writes them. `import` reads
// them and the headers of facilities/import_columns.cc (施設番号, 名称, 施設分類, 延床面積, 建築年
// …). `works` holds the works history as "2012:大規模改修:250000000;2020:中規模修繕" (cost in yen,
// optional). department and section name the owning 部 and 課, whose staff record the facility's
// works.
inline constexpr const char* kFacilityColumns[] = {
    "id",        "name",       "category", "district", "floor_area_sqm", "year_built",
    "structure", "department", "section",  "works",    "rebuild_age",    "rebuild_yen_per_sqm"};

struct FacilitiesRead {
  std::vector<Facility> facilities;
  tabular::Report report;
};

// Reads a register through the shared import pipeline (core/tabular_import.h: UTF-8 with or
// without BOM, CP932, UTF-16; CSV, TSV, XLSX; the header row wherever it is; notes above and
// below kept; the ' that WriteFacilitiesCsv puts before a formula-like cell taken off). Only
// name is required. A facility without a category is その他, one without floor area or build
// year is registered with them unknown (0) and left out of the projection — each counted in a
// report warning. Without an id column the facilities are numbered F1, F2 …; with one, an empty
// id is an error. Every row is checked; every problem is in report.errors naming its line and
// column ("line 5: floor_area_sqm"): a non-positive area, a build year after `current_year` or
// before 1868, an unknown category or kind of work, a repeated id. The first is returned, the
// whole report copied to `refused` when given. Columns, mapping and ignored columns as
// tabular::ReadTable says.
Result<FacilitiesRead> ReadFacilitiesTable(std::string_view bytes, int current_year,
                                           const tabular::ImportOptions& options,
                                           tabular::Report* refused);
// The same, refusing a file without facility rows, then (unless options.dry_run) every facility
// written in one transaction (ImportRegistry: the sample register is replaced),
// report.rows_written set.
Result<tabular::Report> ImportFacilities(storage::Database& database, std::string_view bytes,
                                         int current_year, const tabular::ImportOptions& options,
                                         const std::string& user_login, tabular::Report* refused);

// ReadFacilitiesTable with no options, for the sample register and the --input of project and
// level: the facilities, or the first error.
Result<std::vector<Facility>> ReadFacilitiesCsv(std::istream& input, int current_year);
// The same from a file (XLSX, or any format ReadFacilitiesTable reads).
Result<std::vector<Facility>> ReadFacilitiesXlsx(const std::string& path, int current_year);

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
