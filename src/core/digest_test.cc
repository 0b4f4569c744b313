#include "core/digest.h"

#include <gtest/gtest.h>

namespace civicdesk {
namespace {

TEST(Sha256Hex, IsWhatSha256sumPrints) {
  // printf %s abc | sha256sum
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// RFC 4231, test case 2.
TEST(HmacSha256Hex, MatchesRfc4231) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256Hex, ShortTextsDifferPerKey) {
  const std::string phone = "090-1234-5678";
  const std::string one = RandomHex(32);
  const std::string two = RandomHex(32);
  EXPECT_EQ(one.size(), 64u);
  EXPECT_NE(one, two);
  EXPECT_EQ(HmacSha256Hex(one, phone), HmacSha256Hex(one, phone));
  EXPECT_NE(HmacSha256Hex(one, phone), HmacSha256Hex(two, phone));
  EXPECT_NE(HmacSha256Hex(one, phone), Sha256Hex(phone));
}

}  // namespace
}  // namespace civicdesk
