#ifndef CIVICDESK_HTTP_PAGE_CACHE_H_
#define CIVICDESK_HTTP_PAGE_CACHE_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "http/message.h"

namespace civicdesk::http {

// Finished responses of public pages, each kept for the seconds its handler allowed, for
// visitors who are not signed in. Thread-safe; at most `capacity` entries (when full, expired
// ones are dropped, then everything).
//
// A page is rendered by one caller at a time, so that many visitors arriving when it expires do
// not all render it at once:
//   - in the last fifth of an entry's lifetime, the first caller to look it up is asked to render
//     it again while everyone else still gets the kept one (so nobody waits, and nothing is
//     served older than its lifetime);
//   - when the entry has expired, the first caller renders and the others wait for its result
//     (at most `wait_for_render`, then they render themselves);
//   - a page never kept (perhaps one that is never cached) is rendered by whoever asks.
// Whoever is asked to render must call Put with the result, or Abandon when it is not to be kept.
class PageCache {
 public:
  using Clock = std::chrono::steady_clock;

  struct Lookup {
    std::optional<Response> response;  // send this, or else render
    bool render_claimed = false;       // this caller renders; Put or Abandon follows
  };

  explicit PageCache(size_t capacity = 2048,
                     std::chrono::milliseconds wait_for_render = std::chrono::seconds(2))
      : capacity_(capacity), wait_for_render_(wait_for_render) {}

  Lookup Find(const std::string& key, Clock::time_point now = Clock::now());
  // The kept page when Find would give it without asking anyone to render or wait; never blocks
  // beyond the lock.
  std::optional<Response> Peek(const std::string& key, Clock::time_point now = Clock::now());
  void Put(const std::string& key, const Response& response, std::chrono::seconds lifetime,
           Clock::time_point now = Clock::now());
  void Abandon(const std::string& key);

 private:
  struct Entry {
    std::shared_ptr<const Response> response;  // shared, so that it is copied outside the lock
    Clock::time_point refresh_from;            // the first lookup from here on renders it again
    Clock::time_point expires;
  };
  size_t capacity_;
  std::chrono::milliseconds wait_for_render_;
  std::mutex mutex_;
  std::condition_variable rendered_;
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_set<std::string> rendering_;  // keys a caller is rendering now
};

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_PAGE_CACHE_H_
