#ifndef CIVICDESK_CONSULTATION_SETUP_H_
#define CIVICDESK_CONSULTATION_SETUP_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "consultation/store.h"
#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::consultation {

// A town-hall meeting (区民説明会) held during a consultation.
struct Meeting {
  int64_t id = 0;
  std::string held_on;   // ISO 8601 date
  std::string district;  // one of kDistricts
  std::string venue;
  int64_t attendees = 0;
};

// Records a meeting. InvalidArgument naming the field for a bad date (ISO 8601 or 和暦), an
// unknown district, an empty or over-long venue, or a negative or absurd attendance; NotFound
// for an unknown consultation. Audited.
Result<int64_t> AddMeeting(storage::Database& database, int64_t consultation_id,
                           const Meeting& meeting, const Actor& actor);

// In date order.
Result<std::vector<Meeting>> ListMeetings(storage::Database& database, int64_t consultation_id);

// A plan element a field refers to: a policy ("24"), a measure ("24-1") or an outcome
// indicator ("24-1-1"), with the public page that shows it.
struct PlanLink {
  std::string code;
  std::string href;
};

// Parses a field's plan references: codes separated by spaces, commas or 、. InvalidArgument
// naming `plan_refs` for a code that is not of the three forms (policies 1–26).
Result<std::vector<PlanLink>> ParsePlanRefs(std::string_view plan_refs);

// Sets the plan elements a field of `consultation_id` refers to (empty clears them). The codes
// are stored normalised (single spaces). Audited.
Status LinkFieldToPlan(storage::Database& database, int64_t consultation_id, int64_t field_id,
                       std::string_view plan_refs, const Actor& actor);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_SETUP_H_
