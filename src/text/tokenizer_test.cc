#include "text/tokenizer.h"

#include <gtest/gtest.h>

#include <thread>

namespace civicdesk::text {
namespace {

Tokenizer& Shared() {
  Result<Tokenizer*> tokenizer = Tokenizer::Shared();
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status().message();
  return **tokenizer;
}

std::vector<std::string> SurfacesOf(std::string_view text) {
  std::vector<std::string_view> views;
  Shared().Surfaces(text, views);
  return {views.begin(), views.end()};
}

TEST(Tokenizer, SplitsJapaneseIntoMorphemes) {
  EXPECT_EQ(SurfacesOf("公園の緑を守ってほしい"),
            (std::vector<std::string>{"公園", "の", "緑", "を", "守っ", "て", "ほしい"}));
  std::vector<Token> tokens = Shared().Tokenize("防災訓練に参加した");
  ASSERT_GE(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].surface, "防災");
  EXPECT_EQ(tokens[0].pos, "名詞");
  EXPECT_TRUE(tokens[0].content);
  EXPECT_EQ(tokens[2].surface, "に");
  EXPECT_FALSE(tokens[2].content);
}

TEST(Tokenizer, ContentWordsAreDictionaryFormsOfMeaningfulWords) {
  EXPECT_EQ(Shared().ContentWords("飛行機の騒音が気になっている。"),
            (std::vector<std::string>{"飛行機", "騒音", "気"}));
  EXPECT_EQ(Shared().ContentWords("ごみを減らした"), (std::vector<std::string>{"ごみ", "減らす"}));
  EXPECT_TRUE(Shared().ContentWords("").empty());
}

TEST(Tokenizer, EachThreadGetsItsOwnTagger) {
  const std::string text = "区は、みなと環境にやさしい事業者会議と連携し、脱炭素化を進めます。";
  const std::vector<std::string> expected = SurfacesOf(text);
  std::vector<std::vector<std::string>> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) results[t] = SurfacesOf(text);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, expected);
}

TEST(CharacterNgrams, SlidesOverCodePoints) {
  EXPECT_EQ(CharacterNgrams("防災訓練", 2),
            (std::vector<std::string_view>{"防災", "災訓", "訓練"}));
  EXPECT_EQ(CharacterNgrams("緑", 2), (std::vector<std::string_view>{"緑"}));
  EXPECT_TRUE(CharacterNgrams("", 2).empty());
}

}  // namespace
}  // namespace civicdesk::text
