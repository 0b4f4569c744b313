#ifndef CIVICDESK_SURVEYS_POPULATION_IMPORT_H_
#define CIVICDESK_SURVEYS_POPULATION_IMPORT_H_

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/tabular_import.h"
#include "http/importers.h"
#include "storage/database.h"

// The population table the ward imports for weighting survey results: one row per cell, with
// the district (地区), age band (年齢区分), 在住/在勤 and the number of people; a table may leave
// out a dimension (every row then leaves it empty). Read through the shared import pipeline.
namespace civicdesk::surveys {

const tabular::ImporterSpec& PopulationColumns();

// Every row checked (population a whole number ≥ 0; each cell once; the dimensions named the
// same way on every row), then written in one transaction as a new population table named
// `label` (required). Errors name the line and column.
Result<tabular::Report> ImportPopulation(storage::Database& database, std::string_view bytes,
                                         const std::string& label,
                                         const tabular::ImportOptions& options,
                                         const std::string& login, tabular::Report* refused);

// The importer on the site's import page (/staff/imports/tables).
http::Importer PopulationImporter();

}  // namespace civicdesk::surveys

#endif  // CIVICDESK_SURVEYS_POPULATION_IMPORT_H_
