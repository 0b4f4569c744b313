#ifndef CIVICDESK_CONSULTATION_TRIAGE_H_
#define CIVICDESK_CONSULTATION_TRIAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/result.h"
#include "storage/database.h"

// Triage (振り分け): who routes a consultation's new opinions to the responding 部/課, the queue
// of the opinions nobody has routed yet, and the way back to it. Each consultation names a
// section of the organisation chart to triage, or leaves it to its publishers.
namespace civicdesk::consultation {

// The section that triages `consultation`; nullopt when its publishers do.
std::optional<SectionRef> TriageSection(const Consultation& consultation);

// Sets who triages the consultation: `section` (InvalidArgument consultation.section_unknown,
// field triage, unless in the organisation chart), or its publishers (nullopt). Audited.
Status SetTriage(storage::Database& database, int64_t consultation_id,
                 const std::optional<SectionRef>& section, const Actor& actor);

// An active item without a responding section, with why it came back when it did.
struct UnroutedItem {
  Item item;
  std::string returned_reason;  // "" unless a section sent it back (ReturnToTriage)
};

// The consultation's unrouted items, in the queue's order.
Result<std::vector<UnroutedItem>> ListUnrouted(storage::Database& database,
                                               int64_t consultation_id);

// How many of its active items are unrouted.
Result<int64_t> CountUnrouted(storage::Database& database, int64_t consultation_id);

// Sends an item back to triage with `reason` (required, at most 1,000 characters:
// InvalidArgument consultation.return_reason_required / _too_long, field return_reason): takes
// `section` off its responding sections (every section when nullopt, a publisher's return);
// with no section left it is unrouted again and shows the reason in the triage queue. A
// published item is frozen (Conflict consultation.item_published). Audited (return_to_triage)
// with the sections before and after and the reason.
Status ReturnToTriage(storage::Database& database, int64_t item_id,
                      const std::optional<SectionRef>& section, const std::string& reason,
                      const Actor& actor);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_TRIAGE_H_
