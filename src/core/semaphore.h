#ifndef CIVICDESK_CORE_SEMAPHORE_H_
#define CIVICDESK_CORE_SEMAPHORE_H_

#include <semaphore.h>

#include <cstddef>

namespace civicdesk {

// A counting semaphore on glibc's POSIX semaphore, which sleeps on a futex at once. Used where
// threads wait often and briefly (the handler pool, group commit): std::counting_semaphore in
// GCC 12 spins with sched_yield before it sleeps, which cost a tenth of the server's CPU under
// intake load. (Not a condition variable: under thousands of connections, pthread_cond_signal in
// Debian 12's glibc was seen to hang the I/O threads.) Thread-safe.
class Semaphore {
 public:
  explicit Semaphore(unsigned initial = 0);
  ~Semaphore();
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // Adds `count` tokens, waking as many waiters.
  void Release(std::ptrdiff_t count = 1);
  // Takes one token, sleeping until there is one.
  void Acquire();

 private:
  sem_t semaphore_;
};

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_SEMAPHORE_H_
