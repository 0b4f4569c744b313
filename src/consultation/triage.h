#ifndef CIVICDESK_CONSULTATION_TRIAGE_H_
#define CIVICDESK_CONSULTATION_TRIAGE_H_

#include <cstdint>
#include <map>
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
// published item is frozen (Conflict consultation.item_published). Its approval is withdrawn
// (whoever answers it next approves again). Audited (return_to_triage) with the sections before
// and after and the reason.
Status ReturnToTriage(storage::Database& database, int64_t item_id,
                      const std::optional<SectionRef>& section, const std::string& reason,
                      const Actor& actor);

// Routes an unrouted item to `section` (the triage queue's choice): false, changing nothing,
// when it was routed meanwhile by anyone, concurrently included. A published item is frozen
// (Conflict consultation.item_published). Audited (route).
Result<bool> RouteIfUnrouted(storage::Database& database, int64_t item_id,
                             const SectionRef& section, const Actor& actor);

// A suggested section at least this sure routes a new opinion by itself (AutoRouteNewItems)
// and is chosen in advance on the triage page; weaker suggestions are only offered.
inline constexpr double kAutoRouteScore = 0.5;
// The classifier's confidence alone is not trusted (on a fresh site it is sure and wrong):
// suggestions route by themselves only once staff have routed this many of the consultation's
// opinions and the suggestions, cross-validated on them, were right this often.
inline constexpr size_t kAutoRouteMinimumRouted = 20;
inline constexpr double kAutoRouteMinimumAccuracy = 0.8;

// Whether the suggestions have earned routing by themselves on this consultation.
struct AutoRouteReadiness {
  size_t routed_by_staff = 0;  // the consultation's items with a section (the examples)
  double accuracy = 0;         // cross-validated, of the first suggested section
  bool ready = false;
};
Result<AutoRouteReadiness> CheckAutoRouteReadiness(storage::Database& database,
                                                   int64_t consultation_id);

// Routes the consultation's new opinions (active, unrouted, never considered before) to the
// classifier's first suggested section where it is at least kAutoRouteScore sure, if the
// consultation is open, its auto_route is on and CheckAutoRouteReadiness says ready. Each item is
// considered once — the first server to claim it in consultation_auto_route decides — so a return
// to triage is never undone, and an item that staff routed meanwhile is left as it is. Items
// without any suggestion yet (nothing to learn from) are considered again on a later call. At most
// `max_items` items per call. Audited (auto_route). Returns how many were routed.
Result<int> AutoRouteNewItems(storage::Database& database, int64_t consultation_id,
                              size_t max_items = 5000);

// AutoRouteNewItems for every open consultation with auto_route on; the number routed.
Result<int> AutoRouteOpenConsultations(storage::Database& database);

// Turns the routing of new opinions by suggestion on or off. Audited (set_auto_route).
Status SetAutoRoute(storage::Database& database, int64_t consultation_id, bool on,
                    const Actor& actor);

// The consultation's items routed by a suggestion and still with that section alone: item id →
// the classifier's confidence in percent.
Result<std::map<int64_t, int>> AutoRoutedItems(storage::Database& database,
                                               int64_t consultation_id);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_TRIAGE_H_
