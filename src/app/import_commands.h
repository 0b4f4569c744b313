#ifndef CIVICDESK_APP_IMPORT_COMMANDS_H_
#define CIVICDESK_APP_IMPORT_COMMANDS_H_

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/tabular_import.h"
#include "storage/database.h"

namespace civicdesk::app {

// civicdesk import results|opinions FILE --db URL [--title TEXT] [--dry-run]
//   [--mapping FILE.json] [--ignore-column NAME]... [--progress]
// Runs the importer through the shared pipeline and prints its report (Japanese / English):
// to stdout for --dry-run (nothing is written, --db may be left out), to stderr otherwise,
// where the new consultation's id ends stdout. A refused file prints every bad row at once and
// exits 2. Progress (rows/s, ETA) goes to stderr at most once a second, when stderr is a
// terminal or --progress is given.
int ImportCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

// One importer as the command line runs it: `bytes` read with `options` into `database` (left
// untouched in a dry run), its report returned — or its refusal, with the report of every bad
// row copied to `refused`.
using Importer = std::function<Result<tabular::Report>(
    storage::Database& database, std::string_view bytes, const tabular::ImportOptions& options,
    tabular::Report* refused)>;

struct ImportCommandSpec {
  const tabular::ImporterSpec* columns = nullptr;  // for --mapping
  Importer run;
  // The line stdout gets after a write, {count} the rows written ("app.actuals_imported").
  std::string written_message;
  // The importer checks rows against shipped data (the plan's KPIs): a dry run without --db
  // loads it into a scratch database first.
  bool needs_shipped_data = false;
};

// `civicdesk <importer> FILE [--db URL] [--dry-run] [--mapping FILE.json]
// [--ignore-column NAME]... [--progress]`, `words` being what follows FILE, as ImportCommand
// runs `import opinions`: the same options, the same report (ReportLines: stdout for a dry run,
// stderr otherwise), every bad row printed and exit 2 for a refused file.
int RunImportCommand(const std::string& path, const std::vector<std::string>& words,
                     const ImportCommandSpec& importer, std::ostream& out, std::ostream& err);

// civicdesk evaluation import FILE --dataset NAME --db URL [--dry-run] [--mapping FILE.json]
//   [--ignore-column NAME]... [--progress]
// The evaluation sheet through the shared pipeline (plan::ImportProjectEvaluations), its report
// printed as ImportCommand prints it; stdout ends with the count of project-years imported.
int EvaluationImportCommand(const std::vector<std::string>& words, std::ostream& out,
                            std::ostream& err);

// The report as the command line prints it, one line each.
std::vector<std::string> ReportLines(const tabular::Report& report);

}  // namespace civicdesk::app

#endif  // CIVICDESK_APP_IMPORT_COMMANDS_H_
