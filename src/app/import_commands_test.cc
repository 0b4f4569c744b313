// `civicdesk import results|opinions` through the shared pipeline, on both backends: the
// report printed, --dry-run, --mapping, --ignore-column, --progress, every bad row at once.
#include "app/import_commands.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "app/cli.h"
#include "consultation/consultation_module.h"
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

const char kResult[] =
    "〇〇町総合計画（案）に対する意見と町の考え方\n"
    "No.,ご意見,町の考え方,担当者メモ\n"
    "1,\"道路の除雪を早くしてほしい。\n朝7時までに。\",体制を見直します。,済\n"
    "36（1）,歩道を広げてほしい。,―,\n"
    "注）意見は原文のまま掲載しています。\n";

class ImportCommandTest : public ::testing::TestWithParam<std::string> {
 protected:
  ImportCommandTest() : database_(GetParam()) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(database_); }
  int64_t Consultations() {
    Result<storage::QueryResult> counted = database_->Query("SELECT COUNT(*) FROM consultation");
    return counted.ok() ? storage::AsInt(counted->rows[0][0]) : 0;
  }
  storage::testing::TestDatabase database_;
};

TEST_P(ImportCommandTest, UnmappedColumnIsRefusedByNameThenIgnoredAndReported) {
  const std::string file = Write("town.csv", kResult);
  CommandRun refused = Civicdesk({"import", "results", file, "--db", database_.url()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("担当者メモ"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--ignore-column"), std::string::npos) << refused.err;

  CommandRun dry = Civicdesk({"import", "results", file, "--db", database_.url(), "--dry-run",
                              "--ignore-column", "担当者メモ"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(Consultations(), 0);  // a dry run writes nothing
  for (const char* expected :
       {"CSV", "UTF-8", "読み込んだ行: 2", "rows read: 2", "書き込んだ行: 0", "--dry-run",
        "列「No.」（1列目）→ number", "column \"町の考え方\" (#3) → response",
        "読まなかった列「担当者メモ」", "5行目「町の考え方」: 「―」→「」",
        "5行目「No.」: 「36（1）」→「36」",
        "表の上の文（1行目）: 〇〇町総合計画（案）に対する意見と町の考え方",
        "表の下の文（6行目）: 注）意見は原文のまま掲載しています。"}) {
    EXPECT_NE(dry.out.find(expected), std::string::npos) << expected << "\n" << dry.out;
  }

  CommandRun imported = Civicdesk({"import", "results", file, "--db", database_.url(),
                                   "--ignore-column", "担当者メモ", "--progress"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(Consultations(), 1);
  EXPECT_NE(imported.err.find("書き込んだ行: 2"), std::string::npos) << imported.err;
  EXPECT_NE(imported.err.find("2/2行"), std::string::npos) << imported.err;  // --progress
  EXPECT_NE(imported.err.find("rows/s"), std::string::npos) << imported.err;
  const std::string id = imported.out.substr(imported.out.rfind('\n', imported.out.size() - 2) + 1);
  EXPECT_GT(std::stoll(id), 0) << imported.out;
}

TEST_P(ImportCommandTest, OpinionsWithJapaneseHeadersAndAMappingFile) {
  const std::string csv = "整理番号,意見,受付担当\nA-1,公園を。,環境課\nA-2,図書館を。,\n";
  const std::string file = Write("opinions.csv", csv);
  const std::string mapping = Write("mapping.json", R"({"受付担当": "section"})");
  CommandRun imported = Civicdesk({"import", "opinions", file, "--db", database_.url(), "--mapping",
                                   mapping, "--title", "区民の声"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.err.find("対応表による"), std::string::npos) << imported.err;
  EXPECT_NE(imported.err.find("列「整理番号」（1列目）→ id"), std::string::npos) << imported.err;

  const std::string bad_mapping = Write("bad-mapping.json", R"({"受付担当": "department"})");
  CommandRun refused =
      Civicdesk({"import", "opinions", file, "--db", database_.url(), "--mapping", bad_mapping});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("department"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--mapping"), std::string::npos) << refused.err;
}

TEST_P(ImportCommandTest, EveryBadRowIsPrintedAtOnce) {
  const std::string file = Write("bad.csv", "番号,意見\n1,よい。\n1,重複。\n2,\n3,ー\n");
  CommandRun refused = Civicdesk({"import", "opinions", file, "--db", database_.url()});
  EXPECT_EQ(refused.exit_code, 2);
  for (const char* named : {"row 3, id", "row 4, text", "row 5, text", "3件の誤り"})
    EXPECT_NE(refused.err.find(named), std::string::npos) << named << "\n" << refused.err;
  EXPECT_EQ(Consultations(), 0);
}

// Issue 23 (3): `import opinions` stored U+0001 that the form and the API refuse. The import
// now applies the same rule (CheckOpinionCharacters), naming the row and the column; a line
// break and a tab inside a text stay allowed, as on the form.
TEST_P(ImportCommandTest, ImportOpinionsRefusesControlCharactersAsTheApiDoes) {
  const std::string file = Write("control.csv",
                                 "番号,意見\n"
                                 "1,\"改行は\n使えます。\tタブも。\"\n"
                                 "2,ベル\x07です。\n"
                                 "3,見えない\x01文字。\n");
  CommandRun refused =
      Civicdesk({"import", "opinions", file, "--db", database_.url(), "--title", "制御文字"});
  EXPECT_EQ(refused.exit_code, 2);
  for (const char* named : {"row 3, text", "row 4, text", "制御文字は使えません", "2件の誤り"})
    EXPECT_NE(refused.err.find(named), std::string::npos) << named << "\n" << refused.err;
  EXPECT_EQ(refused.err.find("row 2, text"), std::string::npos) << refused.err;
  EXPECT_EQ(Consultations(), 0);

  const std::string fine = Write("fine.csv", "番号,意見\n1,\"改行は\n使えます。\tタブも。\"\n");
  CommandRun imported =
      Civicdesk({"import", "opinions", fine, "--db", database_.url(), "--title", "制御文字"});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(Consultations(), 1);
}

TEST(ImportCommand, DryRunNeedsNoDatabaseAndUsageIsCurrent) {
  const std::string file = Write("dry.tsv", "No\t意見\t回答\n1\t緑を。\t検討します。\n");
  CommandRun dry = Civicdesk({"import", "results", file, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("TSV"), std::string::npos) << dry.out;
  CommandRun usage = Civicdesk({});
  for (const char* option :
       {"--dry-run", "--mapping FILE.json", "--ignore-column NAME", "--progress"})
    EXPECT_NE((usage.out + usage.err).find(option), std::string::npos) << option;
  CommandRun missing = Civicdesk({"import", "opinions"});
  EXPECT_EQ(missing.exit_code, 2);
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

// The report of a city's 事務事業評価結果一覧 (wide, CP932, two-row header, footnotes, dashes,
// an annotated number) as `evaluation import --dry-run` prints it, against its golden file.
TEST(ImportCommand, EvaluationSheetReportMatchesItsGoldenFile) {
  const std::string golden = std::string(CIVICDESK_SOURCE_DIR) + "/tests/golden/evaluation/";
  CommandRun dry = Civicdesk({"evaluation", "import", golden + "wide_cp932.csv", "--dataset",
                              "架空市 令和5年度", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(dry.out, ReadFile(golden + "wide_cp932.report.txt"));
}

TEST_P(ImportCommandTest, EvaluationImportTakesTheSameOptionsAsTheOtherImports) {
  const std::string csv = "事業名,年度,一般財源,内部メモ,担当者\n公園管理,R4,\"1,000\",済,山田\n";
  const std::string file = Write("evaluation.csv", csv);
  CommandRun refused =
      Civicdesk({"evaluation", "import", file, "--dataset", "区", "--db", database_.url()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("内部メモ"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("担当者"), std::string::npos) << refused.err;

  const std::string mapping = Write("evaluation-mapping.json", R"({"担当者": "department"})");
  CommandRun imported =
      Civicdesk({"evaluation", "import", file, "--dataset", "区", "--db", database_.url(),
                 "--mapping", mapping, "--ignore-column", "内部メモ", "--progress"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  for (const char* expected : {"列「担当者」（5列目）→ department", "対応表による",
                               "読まなかった列「内部メモ」", "書き込んだ行: 1", "1/1行"})
    EXPECT_NE(imported.err.find(expected), std::string::npos) << expected << "\n" << imported.err;
  EXPECT_NE(imported.out.find("imported 1 evaluations"), std::string::npos) << imported.out;
  Result<storage::QueryResult> stored = database_->Query(
      "SELECT department, fiscal_year, costs FROM plan_project_evaluation WHERE dataset = '区'");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(storage::AsText(stored->rows[0][0]), "山田");
  EXPECT_EQ(storage::AsInt(stored->rows[0][1]), 2022);

  const std::string bad_mapping = Write("evaluation-bad.json", R"({"担当者": "section"})");
  CommandRun bad = Civicdesk({"evaluation", "import", file, "--dataset", "区", "--db",
                              database_.url(), "--mapping", bad_mapping});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--mapping"), std::string::npos) << bad.err;
  CommandRun no_dataset = Civicdesk({"evaluation", "import", file, "--db", database_.url()});
  EXPECT_EQ(no_dataset.exit_code, 2);
  EXPECT_NE(no_dataset.err.find("--dataset"), std::string::npos) << no_dataset.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportCommandTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::app
