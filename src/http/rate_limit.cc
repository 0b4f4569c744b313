#include "http/rate_limit.h"

namespace civicdesk::http {

bool RateLimiter::Allow(const std::string& key, Clock::time_point now) {
  if (limit_ <= 0) return true;
  std::lock_guard<std::mutex> lock(mutex_);
  if (now - last_sweep_ > window_) {
    for (auto it = events_.begin(); it != events_.end();) {
      if (it->second.empty() || now - it->second.back() > window_) {
        it = events_.erase(it);
      } else {
        ++it;
      }
    }
    last_sweep_ = now;
  }
  std::deque<Clock::time_point>& times = events_[key];
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
  if (static_cast<int>(times.size()) >= limit_) return false;
  times.push_back(now);
  return true;
}

}  // namespace civicdesk::http
