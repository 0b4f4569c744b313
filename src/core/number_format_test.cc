#include "core/number_format.h"

#include <gtest/gtest.h>

namespace civicdesk {
namespace {

TEST(GroupThousands, SeparatesEveryThreeDigits) {
  EXPECT_EQ(GroupThousands(0), "0");
  EXPECT_EQ(GroupThousands(999), "999");
  EXPECT_EQ(GroupThousands(1000), "1,000");
  EXPECT_EQ(GroupThousands(200000), "200,000");
  EXPECT_EQ(GroupThousands(-1234567), "-1,234,567");
  EXPECT_EQ(GroupThousands(std::numeric_limits<int64_t>::min()), "-9,223,372,036,854,775,808");
}

TEST(ParseWholeNumber, ExactDigitsWithinRange) {
  EXPECT_EQ(ParseWholeNumber("2025"), 2025);
  EXPECT_EQ(ParseWholeNumber("-5"), -5);
  EXPECT_EQ(ParseWholeNumber("2025", 2000, 2200), 2025);
  EXPECT_FALSE(ParseWholeNumber("1999", 2000, 2200));
  EXPECT_FALSE(ParseWholeNumber(""));
  EXPECT_FALSE(ParseWholeNumber("12a"));
  EXPECT_FALSE(ParseWholeNumber(" 12"));
  EXPECT_FALSE(ParseWholeNumber("1,000"));
  EXPECT_FALSE(ParseWholeNumber("99999999999999999999"));
}

}  // namespace
}  // namespace civicdesk
