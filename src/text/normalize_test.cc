#include "text/normalize.h"

#include <gtest/gtest.h>
#include <unicode/utf8.h>

#include <fstream>
#include <string>

namespace civicdesk::text {
namespace {

// Undoes the golden file's escapes: \u{XXXX}, \t, \n and \\.
std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char next = text[++i];
    if (next == 't') {
      out += '\t';
    } else if (next == 'n') {
      out += '\n';
    } else if (next == 'u' && i + 1 < text.size() && text[i + 1] == '{') {
      const size_t close = text.find('}', i);
      const auto code_point =
          static_cast<UChar32>(std::stoul(text.substr(i + 2, close - i - 2), nullptr, 16));
      char bytes[U8_MAX_LENGTH];
      int32_t length = 0;
      UBool error = false;
      U8_APPEND(reinterpret_cast<uint8_t*>(bytes), length, U8_MAX_LENGTH, code_point, error);
      EXPECT_FALSE(error) << text;
      out.append(bytes, static_cast<size_t>(length));
      i = close;
    } else {
      out += next;
    }
  }
  return out;
}

TEST(FoldForMatching, GoldenCases) {
  std::ifstream file(std::string(CIVICDESK_GOLDEN_DIR) + "/text/normalize.tsv");
  ASSERT_TRUE(file.good());
  std::string line;
  int number = 0;
  int cases = 0;
  while (std::getline(file, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << "normalize.tsv:" << number << " needs a tab";
    const std::string input = Unescape(line.substr(0, tab));
    const std::string expected = Unescape(line.substr(tab + 1));
    EXPECT_EQ(FoldForMatching(input), expected) << "normalize.tsv:" << number << " " << line;
    EXPECT_EQ(FoldForMatching(expected), expected) << "not idempotent, normalize.tsv:" << number;
    ++cases;
  }
  EXPECT_GE(cases, 25);
}

TEST(NormalizeInput, RefusesBadInputNamingTheField) {
  Result<std::string> empty = NormalizeInput(" \u3000\n", "text");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(empty.status().field(), "text");
  EXPECT_EQ(empty.status().message_id(), "text.empty");

  Result<std::string> invalid = NormalizeInput("\xE7\xB7", "q");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().field(), "q");
  EXPECT_EQ(invalid.status().message_id(), "text.not_utf8");

  std::string huge(kMaxTextBytes + 1, 'a');
  Result<std::string> too_long = NormalizeInput(huge, "text");
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().message_id(), "text.too_long");
  EXPECT_EQ(too_long.status().arg("limit"), "1 MiB");

  std::string control_only = std::string("\x01\x02\x7F", 3);
  EXPECT_FALSE(NormalizeInput(control_only, "text").ok());
  EXPECT_TRUE(NormalizeInput("", "q", true).ok());

  // A 1 MB opinion is accepted and folded.
  std::string large;
  while (large.size() + 9 <= kMaxTextBytes) large += "ＡＢＣ";
  Result<std::string> folded = NormalizeInput(large, "text");
  ASSERT_TRUE(folded.ok());
  EXPECT_EQ(folded->substr(0, 6), "abcabc");
}

// CheckInput skips folding when a character folding always keeps is present; its answer must be
// NormalizeInput's for every text, those it skips and those it folds.
TEST(CheckInput, AnswersAsNormalizeInput) {
  const std::vector<std::string> texts = {"緑を増やしてください",
                                          "ひらがな",
                                          "カタカナ",
                                          "abc",
                                          " \u3000\n",
                                          std::string("\x01\x02\x7F", 3),
                                          "\u200B\u200B",
                                          "\uFEFF",
                                          "\xE7\xB7",
                                          "",
                                          "ﾃｽﾄ",
                                          "①",
                                          "\u309B",
                                          "\u00AD",
                                          "\u3000緑\u3000",
                                          "\U0001F333",
                                          "\u2060\u2061",
                                          "!",
                                          " \t",
                                          "\u309B\u309C",
                                          std::string(kMaxTextBytes + 1, 'a'),
                                          std::string(kMaxTextBytes, 'a')};
  for (const std::string& text : texts) {
    const Result<std::string> folded = NormalizeInput(text, "text");
    const Status checked = CheckInput(text, "text");
    EXPECT_EQ(checked.ok(), folded.ok()) << text.substr(0, 40);
    if (!folded.ok()) {
      EXPECT_EQ(checked.message_id(), folded.status().message_id()) << text.substr(0, 40);
      EXPECT_EQ(checked.field(), "text");
    }
  }
  EXPECT_EQ(CheckInput(std::string("\x01\x02", 2), "text").message_id(), "text.empty");
}

TEST(CharacterBoundaries, CountsCodePoints) {
  std::vector<size_t> boundaries = CharacterBoundaries("緑a🌳");
  EXPECT_EQ(boundaries, (std::vector<size_t>{0, 3, 4, 8}));
}

}  // namespace
}  // namespace civicdesk::text
