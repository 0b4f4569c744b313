#ifndef CIVICDESK_CONSULTATION_PUBLISHING_H_
#define CIVICDESK_CONSULTATION_PUBLISHING_H_

#include <cstdint>
#include <set>
#include <string>

#include "consultation/store.h"
#include "core/date.h"
#include "core/result.h"
#include "storage/database.h"

// Publication of a consultation's result and what it freezes (issue 17 #1, issue 25 #6): what
// is published is what was approved, after the period, and stays so. A published item changes
// only by a correction a publisher approves (corrections.h); opinions that arrive after
// publication are a follow-up for staff, never part of the published table.
namespace civicdesk::consultation {

struct PublishOptions {
  // An ISO date (YYYY-MM-DD): close the period early on this day, to publish before the
  // announced closing day. From the opening day to today, and before the announced closing
  // day. Empty: the period must be over.
  std::string close_early_on;
  // A result imported from the ward's earlier publication (results_import.h, the shipped seed
  // 000): its table is checked, not its period, approval or personal-data flags.
  bool imported = false;
};

// Publishes the consultation's result. Refused, in this order:
//  - when it is published already (Conflict consultation.already_published): later changes are
//    corrections, one item at a time;
//  - unless CheckPublication finds nothing: every item has a field, a section, a response and a
//    status, is approved, and holds no open personal-data flag (InvalidArgument
//    consultation.publish_blocked naming the items by No);
//  - before its period is over (today in Japan after closes_on) unless `options` closes it early
//    (Conflict consultation.publish_before_close, InvalidArgument consultation.close_early_invalid;
//    field close_early_on). Closing early keeps the announced closing day (original_closes_on)
//    and is audited; the consultation's page shows both.
// One transaction marks the table's items as published (in_result) and freezes their order
// (publication_position), so that later opinions stay out and corrections renumber nothing;
// approvals are checked again inside it (Conflict consultation.publish_changed).
Status Publish(storage::Database& database, int64_t consultation_id, const Actor& actor,
               const PublishOptions& options);

// True when `today` is after the consultation's period (or it has none): it may be published.
bool PeriodOver(const Consultation& consultation, const Date& today);

// Conflict consultation.item_published (field correction_reason) when the item is in a
// published result. The Connection form runs inside a change's transaction, where a publication
// committed meanwhile is seen.
Status RefuseIfPublished(storage::Database& database, int64_t item_id);
Status RefuseIfPublished(storage::Connection& connection, int64_t item_id);

// True when the item is in a published result (its changes are corrections).
Result<bool> InPublishedResult(storage::Database& database, int64_t item_id);

// Conflict consultation.submission_published when an item of the submission is in a published
// result: published opinions are not split or merged.
Status RefuseSubmissionIfPublished(storage::Database& database, int64_t submission_id);

// Conflict `message_id` when the consultation is published: what would change its published
// table or counts (the order of its groups, its meetings).
Status RefuseIfConsultationPublished(storage::Database& database, int64_t consultation_id,
                                     const std::string& message_id);

// The active items of a published consultation that are not in its result: received after
// publication (「公表後に届いた意見」), a follow-up for staff. Empty before publication.
Result<std::set<int64_t>> ItemsAfterPublication(storage::Database& database,
                                                int64_t consultation_id);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_PUBLISHING_H_
