#ifndef CIVICDESK_PLAN_VERSIONS_H_
#define CIVICDESK_PLAN_VERSIONS_H_

#include <string>
#include <vector>

#include "plan/model.h"

namespace civicdesk::plan {

enum class ChangeKind { kUnchanged, kChanged, kAdded, kRemoved };

// "unchanged", "changed", "added", "removed"; 変更なし, 変更, 追加, 削除.
const char* ChangeName(ChangeKind kind);
const char* ChangeLabel(ChangeKind kind);

// How one entry of an edition became the next edition's. `from` is absent for kAdded, `to` for
// kRemoved; `fields` names what differs for kChanged ("title", "number", "area", "name", "unit",
// "baseline", "targets", "code").
template <typename Entry>
struct Change {
  ChangeKind kind = ChangeKind::kUnchanged;
  const Entry* from = nullptr;
  const Entry* to = nullptr;
  std::vector<std::string> fields;
};

using IssueChange = Change<PriorityIssue>;
using PolicyChange = Change<EditionPolicy>;
using KpiChange = Change<EditionKpi>;

// Pairs the issues of `from_version` with those of `to_version`: the same title is unchanged
// (even when its number moved), a title sharing most of its character bigrams (Dice ≥ 0.5)
// with one left unpaired is changed, the rest are added or removed. In the order of the new
// edition, removed ones last. Pointers refer into `data`.
std::vector<IssueChange> DiffPriorityIssues(const PlanData& data, const std::string& from_version,
                                            const std::string& to_version);

struct EditionDiff {
  // False when either edition's policies are not transcribed (data.editions lacks it): then
  // nothing is compared, rather than everything reported as added or removed.
  bool compared = false;
  // Paired by title the same way as priority issues; a renumbered or moved policy is changed.
  std::vector<PolicyChange> policies;
  // KPIs of each pair of policies whose KPIs both editions transcribe, paired by name within the
  // policy; a KPI whose code, unit, baseline or targets differ is changed.
  std::vector<KpiChange> kpis;
  // Policies (numbered as in the newer edition, or the older one when removed) whose KPIs only
  // one edition transcribes, so their KPIs are not compared.
  std::vector<int> kpis_not_compared;
};

EditionDiff DiffEditions(const PlanData& data, const std::string& from_version,
                         const std::string& to_version);

// What one edition's transcription lacks, so that the comparison page says exactly which parts
// are not compared (issue 23 #8): Minato's seeds give the 2021 plan's 26 policies with the
// measures and KPIs of 24–26 only, and none of the 2023 revision's policies.
struct EditionGap {
  std::string plan_version;
  // No policy (and so no measure or KPI) of this edition is transcribed.
  bool no_policies = false;
  // Policies transcribed by title and area whose measures and KPIs are not, ascending.
  std::vector<int> policies_without_kpis;
};

// The gaps of the two editions compared, `from_version` first; an edition that lacks nothing is
// left out.
std::vector<EditionGap> EditionGaps(const PlanData& data, const std::string& from_version,
                                    const std::string& to_version);

// Policy numbers as runs: {1, 2, 3, 5, 7, 8} → "1〜3、5、7〜8" with the given separators.
std::string NumberRuns(const std::vector<int>& numbers, const std::string& range_separator,
                       const std::string& list_separator);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_VERSIONS_H_
