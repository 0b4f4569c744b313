#include "http/page_cache.h"

#include <algorithm>

namespace civicdesk::http {

PageCache::Lookup PageCache::Find(const std::string& key, Clock::time_point now) {
  std::shared_ptr<const Response> kept;
  {
    std::unique_lock lock(mutex_);
    const auto wait_until = Clock::now() + wait_for_render_;
    while (true) {
      auto found = entries_.find(key);
      // A page never kept may be one that is never cached (every /healthz): nobody waits for it.
      if (found == entries_.end()) return {std::nullopt, rendering_.insert(key).second};
      if (found->second.expires > now) {
        if (found->second.refresh_from <= now && rendering_.insert(key).second) {
          return {std::nullopt, true};
        }
        kept = found->second.response;
        break;
      }
      if (rendering_.insert(key).second) return {std::nullopt, true};
      // Someone is rendering the expired page again: wait for their result, but not for ever.
      if (rendered_.wait_until(lock, wait_until) == std::cv_status::timeout) return {};
      now = std::max(now, Clock::now());
    }
  }
  return {*kept, false};  // the copy is made outside the lock
}

std::optional<Response> PageCache::Peek(const std::string& key, Clock::time_point now) {
  std::shared_ptr<const Response> kept;
  {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end() || found->second.expires <= now) return std::nullopt;
    if (found->second.refresh_from <= now && !rendering_.count(key)) return std::nullopt;
    kept = found->second.response;
  }
  return *kept;
}

void PageCache::Put(const std::string& key, const Response& response, std::chrono::seconds lifetime,
                    Clock::time_point now) {
  auto kept = std::make_shared<const Response>(response);
  {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_ && !entries_.count(key)) {
      std::erase_if(entries_, [&](const auto& entry) { return entry.second.expires <= now; });
      if (entries_.size() >= capacity_) entries_.clear();
    }
    const Clock::duration kept_for = lifetime;
    entries_[key] = {std::move(kept), now + kept_for - kept_for / 5, now + kept_for};
    rendering_.erase(key);
  }
  rendered_.notify_all();
}

void PageCache::Abandon(const std::string& key) {
  {
    std::lock_guard lock(mutex_);
    rendering_.erase(key);
  }
  rendered_.notify_all();
}

}  // namespace civicdesk::http
