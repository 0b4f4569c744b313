#ifndef CIVICDESK_CONSULTATION_PERSONAL_DATA_FLAGS_H_
#define CIVICDESK_CONSULTATION_PERSONAL_DATA_FLAGS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "consultation/store.h"
#include "core/result.h"
#include "storage/database.h"

// Personal-data flags stored with the opinions (issue 17 #2, issue 23 #4, issue 25 #3).
//
// What personal_data.h finds is recorded as a flag pointing at a span of the text the item came
// from: the submission's text (an item is a byte range of it), or, for an item without a
// submission (an imported result), the item's original text. Staff decide each flag: masked
// (the item's text shows kPersonalDataMask over the span) or dismissed (not personal data).
// Because a flag points into the original and not into an item, a mask holds on every item
// ever cut from that text: split, merge and re-split re-derive each item's text from the
// original with its masks and the staff's edits (ReapplyPersonalDataMasks, in the split's
// transaction; published_text.h); a correction of the published text is an edit, so the mask
// stays; a text masked once is masked again
// wherever the same text is flagged later (an opinions file imported again, a re-scan).
//
// Items with an open flag are never public in search (search_documents.cc), and publication
// asks OpenPersonalDataFlags. The audit trail records a decision by position, kind and keyed hash
// (HMAC-SHA-256 under the consultation's key, personal_data_digest.h) of the span, never its text.
//
// Detection runs lazily, once per text and detector version (kPersonalDataDetectorVersion):
// when publication or a staff page asks, and when items of a published result are indexed.
// Tables consultation_personal_data, _scan, _original.
namespace civicdesk::consultation {

// The migration that creates the tables (ConsultationMigrations, version 4).
extern const char kPersonalDataMigrationSql[];

struct PersonalDataFlag {
  int64_t id = 0;
  int64_t consultation_id = 0;
  int64_t item_id = 0;  // the active item showing the span (several after a split: the first)
  std::string kind;     // as PersonalDataFinding::kind
  std::string state;    // "open", "masked", "dismissed"
  // For staff only, from the original text (never stored anywhere else): the flagged text and
  // up to 20 characters each side.
  std::string excerpt;
  std::string before;
  std::string after;
};

// Runs detection on every text of the consultation not yet checked by this detector version,
// recording its findings as open flags (masked at once where the same text was masked before).
Status CheckPersonalData(storage::Database& database, int64_t consultation_id);

// The open flags of the consultation's active items, after CheckPersonalData, by item then
// position: publication is refused while there is one. NotFound for an unknown consultation is
// not checked here (an unknown id has no flags).
Result<std::vector<PersonalDataFlag>> OpenPersonalDataFlags(storage::Database& database,
                                                            int64_t consultation_id);

// The same as kinds by item (each kind once, in text order), without reading any text: what
// publication's check needs, whatever the size of the consultation.
Result<std::map<int64_t, std::vector<std::string>>> OpenPersonalDataKinds(
    storage::Database& database, int64_t consultation_id);

// Every flag (open, masked, dismissed) on the item's text, after checking it.
Result<std::vector<PersonalDataFlag>> PersonalDataFlagsOfItem(storage::Database& database,
                                                              int64_t item_id);

// Of `item_ids`, the ids that may not be shown to the public yet: those that show a span of an
// open flag, and those whose text has not been checked by the current detector. Reads only
// (inside the caller's transaction); CheckPublishedItems beforehand does the checking. For the
// search index: such an item is not public.
Result<std::set<int64_t>> ItemsHeldFromPublic(storage::Connection& connection,
                                              const std::vector<int64_t>& item_ids);

// Checks the texts of these items when their consultation is published (see above).
Status CheckPublishedItems(storage::Database& database, const std::vector<int64_t>& item_ids);

// The consultation a flag belongs to. NotFound consultation.personal_data_not_found.
Result<int64_t> PersonalDataFlagConsultation(storage::Database& database, int64_t flag_id);

// One click: masks the flag (every item showing it gets kPersonalDataMask over the span),
// audited and re-indexed. A masked flag stays masked; a dismissed one becomes masked.
Status MaskPersonalDataFlag(storage::Database& database, int64_t flag_id, const Actor& actor);

// "Not personal data": the flag no longer blocks publication; the text is published as is.
Status DismissPersonalDataFlag(storage::Database& database, int64_t flag_id, const Actor& actor);

// The bulk mask: every open flag of the consultation's active items. Returns how many.
Result<int64_t> MaskOpenPersonalData(storage::Database& database, int64_t consultation_id,
                                     const Actor& actor);

// Every open flag of one item (MaskItem).
Result<int64_t> MaskOpenPersonalDataOfItem(storage::Database& database, int64_t item_id,
                                           const Actor& actor);

// Re-derives the text of the submission's active items from its text and its masked flags.
// REQUIRES: inside the transaction that created the items (split, merge).
Status ReapplyPersonalDataMasks(storage::Connection& connection, int64_t submission_id);

// The masked spans over an original ("submission" or "item"), sorted, overlaps merged.
Result<std::vector<std::pair<int64_t, int64_t>>> MaskedSpansOf(storage::Connection& connection,
                                                               const std::string& anchor_kind,
                                                               int64_t anchor_id);

// Re-derives the published text of the items showing an original from it, its masks and its
// edits (published_text.h). REQUIRES: inside the change's transaction.
Status ReapplyPublishedText(storage::Connection& connection, const std::string& anchor_kind,
                            int64_t anchor_id);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_PERSONAL_DATA_FLAGS_H_
