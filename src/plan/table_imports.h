#ifndef CIVICDESK_PLAN_TABLE_IMPORTS_H_
#define CIVICDESK_PLAN_TABLE_IMPORTS_H_

#include "http/importers.h"

namespace civicdesk::plan {

// The plan's tables on the site's import page (/staff/imports/tables): KPI actuals
// (ImportKpiActuals, as `kpi import` by a publisher: any KPI) and administrative evaluation
// sheets (ImportProjectEvaluations under the dataset name the form asks for, as
// `evaluation import --dataset`).
http::Importer KpiActualsImporter();
http::Importer EvaluationImporter();

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_TABLE_IMPORTS_H_
