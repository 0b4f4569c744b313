#ifndef CIVICDESK_HTTP_PAGE_CACHE_H_
#define CIVICDESK_HTTP_PAGE_CACHE_H_

#include <chrono>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "http/message.h"

namespace civicdesk::http {

// Finished responses of public pages, each kept for the seconds its handler allowed, for
// visitors who are not signed in. Thread-safe; at most `capacity` entries (when full, expired
// ones are dropped, then everything).
class PageCache {
 public:
  using Clock = std::chrono::steady_clock;

  explicit PageCache(size_t capacity = 2048) : capacity_(capacity) {}

  std::optional<Response> Get(const std::string& key, Clock::time_point now = Clock::now()) const;
  void Put(const std::string& key, const Response& response, std::chrono::seconds lifetime,
           Clock::time_point now = Clock::now());

 private:
  struct Entry {
    Response response;
    Clock::time_point expires;
  };
  size_t capacity_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_PAGE_CACHE_H_
