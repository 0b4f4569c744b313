#include "http/rate_limit.h"

#include <gtest/gtest.h>

namespace civicdesk::http {
namespace {

using std::chrono::seconds;

TEST(RateLimiter, AllowsTheLimitPerWindowPerAddress) {
  RateLimiter limiter(3, seconds(60));
  const RateLimiter::Clock::time_point start{};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("192.0.2.1", start + seconds(i)));
  EXPECT_FALSE(limiter.Allow("192.0.2.1", start + seconds(10)));
  EXPECT_TRUE(limiter.Allow("192.0.2.2", start + seconds(10)));  // another address
  // A minute after the first, one slot is free again; refused attempts did not use one.
  EXPECT_TRUE(limiter.Allow("192.0.2.1", start + seconds(60)));
  EXPECT_FALSE(limiter.Allow("192.0.2.1", start + std::chrono::milliseconds(60500)));
  EXPECT_TRUE(limiter.Allow("192.0.2.1", start + seconds(300)));
}

TEST(RateLimiter, ZeroMeansNoLimit) {
  RateLimiter limiter(0, seconds(60));
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Allow("192.0.2.1"));
}

}  // namespace
}  // namespace civicdesk::http
