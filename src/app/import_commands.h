#ifndef CIVICDESK_APP_IMPORT_COMMANDS_H_
#define CIVICDESK_APP_IMPORT_COMMANDS_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "core/tabular_import.h"

namespace civicdesk::app {

// civicdesk import results|opinions FILE --db URL [--title TEXT] [--dry-run]
//   [--mapping FILE.json] [--ignore-column NAME]... [--progress]
// Runs the importer through the shared pipeline and prints its report (Japanese / English):
// to stdout for --dry-run (nothing is written, --db may be left out), to stderr otherwise,
// where the new consultation's id ends stdout. A refused file prints every bad row at once and
// exits 2. Progress (rows/s, ETA) goes to stderr at most once a second, when stderr is a
// terminal or --progress is given.
int ImportCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

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
