#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "embedded/text_files.h"
#include "http/templates.h"
#include "text/normalize.h"
#include "text/text_module.h"

namespace civicdesk::text {
namespace {

std::set<std::string> KeysOf(std::string_view path) {
  std::optional<std::string_view> content = text_files::FindEmbeddedFile(path);
  EXPECT_TRUE(content.has_value()) << path;
  std::set<std::string> keys;
  if (!content) return keys;
  const nlohmann::json messages = nlohmann::json::parse(*content);
  for (const auto& [key, value] : messages.items()) keys.insert(key);
  return keys;
}

TEST(TextMessages, JapaneseAndEnglishHoldTheSameIds) {
  EXPECT_EQ(KeysOf("messages/ja.json"), KeysOf("messages/en.json"));
}

TEST(TextMessages, AStatusReadsInEitherLanguage) {
  http::MessageCatalog catalog;
  ASSERT_TRUE(TextModule().messages(catalog).ok());
  catalog.Finalize();
  Status too_long = NormalizeInput(std::string(kMaxTextBytes + 1, 'a'), "text").status();
  EXPECT_EQ(catalog.Format("ja", too_long), "文章が長すぎます（1 MiB まで）");
  EXPECT_EQ(catalog.Format("en", too_long), "the text is longer than 1 MiB");
  Status not_utf8 = NormalizeInput("\xE7\xB7", "q").status();
  EXPECT_EQ(catalog.Format("ja", not_utf8), "文字コードが UTF-8 ではありません");
}

}  // namespace
}  // namespace civicdesk::text
