// `kpi import`, `facilities import` and `partners import` through the shared pipeline, on both
// backends: clerks' headers, encodings and formats, the report as `import opinions` prints it,
// --dry-run, --mapping, --ignore-column, every bad row at once and nothing written.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "app/cli.h"
#include "core/tabular_import.h"
#include "facilities/import_columns.h"
#include "partners/import_columns.h"
#include "plan/import_columns.h"
#include "storage/testing.h"

namespace civicdesk::app {
namespace {

struct CommandRun {
  int exit_code = 0;
  std::string out;
  std::string err;
};

CommandRun Civicdesk(const std::vector<std::string>& words) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  CommandRun run;
  run.exit_code = RunCli(words, in, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::string Write(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream file(path, std::ios::binary);
  file << content;
  return path;
}

std::string Encode(const std::string& utf8, const char* encoding) {
  std::string out;
  EXPECT_TRUE(tabular::ConvertEncoding(utf8, "UTF-8", encoding, out)) << encoding;
  return out;
}

void ExpectAll(const std::string& text, std::initializer_list<const char*> expected) {
  for (const char* line : expected)
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
}

class ImportersTest : public ::testing::TestWithParam<std::string> {
 protected:
  ImportersTest() : database_(GetParam()) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(database_); }
  int64_t Count(const std::string& sql) {
    Result<storage::QueryResult> counted = database_->Query(sql);
    return counted.ok() ? storage::AsInt(counted->rows[0][0]) : -1;
  }
  storage::testing::TestDatabase database_;
};

// A KPI table as a clerk's Excel saves it (CP932): Japanese headers, a title above, a 和暦 year,
// a dash for a year not measured, a footnote below.
TEST_P(ImportersTest, KpiActualsWithAClerksHeadersAndEncoding) {
  const std::string file =
      Write("kpi.csv", Encode("成果指標の実績（令和5年度）\r\n"
                              "指標番号,指標名,年度,実績値,単位,目標値,出典\r\n"
                              "24-1-1,ちがう名前,令和3年度,３０,%,,区調べ\r\n"
                              "24-1-1,ちがう名前,2022,\"52.7\",％,,区調べ\r\n"
                              "24-1-1,ちがう名前,2023,－,%,,\r\n"
                              "※ 令和5年度は集計中\r\n",
                              "CP932"));
  CommandRun dry = Civicdesk({"kpi", "import", file, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  ExpectAll(dry.out, {"CP932", "見出し: 2行目", "読み込んだ行: 3", "書き込んだ行: 0", "--dry-run",
                      "列「指標番号」（1列目）→ code", "列「実績値」（4列目）→ value",
                      "列「目標値」（6列目）→ target", "3行目「実績値」: 「３０」→「30」",
                      "5行目「実績値」: 「－」→「」", "表の上の文（1行目）",
                      "表の下の文（6行目）: ※ 令和5年度は集計中", "row 5, value", "row 3, name"});
  CommandRun checked = Civicdesk({"kpi", "import", file, "--dry-run", "--db", database_.url()});
  ASSERT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_EQ(checked.out, dry.out);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM plan_kpi_actual"), 0);  // a dry run writes nothing

  CommandRun imported = Civicdesk({"kpi", "import", file, "--db", database_.url()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("imported 2 actuals"), std::string::npos) << imported.out;
  EXPECT_NE(imported.err.find("書き込んだ行: 2"), std::string::npos) << imported.err;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM plan_kpi_actual WHERE code = '24-1-1' AND "
                  "fiscal_year IN (2021, 2022)"),
            2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM plan_kpi_actual WHERE fiscal_year = 2023"), 0);

  // Every bad row at once, nothing written: a unit that differs, the same year twice, a bad year.
  const std::string bad = Write("bad-kpi.tsv",
                                "指標番号\t年度\t実績値\t単位\n"
                                "24-1-1\t2021\t31\t人\n"
                                "24-1-1\t2022\t50\t%\n"
                                "24-1-1\t2022\t51\t%\n"
                                "24-1-1\tそのうち\t1\t%\n"
                                "\t2022\t1\t%\n");
  CommandRun refused = Civicdesk({"kpi", "import", bad, "--db", database_.url()});
  EXPECT_EQ(refused.exit_code, 2);
  ExpectAll(refused.err, {"row 2, unit", "row 4, fiscal_year", "row 5, fiscal_year", "row 6, code",
                          "4件の誤り"});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM plan_kpi_actual"), 2);
}

// A register in UTF-16 TSV (Excel's 「Unicode テキスト」) with a column the register has no field
// for: refused by name, then left out by name and listed.
TEST_P(ImportersTest, FacilitiesFromUtf16TsvWithAColumnLeftOut) {
  const std::string file =
      Write("register.txt",
            "\xFF\xFE" + Encode("施設番号\t施設名\t施設分類\t延床面積（㎡）\t建築年度\t電話番号\n"
                                "A-1\t本庁舎\t行政系施設\t12,345\t1987\t03-1234-5678\n"
                                "A-2\t芝公園倉庫\t\t\t\t\n",
                                "UTF-16LE"));
  CommandRun refused = Civicdesk({"facilities", "import", file, "--db", database_.url()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("電話番号"), std::string::npos) << refused.err;

  CommandRun imported = Civicdesk({"facilities", "import", file, "--db", database_.url(),
                                   "--ignore-column", "電話番号", "--progress"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  ExpectAll(imported.err, {"UTF-16LE", "TSV", "書き込んだ行: 2", "読まなかった列「電話番号」",
                           "「12,345」→「12345」", "2/2行"});
  ExpectAll(imported.err, {"延床面積か建築年のない 1 施設", "施設分類のない 1 施設"});
  EXPECT_NE(imported.out.find("imported 2 facilities"), std::string::npos) << imported.out;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM facility WHERE sample = 0"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM facility WHERE id = 'A-1' AND floor_area_sqm = 12345"), 1);

  // Every bad row, nothing written.
  const std::string bad = Write("bad-register.csv",
                                "施設番号,名称,延床面積,建築年\n"
                                "B-1,体育館,-1,1990\n"
                                "B-2,,100,1990\n"
                                "B-1,図書館,100,3000\n");
  CommandRun every = Civicdesk({"facilities", "import", bad, "--db", database_.url()});
  EXPECT_EQ(every.exit_code, 2);
  ExpectAll(every.err, {"line 2: floor_area_sqm", "line 3: name", "line 4: id",
                        "line 4: year_built", "4件の誤り"});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM facility WHERE id LIKE 'B-%'"), 0);
}

// A real published list (焼津市, tests/real) goes in with every row and the names and numbers
// as published, and comes out of `facilities export` the same.
TEST_P(ImportersTest, RealYaizuListArrivesIntactAndExportsBack) {
  const std::string real = std::string(CIVICDESK_SOURCE_DIR) + "/tests/real/facilities/";
  std::vector<std::string> words = {"facilities",
                                    "import",
                                    real + "yaizu_sports_facilities.csv",
                                    "--db",
                                    database_.url(),
                                    "--mapping",
                                    real + "yaizu_sports_facilities.csv.mapping.json"};
  for (const char* column : {"都道府県コード又は市区町村コード", "都道府県名", "市区町村名",
                             "名称_カナ", "住所", "緯度", "経度", "利用可能日時特記事項", "備考"})
    words.insert(words.end(), {"--ignore-column", column});
  CommandRun imported = Civicdesk(words);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM facility WHERE sample = 0"), 16);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM facility WHERE id = '10933' AND name = "
                  "'ディスカバリーパーク焼津温水プール（水夢館）' AND section = 'スポーツ課'"),
            1);
  CommandRun exported = Civicdesk({"facilities", "export", "--db", database_.url()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("10932,田尻スポーツ広場,その他,,,,,,スポーツ課"), std::string::npos)
      << exported.out;
}

// Issue 23 (1): a database set up only by `facilities import` had no built-in policies, and
// `facilities project --db` answered 「方針 soumu はありません」. Every command now loads them.
TEST_P(ImportersTest, FacilitiesProjectOnADatabaseMadeByImportFindsTheBuiltInPolicies) {
  const std::string file = Write("register-only.csv",
                                 "施設番号,施設名,施設分類,延床面積,建築年度\n"
                                 "P-1,区民センター,市民文化系施設,1200,1980\n");
  CommandRun imported = Civicdesk({"facilities", "import", file, "--db", database_.url()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  for (const char* policy : {"soumu", "longlife80"}) {
    CommandRun projected = Civicdesk({"facilities", "project", "--db", database_.url(), "--policy",
                                      policy, "--from", "2025", "--years", "5"});
    EXPECT_EQ(projected.exit_code, 0) << policy << ": " << projected.err;
    EXPECT_FALSE(projected.out.empty()) << policy;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM facility_policy WHERE id IN ('soumu', 'longlife80')"), 2);
  // A second command adds nothing.
  ASSERT_EQ(Civicdesk({"facilities", "export", "--db", database_.url()}).exit_code, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM facility_policy"), 2);
}

// Partners with a 自治体標準 header, a 和暦 signing date (rewritten, listed) and a mapping file.
TEST_P(ImportersTest, PartnersWithJapaneseHeadersAndAMappingFile) {
  const std::string file = Write("partners.csv",
                                 "\xEF\xBB\xBF"
                                 "全国地方公共団体コード,都道府県名,市区町村名,協定種別,協定名,"
                                 "締結日,連絡窓口\n"
                                 "１５２０５６,新潟県,柏崎市,災害時相互協力,災害時相互応援協定,"
                                 "平成26年10月31日,防災課\n"
                                 "202053,長野県,飯田市,,,,\n");
  CommandRun refused = Civicdesk({"partners", "import", file, "--dry-run"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("連絡窓口"), std::string::npos) << refused.err;
  const std::string mapping = Write("partners-mapping.json", R"({"連絡窓口": "note"})");
  CommandRun imported =
      Civicdesk({"partners", "import", file, "--db", database_.url(), "--mapping", mapping});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  ExpectAll(imported.err, {"UTF-8 (BOM)", "（対応表による）", "「平成26年10月31日」→「2014-10-31」",
                           "書き込んだ行: 2"});
  EXPECT_NE(imported.out.find("imported 2 partners"), std::string::npos) << imported.out;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM partner WHERE code IN ('152056', '202053')"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM partner_agreement WHERE partner_code = '152056' AND "
                  "signed_on = '2014-10-31'"),
            1);

  const std::string bad = Write("bad-partners.csv",
                                "団体コード,都道府県名,自治体名,締結日\n"
                                "131033,東京都,港区,\n"
                                "202053,,飯田市,\n"
                                "202053,長野県,飯田市,いつか\n");
  CommandRun every = Civicdesk({"partners", "import", bad, "--db", database_.url()});
  EXPECT_EQ(every.exit_code, 2);
  ExpectAll(every.err, {"row 2, code", "row 3, prefecture", "row 4, code", "row 4, signed_on"});
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportersTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

// docs/import.md lists every header each of these importers reads.
TEST(ImportersColumns, DocumentedHeaderForHeader) {
  std::ifstream file(std::string(CIVICDESK_SOURCE_DIR) + "/docs/import.md");
  ASSERT_TRUE(file.good());
  std::ostringstream bytes;
  bytes << file.rdbuf();
  const std::string text = bytes.str();
  for (const tabular::ImporterSpec* spec :
       {&plan::KpiActualsColumns(), &facilities::FacilitiesColumns(),
        &partners::PartnersColumns()}) {
    const size_t start = text.find("## " + spec->name + "\n");
    ASSERT_NE(start, std::string::npos) << spec->name;
    const size_t end = text.find("\n## ", start + 1);
    const std::string part = text.substr(start, end - start);
    for (const tabular::FieldSpec& field : spec->fields) {
      const size_t row = part.find("| `" + field.field + "` |");
      ASSERT_NE(row, std::string::npos) << spec->name << " " << field.field;
      const std::string line = part.substr(row, part.find('\n', row) - row);
      for (const std::string& header : field.headers)
        EXPECT_NE(line.find(header), std::string::npos) << spec->name << " " << header;
    }
  }
}

}  // namespace
}  // namespace civicdesk::app
