#include "consultation/personal_data.h"

#include <gtest/gtest.h>

namespace civicdesk::consultation {
namespace {

std::vector<std::string> Kinds(const std::string& text) {
  std::vector<std::string> kinds;
  for (const PersonalDataFinding& finding : FindPersonalData(text))
    kinds.push_back(finding.kind + ":" + finding.excerpt);
  return kinds;
}

TEST(PersonalData, FlagsContactDetailsInJapaneseText) {
  EXPECT_EQ(Kinds("連絡は taro.minato@example.jp まで"),
            (std::vector<std::string>{"email:taro.minato@example.jp"}));
  EXPECT_EQ(Kinds("電話は03-3578-2111です"), (std::vector<std::string>{"phone:03-3578-2111"}));
  EXPECT_EQ(Kinds("携帯０９０－１２３４－５６７８へ"),
            (std::vector<std::string>{"phone:０９０－１２３４－５６７８"}));
  EXPECT_EQ(Kinds("芝公園1丁目5番25号に住んでいます"),
            (std::vector<std::string>{"address:芝公園1丁目5番25号"}));
  EXPECT_EQ(Kinds("港区の田中一郎様より"), (std::vector<std::string>{"name:田中一郎様"}));
  EXPECT_EQ(Kinds("私は山田です。"), (std::vector<std::string>{"name:山田"}));
}

TEST(PersonalData, LeavesOrdinaryOpinionsAlone) {
  EXPECT_TRUE(
      FindPersonalData("2050年ゼロカーボンシティの達成としているが、2050年では遅すぎる。").empty());
  EXPECT_TRUE(FindPersonalData("羽田空港周辺の飛行機の騒音が気になっている。").empty());
  EXPECT_TRUE(FindPersonalData("素案64ページに騒音に関する現状を記載しています。").empty());
}

TEST(PersonalData, MaskReplacesEveryFinding) {
  std::string text = "田中様、電話03-1234-5678、メール a@b.jp";
  EXPECT_EQ(MaskPersonalData(text, FindPersonalData(text)),
            "（個人情報のため削除）、電話（個人情報のため削除）、メール （個人情報のため削除）");
}

}  // namespace
}  // namespace civicdesk::consultation
