#include "opendata/catalog.h"

#include <gtest/gtest.h>

#include <set>

#include "embedded/opendata_files.h"
#include "http/table_response.h"
#include "opendata/downloads.h"

namespace civicdesk::opendata {
namespace {

http::PublicDataset Kpis() {
  http::PublicDataset dataset;
  dataset.id = "plan-kpis";
  dataset.title = "基本計画の成果指標と実績";
  dataset.title_en = "Master plan KPIs";
  dataset.description = "成果指標ごとの実績と評価";
  dataset.tags = {"基本計画", "成果指標"};
  dataset.columns = {"code", "name"};
  return dataset;
}

// The catalog's Shift_JIS files are written by http's table writer.
TEST(Cp932, EncodesJapaneseAndMarksWhatItCannotHold) {
  Result<std::string> encoded = http::ToCp932("港区,ｶﾅ①\r\n");
  ASSERT_TRUE(encoded.ok());
  // 港 = 8D 60, 区 = 8B E6, half-width カ = B6, ① = 87 40 (an NEC extension CP932 has).
  EXPECT_EQ(*encoded, std::string("\x8D\x60\x8B\xE6,\xB6\xC5\x87\x40\r\n"));
  Result<std::string> emoji = http::ToCp932("緑🌳");
  ASSERT_TRUE(emoji.ok());
  EXPECT_EQ(*emoji, std::string("\x97\xCE\x81\xAC"));  // 緑 then 〓
}

TEST(CkanShapes, PackageCarriesResourcesLicenceAndOrganisation) {
  CatalogSettings settings;
  nlohmann::json package = PackageJson(Kpis(), settings, "http://example.jp");
  EXPECT_EQ(package["name"], "plan-kpis");
  EXPECT_EQ(package["license_id"], "cc-by-4.0");
  EXPECT_EQ(package["organization"]["name"], "minatoku");
  ASSERT_EQ(package["resources"].size(), 3u);
  EXPECT_EQ(package["resources"][0]["url"], "http://example.jp/opendata/files/plan-kpis.csv");
  EXPECT_EQ(package["resources"][0]["format"], "CSV");
  EXPECT_EQ(package["tags"][1]["name"], "成果指標");

  nlohmann::json dcat = DcatCatalog({Kpis()}, settings, "http://example.jp");
  EXPECT_EQ(dcat["@type"], "dcat:Catalog");
  EXPECT_EQ(dcat["dcat:dataset"][0]["dcat:distribution"].size(), 3u);
  EXPECT_EQ(dcat["dcat:dataset"][0]["dct:license"]["@id"], settings.license_url);
}

TEST(CatalogSearch, WordsAndFilters) {
  CatalogSettings settings;
  const http::PublicDataset dataset = Kpis();
  EXPECT_TRUE(MatchesSearch(dataset, settings, "成果指標", {}));
  EXPECT_TRUE(MatchesSearch(dataset, settings, "ＫＰＩｓ 実績", {}));  // width-folded, all words
  EXPECT_FALSE(MatchesSearch(dataset, settings, "成果指標 施設", {}));
  EXPECT_TRUE(MatchesSearch(dataset, settings, "", {{"tags", "成果指標"}}));
  EXPECT_FALSE(MatchesSearch(dataset, settings, "", {{"tags", "施設"}}));
  EXPECT_FALSE(MatchesSearch(dataset, settings, "", {{"organization", "tokyo"}}));

  Result<std::vector<FilterTerm>> fq =
      ParseFilterQuery("organization:minatoku AND tags:\"成果指標\"");
  ASSERT_TRUE(fq.ok());
  ASSERT_EQ(fq->size(), 2u);
  EXPECT_EQ((*fq)[1].value, "成果指標");
  Status unknown = ParseFilterQuery("res_format:CSV").status();
  EXPECT_EQ(unknown.field(), "fq");
  EXPECT_EQ(unknown.message_id(), "opendata.fq_field_unknown");
  EXPECT_EQ(unknown.arg("field"), "res_format");
  EXPECT_EQ(ParseFilterQuery("tags:\"unclosed").status().message_id(),
            "opendata.fq_quote_unclosed");
  EXPECT_EQ(ParseFilterQuery("tags:").status().message_id(), "opendata.fq_value_empty");
  EXPECT_EQ(ParseFilterQuery("tags").status().message_id(), "opendata.fq_colon_missing");
}

TEST(StandardDataset, LeadingColumnsComeFirst) {
  http::PublicDataset dataset = Kpis();
  dataset.standard = "オープンデータ一覧";
  EXPECT_EQ(
      PublishedColumns(dataset),
      (std::vector<std::string>{"全国地方公共団体コード", "ID", "地方公共団体名", "code", "name"}));
}

TEST(MonthlyAverage, PerFiscalYearOverTheMonthsCounted) {
  // Counting began in 2025-10. FY2025 (Oct–Mar, 6 months), FY2026 up to November (8 months).
  std::map<std::string, int64_t> monthly = {
      {"2025-10", 2000}, {"2026-01", 1000}, {"2026-03", 600}, {"2026-04", 4000}, {"2026-11", 4000}};
  std::map<int, double> averages = MonthlyAverageByFiscalYear(monthly, MakeDate(2026, 11, 22));
  ASSERT_EQ(averages.size(), 2u);
  EXPECT_EQ(averages[2025], 600);   // 3,600 / 6
  EXPECT_EQ(averages[2026], 1000);  // 8,000 / 8
  EXPECT_TRUE(MonthlyAverageByFiscalYear({}, MakeDate(2026, 11, 22)).empty());
}

std::set<std::string> MessageIds(std::string_view path) {
  std::optional<std::string_view> content = opendata_files::FindEmbeddedFile(path);
  EXPECT_TRUE(content.has_value()) << path;
  std::set<std::string> ids;
  if (!content) return ids;
  const nlohmann::json messages = nlohmann::json::parse(*content);
  for (const auto& [id, text] : messages.items()) ids.insert(id);
  return ids;
}

TEST(OpendataMessages, JapaneseAndEnglishHoldTheSameIds) {
  EXPECT_EQ(MessageIds("messages/ja.json"), MessageIds("messages/en.json"));
}

}  // namespace
}  // namespace civicdesk::opendata
