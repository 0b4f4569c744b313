#include "partners/table_imports.h"

#include "partners/import_columns.h"
#include "partners/partners_import.h"

namespace civicdesk::partners {

http::Importer PartnersImporter() {
  http::Importer importer;
  importer.kind = "partners";
  importer.title = "partners_import_title";
  importer.help = "partners_import_help";
  importer.field_messages = "partners_import_field_";
  importer.spec = PartnersColumns;
  importer.run = [](storage::Database& database, const http::ImportJob& job,
                    const tabular::ImportOptions& options, tabular::Report* refused) {
    return ImportPartnersTable(database, job.bytes, job.filename, job.login, options, refused);
  };
  importer.result_address = "/partners";
  importer.result_label = "partners_import_result";
  return importer;
}

}  // namespace civicdesk::partners
