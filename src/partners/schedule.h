#ifndef CIVICDESK_PARTNERS_SCHEDULE_H_
#define CIVICDESK_PARTNERS_SCHEDULE_H_

// Where a date stands against today in Japan: a marché date held, today or to come, and a
// workation programme's application window before, open or closed. The pages compute these on
// every view, so a schedule shipped in 2023 never reads 開催予定 in 2026.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "core/date.h"
#include "http/app.h"
#include "partners/store.h"

namespace civicdesk::partners {

enum class EventTiming { kHeld, kToday, kUpcoming };

// "held", "today", "upcoming" (the CSS class and the API's word).
const char* EventTimingName(EventTiming timing);

// Held when its day is before `today`, today on the day, upcoming after. An event whose date
// does not parse counts as upcoming (it is shown, never hidden).
EventTiming TimingOf(const Event& event, const Date& today);

// The event with `id` among `events`; nullptr when there is none.
const Event* FindEvent(const std::vector<Event>& events, int64_t id);

enum class WindowState { kBefore, kOpen, kClosed };

// "before", "open", "closed".
const char* WindowStateName(WindowState state);

// The programme's application window (opens and closes inclusive) against `today`; nullopt when
// either date does not parse.
std::optional<WindowState> WindowStateOf(const Programme& programme, const Date& today);

// The status line of /workation: {"state": "open", "label": 受付中, "detail": 令和8(2026)年6月7日
// まで受け付けています}, in the request's language with 和暦 dates and the Western year; null
// when the window's dates do not parse.
nlohmann::json WindowStatusView(http::RequestContext& context, const Programme& programme,
                                const Date& today);

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_SCHEDULE_H_
