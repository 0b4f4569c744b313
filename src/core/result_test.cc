#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace civicdesk {
namespace {

Result<int> ParsePositive(int value) {
  if (value <= 0) return Status::InvalidArgument("正の数が必要です / must be positive", "value");
  return value;
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> good = ParsePositive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  EXPECT_TRUE(good.status().ok());

  Result<int> bad = ParsePositive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "value");
  EXPECT_EQ(bad.status().ToString(), "value: 正の数が必要です / must be positive");
}

TEST(Result, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<std::string>> result = std::make_unique<std::string>("区民");
  ASSERT_TRUE(result.ok());
  std::unique_ptr<std::string> owned = std::move(result).value();
  EXPECT_EQ(*owned, "区民");
}

TEST(Status, MapsToHttpStatus) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(StatusCode::kTooManyRequests), 429);
  EXPECT_EQ(StatusCodeName(StatusCode::kConflict), "conflict");
}

}  // namespace
}  // namespace civicdesk
