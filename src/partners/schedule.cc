#include "partners/schedule.h"

#include "core/wareki.h"

namespace civicdesk::partners {

const char* EventTimingName(EventTiming timing) {
  switch (timing) {
    case EventTiming::kHeld:
      return "held";
    case EventTiming::kToday:
      return "today";
    case EventTiming::kUpcoming:
      return "upcoming";
  }
  return "upcoming";
}

EventTiming TimingOf(const Event& event, const Date& today) {
  Result<Date> date = ParseIsoDate(event.date);
  if (!date.ok()) return EventTiming::kUpcoming;
  if (*date < today) return EventTiming::kHeld;
  return *date == today ? EventTiming::kToday : EventTiming::kUpcoming;
}

const Event* FindEvent(const std::vector<Event>& events, int64_t id) {
  for (const Event& event : events)
    if (event.id == id) return &event;
  return nullptr;
}

const char* WindowStateName(WindowState state) {
  switch (state) {
    case WindowState::kBefore:
      return "before";
    case WindowState::kOpen:
      return "open";
    case WindowState::kClosed:
      return "closed";
  }
  return "closed";
}

std::optional<WindowState> WindowStateOf(const Programme& programme, const Date& today) {
  Result<Date> opens = ParseIsoDate(programme.opens);
  Result<Date> closes = ParseIsoDate(programme.closes);
  if (!opens.ok() || !closes.ok()) return std::nullopt;
  if (today < *opens) return WindowState::kBefore;
  return *closes < today ? WindowState::kClosed : WindowState::kOpen;
}

nlohmann::json WindowStatusView(http::RequestContext& context, const Programme& programme,
                                const Date& today) {
  const std::optional<WindowState> state = WindowStateOf(programme, today);
  if (!state) return nullptr;
  const MessageArgs dates = {{"opens", FormatWarekiDate(*ParseIsoDate(programme.opens))},
                             {"closes", FormatWarekiDate(*ParseIsoDate(programme.closes))}};
  const char* detail = *state == WindowState::kBefore ? "partners.window_before"
                       : *state == WindowState::kOpen ? "partners.window_open"
                                                      : "partners.window_over";
  const std::string name = WindowStateName(*state);
  return {{"state", name},
          {"label", context.Message("partners_window_state_" + name)},
          {"detail", context.Format(Status(StatusCode::kOk, detail, dates))}};
}

}  // namespace civicdesk::partners
