#ifndef CIVICDESK_HTTP_IMPORTERS_H_
#define CIVICDESK_HTTP_IMPORTERS_H_

// What a module declares so that staff can import its tables on the site's import page
// (/staff/imports/tables, import_pages.cc): the page is one, the importers are the modules'.
// Each runs the same function as the module's command (`kpi import`, `facilities import` …),
// through the shared pipeline (core/tabular_import.h), so the page and the command line read a
// file the same way. The page never touches a module's tables; the module's importer does.

#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/tabular_import.h"
#include "http/router.h"
#include "storage/database.h"

namespace civicdesk::http {

// One import the page runs: the file and who confirmed it.
struct ImportJob {
  std::string_view bytes;
  std::string filename;
  std::string label;  // the name Importer::label_message asked for ("" when it asks none)
  std::string login;  // the staff member, for the module's audit trail
};

struct Importer {
  std::string kind;   // in forms and on the page: "kpi-actuals" ([a-z-])
  std::string title;  // message key: the heading of its form
  std::string help;   // message key: what a row is and what the import changes
  // Message key prefix of each field's name on the page: prefix + field ("kpi_import_field_").
  std::string field_messages;
  // Message key of a name the form asks for with the file (the evaluation's dataset); "" asks
  // none.
  std::string label_message;
  // Who may import it; the page's routes are kPublisher, so kPublisher or kAdmin.
  Access access = Access::kPublisher;
  std::function<const tabular::ImporterSpec&()> spec;
  // Runs the module's importer: every row checked, then (unless options.dry_run) everything
  // written in one transaction, report.rows_written set. On refusal the report of what was
  // read goes to `refused`.
  std::function<Result<tabular::Report>(storage::Database&, const ImportJob&,
                                        const tabular::ImportOptions&, tabular::Report* refused)>
      run;
  std::string result_address;  // where the imported data is seen ("/plan/kpis")
  std::string result_label;    // message key of the link to it
};

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_IMPORTERS_H_
