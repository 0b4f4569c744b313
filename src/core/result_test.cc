#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace civicdesk {
namespace {

Result<int> ParsePositive(int value) {
  if (value <= 0)
    return Status::InvalidArgument("core.test_positive", {{"value", std::to_string(value)}},
                                   "value");
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
  EXPECT_EQ(bad.status().message_id(), "core.test_positive");
  EXPECT_EQ(bad.status().arg("value"), "-1");
  EXPECT_EQ(bad.status().ToString(), "value: core.test_positive{value=-1}");
  EXPECT_EQ(bad.status().WithContext("file.csv").WithField("line 3").ToString(),
            "file.csv: line 3: core.test_positive{value=-1}");
}

Result<int> Doubled(int value) {
  CIVICDESK_ASSIGN_OR_RETURN(int positive, ParsePositive(value));
  return positive * 2;
}

Status CheckBoth(int a, int b) {
  CIVICDESK_RETURN_IF_ERROR(ParsePositive(a).status());
  CIVICDESK_RETURN_IF_ERROR(ParsePositive(b).status());
  return Status::Ok();
}

TEST(Result, MacrosReturnTheFirstFailure) {
  EXPECT_EQ(*Doubled(4), 8);
  EXPECT_EQ(Doubled(-2).status().arg("value"), "-2");
  EXPECT_TRUE(CheckBoth(1, 2).ok());
  EXPECT_EQ(CheckBoth(1, -5).arg("value"), "-5");
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
