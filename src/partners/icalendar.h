#ifndef CIVICDESK_PARTNERS_ICALENDAR_H_
#define CIVICDESK_PARTNERS_ICALENDAR_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "partners/store.h"

namespace civicdesk::partners {

// The words the calendar adds around the events' own data, in the reader's language.
struct CalendarLabels {
  std::string calendar_name;   // X-WR-CALNAME: 全国連携マルシェ
  std::string planned_suffix;  // after a planned event's title: （予定）
  std::string participants;    // before the participants in the description: 参加自治体等：
};

// The marché schedule as an RFC 5545 calendar (Asia/Tokyo times, CRLF, lines folded at 75
// octets without splitting a UTF-8 character), written event by event to `write`. Planned
// events are TENTATIVE, the others CONFIRMED. `now_utc` (2026-11-22T05:04:03Z) is the DTSTAMP.
Status WriteMarcheCalendar(const std::vector<Event>& events, const CalendarLabels& labels,
                           std::string_view now_utc, const http::BodyWriter& write);

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_ICALENDAR_H_
