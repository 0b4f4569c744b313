#ifndef CIVICDESK_CONSULTATION_PUBLICATION_H_
#define CIVICDESK_CONSULTATION_PUBLICATION_H_

#include <ostream>
#include <string>
#include <vector>

#include "consultation/model.h"
#include "consultation/store.h"
#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::consultation {

// Why an item (or the whole document) cannot be published yet.
struct PublicationProblem {
  int number = 0;  // the item's No; 0 for the document
  int64_t item_id = 0;
  std::string problem;
};

// Every item must have a field, a responding section, a response and a status, and the counts
// of block 1 and block 2 must add up to the table. An empty result means publishable.
Result<std::vector<PublicationProblem>> CheckPublication(storage::Database& database,
                                                         int64_t consultation_id);

enum class TableFormat { kTsv, kCsv };

// The table with a header line (No, 主な該当分野, 区民意見, 区分, 部, 課, 区の考え方, 対応状況).
// TSV: one line per item, tabs and line breaks inside a cell become spaces. CSV: RFC 4180 quoting,
// UTF-8 with a BOM so that Excel reads the Japanese. Contact details are never written: they are
// not part of a row.
Status WriteTable(const RowSource& rows, TableFormat format, std::ostream& out);
void WriteTable(const std::vector<PublishedRow>& rows, TableFormat format, std::ostream& out);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_PUBLICATION_H_
