#ifndef CIVICDESK_CONSULTATION_SEARCH_DOCUMENTS_H_
#define CIVICDESK_CONSULTATION_SEARCH_DOCUMENTS_H_

#include <cstdint>
#include <vector>

#include "storage/database.h"
#include "text/search_index.h"

namespace civicdesk::consultation {

// Hands the text engine's search index the current state of items and their responses:
// opinions (kind "opinion") and responses (kind "response"), public once in a published result
// (an opinion received after publication stays with staff; a pending correction changes
// nothing until approved), otherwise visible to staff of the sections the item is routed to.
// Inactive items (replaced by a split) are removed. Contact details are never indexed.
//
// WriteItemDocuments / WriteSubmissionDocuments / WriteConsultationDocuments write the
// documents inside the caller's open transaction on `connection` (the outbox: the search
// document commits with the change that owns it, or neither does). They only read; a published
// opinion whose text has not been checked for personal data yet, or shows an open flag, stays
// with staff (its id is added to `held_back` when given) until IndexItems has checked it.
Status WriteItemDocuments(storage::Database& database, storage::Connection& connection,
                          const std::vector<int64_t>& item_ids,
                          std::vector<int64_t>* held_back = nullptr);
Status WriteSubmissionDocuments(storage::Database& database, storage::Connection& connection,
                                int64_t submission_id);
Status WriteConsultationDocuments(storage::Database& database, storage::Connection& connection,
                                  int64_t consultation_id,
                                  std::vector<int64_t>* held_back = nullptr);

// The document WriteItemDocuments writes for an active opinion that is in no published result
// (its consultation unpublished, or the item received after publication, with no response):
// staff only, linking to its staff page, `sections` as "部/課". For a writer that holds the
// item's text already (a bulk import), so that nothing is read back.
text::SearchDocument StaffOpinionDocument(int64_t item_id, std::string consultation_title,
                                          std::string text, std::vector<std::string> sections);

// IndexItems runs after a change has committed, for changes that may make texts
// public: it checks published texts for personal data (which writes), then writes the
// documents in transactions of their own. The change stands even when indexing fails (the
// failure is logged).
void IndexItems(storage::Database& database, const std::vector<int64_t>& item_ids);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_SEARCH_DOCUMENTS_H_
