#ifndef CIVICDESK_HTTP_RATE_LIMIT_H_
#define CIVICDESK_HTTP_RATE_LIMIT_H_

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace civicdesk::http {

// At most `limit` events per key (a client address) in any `window`, counted in memory by this
// process. A limit of 0 allows everything. Thread-safe. Keys idle for a window are forgotten,
// so memory stays bounded by the clients of the last window.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(int limit, Clock::duration window) : limit_(limit), window_(window) {}

  // Records an event for `key` at `now` and says whether it is within the limit. A refused event
  // is not recorded, so a client that waits gets through again.
  bool Allow(const std::string& key, Clock::time_point now = Clock::now());

 private:
  int limit_;
  Clock::duration window_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> events_;
  Clock::time_point last_sweep_{};
};

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_RATE_LIMIT_H_
