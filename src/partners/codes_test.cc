#include "partners/codes.h"

#include <gtest/gtest.h>

#include "partners/lottery.h"

namespace civicdesk::partners {
namespace {

TEST(LocalGovernmentCode, CheckDigits) {
  EXPECT_EQ(LocalGovernmentCheckDigit("13103"), 2);  // 港区 131032
  EXPECT_EQ(LocalGovernmentCheckDigit("21219"), 9);  // 郡上市 212199
  EXPECT_EQ(LocalGovernmentCheckDigit("01516"), 4);  // 豊富町 015164
  EXPECT_EQ(*ValidateLocalGovernmentCode("131032"), "131032");
  EXPECT_EQ(*ValidateLocalGovernmentCode("１３１０３２"), "131032");
  Result<std::string> wrong = ValidateLocalGovernmentCode("131033", "code");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().field(), "code");
  EXPECT_EQ(wrong.status().message_id(), "partners.local_government_check_digit");
  EXPECT_EQ(wrong.status().arg("expected"), "2");
  EXPECT_FALSE(ValidateLocalGovernmentCode("13103a").ok());
  EXPECT_FALSE(ValidateLocalGovernmentCode("1310").ok());
  EXPECT_FALSE(ValidateLocalGovernmentCode("1310322").ok());
}

TEST(LocalGovernmentCode, FiveDigitsWithoutTheCheckDigitGetIt) {
  EXPECT_EQ(*ValidateLocalGovernmentCode("13103"), "131032");
  EXPECT_EQ(*ValidateLocalGovernmentCode("１３１０３"), "131032");
  EXPECT_EQ(*ValidateLocalGovernmentCode("01516"), "015164");
  EXPECT_EQ(*ValidateLocalGovernmentCode("21219"), "212199");
  // Every five digits get the one check digit that the six-digit check then accepts.
  for (const char* five : {"00000", "47382", "99999", "11002", "27100"}) {
    Result<std::string> code = ValidateLocalGovernmentCode(five);
    ASSERT_TRUE(code.ok()) << five;
    EXPECT_EQ(code->substr(0, 5), five);
    EXPECT_TRUE(ValidateLocalGovernmentCode(*code).ok()) << *code;
  }
}

TEST(LocalGovernmentCode, PrefectureNumbers) {
  EXPECT_EQ(PrefectureNumber("北海道"), 1);
  EXPECT_EQ(PrefectureNumber("東京都"), 13);
  EXPECT_EQ(PrefectureNumber("東京"), 13);
  EXPECT_EQ(PrefectureNumber("京都府"), 26);
  EXPECT_EQ(PrefectureNumber("京都"), 26);
  EXPECT_EQ(PrefectureNumber("沖縄県"), 47);
  EXPECT_EQ(PrefectureNumber(" 岐阜県 "), 21);
  EXPECT_EQ(PrefectureNumber("港区"), 0);
  EXPECT_EQ(PrefectureNumber(""), 0);
}

TEST(CorporateNumber, CheckDigits) {
  // 国税庁's own corporate number.
  EXPECT_EQ(CorporateNumberCheckDigit("000012050002"), 7);
  EXPECT_EQ(*ValidateCorporateNumber("7000012050002"), "7000012050002");
  EXPECT_EQ(*ValidateCorporateNumber("7-0000-1205-0002"), "7000012050002");
  EXPECT_EQ(*ValidateCorporateNumber("７００００１２０５０００２"), "7000012050002");
  Result<std::string> wrong = ValidateCorporateNumber("1000012050002");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().field(), "corporate_number");
  EXPECT_EQ(wrong.status().message_id(), "partners.corporate_number_check_digit");
  EXPECT_EQ(wrong.status().arg("expected"), "7");
  EXPECT_FALSE(ValidateCorporateNumber("700001205000").ok());
}

TEST(Lottery, SameSeedSameResultWhateverTheOrder) {
  const std::vector<std::string> applicants = {"WK2026-0001", "WK2026-0002", "WK2026-0003",
                                               "WK2026-0004", "WK2026-0005"};
  const auto first = DrawLottery("2026-06-15 公開抽選", applicants, 2);
  const auto again =
      DrawLottery("2026-06-15 公開抽選", {applicants.rbegin(), applicants.rend()}, 2);
  ASSERT_EQ(first.size(), 5u);
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].applicant, again[i].applicant);
    EXPECT_EQ(first[i].hash_hex, again[i].hash_hex);
    EXPECT_EQ(first[i].won, i < 2);
  }
  EXPECT_EQ(first[0].hash_hex.size(), 64u);
  // A different seed gives a different order (for these five, checked once).
  const auto other = DrawLottery("another seed", applicants, 2);
  bool same_order = true;
  for (size_t i = 0; i < first.size(); ++i)
    same_order = same_order && first[i].applicant == other[i].applicant;
  EXPECT_FALSE(same_order);
}

}  // namespace
}  // namespace civicdesk::partners
