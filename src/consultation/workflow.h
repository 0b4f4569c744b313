#ifndef CIVICDESK_CONSULTATION_WORKFLOW_H_
#define CIVICDESK_CONSULTATION_WORKFLOW_H_

#include <functional>
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
  std::optional<std::string> response_text;         // a new text; a shared response is not changed;
                                                    // blank (spaces only) clears the item's answer
  std::optional<int64_t> reuse_response_id;         // share another item's response
  std::optional<int> status;                        // 1-5
  // The published text, as a correction changes it (published_text.h); UpdateItem ignores it.
  std::optional<std::string> published_text;
};

// Applies the update in one transaction and audits it (before and after as JSON).
// InvalidArgument naming the field (fields, sections, response, status). A new response or a
// new status takes the item's approval away; a blank response_text clears the answer (the item
// then has no response, and is no longer approved). An item of a published result is frozen:
// Conflict (consultation.item_published, field correction_reason); its changes are corrections
// (corrections.h).
Status UpdateItem(storage::Database& database, int64_t item_id, const ItemUpdate& update,
                  const Actor& actor);

// The checks of UpdateItem on `update` for the item `before`: InvalidArgument naming the field.
Status CheckItemUpdate(storage::Database& database, const Item& before, const ItemUpdate& update);

// UpdateItem without the freeze of published items, running `in_transaction` (when set) last
// inside the change's transaction: its failure undoes the change. What an approved correction
// applies (ApproveCorrection); everything else calls UpdateItem.
Status ApplyItemUpdate(storage::Database& database, int64_t item_id, const ItemUpdate& update,
                       const Actor& actor,
                       const std::function<Status(storage::Connection&)>& in_transaction);

// Replaces a submission's items by one item per piece. Not for a submission whose items are in
// a published result (Conflict consultation.submission_published). Each piece (surrounding spaces
// ignored) must occur in the submission's text after the previous one; the item keeps that byte
// range. The replaced items are kept inactive, so the history stays. InvalidArgument names the
// piece.
// `replaces` is the submission's active items the change was asked against (the split page's
// form carries them; without it, those read when the call starts). The submission's row is
// locked inside the transaction and its active items read again: when another split or merge
// changed them meanwhile (a form sent twice, two staff at once) nothing changes and the result
// is Conflict consultation.split_conflict, never a second set of pieces.
Status SplitSubmission(storage::Database& database, int64_t submission_id,
                       const std::vector<std::string>& pieces, const Actor& actor,
                       std::optional<std::vector<int64_t>> replaces = std::nullopt);

// Puts the submission back together as one item holding its whole text (`replaces` as above).
Status MergeSubmission(storage::Database& database, int64_t submission_id, const Actor& actor,
                       std::optional<std::vector<int64_t>> replaces = std::nullopt);

// The ids of the submission's active items, smallest first.
Result<std::vector<int64_t>> ActiveItemIds(storage::Database& database, int64_t submission_id);

Status ApproveItem(storage::Database& database, int64_t item_id, const Actor& actor);

// Approves each of `item_ids` in one transaction, each audited; one already approved is left as
// it is. When any is not answered (no response or no 対応状況), checked inside the transaction
// so that an answer cleared meanwhile counts: InvalidArgument consultation.bulk_unanswered
// ({items}: their ids, field item) and nothing is approved. Returns how many were approved.
Result<int> ApproveItems(storage::Database& database, const std::vector<int64_t>& item_ids,
                         const Actor& actor);

// Takes the approval away from each of `item_ids` in one transaction, each audited; one not
// approved is left as it is. Conflict consultation.item_published when any is in a published
// result (its changes are corrections), and nothing changes. Returns how many changed.
Result<int> UnapproveItems(storage::Database& database, const std::vector<int64_t>& item_ids,
                           const Actor& actor);

// Masks every open personal-data flag over the item (personal_data_flags.h): its text shows
// 「（個人情報のため削除）」 there, on every piece cut from the same text later too. Audited by
// position and hash. The submission keeps the original, which is never published.
Status MaskItem(storage::Database& database, int64_t item_id, const Actor& actor);

// Publishes (publishing.h) without closing the period early: refused before the period has
// closed, or unless every item is approved and no personal-data flag is open (InvalidArgument
// listing the items by No).
Status Publish(storage::Database& database, int64_t consultation_id, const Actor& actor);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_WORKFLOW_H_
