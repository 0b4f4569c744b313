#ifndef CIVICDESK_CONSULTATION_RESULTS_IMPORT_H_
#define CIVICDESK_CONSULTATION_RESULTS_IMPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "consultation/store.h"
#include "core/result.h"
#include "core/tabular_import.h"
#include "storage/database.h"

namespace civicdesk::consultation {

struct ImportReport {
  int64_t consultation_id = 0;
  int items = 0;
  // Whose words the result uses (issuer.h): from the response column's header or the title
  // line; "ward" with the warning consultation.results_issuer_unknown when neither names a body.
  std::string issuer_kind = "ward";
  // Things kept as they are but worth a look: responses cut off mid-sentence, counts in the
  // header blocks that disagree with the table, a file converted from Shift_JIS. Each is a
  // message (consultation.results_*, code kOk: nothing failed) whose words come from the
  // catalogs, e.g. http::MessageCatalog::FormatBoth on the command line.
  std::vector<Status> warnings;
  // What the shared pipeline read, mapped, changed, kept as notes and wrote.
  tabular::Report table;
};

// Recreates a consultation from a published result table (意見と考え方): Minato's
// 「区民意見に対する区の考え方」 like seed 000, or another government's, read by the shared
// pipeline (core/tabular_import.h) as UTF-8, CP932 or UTF-16 CSV, TSV or XLSX with the headers
// of ResultsColumns() (No., 意見, 市の考え方 …) or `options.mapping`. The text above the table
// (title, block 1: periods, people per channel and district, meetings; block 2: counts per
// status) is read where it follows Minato's wording and kept as notes either way; footnotes
// under the table are kept as notes; page-break repeats of the header are skipped. Optional
// columns (主な該当分野, 区分, 部, 課, 対応状況) may be missing or empty: the item then has no
// field, channel or status (shown as 未分類 / 不明), never a guessed one. A 区分 of
// 区民説明会（芝） gives channel and district. Text is kept character for character, damage
// included; identical responses become one shared response; a response that does not end a
// sentence is kept and flagged.
//
// Every row is checked before anything is written; each problem is InvalidArgument naming the
// line ("line 27") with the column in its arguments, all of them in report.errors; the first is
// returned and, with `refused`, the whole report is copied there. With options.dry_run nothing
// is written (consultation_id stays 0). Otherwise one transaction writes everything;
// options.progress is told of each row.
Result<ImportReport> ImportResults(storage::Database& database, std::string_view file,
                                   const Actor& actor, const tabular::ImportOptions& options = {},
                                   tabular::Report* refused = nullptr);

// The title ImportResults gives the consultation of `file`: its first line without
// 「に寄せられた区民意見に対する区の考え方」 (港区環境基本計画（素案） for seed 000). What the
// shipped result is known by (initial_data.cc). Errors as DecodeTextFile.
Result<std::string> ResultTitle(std::string_view file);

// The file as UTF-8: a BOM is dropped, Shift_JIS (CP932) is converted; anything else is
// InvalidArgument naming the first bad line.
Result<std::string> DecodeTextFile(std::string_view bytes, bool& converted);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_RESULTS_IMPORT_H_
