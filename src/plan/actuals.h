#ifndef CIVICDESK_PLAN_ACTUALS_H_
#define CIVICDESK_PLAN_ACTUALS_H_

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/tabular_import.h"
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
// code; PermissionDenied for section staff who do not own the KPI. A KPI with segments
// (KpiSegments: 25-3-2 is 在住 and 在勤) takes one actual per segment: `segment` must name one of
// them (InvalidArgument plan.segment_required naming "segment" otherwise); a KPI without takes
// none (plan.segment_unknown).
Status SetKpiActual(storage::Database& database, const std::string& code, int fiscal_year,
                    double value, const std::string& source, const KpiEditor& editor,
                    const std::string& segment = "");

// Ok when `editor` may enter actuals of `code` (see KpiEditor); PermissionDenied otherwise. The
// write checks again inside its transaction; this lets a page refuse before reading the form.
Status CheckKpiEditor(storage::Database& database, const std::string& code,
                      const KpiEditor& editor);

// Imports actuals through the shared import pipeline (core/tabular_import.h: UTF-8 with or
// without BOM, CP932, UTF-16; CSV, TSV, XLSX; the header wherever it is; the synonyms of
// plan/import_columns.cc; --mapping and ignored columns as ImportOptions say). Every row is
// checked as SetKpiActual checks it — and a fiscal year written 2023, 2023年度, 令和5年度 or R5;
// a unit column that differs from the KPI's; the same KPI and year twice — each problem in
// report.errors naming the row (record number) and column ("row 3, value"); the first is
// returned and the whole report copied to `refused`. A row whose value is empty (「–」: not
// measured) writes nothing and is named in a warning, as are a 指標名 or 目標値 that differ from
// the plan's (the plan's targets are never changed here). Then, unless options.dry_run, all rows
// are written in one transaction (audited) and report.rows_written set.
Result<tabular::Report> ImportKpiActuals(storage::Database& database, std::string_view bytes,
                                         const KpiEditor& editor,
                                         const tabular::ImportOptions& options,
                                         tabular::Report* refused);

// The same without options, from a stream: the number of rows written, or the first error.
Result<int> ImportKpiActualsCsv(storage::Database& database, std::istream& csv,
                                const KpiEditor& editor);

// A KPI's actuals, oldest first: those of the KPI as a whole, and for a KPI with segments one
// per segment and year (KpiActual::segment set), in segment order within a year.
Result<std::vector<KpiActual>> ListKpiActuals(storage::Database& database, const std::string& code);

// Sets the section that owns (reports) a KPI. Audited.
Status SetKpiOwner(storage::Database& database, const std::string& code,
                   const std::string& department, const std::string& section,
                   const std::string& login);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_ACTUALS_H_
