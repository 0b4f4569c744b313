#include "plan/versions.h"

#include <set>

#include "text/tokenizer.h"

namespace civicdesk::plan {
namespace {

constexpr double kChangedSimilarity = 0.5;

double Dice(const std::string& a, const std::string& b) {
  std::vector<std::string_view> left = text::CharacterNgrams(a, 2);
  std::vector<std::string_view> right = text::CharacterNgrams(b, 2);
  std::multiset<std::string_view> pool(right.begin(), right.end());
  size_t shared = 0;
  for (std::string_view gram : left) {
    auto found = pool.find(gram);
    if (found != pool.end()) {
      ++shared;
      pool.erase(found);
    }
  }
  return left.empty() && right.empty()
             ? 1.0
             : 2.0 * shared / static_cast<double>(left.size() + right.size());
}

}  // namespace

const char* IssueChangeName(IssueChange::Kind kind) {
  switch (kind) {
    case IssueChange::Kind::kUnchanged:
      return "unchanged";
    case IssueChange::Kind::kChanged:
      return "changed";
    case IssueChange::Kind::kAdded:
      return "added";
    case IssueChange::Kind::kRemoved:
      return "removed";
  }
  return "unchanged";
}

const char* IssueChangeLabel(IssueChange::Kind kind) {
  switch (kind) {
    case IssueChange::Kind::kUnchanged:
      return "変更なし";
    case IssueChange::Kind::kChanged:
      return "変更";
    case IssueChange::Kind::kAdded:
      return "追加";
    case IssueChange::Kind::kRemoved:
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
  std::vector<const PriorityIssue*> partner(new_issues.size(), nullptr);
  std::set<const PriorityIssue*> paired;
  for (size_t n = 0; n < new_issues.size(); ++n) {
    for (const PriorityIssue* old_issue : old_issues) {
      if (!paired.count(old_issue) && old_issue->title == new_issues[n]->title) {
        partner[n] = old_issue;
        paired.insert(old_issue);
        break;
      }
    }
  }
  for (size_t n = 0; n < new_issues.size(); ++n) {
    if (partner[n] != nullptr) continue;
    double best = kChangedSimilarity;
    for (const PriorityIssue* old_issue : old_issues) {
      if (paired.count(old_issue)) continue;
      const double similarity = Dice(old_issue->title, new_issues[n]->title);
      if (similarity >= best) {
        best = similarity;
        partner[n] = old_issue;
      }
    }
    if (partner[n] != nullptr) paired.insert(partner[n]);
  }
  std::vector<IssueChange> changes;
  for (size_t n = 0; n < new_issues.size(); ++n) {
    IssueChange change;
    change.to = new_issues[n];
    change.from = partner[n];
    change.kind = partner[n] == nullptr                       ? IssueChange::Kind::kAdded
                  : partner[n]->title == new_issues[n]->title ? IssueChange::Kind::kUnchanged
                                                              : IssueChange::Kind::kChanged;
    changes.push_back(change);
  }
  for (const PriorityIssue* old_issue : old_issues) {
    if (!paired.count(old_issue))
      changes.push_back({IssueChange::Kind::kRemoved, old_issue, nullptr});
  }
  return changes;
}

}  // namespace civicdesk::plan
