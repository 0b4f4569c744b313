#include "http/work_pool.h"

#include <algorithm>

namespace civicdesk::http {

WorkPool::WorkPool(int threads, size_t queue_limit) : queue_limit_(queue_limit) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Work(); });
}

WorkPool::~WorkPool() { Shutdown(); }

bool WorkPool::TryPost(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= queue_limit_) return false;
    queue_.push_back(std::move(job));
  }
  ready_.Release();
  return true;
}

void WorkPool::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  ready_.Release(static_cast<std::ptrdiff_t>(threads_.size()));
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  std::lock_guard lock(mutex_);
  threads_.clear();
}

size_t WorkPool::busy() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + running_;
}

void WorkPool::Work() {
  for (;;) {
    std::function<void()> job;
    {
      ready_.Acquire();
      std::lock_guard lock(mutex_);
      if (queue_.empty()) return;  // a shutdown token: nothing left to run
      job = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    job();
    job = nullptr;  // whatever it holds goes before the next job starts
    std::lock_guard lock(mutex_);
    --running_;
  }
}

}  // namespace civicdesk::http
