#include "app/partners_commands.h"

#include "app/import_commands.h"
#include "app/messages.h"
#include "partners/import_columns.h"
#include "partners/partners_import.h"

namespace civicdesk::app {

int PartnersCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (words.size() < 2 || words[0] != "import" || words[1].rfind("--", 0) == 0) {
    err << "civicdesk: " << Say("app.partners_import_expected") << "\n";
    return 2;
  }
  const std::string& path = words[1];
  ImportCommandSpec importer;
  importer.columns = &partners::PartnersColumns();
  importer.written_message = "app.partners_imported";
  importer.run = [&path](storage::Database& database, std::string_view bytes,
                         const tabular::ImportOptions& options, tabular::Report* refused) {
    return partners::ImportPartnersTable(database, bytes, path, "cli", options, refused);
  };
  return RunImportCommand(path, {words.begin() + 2, words.end()}, importer, out, err);
}

}  // namespace civicdesk::app
