#include "facilities/table_imports.h"

#include "core/date.h"
#include "facilities/import_columns.h"
#include "facilities/registry_io.h"

namespace civicdesk::facilities {

http::Importer FacilitiesImporter() {
  http::Importer importer;
  importer.kind = "facilities";
  importer.title = "facilities_import_title";
  importer.help = "facilities_import_help";
  importer.field_messages = "facilities_import_field_";
  importer.spec = FacilitiesColumns;
  importer.run = [](storage::Database& database, const http::ImportJob& job,
                    const tabular::ImportOptions& options, tabular::Report* refused) {
    const int year = static_cast<int>(TodayInJapan().year());
    return ImportFacilities(database, job.bytes, year, options, job.login, refused);
  };
  importer.result_address = "/facilities";
  importer.result_label = "facilities_import_result";
  return importer;
}

}  // namespace civicdesk::facilities
