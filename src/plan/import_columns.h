#ifndef CIVICDESK_PLAN_IMPORT_COLUMNS_H_
#define CIVICDESK_PLAN_IMPORT_COLUMNS_H_

#include "core/tabular_import.h"

namespace civicdesk::plan {

// The header synonyms of the plan's importers, one table per importer, kept here and nowhere
// else (docs/import.md lists them). Headers match after tabular::HeaderKey (full-width/
// half-width and spaces folded).

// `kpi import`: code (指標番号 …), fiscal_year (年度 …) and value (実績値 …) required; source,
// name (指標名 …, checked against the plan), unit (単位, checked) and target (目標値, checked
// against the plan's target of that year) optional.
const tabular::ImporterSpec& KpiActualsColumns();

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_IMPORT_COLUMNS_H_
