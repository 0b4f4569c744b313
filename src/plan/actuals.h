#ifndef CIVICDESK_PLAN_ACTUALS_H_
#define CIVICDESK_PLAN_ACTUALS_H_

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "plan/evaluation.h"
#include "plan/model.h"
#include "storage/database.h"

namespace civicdesk::plan {

// Who enters a number: staff of a section may enter only the KPIs their section owns; admins,
// publishers and the command line (no section) may enter any.
struct KpiEditor {
  std::string login;
  std::string department;  // empty for admins, publishers and the CLI
  std::string section;
};

// The KPI with `code` from the plan tables; NotFound naming `code` when there is none.
Result<Kpi> FindKpi(storage::Database& database, const std::string& code);

// Records (or corrects) the actual of `code` for `fiscal_year`, audited with the previous
// value. InvalidArgument naming the field for: a fiscal year outside the plan period (from the
// baseline year to the final target's year), a value that is not finite, or a value in the
// wrong unit (a percentage below 0 or above 100, a negative count). NotFound for an unknown
// code; PermissionDenied for section staff who do not own the KPI.
Status SetKpiActual(storage::Database& database, const std::string& code, int fiscal_year,
                    double value, const std::string& source, const KpiEditor& editor);

// Ok when `editor` may enter actuals of `code` (see KpiEditor); PermissionDenied otherwise. The
// write checks again inside its transaction; this lets a page refuse before reading the form.
Status CheckKpiEditor(storage::Database& database, const std::string& code,
                      const KpiEditor& editor);

// Imports actuals from CSV (UTF-8, header `code,fiscal_year,value[,source]`): every row is
// checked as SetKpiActual checks it before anything is written, then all are written in one
// transaction. InvalidArgument names the row and column. Returns the number of rows.
Result<int> ImportKpiActualsCsv(storage::Database& database, std::istream& csv,
                                const KpiEditor& editor);

// The same from the first worksheet of an XLSX workbook (as Excel saves it).
Result<int> ImportKpiActualsXlsx(storage::Database& database, const std::string& path,
                                 const KpiEditor& editor);

// A KPI's actuals, oldest first.
Result<std::vector<KpiActual>> ListKpiActuals(storage::Database& database, const std::string& code);

// Sets the section that owns (reports) a KPI. Audited.
Status SetKpiOwner(storage::Database& database, const std::string& code,
                   const std::string& department, const std::string& section,
                   const std::string& login);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_ACTUALS_H_
