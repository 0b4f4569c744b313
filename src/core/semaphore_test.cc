#include "core/semaphore.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace civicdesk {
namespace {

TEST(Semaphore, AcquireWaitsForARelease) {
  Semaphore semaphore;
  std::atomic<bool> acquired{false};
  std::thread waiter([&] {
    semaphore.Acquire();
    acquired = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(acquired.load());
  semaphore.Release();
  waiter.join();
  EXPECT_TRUE(acquired.load());
}

TEST(Semaphore, ReleasingNWakesNWaitersAndKeepsTheRest) {
  Semaphore semaphore(1);  // one token to begin with
  std::atomic<int> through{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 5; ++i) {
    waiters.emplace_back([&] {
      semaphore.Acquire();
      ++through;
    });
  }
  semaphore.Release(3);
  for (int i = 0; i < 200 && through.load() < 4; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(through.load(), 4);  // 1 + 3 tokens: the fifth still waits
  semaphore.Release();
  for (std::thread& waiter : waiters) waiter.join();
  EXPECT_EQ(through.load(), 5);
}

}  // namespace
}  // namespace civicdesk
