#include "consultation/queue.h"

#include <algorithm>

#include "consultation/access.h"
#include "http/message.h"
#include "text/normalize.h"

namespace civicdesk::consultation {
namespace {

using nlohmann::json;

// The filter's parts with their names in the address, in a stable order.
std::vector<std::pair<std::string, const std::string*>> Parts(const QueueFilter& filter) {
  return {{"q", &filter.text},
          {"status", &filter.status},
          {"field", &filter.field},
          {"section", &filter.section},
          {"state", &filter.state}};
}

std::string Lookup(const std::map<std::string, std::string>& values, const std::string& key) {
  auto found = values.find(key);
  return found == values.end() ? std::string() : found->second;
}

QueueFilter FromValues(const std::map<std::string, std::string>& values,
                       const std::string& prefix) {
  QueueFilter filter;
  filter.text = Lookup(values, prefix + "q");
  filter.status = Lookup(values, prefix + "status");
  filter.field = Lookup(values, prefix + "field");
  filter.section = Lookup(values, prefix + "section");
  filter.state = Lookup(values, prefix + "state");
  return filter;
}

}  // namespace

bool IsAnswered(const Item& item) { return item.response_id != 0 && item.status.has_value(); }

QueueFilter QueueFilter::FromQuery(const http::Request& request) {
  return FromValues(request.query, "");
}

QueueFilter QueueFilter::FromForm(const std::map<std::string, std::string>& form) {
  return FromValues(form, "queue_");
}

bool QueueFilter::Active() const {
  return !text.empty() || !status.empty() || !field.empty() || !section.empty() || !state.empty();
}

bool QueueFilter::Matches(const Item& item) const {
  if (status == "none" && item.status) return false;
  if (!status.empty() && status != "none" &&
      (!item.status || std::to_string(*item.status) != status))
    return false;
  if (field == "none" && !item.field_ids.empty()) return false;
  if (!field.empty() && field != "none" &&
      std::none_of(item.field_ids.begin(), item.field_ids.end(),
                   [&](int64_t id) { return std::to_string(id) == field; }))
    return false;
  if (section == "none" && !item.sections.empty()) return false;
  if (!section.empty() && section != "none" &&
      std::none_of(item.sections.begin(), item.sections.end(),
                   [&](const SectionRef& ref) { return ref.first + "/" + ref.second == section; }))
    return false;
  if (state == "unanswered" && IsAnswered(item)) return false;
  if (state == "unapproved" && (!IsAnswered(item) || item.approved)) return false;
  if (state == "approved" && !item.approved) return false;
  if (!text.empty()) {
    const std::string folded = text::FoldForMatching(text);
    if (!folded.empty() && text::FoldForMatching(item.text).find(folded) == std::string::npos)
      return false;
  }
  return true;
}

std::string QueueFilter::Query() const {
  std::string query;
  for (const auto& [name, value] : Parts(*this)) {
    if (value->empty()) continue;
    query += (query.empty() ? "" : "&") + name + "=" + http::PercentEncode(*value);
  }
  return query;
}

std::string QueueFilter::QueryWith(const std::string& extra) const {
  std::string query = Query();
  if (extra.empty()) return query;
  return query.empty() ? extra : query + "&" + extra;
}

std::string QueueFilter::Suffix(const std::string& extra) const {
  std::string query = QueryWith(extra);
  return query.empty() ? std::string() : "?" + query;
}

json QueueFilter::HiddenFields() const {
  json fields = json::array();
  for (const auto& [name, value] : Parts(*this)) {
    if (!value->empty()) fields.push_back({{"name", "queue_" + name}, {"value", *value}});
  }
  return fields;
}

Result<std::vector<Item>> QueueItems(http::RequestContext& context, int64_t consultation_id) {
  std::optional<SectionRef> only;
  if (IsSectionStaff(context)) only = OwnSection(context);
  return ListItems(context.app().database(), consultation_id, only);
}

QueueCounts CountQueue(const std::vector<Item>& items) {
  QueueCounts counts;
  for (const Item& item : items) {
    ++counts.total;
    if (!IsAnswered(item)) {
      ++counts.unanswered;
    } else if (!item.approved) {
      ++counts.unapproved;
    }
  }
  return counts;
}

json CountsView(int64_t consultation_id, const QueueCounts& counts) {
  const std::string queue = "/staff/consultations/" + std::to_string(consultation_id);
  return {{"total", counts.total},
          {"unanswered", counts.unanswered},
          {"unapproved", counts.unapproved},
          {"unanswered_href", queue + "?state=unanswered"},
          {"unapproved_href", queue + "?state=unapproved"}};
}

QueueNeighbours NeighboursOf(const std::vector<Item>& items, const QueueFilter& filter,
                             int64_t item_id) {
  QueueNeighbours neighbours;
  bool passed = false;
  for (const Item& item : items) {
    if (item.id == item_id) {
      passed = true;
      if (filter.Matches(item)) neighbours.position = ++neighbours.matching;
      continue;
    }
    if (!filter.Matches(item)) continue;
    ++neighbours.matching;
    if (!passed) {
      neighbours.previous = item.id;
    } else if (!neighbours.next) {
      neighbours.next = item.id;
    }
  }
  if (!passed) return {std::nullopt, std::nullopt, 0, neighbours.matching};
  return neighbours;
}

}  // namespace civicdesk::consultation
