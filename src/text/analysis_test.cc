#include "text/analysis.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>

namespace civicdesk::text {
namespace {

const std::string kLetterA =
    "私は港区の住民です。羽田空港の新飛行経路について、区は国に対して騒音対策と安全対策を強く"
    "求めてください。区民への説明会も十分に開かれておらず、住民の理解は得られていません。";
const std::string kLetterB =
    "高輪地区の再開発計画では、既存の樹木を可能な限り保存し、新たな緑地を確保することを計画に"
    "明記してください。子どもたちが遊べる広場も必要です。";

// A copy of `letter` with `edits` characters replaced, as people do when they sign a form
// letter: a name, a district, a word.
std::string Edited(const std::string& letter, int edits, std::mt19937& random) {
  std::u32string wide;
  for (size_t i = 0; i < letter.size();) {
    unsigned char c = letter[i];
    size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t code = length == 1 ? c : c & (0xFF >> (length + 1));
    for (size_t k = 1; k < length; ++k) code = (code << 6) | (letter[i + k] & 0x3F);
    wide += code;
    i += length;
  }
  const std::u32string replacements = U"芝麻布赤坂高輪港南あいうえお";
  for (int e = 0; e < edits; ++e)
    wide[random() % wide.size()] = replacements[random() % replacements.size()];
  std::string out;
  for (char32_t code : wide) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }
  return out;
}

const std::vector<std::string> kDistinct = {
    "図書館の開館時間を夜9時まで延長してほしい。",
    "コミュニティバスの本数が少なく、高齢者には不便です。",
    "区立小学校の体育館に冷房を設置してください。",
    "商店街のキャッシュレス決済の導入を支援してほしい。",
    "外国人住民向けの日本語教室を増やしてほしい。",
};

size_t GroupOf(const Analysis& analysis, size_t item) {
  for (size_t g = 0; g < analysis.groups.size(); ++g) {
    const auto& items = analysis.groups[g].items;
    if (std::find(items.begin(), items.end(), item) != items.end()) return g;
  }
  return SIZE_MAX;
}

class AnalysisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937 random(42);
    for (int i = 0; i < 30; ++i) Add(kLetterA);                     // items 0-29: exact copies
    for (int i = 0; i < 20; ++i) Add(Edited(kLetterA, 3, random));  // 30-49: small edits
    Add("　" + kLetterA + "\n");                                    // 50: white space only differs
    for (int i = 0; i < 8; ++i) Add(Edited(kLetterB, 2, random));   // 51-58
    for (const std::string& text : kDistinct) Add(text);            // 59-63
    Add("公園の緑を増やしてほしい。木陰のベンチも欲しい。");        // 64
    Add("緑の多い公園を増やしてください。ベンチのある木陰が欲しい。");      // 65
    Add("ごみの分別が分かりにくい。", "分別の案内を多言語で作成します。");  // 66
    Add("資源回収の日を増やして。", "分別の案内を多言語で作成します。");    // 67
  }
  void Add(const std::string& text, const std::string& response = "") {
    texts_.push_back(text);
    const std::string& stored_text = texts_.back();
    texts_.push_back(response);
    inputs_.push_back({stored_text, texts_.back()});
  }
  std::deque<std::string> texts_;  // keeps the viewed texts in place
  std::vector<AnalysisInput> inputs_;
};

TEST_F(AnalysisTest, FindsFormLettersWithTheirSizeAndTemplate) {
  Result<Analysis> analysis = Analyze(inputs_, AnalysisOptions{});
  ASSERT_TRUE(analysis.ok()) << analysis.status().message();
  ASSERT_EQ(analysis->campaigns.size(), 2u);
  const Campaign& a = analysis->campaigns[0];
  EXPECT_EQ(a.items.size(), 51u);  // all planted copies and edits of letter A
  EXPECT_EQ(a.exact_copies, 31u);
  EXPECT_EQ(inputs_[a.template_item].text, kLetterA);
  EXPECT_EQ(analysis->campaigns[1].items.size(), 8u);
  for (size_t item = 59; item < inputs_.size(); ++item) {
    for (const Campaign& campaign : analysis->campaigns) {
      EXPECT_EQ(std::count(campaign.items.begin(), campaign.items.end(), item), 0) << item;
    }
  }
}

TEST_F(AnalysisTest, GroupsSayTheSameThingAndShowTheSharedTerms) {
  Result<Analysis> analysis = Analyze(inputs_, AnalysisOptions{});
  ASSERT_TRUE(analysis.ok());
  const size_t parks = GroupOf(*analysis, 64);
  ASSERT_NE(parks, SIZE_MAX);
  EXPECT_EQ(GroupOf(*analysis, 65), parks);
  const Group& group = analysis->groups[parks];
  EXPECT_EQ(group.items, (std::vector<size_t>{64, 65}));
  EXPECT_EQ(group.reason, "terms");
  for (const char* term : {"公園", "緑", "木陰", "ベンチ"})
    EXPECT_NE(std::find(group.terms.begin(), group.terms.end(), term), group.terms.end()) << term;

  const size_t sorting = GroupOf(*analysis, 66);
  ASSERT_NE(sorting, SIZE_MAX);
  EXPECT_EQ(GroupOf(*analysis, 67), sorting);
  EXPECT_EQ(analysis->groups[sorting].reason, "response");

  for (size_t item = 59; item < 64; ++item) EXPECT_EQ(GroupOf(*analysis, item), SIZE_MAX) << item;
  EXPECT_EQ(GroupOf(*analysis, 0), GroupOf(*analysis, 40));  // a campaign is one group
}

TEST_F(AnalysisTest, ThresholdsCanBeTuned) {
  AnalysisOptions strict;
  strict.group_threshold = 0.99;
  strict.min_campaign_size = 60;
  Result<Analysis> analysis = Analyze(inputs_, strict);
  ASSERT_TRUE(analysis.ok());
  EXPECT_TRUE(analysis->campaigns.empty());
  EXPECT_EQ(GroupOf(*analysis, 64), SIZE_MAX);
  EXPECT_NE(GroupOf(*analysis, 66), SIZE_MAX);  // a shared answer does not depend on wording
}

TEST(Analyze, EmptyInputAndEmptyTexts) {
  Result<Analysis> none = Analyze({}, AnalysisOptions{});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->groups.empty());
  Result<Analysis> blanks = Analyze({{"", ""}, {"\u3000", ""}, {"。", ""}}, AnalysisOptions{});
  ASSERT_TRUE(blanks.ok());
  EXPECT_EQ(blanks->unique_texts, 1u);
}

}  // namespace
}  // namespace civicdesk::text
