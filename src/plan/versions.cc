#include "plan/versions.h"

#include <algorithm>
#include <functional>
#include <set>

#include "text/tokenizer.h"

namespace civicdesk::plan {
namespace {

constexpr double kChangedSimilarity = 0.5;

// Pairs old entries with new ones: equal labels first, then the most similar label left
// unpaired (Dice ≥ 0.5). Changes come in the order of the new entries, removed ones last.
template <typename Entry>
std::vector<Change<Entry>> PairEntries(
    const std::vector<const Entry*>& old_entries, const std::vector<const Entry*>& new_entries,
    const std::function<const std::string&(const Entry&)>& label,
    const std::function<std::vector<std::string>(const Entry&, const Entry&)>& differences) {
  std::vector<const Entry*> partner(new_entries.size(), nullptr);
  std::set<const Entry*> paired;
  for (size_t n = 0; n < new_entries.size(); ++n) {
    for (const Entry* old_entry : old_entries) {
      if (!paired.count(old_entry) && label(*old_entry) == label(*new_entries[n])) {
        partner[n] = old_entry;
        paired.insert(old_entry);
        break;
      }
    }
  }
  for (size_t n = 0; n < new_entries.size(); ++n) {
    if (partner[n] != nullptr) continue;
    double best = kChangedSimilarity;
    for (const Entry* old_entry : old_entries) {
      if (paired.count(old_entry)) continue;
      const double similarity =
          text::CharacterBigramDice(label(*old_entry), label(*new_entries[n]));
      if (similarity >= best) {
        best = similarity;
        partner[n] = old_entry;
      }
    }
    if (partner[n] != nullptr) paired.insert(partner[n]);
  }
  std::vector<Change<Entry>> changes;
  for (size_t n = 0; n < new_entries.size(); ++n) {
    Change<Entry> change;
    change.to = new_entries[n];
    change.from = partner[n];
    if (partner[n] == nullptr) {
      change.kind = ChangeKind::kAdded;
    } else {
      change.fields = differences(*partner[n], *new_entries[n]);
      change.kind = change.fields.empty() ? ChangeKind::kUnchanged : ChangeKind::kChanged;
    }
    changes.push_back(std::move(change));
  }
  for (const Entry* old_entry : old_entries) {
    if (!paired.count(old_entry)) changes.push_back({ChangeKind::kRemoved, old_entry, nullptr, {}});
  }
  return changes;
}

const Edition* FindEdition(const PlanData& data, const std::string& version) {
  for (const Edition& edition : data.editions)
    if (edition.plan_version == version) return &edition;
  return nullptr;
}

std::vector<const EditionKpi*> KpisOf(const Edition& edition, int policy) {
  std::vector<const EditionKpi*> kpis;
  for (const EditionKpi& kpi : edition.kpis)
    if (kpi.policy == policy) kpis.push_back(&kpi);
  return kpis;
}

}  // namespace

const char* ChangeName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kUnchanged:
      return "unchanged";
    case ChangeKind::kChanged:
      return "changed";
    case ChangeKind::kAdded:
      return "added";
    case ChangeKind::kRemoved:
      return "removed";
  }
  return "unchanged";
}

const char* ChangeLabel(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kUnchanged:
      return "変更なし";
    case ChangeKind::kChanged:
      return "変更";
    case ChangeKind::kAdded:
      return "追加";
    case ChangeKind::kRemoved:
      return "削除";
  }
  return "変更なし";
}

std::vector<IssueChange> DiffPriorityIssues(const PlanData& data, const std::string& from_version,
                                            const std::string& to_version) {
  std::vector<const PriorityIssue*> old_issues, new_issues;
  for (const PriorityIssue& issue : data.priority_issues) {
    if (issue.plan_version == from_version) old_issues.push_back(&issue);
    if (issue.plan_version == to_version) new_issues.push_back(&issue);
  }
  return PairEntries<PriorityIssue>(
      old_issues, new_issues,
      [](const PriorityIssue& issue) -> const std::string& { return issue.title; },
      [](const PriorityIssue& before, const PriorityIssue& after) {
        return before.title == after.title ? std::vector<std::string>{}
                                           : std::vector<std::string>{"title"};
      });
}

