#ifndef CIVICDESK_HTTP_WORK_POOL_H_
#define CIVICDESK_HTTP_WORK_POOL_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/semaphore.h"

namespace civicdesk::http {

// A fixed number of threads taking jobs from a queue of bounded length. The server runs request
// handlers on one and streamed-body producers on another, never on its I/O threads.
// Thread-safe.
class WorkPool {
 public:
  // `threads` ≥ 1 threads; at most `queue_limit` jobs waiting beyond those running.
  WorkPool(int threads, size_t queue_limit);
  ~WorkPool();  // Shutdown()
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Queues `job`; false (and `job` dropped unrun) when the queue is full or the pool is shut down.
  [[nodiscard]] bool TryPost(std::function<void()> job);

  // Refuses new jobs, runs the ones queued and running to their end, and joins the threads.
  // Idempotent.
  void Shutdown();

  // Jobs waiting and running now.
  size_t busy() const;

 private:
  void Work();

  const size_t queue_limit_;
  mutable std::mutex mutex_;
  // One token per job queued, and one per thread at shutdown.
  Semaphore ready_;
  std::deque<std::function<void()>> queue_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_WORK_POOL_H_
