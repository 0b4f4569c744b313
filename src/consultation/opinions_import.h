#ifndef CIVICDESK_CONSULTATION_OPINIONS_IMPORT_H_
#define CIVICDESK_CONSULTATION_OPINIONS_IMPORT_H_

#include <cstdint>
#include <functional>
#include <istream>
#include <string>

#include "consultation/store.h"
#include "core/result.h"
#include "storage/database.h"
#include "text/analysis.h"

namespace civicdesk::consultation {

struct OpinionsImportReport {
  int64_t consultation_id = 0;
  int64_t items = 0;
};

// Imports a bulk comment file (RFC 4180 CSV, UTF-8 with or without BOM) into a new
// consultation titled `title`. The header names the columns: `id` and `text` are required;
// `channel`, `field`, `section` (課, or 部/課) and `group` are optional. Each row becomes one
// submission and one item that keeps the file's id. Fields are created as they first appear;
// a section outside the organisation chart is still recorded.
//
// InvalidArgument naming the row (1 = the header) and column for: a missing required column,
// a row with the wrong number of columns, an empty or duplicate id, an empty, over-long or
// non-UTF-8 text, an unknown channel, or a quoting error. Nothing is stored then: the file is
// checked completely before the first write. Writes go in batches, so memory stays flat for a
// million rows; `progress` gets the rows written so far.
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
