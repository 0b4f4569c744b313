#ifndef CIVICDESK_CONSULTATION_QUEUE_H_
#define CIVICDESK_CONSULTATION_QUEUE_H_

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "consultation/workflow.h"
#include "core/result.h"
#include "http/app.h"

// The staff queue of one consultation as the signed-in staff member works through it (issue 25,
// deliverable 5): its filters, carried from the queue to each item and back through every form;
// its counts (未回答, 未承認); and an item's previous and next in the filter's order.
namespace civicdesk::consultation {

// An item is answered when it has a response (区の考え方) and a 対応状況: what approval needs.
bool IsAnswered(const Item& item);

// The queue's filters. In the address (GET): q (words in the text), status ("1".."5", or "none"
// for not yet given), field (an id, or "none"), section ("部/課", or "none" for not routed) and
// state ("unanswered", "unapproved": answered but not approved, "approved"). In a form that posts
// from the queue or an item page, the same names prefixed "queue_" (hidden fields), so that the
// redirect after the action goes back to the same filtered queue.
struct QueueFilter {
  std::string text;  // as typed
  std::string status;
  std::string field;
  std::string section;
  std::string state;

  static QueueFilter FromQuery(const http::Request& request);
  static QueueFilter FromForm(const std::map<std::string, std::string>& form);

  bool Active() const;
  bool Matches(const Item& item) const;
  // The filter as a query string without "?" (percent-encoded; "" when no filter is set), and
  // the same with `extra` (already encoded, such as "saved=1") appended.
  std::string Query() const;
  std::string QueryWith(const std::string& extra) const;
  // "?" + QueryWith(extra), or "" when both are empty: what follows a path.
  std::string Suffix(const std::string& extra = {}) const;
  // The hidden fields of a form: [{name: "queue_q", value: ...}, ...] for the set parts only.
  nlohmann::json HiddenFields() const;
};

// The active items of the consultation the viewer works on, in the queue's order: section staff
// those routed to their own 部/課, publishers and admins all.
Result<std::vector<Item>> QueueItems(http::RequestContext& context, int64_t consultation_id);

// 未回答 (not answered) and 未承認 (answered, not yet approved) among `items`.
struct QueueCounts {
  int total = 0;
  int unanswered = 0;
  int unapproved = 0;
};
QueueCounts CountQueue(const std::vector<Item>& items);

// The counts as the queue and item pages show them, each with the address of the queue filtered
// to those items.
nlohmann::json CountsView(int64_t consultation_id, const QueueCounts& counts);

// Where `item_id` stands among the items `filter` keeps, in the order of `items`: the previous
// and next such item (also when the item itself no longer matches, say once answered), and its
// position (1-based; 0 when it does not match) among `matching` items.
struct QueueNeighbours {
  std::optional<int64_t> previous;
  std::optional<int64_t> next;
  int position = 0;
  int matching = 0;
};
QueueNeighbours NeighboursOf(const std::vector<Item>& items, const QueueFilter& filter,
                             int64_t item_id);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_QUEUE_H_
