#ifndef CIVICDESK_PARTNERS_PARTNERS_IMPORT_H_
#define CIVICDESK_PARTNERS_PARTNERS_IMPORT_H_

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/tabular_import.h"
#include "storage/database.h"

namespace civicdesk::partners {

// A date as the register keeps it (ISO 8601 at year, month or day precision: 2023, 2023-10,
// 2023-10-03) from what a clerk writes: those, 2023/10/3, full-width digits, or a 和暦 date
// (令和5(2023)年10月3日, 平成26年10月31日); "" when `cell` is none of them. Used by the import and
// by the staff forms for signing and exchange dates.
std::string ReadSignedOn(const std::string& cell);

// `partners import`: partner municipalities (and an agreement per row where agreement_type is
// given) read through the shared import pipeline (core/tabular_import.h; the synonyms of
// partners/import_columns.cc). Every row is checked — the code's check digit, a name and a
// prefecture, a code given twice, a signing date as ISO (2008, 2016-04, 2014-10-31), with
// slashes (2014/10/31) or in 和暦 (平成26年10月31日), each rewritten date listed as a change —
// each problem in report.errors naming the row (record number) and column ("row 3, code"); the
// first is returned and the report copied to `refused`. Then, unless options.dry_run, all are
// written in one transaction (ImportPartners, audited; each agreement's source `source`) and
// report.rows_written set.
Result<tabular::Report> ImportPartnersTable(storage::Database& database, std::string_view bytes,
                                            const std::string& source, const std::string& user,
                                            const tabular::ImportOptions& options,
                                            tabular::Report* refused);

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_PARTNERS_IMPORT_H_
