#ifndef CIVICDESK_CONSULTATION_SUGGESTIONS_H_
#define CIVICDESK_CONSULTATION_SUGGESTIONS_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "consultation/opinions_import.h"
#include "consultation/store.h"
#include "core/result.h"
#include "storage/database.h"
#include "text/classifier.h"

namespace civicdesk::consultation {

// Suggested fields and responding sections for one item, best first, with the classifier's
// confidence (0–1). A list is empty when the item already has that decision.
struct ItemSuggestion {
  int64_t item_id = 0;
  std::vector<text::Prediction> fields;    // labels of the item's consultation
  std::vector<text::Prediction> sections;  // "部/課"
};

// Top-3 suggestions for every active item of the consultation that lacks a field or a section
// (or only for `only_item` when set). The classifiers learn, at each call, from every
// classified item in every consultation — staff corrections included — and from the plan texts
// that the consultation's fields link to (through the search index's plan documents).
Result<std::vector<ItemSuggestion>> SuggestClassification(storage::Database& database,
                                                          int64_t consultation_id,
                                                          int64_t only_item = 0);
// The same for the items in `only_items` (every item lacking a decision when empty).
Result<std::vector<ItemSuggestion>> SuggestClassification(storage::Database& database,
                                                          int64_t consultation_id,
                                                          const std::set<int64_t>& only_items);
// The same for every item lacking a decision among `items`, the consultation's items as
// ListAnalysisItems read them (a caller that holds them already does not read them again).
Result<std::vector<ItemSuggestion>> SuggestClassification(storage::Database& database,
                                                          int64_t consultation_id,
                                                          const std::vector<AnalysisItem>& items);

struct ClassificationEvaluation {
  Result<text::Evaluation> fields = Status::Unavailable("not evaluated");
  Result<text::Evaluation> sections = Status::Unavailable("not evaluated");
};

// 5-fold cross-validation over the consultation's classified items (first field, first
// section), training each fold also on other consultations and the plan texts.
Result<ClassificationEvaluation> EvaluateClassification(storage::Database& database,
                                                        int64_t consultation_id);

// Staff accept a suggestion: adds the field (by label) or the section ("部/課") to the item,
// keeping what it has. Audited as an update.
Status AcceptSuggestion(storage::Database& database, int64_t item_id, const std::string& field,
                        const std::string& section, const Actor& actor);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_SUGGESTIONS_H_
