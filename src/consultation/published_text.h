#ifndef CIVICDESK_CONSULTATION_PUBLISHED_TEXT_H_
#define CIVICDESK_CONSULTATION_PUBLISHED_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "consultation/store.h"
#include "core/result.h"
#include "storage/database.h"

// The published text of an item (issue 25 #3): a copy of the original that staff edit.
//
// The original is what the resident sent (the submission's text; an item is a byte range of it)
// or, for an item without a submission, the item's first text
// (consultation_personal_data_original). It is never published: the item's `text` column is its
// published text, derived from the original with
//  - the masked personal-data flags (personal_data_flags.h), each kPersonalDataMask over its span;
//  - the staff's edits (table consultation_text_edit): a span of the original and what replaces
//    it (○○ for a name, nothing for an address). An edit wins over a mask under it.
// Because both point into the original, they hold through split, merge and re-split, as masks do.
//
// Staff edit the published text as a whole; SetPublishedText turns the change into edits of the
// original (the smallest spans that changed) and audits each by position, length and keyed
// hash (HMAC-SHA-256, personal_data_digest.h) of the original span, never its text. An item of a
// published result changes only by a correction (corrections.h).
//
// Personal data is deleted on the ward's schedule (PurgePersonalData): the original text under
// every mask and edit, the contact details and the consultation's digest key, of consultations
// published long enough ago.
namespace civicdesk::consultation {

// The migration that creates consultation_text_edit and the purge mark (version 5).
extern const char kPublishedTextMigrationSql[];

// The most bytes a published text may have, whether staff edit it or a correction changes it.
inline constexpr size_t kMaxPublishedBytes = 100000;

// One stored edit: bytes [start, end) of the original replaced by `replacement`.
struct TextEdit {
  int64_t id = 0;
  int64_t start = 0;
  int64_t end = 0;
  std::string replacement;
};

// One stretch of the published text and where it comes from in the original piece: copied as
// is, or replacing original bytes (a mask or an edit). Byte offsets; original offsets are
// relative to the piece.
struct TextSegment {
  size_t original_start = 0;
  size_t original_end = 0;
  size_t published_start = 0;
  size_t published_end = 0;
  bool copied = true;
};

// The published text of `piece`, bytes [offset, offset + piece.size()) of an original, given
// the masked spans (sorted, merged) and the edits over that original (any order). An edit
// starting before the piece (a split through it) hides what it covers without repeating its
// replacement. `segments`, when given, receives the stretches in order.
std::string RenderPublishedText(std::string_view piece, int64_t offset,
                                const std::vector<std::pair<int64_t, int64_t>>& masked,
                                const std::vector<TextEdit>& edits,
                                std::vector<TextSegment>* segments = nullptr);

// The edits over an original ("submission" or "item", and its id), by start.
Result<std::vector<TextEdit>> TextEditsOf(storage::Connection& connection,
                                          const std::string& anchor_kind, int64_t anchor_id);

// One changed stretch, as staff read the difference: what the original had and what is
// published instead (either may be empty).
struct TextChange {
  std::string original;
  std::string published;
};

// An item's original and published text, and the difference between them in text order:
// alternately unchanged text (`changed` false, `published` holding it) and changes.
struct PublishedTextView {
  std::string original;
  std::string published;
  struct Part {
    bool changed = false;
    TextChange text;
  };
  std::vector<Part> parts;
  int changes = 0;
};

// NotFound for an unknown item.
Result<PublishedTextView> GetPublishedText(storage::Database& database, int64_t item_id);

// Replaces the item's published text by `text`: the change becomes edits of the original (see
// above), in one transaction with the item's text and the audit; then re-indexed. Nothing
// happens when `text` is the published text already. InvalidArgument published_text (empty, too
// long, not UTF-8); Conflict consultation.item_published for an item of a published result
// (a correction changes it).
Status SetPublishedText(storage::Database& database, int64_t item_id, const std::string& text,
                        const Actor& actor);

// The same inside a transaction, without the published check (a correction's approval);
// `changed` (when given) is set when the text differed from the published one.
Status ApplyPublishedText(storage::Connection& connection, int64_t item_id, const std::string& text,
                          const Actor& actor, bool* changed = nullptr);

// The edits that turn `published` into `edited`: spans of `published` (byte offsets, the
// smallest that differ, code-point aligned) and their new text. For tests and SetPublishedText.
struct Hunk {
  size_t start = 0;  // in `published`
  size_t end = 0;
  std::string replacement;
};
std::vector<Hunk> DiffTexts(std::string_view published, std::string_view edited);

struct PurgeReport {
  int consultations = 0;
  int spans = 0;     // original spans overwritten
  int contacts = 0;  // submissions whose contact details were cleared
};

// Deletes the personal data of every consultation published at least `days` days before
// `today_utc` (an ISO instant): the original bytes under every masked flag and edit are
// overwritten (same length, so every position still holds), the contact details cleared and
// the consultation's digest key deleted, so that the digests left in the flags, the edits and the
// audit can no longer be linked to any text. Each consultation once (marked), audited with counts.
// InvalidArgument days when negative.
Result<PurgeReport> PurgePersonalData(storage::Database& database, int days,
                                      const std::string& now_utc, const Actor& actor);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_PUBLISHED_TEXT_H_
