#ifndef CIVICDESK_PLAN_VERSIONS_H_
#define CIVICDESK_PLAN_VERSIONS_H_

#include <string>
#include <vector>

#include "plan/model.h"

namespace civicdesk::plan {

// How one edition's priority issues (重点課題) became the next edition's.
struct IssueChange {
  enum class Kind { kUnchanged, kChanged, kAdded, kRemoved };
  Kind kind = Kind::kUnchanged;
  const PriorityIssue* from = nullptr;  // absent for kAdded
  const PriorityIssue* to = nullptr;    // absent for kRemoved
};

// "unchanged", "changed", "added", "removed"; 変更なし, 変更, 追加, 削除.
const char* IssueChangeName(IssueChange::Kind kind);
const char* IssueChangeLabel(IssueChange::Kind kind);

// Pairs the issues of `from_version` with those of `to_version`: the same title is unchanged
// (even when its number moved), a title sharing most of its character bigrams (Dice ≥ 0.5)
// with one left unpaired is changed, the rest are added or removed. In the order of the new
// edition, removed ones last. Pointers refer into `data`.
std::vector<IssueChange> DiffPriorityIssues(const PlanData& data, const std::string& from_version,
                                            const std::string& to_version);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_VERSIONS_H_
