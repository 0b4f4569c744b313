#include "http/work_pool.h"

#include <atomic>
#include <future>

#include "gtest/gtest.h"

namespace civicdesk::http {
namespace {

TEST(WorkPool, RefusesBeyondItsQueueAndRunsWhatItTook) {
  WorkPool pool(1, 2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> running;
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.TryPost([&] {
    running.set_value();
    released.wait();
    ++ran;
  }));
  running.get_future().wait();
  EXPECT_TRUE(pool.TryPost([&] { ++ran; }));
  EXPECT_TRUE(pool.TryPost([&] { ++ran; }));
  EXPECT_FALSE(pool.TryPost([&] { ++ran; }));  // two waiting: full
  EXPECT_EQ(pool.busy(), 3u);
  release.set_value();
  pool.Shutdown();  // runs the queued jobs to their end
  EXPECT_EQ(ran.load(), 3);
  EXPECT_FALSE(pool.TryPost([&] { ++ran; }));
}

}  // namespace
}  // namespace civicdesk::http
