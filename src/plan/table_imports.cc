#include "plan/table_imports.h"

#include "plan/actuals.h"
#include "plan/administrative_evaluation.h"
#include "plan/evaluation_columns.h"
#include "plan/import_columns.h"

namespace civicdesk::plan {

http::Importer KpiActualsImporter() {
  http::Importer importer;
  importer.kind = "kpi-actuals";
  importer.title = "kpi_import_title";
  importer.help = "kpi_import_help";
  importer.field_messages = "kpi_import_field_";
  importer.spec = KpiActualsColumns;
  importer.run = [](storage::Database& database, const http::ImportJob& job,
                    const tabular::ImportOptions& options, tabular::Report* refused) {
    // The page is for publishers and admins, who may enter any KPI (KpiEditor without section).
    return ImportKpiActuals(database, job.bytes, KpiEditor{job.login, "", ""}, options, refused);
  };
  importer.result_address = "/plan/dashboard";
  importer.result_label = "kpi_import_result";
  return importer;
}

http::Importer EvaluationImporter() {
  http::Importer importer;
  importer.kind = "evaluation";
  importer.title = "evaluation_import_title";
  importer.help = "evaluation_import_help";
  importer.field_messages = "evaluation_import_field_";
  importer.label_message = "evaluation_import_dataset";
  importer.spec = EvaluationColumns;
  importer.run = [](storage::Database& database, const http::ImportJob& job,
                    const tabular::ImportOptions& options, tabular::Report* refused) {
    return ImportProjectEvaluations(database, job.bytes, job.label, job.login, options, refused);
  };
  importer.result_address = "/plan/evaluations";
  importer.result_label = "evaluation_import_result";
  return importer;
}

}  // namespace civicdesk::plan
