// Issue 7: every UI string lives in a message catalog. For the templates of every module: each
// {{msg.key}} exists in Japanese and in English, the two catalogs have the same keys, and no text
// outside mustache tags holds words (only the allowed language names and marks).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

namespace civicdesk::app {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Module → language → keys.
std::set<std::string> Keys(const std::string& language) {
  std::set<std::string> keys;
  for (const auto& module : fs::directory_iterator(fs::path(CIVICDESK_SOURCE_DIR) / "src")) {
    const fs::path catalog = module.path() / "messages" / (language + ".json");
    if (!fs::exists(catalog)) continue;
    nlohmann::json messages = nlohmann::json::parse(Read(catalog));
    for (const auto& [key, value] : messages.items()) {
      EXPECT_TRUE(value.is_string()) << catalog << ": " << key;
      // Only Japanese must say something: a unit such as 件 may have no English word.
      if (language == "ja")
        EXPECT_FALSE(value.get<std::string>().empty()) << catalog << ": " << key;
      keys.insert(key);
    }
  }
  return keys;
}

std::vector<fs::path> Templates() {
  std::vector<fs::path> templates;
  for (const auto& module : fs::directory_iterator(fs::path(CIVICDESK_SOURCE_DIR) / "src")) {
    const fs::path directory = module.path() / "templates";
    if (!fs::exists(directory)) continue;
    for (const auto& file : fs::directory_iterator(directory))
      if (file.path().extension() == ".mustache") templates.push_back(file.path());
  }
  return templates;
}

TEST(MessageCatalogs, JapaneseAndEnglishHaveTheSameKeys) {
  const std::set<std::string> japanese = Keys("ja");
  const std::set<std::string> english = Keys("en");
  ASSERT_GT(japanese.size(), 100u);
  for (const std::string& key : japanese) EXPECT_TRUE(english.count(key)) << "no English: " << key;
  for (const std::string& key : english) EXPECT_TRUE(japanese.count(key)) << "no Japanese: " << key;
}

TEST(MessageCatalogs, EveryTemplateStringComesFromTheCatalogs) {
  const std::set<std::string> japanese = Keys("ja");
  const std::regex message_key(R"(\{\{\{?\s*msg\.([A-Za-z0-9_]+))");
  // Text a template may hold as it is: the other language's own name, and marks.
  const std::set<std::string> allowed = {"English", "日本語", "Website",      "XLSX",
                                         "ID",      "CSV",    "TSV",          "PDF",
                                         "Excel",   "No",     "package_list", "package_show"};
  const std::regex tag(R"(<[^>]*>|\{\{[^}]*\}\}\}?)");
  const std::regex word(R"([A-Za-z][A-Za-z_]+|[^\x00-\x7F]+)");
  const std::vector<fs::path> templates = Templates();
  ASSERT_GT(templates.size(), 20u);
  for (const fs::path& path : templates) {
    const std::string text = Read(path);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), message_key);
         it != std::sregex_iterator(); ++it) {
      EXPECT_TRUE(japanese.count((*it)[1])) << path.filename() << ": msg." << (*it)[1];
    }
    const std::string visible = std::regex_replace(text, tag, " ");
    for (auto it = std::sregex_iterator(visible.begin(), visible.end(), word);
         it != std::sregex_iterator(); ++it) {
      const std::string found = (*it)[0];
      // Punctuation and symbols (→, −, ・, ✓, —, （）, 〜, ›) may stand alone; words may not.
      const bool symbol_only = std::regex_match(
          found,
          std::regex(
              R"(^(\xE2\x86\x92|\xE2\x88\x92|\xE3\x83\xBB|\xE2\x9C\x93|\xE2\x80\x94|\xEF\xBC\x88|\xEF\xBC\x89|\xE3\x80\x9C|\xE2\x80\xBA|\xC2\xB7|\xE3\x80\x81|\xEF\xBC\x9A)+$)"));
      EXPECT_TRUE(symbol_only || allowed.count(found))
          << path.filename() << ": 「" << found << "」 is not from a message catalog";
    }
  }
}

// The glossary of the design notes (DOMAIN.md, "Words"): where a Japanese string is one of its
// terms (alone or followed by a parenthesis), the English string uses the glossary's word.
TEST(MessageCatalogs, EnglishFollowsTheGlossary) {
  const std::vector<std::pair<std::string, std::string>> glossary = {
      {"基本計画", "master plan"},
      {"重点課題", "priority issue"},
      {"政策", "polic"},
      {"施策", "measure"},
      {"主な取組", "initiative"},
      {"成果指標", "indicator"},
      {"現状値", "baseline"},
      {"中間目標値", "mid-term target"},
      {"計画目標値", "final target"},
      {"関連計画", "related plan"},
      {"地区版計画書", "district plan"},
      {"意見募集", "consultation"},
      {"区民説明会", "town-hall meeting"},
      {"主な該当分野", "plan area"},
      {"回答部署", "responding"},
      {"区の考え方", "response"},
      {"対応状況", "status"},
      {"区民の声", "voice"},
      {"行政評価", "evaluation"},
      {"年度", "fiscal year"}};
  std::map<std::string, std::string> japanese, english;
  for (const auto& module : fs::directory_iterator(fs::path(CIVICDESK_SOURCE_DIR) / "src")) {
    for (auto [language, target] :
         {std::pair<std::string, std::map<std::string, std::string>*>{"ja", &japanese},
          {"en", &english}}) {
      const fs::path catalog = module.path() / "messages" / (language + ".json");
      if (!fs::exists(catalog)) continue;
      const nlohmann::json messages = nlohmann::json::parse(Read(catalog));
      for (const auto& [key, value] : messages.items()) (*target)[key] = value.get<std::string>();
    }
  }
  int checked = 0;
  for (const auto& [key, text] : japanese) {
    for (const auto& [term, word] : glossary) {
      if (text != term && text.rfind(term + "（", 0) != 0) continue;
      std::string lower = english[key];
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      EXPECT_NE(lower.find(word), std::string::npos)
          << key << ": 「" << text << "」 is " << english[key] << ", glossary: " << word;
      ++checked;
    }
  }
  EXPECT_GT(checked, 30);
}

}  // namespace
}  // namespace civicdesk::app
