#ifndef CIVICDESK_CONSULTATION_RESULTS_IMPORT_H_
#define CIVICDESK_CONSULTATION_RESULTS_IMPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "consultation/store.h"
#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::consultation {

struct ImportReport {
  int64_t consultation_id = 0;
  int items = 0;
  // Things kept as they are but worth a look: responses cut off mid-sentence, counts in the
  // header blocks that disagree with the table, a file converted from Shift_JIS. Each is a
  // message (consultation.results_*, code kOk: nothing failed) whose words come from the
  // catalogs, e.g. http::MessageCatalog::FormatBoth on the command line.
  std::vector<Status> warnings;
};

// Recreates a consultation from a published 「区民意見に対する区の考え方」 like seed 000: the
// title line, block 1 (periods, people per channel and district, number of meetings), and the
// table after its "No<TAB>主な該当分野..." header, one tab-separated row of 8 columns per item
// (No, 主な該当分野, 区民意見, 区分, 部, 課, 区の考え方, 対応状況). Page-break repeats of the
// header are skipped. Text is kept character for character, damage included; identical responses
// become one shared response; a response that does not end a sentence is kept and flagged.
// UTF-8 (with or without BOM) is read as is; Shift_JIS (CP932) is converted. Every problem is
// InvalidArgument whose field names the line ("line 27"); nothing is stored unless the whole
// file is good.
Result<ImportReport> ImportResults(storage::Database& database, std::string_view file,
                                   const Actor& actor);

// The title ImportResults gives the consultation of `file`: its first line without
// 「に寄せられた区民意見に対する区の考え方」 (港区環境基本計画（素案） for seed 000). What the
// shipped result is known by (initial_data.cc). Errors as DecodeTextFile.
Result<std::string> ResultTitle(std::string_view file);

// The file as UTF-8: a BOM is dropped, Shift_JIS (CP932) is converted; anything else is
// InvalidArgument naming the first bad line.
Result<std::string> DecodeTextFile(std::string_view bytes, bool& converted);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_RESULTS_IMPORT_H_
