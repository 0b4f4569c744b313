#include "http/page_cache.h"

#include <mutex>

namespace civicdesk::http {

std::optional<Response> PageCache::Get(const std::string& key, Clock::time_point now) const {
  std::shared_lock lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end() || found->second.expires <= now) return std::nullopt;
  return found->second.response;
}

void PageCache::Put(const std::string& key, const Response& response, std::chrono::seconds lifetime,
                    Clock::time_point now) {
  std::unique_lock lock(mutex_);
  if (entries_.size() >= capacity_ && !entries_.count(key)) {
    std::erase_if(entries_, [&](const auto& entry) { return entry.second.expires <= now; });
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_[key] = {response, now + lifetime};
}

}  // namespace civicdesk::http
