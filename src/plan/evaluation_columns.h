#ifndef CIVICDESK_PLAN_EVALUATION_COLUMNS_H_
#define CIVICDESK_PLAN_EVALUATION_COLUMNS_H_

#include <string>
#include <string_view>

#include "core/tabular_import.h"

namespace civicdesk::plan {

// The synonym table of `civicdesk evaluation import` (事務事業評価): every field it reads and the
// headers cities write for it. Documented in docs/import.md ("evaluation").
const tabular::ImporterSpec& EvaluationColumns();

// The normalised directions, in the order the pages list them.
inline constexpr std::string_view kDirectionExpand = "拡充";
inline constexpr std::string_view kDirectionOther = "その他";

// A city's own wording of 今後の方向性 mapped to the normalised set 拡充 / 継続 / 改善 / 縮小 /
// 統合 / 休止・廃止 / 完了: first through the synonym list (docs/import.md), then the wording
// with a bracketed remark or an A–D grade in front taken away, then the one normalised word it
// contains. "" for an empty wording; 「その他」 (kDirectionOther) for one it cannot place.
std::string NormalizeDirection(std::string_view wording);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_EVALUATION_COLUMNS_H_
