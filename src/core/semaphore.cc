#include "core/semaphore.h"

#include <cerrno>
#include <cstdlib>

namespace civicdesk {

Semaphore::Semaphore(unsigned initial) {
  // Fails only for a value above SEM_VALUE_MAX, a programming error.
  if (sem_init(&semaphore_, 0, initial) != 0) std::abort();
}

Semaphore::~Semaphore() { sem_destroy(&semaphore_); }

void Semaphore::Release(std::ptrdiff_t count) {
  for (std::ptrdiff_t i = 0; i < count; ++i) sem_post(&semaphore_);
}

void Semaphore::Acquire() {
  while (sem_wait(&semaphore_) != 0 && errno == EINTR) {
  }
}

}  // namespace civicdesk
