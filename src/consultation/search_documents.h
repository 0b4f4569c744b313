#ifndef CIVICDESK_CONSULTATION_SEARCH_DOCUMENTS_H_
#define CIVICDESK_CONSULTATION_SEARCH_DOCUMENTS_H_

#include <cstdint>
#include <vector>

#include "storage/database.h"

namespace civicdesk::consultation {

// Hands the text engine's search index the current state of items and their responses:
// opinions (kind "opinion") and responses (kind "response"), public once in a published result
// (an opinion received after publication stays with staff; a pending correction changes
// nothing until approved), otherwise visible to staff of the sections the item is routed to.
// Inactive items (replaced by a split) are removed. Contact details are never indexed.
//
// Called after a change has committed. The change stands even when indexing fails (the
// failure is logged): a citizen's acknowledged opinion must not be reported lost because the
// index could not be updated.
void IndexItems(storage::Database& database, const std::vector<int64_t>& item_ids);
void IndexSubmission(storage::Database& database, int64_t submission_id);
void IndexConsultation(storage::Database& database, int64_t consultation_id);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_SEARCH_DOCUMENTS_H_
