#ifndef CIVICDESK_CONSULTATION_PUBLICATION_H_
#define CIVICDESK_CONSULTATION_PUBLICATION_H_

#include <ostream>
#include <string>
#include <vector>

#include "consultation/issuer.h"
#include "consultation/model.h"
#include "consultation/store.h"
#include "core/result.h"
#include "http/table_response.h"
#include "storage/database.h"

namespace civicdesk::consultation {

// Why an item (or the whole document) cannot be published yet.
struct PublicationProblem {
  int number = 0;  // the item's No; 0 for the document
  int64_t item_id = 0;
  // The problem as a message (consultation.problem_*), its words from the catalogs.
  Status problem;
  // For consultation.problem_missing: the catalog keys of what the item lacks, in column order
  // (consultation.missing_field, _section, _response, _status); they fill its {missing}.
  std::vector<std::string> missing;
};

// Every item must have a field, a responding section, a response and a status, and the counts
// of block 1 and block 2 must add up to the table. With `approval_and_personal_data` (all but
// an imported earlier publication), every item must also be approved
// (consultation.problem_not_approved) and hold no open personal-data flag, neither masked nor
// dismissed (OpenPersonalDataFlags of personal_data_flags.h; consultation.problem_personal_data,
// whose {missing} lists the kinds, as catalog keys personal_name, personal_phone, ...). An
// empty result means publishable.
Result<std::vector<PublicationProblem>> CheckPublication(storage::Database& database,
                                                         int64_t consultation_id,
                                                         bool approval_and_personal_data = true);

// The formats of http::TableFormat (kTsv, kCsv, kXlsx, ...): the web downloads and the CLI's
// `publish` write the same bytes.
using TableFormat = http::TableFormat;

// The published table with its header (No, 主な該当分野, 区民意見, 区分, 部, 課, 区の考え方,
// 対応状況), its rows read from `rows` as they are written. Contact details are never written:
// they are not part of a row. `rows` must outlive the table's use (a RowSource from
// PublishedRowSource holds the database by reference).
http::Table PublishedTable(RowSource rows);

// With `corrections`, a last column 訂正履歴 (kCorrectionsColumn) holding each row's
// PublishedRow::corrections: what the result's downloads and open data carry once a correction
// was approved (HasApprovedCorrections), so that a clerk reads the correction on its row and
// the table stays one rectangle for machines. Without corrections the layout is unchanged.
http::Table PublishedTable(RowSource rows, bool corrections);
// In the words of the consultation's issuer (市民意見, 市の考え方, …; issuer.h).
http::Table PublishedTable(RowSource rows, bool corrections, const IssuerWords& words);
inline constexpr std::string_view kCorrectionsColumn = "訂正履歴";
inline constexpr double kCorrectionsWidth = 60;

// The table through http::WriteTable. TSV: one line per item, tabs and line breaks inside a
// cell become spaces. CSV: RFC 4180 quoting, UTF-8 with a BOM so that Excel reads the Japanese.
// kUnavailable (consultation.cannot_write_output) when `out` fails.
Status WriteTable(const RowSource& rows, TableFormat format, std::ostream& out);
Status WriteTable(const RowSource& rows, TableFormat format, bool corrections, std::ostream& out,
                  const IssuerWords& words = {});
void WriteTable(const std::vector<PublishedRow>& rows, TableFormat format, std::ostream& out);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_PUBLICATION_H_
