#ifndef CIVICDESK_CONSULTATION_WORKFLOW_H_
#define CIVICDESK_CONSULTATION_WORKFLOW_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "consultation/store.h"
#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::consultation {

using SectionRef = std::pair<std::string, std::string>;  // 部, 課

struct Item {
  int64_t id = 0;
  int64_t consultation_id = 0;
  int64_t submission_id = 0;  // 0 for imported items
  int64_t source_start = 0;   // byte range of the submission's text this item came from
  int64_t source_end = 0;
  std::string text;
  std::string channel;
  std::string district;
  std::optional<int> status;
  int64_t response_id = 0;
  std::string response;
  bool approved = false;
  std::vector<int64_t> field_ids;
  std::vector<SectionRef> sections;
};

struct Submission {
  int64_t id = 0;
  int64_t consultation_id = 0;
  std::string receipt;
  std::string channel;
  std::string district;
  std::string text;
  std::string received_at;
  int active_items = 0;
};

struct FieldOption {
  int64_t id = 0;
  std::string label;
  std::string plan_ref;  // plan codes separated by spaces (see setup.h)
};

struct ResponseOption {
  int64_t id = 0;
  std::string text;
  int items = 0;  // how many items share it
};

Result<Item> GetItem(storage::Database& database, int64_t item_id);
// Active items of a consultation; with `only_section`, those routed to that 部/課.
Result<std::vector<Item>> ListItems(storage::Database& database, int64_t consultation_id,
                                    const std::optional<SectionRef>& only_section = std::nullopt);
// How many active items the consultation has.
Result<int64_t> CountItems(storage::Database& database, int64_t consultation_id);
Result<std::vector<Submission>> ListSubmissions(storage::Database& database,
                                                int64_t consultation_id);
Result<Submission> GetSubmission(storage::Database& database, int64_t submission_id);
Result<std::vector<FieldOption>> ListFields(storage::Database& database, int64_t consultation_id);
Result<std::vector<SectionRef>> ListOrgUnits(storage::Database& database);
Result<std::vector<ResponseOption>> ListResponses(storage::Database& database,
                                                  int64_t consultation_id);

// What a staff member changes on one item; unset parts stay as they are.
struct ItemUpdate {
  std::optional<std::vector<int64_t>> field_ids;    // must belong to the item's consultation
  std::optional<std::vector<SectionRef>> sections;  // must be in the organisation chart
  std::optional<std::string> response_text;         // a new text; a shared response is not changed
  std::optional<int64_t> reuse_response_id;         // share another item's response
  std::optional<int> status;                        // 1-5
};

// Applies the update in one transaction and audits it (before and after as JSON).
// InvalidArgument naming the field (fields, sections, response, status).
Status UpdateItem(storage::Database& database, int64_t item_id, const ItemUpdate& update,
                  const Actor& actor);

// Replaces a submission's items by one item per piece. Each piece (surrounding spaces ignored)
// must occur in the submission's text after the previous one; the item keeps that byte range.
// The replaced items are kept inactive, so the history stays. InvalidArgument names the piece.
Status SplitSubmission(storage::Database& database, int64_t submission_id,
                       const std::vector<std::string>& pieces, const Actor& actor);

// Puts the submission back together as one item holding its whole text.
Status MergeSubmission(storage::Database& database, int64_t submission_id, const Actor& actor);

Status ApproveItem(storage::Database& database, int64_t item_id, const Actor& actor);

// Replaces what FindPersonalData flags in the item's text by 「（個人情報のため削除）」, audited
// with the text before and after. The submission keeps the original, which is never published.
Status MaskItem(storage::Database& database, int64_t item_id, const Actor& actor);

// Publishes when CheckPublication finds nothing; otherwise InvalidArgument listing the items
// that fail (by No).
Status Publish(storage::Database& database, int64_t consultation_id, const Actor& actor);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_WORKFLOW_H_
