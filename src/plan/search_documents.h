#ifndef CIVICDESK_PLAN_SEARCH_DOCUMENTS_H_
#define CIVICDESK_PLAN_SEARCH_DOCUMENTS_H_

#include "core/status.h"
#include "storage/database.h"

namespace civicdesk::plan {

// Puts the plan's texts in the search index, once: policies, measures (with their goals) and
// initiatives, all public, linking to their pages. ref_id encodes the place: policy × 10000 +
// measure × 100 + initiative. Does nothing when the index already holds the plan.
Status IndexPlan(storage::Database& database);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_SEARCH_DOCUMENTS_H_
