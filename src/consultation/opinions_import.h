#ifndef CIVICDESK_CONSULTATION_OPINIONS_IMPORT_H_
#define CIVICDESK_CONSULTATION_OPINIONS_IMPORT_H_

#include <cstdint>
#include <functional>
#include <istream>
#include <string>

#include "consultation/store.h"
#include "core/result.h"
#include "core/tabular_chunks.h"
#include "core/tabular_import.h"
#include "storage/database.h"
#include "text/analysis.h"

namespace civicdesk::consultation {

struct OpinionsImportReport {
  int64_t consultation_id = 0;
  int64_t items = 0;
  // What the shared pipeline read, mapped, changed, kept as notes and wrote.
  tabular::Report table;
};

// Imports a bulk comment file into a new consultation titled `title`, read by the shared
// pipeline (core/tabular_import.h): CSV, TSV or XLSX in UTF-8 (with or without BOM), CP932 or
// UTF-16, the header anywhere above the rows, named by the synonyms of OpinionsColumns() (id:
// 番号, No. …; text: 意見, ご意見 …; channel, field, section (課, or 部/課), group optional) or by
// `options.mapping`. Each row becomes one submission and one item that keeps the file's id.
// Fields are created as they first appear; a section outside the organisation chart is still
// recorded.
//
// Every row is checked, and every problem is kept in the report's errors: InvalidArgument
// naming the row (its record number, 1 = the file's first) and column ("row 7, text") for a row
// with too few columns, an empty or duplicate id, an empty, over-long or non-UTF-8 text, an
// unknown channel. The first is returned and, with `refused`, the whole report is copied there.
// Pipeline refusals (no header, a data column mapped to nothing, ...) are returned as they are.
// With options.dry_run nothing is written. Otherwise one transaction writes the consultation and
// every row, so the file arrives whole or not at all (a file with an error writes nothing);
// options.progress hears of each row, with the total estimated from the bytes read so far.
//
// The file is read a part of about `chunk_bytes` at a time (tabular::ReadTableInChunks) and each
// part written before the next is read: memory holds one part and the ids seen, not the file's
// rows. A file that cannot be read in parts (XLSX, CP932, ...) is read whole.
inline constexpr size_t kImportChunkBytes = 8 << 20;
Result<OpinionsImportReport> ImportOpinions(storage::Database& database, std::string_view file,
                                            const std::string& title, const Actor& actor,
                                            const tabular::ImportOptions& options = {},
                                            tabular::Report* refused = nullptr);

// ImportOpinions of the file `source` names: a path on disk is read a part at a time, never
// whole unless it must be.
Result<OpinionsImportReport> ImportOpinionsFrom(storage::Database& database,
                                                const tabular::ByteSource& source,
                                                const std::string& title, const Actor& actor,
                                                const tabular::ImportOptions& options = {},
                                                tabular::Report* refused = nullptr,
                                                size_t chunk_bytes = kImportChunkBytes);

// ImportOpinions into the consultation `consultation_id`, which is not published (Conflict
// consultation.import_published otherwise): its fields are kept and new ones added as they
// first appear; an id it already holds is a duplicate (InvalidArgument naming the row).
Result<OpinionsImportReport> ImportOpinionsInto(storage::Database& database,
                                                int64_t consultation_id, std::string_view file,
                                                const Actor& actor,
                                                const tabular::ImportOptions& options = {},
                                                tabular::Report* refused = nullptr);

// ImportOpinions of the whole of `csv`, `progress` told the rows written so far.
Result<OpinionsImportReport> ImportOpinionsCsv(
    storage::Database& database, std::istream& csv, const std::string& title, const Actor& actor,
    const std::function<void(int64_t rows)>& progress = nullptr);

// The items of a consultation as the text engine analyses them: the id to show (the imported
// file's id when there is one, otherwise the item id), the opinion and the response.
struct AnalysisItem {
  int64_t item_id = 0;
  std::string external_id;
  std::string text;
  std::string response;
};
Result<std::vector<AnalysisItem>> ListAnalysisItems(storage::Database& database,
                                                    int64_t consultation_id);

// What staff have decided about an item, for learning classification: its fields (「—」, no
// particular field, is a decision too) and its responding sections as "部/課".
struct ClassifiedItem {
  int64_t consultation_id = 0;
  int64_t item_id = 0;
  std::string text;
  std::vector<std::string> fields;
  std::vector<std::string> sections;
};
// Every active item, in every consultation, that has a field or a section.
Result<std::vector<ClassifiedItem>> ListClassifiedItems(storage::Database& database);

// The group key of every grouped item, for SaveGroups: "C00001"… for a form letter (a group
// that is one campaign or a set of identical texts; publication can collapse these), "G00001"…
// for similar opinions. `items` are the inputs the analysis ran on, in the same order.
std::vector<std::pair<int64_t, std::string>> GroupAssignments(
    const text::Analysis& analysis, const std::vector<AnalysisItem>& items);

// Stores the similar-opinion group of each listed item (publication orders by field, then
// group, then status). Items not listed keep theirs. Audited as one change.
Status SaveGroups(storage::Database& database, int64_t consultation_id,
                  const std::vector<std::pair<int64_t, std::string>>& group_of_item,
                  const Actor& actor);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_OPINIONS_IMPORT_H_
