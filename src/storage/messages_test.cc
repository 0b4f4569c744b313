// The storage catalogs: both languages hold the same ids, and every "storage.*" id the code names
// is in them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "embedded/storage_files.h"

namespace civicdesk::storage {
namespace {

nlohmann::json Catalog(std::string_view language) {
  std::optional<std::string_view> text =
      storage_files::FindEmbeddedFile("messages/" + std::string(language) + ".json");
  EXPECT_TRUE(text.has_value()) << language;
  return text ? nlohmann::json::parse(*text) : nlohmann::json::object();
}

std::set<std::string> Keys(const nlohmann::json& catalog) {
  std::set<std::string> keys;
  for (const auto& [key, text] : catalog.items()) {
    EXPECT_TRUE(text.is_string()) << key;
    EXPECT_EQ(key.rfind("storage.", 0), 0u) << key;
    keys.insert(key);
  }
  return keys;
}

TEST(StorageMessages, BothLanguagesHoldTheSameIds) {
  EXPECT_EQ(Keys(Catalog("ja")), Keys(Catalog("en")));
}

TEST(StorageMessages, EveryIdTheCodeNamesIsInTheCatalog) {
  const std::set<std::string> keys = Keys(Catalog("ja"));
  const std::regex id_literal("\"(storage\\.[a-z0-9_]+)\"");
  int found = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(CIVICDESK_STORAGE_SOURCE_DIR)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".cc") || name.ends_with("_test.cc")) continue;
    std::ifstream file(entry.path());
    std::stringstream source;
    source << file.rdbuf();
    const std::string text = source.str();
    for (std::sregex_iterator it(text.begin(), text.end(), id_literal), end; it != end; ++it) {
      ++found;
      EXPECT_TRUE(keys.contains((*it)[1].str())) << name << ": " << (*it)[1].str();
    }
  }
  EXPECT_GT(found, 5);
}

}  // namespace
}  // namespace civicdesk::storage