EditionDiff DiffEditions(const PlanData& data, const std::string& from_version,
                         const std::string& to_version) {
  EditionDiff diff;
  const Edition* before = FindEdition(data, from_version);
  const Edition* after = FindEdition(data, to_version);
  if (before == nullptr || after == nullptr) return diff;
  diff.compared = true;
  std::vector<const EditionPolicy*> old_policies, new_policies;
  for (const EditionPolicy& policy : before->policies) old_policies.push_back(&policy);
  for (const EditionPolicy& policy : after->policies) new_policies.push_back(&policy);
  diff.policies = PairEntries<EditionPolicy>(
      old_policies, new_policies,
      [](const EditionPolicy& policy) -> const std::string& { return policy.title; },
      [](const EditionPolicy& old_policy, const EditionPolicy& new_policy) {
        std::vector<std::string> fields;
        if (old_policy.title != new_policy.title) fields.push_back("title");
        if (old_policy.number != new_policy.number) fields.push_back("number");
        if (old_policy.area != new_policy.area) fields.push_back("area");
        return fields;
      });
  for (const PolicyChange& change : diff.policies) {
    const bool old_detailed = change.from != nullptr && change.from->detailed;
    const bool new_detailed = change.to != nullptr && change.to->detailed;
    if (!old_detailed && !new_detailed) continue;
    // An added or removed policy's KPIs are all added or removed when its edition has them.
    if ((change.from != nullptr && !old_detailed) || (change.to != nullptr && !new_detailed)) {
      diff.kpis_not_compared.push_back(change.to != nullptr ? change.to->number
                                                            : change.from->number);
      continue;
    }
    std::vector<KpiChange> kpis = PairEntries<EditionKpi>(
        change.from ? KpisOf(*before, change.from->number) : std::vector<const EditionKpi*>{},
        change.to ? KpisOf(*after, change.to->number) : std::vector<const EditionKpi*>{},
        [](const EditionKpi& kpi) -> const std::string& { return kpi.name; },
        [](const EditionKpi& old_kpi, const EditionKpi& new_kpi) {
          std::vector<std::string> fields;
          if (old_kpi.name != new_kpi.name) fields.push_back("name");
          if (old_kpi.code != new_kpi.code) fields.push_back("code");
          if (old_kpi.unit != new_kpi.unit) fields.push_back("unit");
          if (old_kpi.baseline != new_kpi.baseline) fields.push_back("baseline");
          if (old_kpi.targets != new_kpi.targets) fields.push_back("targets");
          return fields;
        });
    for (KpiChange& kpi : kpis) diff.kpis.push_back(std::move(kpi));
  }
  return diff;
}

std::vector<EditionGap> EditionGaps(const PlanData& data, const std::string& from_version,
                                    const std::string& to_version) {
  std::vector<EditionGap> gaps;
  for (const std::string& version : {from_version, to_version}) {
    if (!gaps.empty() && gaps.back().plan_version == version) continue;
    EditionGap gap;
    gap.plan_version = version;
    const Edition* edition = FindEdition(data, version);
    if (edition == nullptr) {
      gap.no_policies = true;
    } else {
      for (const EditionPolicy& policy : edition->policies)
        if (!policy.detailed) gap.policies_without_kpis.push_back(policy.number);
      std::sort(gap.policies_without_kpis.begin(), gap.policies_without_kpis.end());
    }
    if (gap.no_policies || !gap.policies_without_kpis.empty()) gaps.push_back(std::move(gap));
  }
  return gaps;
}

std::string NumberRuns(const std::vector<int>& numbers, const std::string& range_separator,
                       const std::string& list_separator) {
  std::string text;
  for (size_t i = 0; i < numbers.size();) {
    size_t last = i;
    while (last + 1 < numbers.size() && numbers[last + 1] == numbers[last] + 1) ++last;
    if (!text.empty()) text += list_separator;
    text += std::to_string(numbers[i]);
    if (last > i) text += range_separator + std::to_string(numbers[last]);
    i = last + 1;
  }
  return text;
}

}  // namespace civicdesk::plan
