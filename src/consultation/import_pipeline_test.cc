// Both consultation importers through the shared pipeline (core/tabular_import.h): files as
// other governments' clerks have them, on SQLite and PostgreSQL.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "consultation/consultation_module.h"
#include "consultation/import_columns.h"
#include "consultation/opinions_import.h"
#include "consultation/publication.h"
#include "consultation/results_import.h"
#include "core/tabular_import.h"
#include "core/xlsx_writer.h"
#include "storage/testing.h"
#include "text/search_index.h"

namespace civicdesk::consultation {
namespace {

// `utf8` in another encoding, as a clerk's Excel would have saved it.
std::string Encode(const std::string& utf8, const char* encoding) {
  std::string out;
  EXPECT_TRUE(tabular::ConvertEncoding(utf8, "UTF-8", encoding, out)) << encoding;
  return out;
}

// A city's published result as Excel saves it: a title and a 単位 line above the table, 「No.」,
// no field, channel or status column, a multi-line cell, footnotes and a total under the table.
const char kCityResult[] =
    "〇〇市地域福祉計画（案）に対する意見募集の結果\r\n"
    "募集期間：令和6年4月1日から令和6年4月30日まで\r\n"
    "\r\n"
    "No.,意見の概要,市の考え方\r\n"
    "1,バスの本数を増やしてほしい。,\"交通事業者と協議します。\r\n時期は未定です。\"\r\n"
    "2,見守り活動に若い世代も参加できるようにしてほしい。,計画に記載しています。\r\n"
    "3,―,意見ではなく質問のため、個別に回答しました。\r\n"
    ",,\r\n"
    "※ 意見は趣旨を損なわない範囲で要約しています。\r\n"
    "計,3件,\r\n";

class ImportPipelineTest : public ::testing::TestWithParam<std::string> {
 protected:
  ImportPipelineTest() : database_(GetParam()) {}
  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(database_);
    ASSERT_TRUE(
        storage::Migrate(*database_, {text::SearchIndex::Migrations(), ConsultationMigrations()})
            .ok());
  }
  int64_t Count(const std::string& table) {
    Result<storage::QueryResult> counted = database_->Query("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(counted.ok());
    return counted.ok() ? storage::AsInt(counted->rows[0][0]) : -1;
  }
  storage::testing::TestDatabase database_;
};

TEST_P(ImportPipelineTest, AnotherCitysResultInCp932IsTakenAsPublished) {
  const std::string cp932 = Encode(kCityResult, "CP932");
  ASSERT_NE(cp932, kCityResult);
  // The dash in No. 3's opinion reads as empty: that row is refused by name, nothing else.
  tabular::Report refused;
  Result<ImportReport> first = ImportResults(*database_, cp932, Actor{}, {}, &refused);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().field(), "line 8");  // No. 1's answer spans lines 5-6
  EXPECT_EQ(first.status().message_id(), "consultation.results_opinion_empty");
  ASSERT_EQ(refused.errors.size(), 1u);
  ASSERT_EQ(refused.changes.size(), 2u);
  EXPECT_EQ(refused.changes[0].reason, "core.import_change_line_endings");  // No. 1's CRLF
  EXPECT_EQ(refused.changes[0].after, "交通事業者と協議します。\n時期は未定です。");
  EXPECT_EQ(refused.changes[1].before, "―");
  EXPECT_EQ(refused.changes[1].column, "意見の概要");
  EXPECT_EQ(Count("consultation"), 0);

  std::string fixed = kCityResult;
  fixed.replace(fixed.find("3,―"), std::string("3,―").size(), "3,ベンチを置いてほしい。");
  Result<ImportReport> report = ImportResults(*database_, Encode(fixed, "CP932"), Actor{});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->items, 3);
  const tabular::Report& table = report->table;
  EXPECT_EQ(table.encoding, tabular::Encoding::kCp932);
  EXPECT_EQ(table.header_row, 4);
  EXPECT_EQ(table.rows_read, 3);
  EXPECT_EQ(table.rows_written, 3);
  ASSERT_EQ(table.mapped.size(), 3u);
  EXPECT_EQ(table.mapped[0].header, "No.");
  EXPECT_EQ(table.mapped[0].field, "number");
  EXPECT_EQ(table.mapped[2].header, "市の考え方");
  EXPECT_EQ(table.mapped[2].field, "response");
  ASSERT_EQ(table.notes_above.size(), 2u);
  EXPECT_EQ(table.notes_above[1].text, "募集期間：令和6年4月1日から令和6年4月30日まで");
  ASSERT_EQ(table.notes_below.size(), 2u);
  EXPECT_EQ(table.notes_below[0].text, "※ 意見は趣旨を損なわない範囲で要約しています。");
  EXPECT_EQ(table.notes_below[1].text, "計\t3件");

  Result<std::vector<PublishedRow>> rows = PublishedRows(*database_, report->consultation_id);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].response, "交通事業者と協議します。\n時期は未定です。");
  // No channel, field or status in the file: none is invented.
  for (const PublishedRow& row : *rows) {
    EXPECT_EQ(row.channel, "");
    EXPECT_FALSE(row.status.has_value());
  }
  Result<storage::QueryResult> fields = database_->Query(
      "SELECT COUNT(*) FROM consultation_item_field x JOIN consultation_item i ON i.id = "
      "x.item_id WHERE i.consultation_id = ?",
      {report->consultation_id});
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(storage::AsInt(fields->rows[0][0]), 0);
}

TEST_P(ImportPipelineTest, ResultXlsxAndUtf16AreReadLikeCsv) {
  XlsxSheet sheet{"結果", {"意見と県の考え方"}, {}};
  sheet.rows = {{"番号", "該当箇所", "ご意見", "県の考え方", "対応区分"},
                {"1", "第2章", "森林の整備を進めてほしい。", "計画に反映しました。", "1"},
                {"2", "―", "説明会を開いてほしい。", "検討します。", "5"}};
  Result<std::string> xlsx = XlsxWorkbookBytes({sheet});
  ASSERT_TRUE(xlsx.ok());
  Result<ImportReport> report = ImportResults(*database_, *xlsx, Actor{});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->table.format, tabular::Format::kXlsx);
  Result<std::vector<PublishedRow>> rows = PublishedRows(*database_, report->consultation_id);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].fields, "第2章");
  EXPECT_EQ((*rows)[0].status, 1);
  EXPECT_EQ((*rows)[1].status, 5);
  ASSERT_EQ(report->table.changes.size(), 1u);  // 「―」 as no field
  EXPECT_EQ(report->table.changes[0].row, 4);

  std::string tsv = "No\t意見\t回答\n1\t緑を増やして。\t検討します。\n";
  Result<ImportReport> utf16 =
      ImportResults(*database_, "\xFF\xFE" + Encode(tsv, "UTF-16LE"), Actor{});
  ASSERT_TRUE(utf16.ok()) << utf16.status().ToString();
  EXPECT_EQ(utf16->table.encoding, tabular::Encoding::kUtf16Le);
  EXPECT_EQ(utf16->table.format, tabular::Format::kTsv);
  EXPECT_EQ(utf16->items, 1);
}

TEST_P(ImportPipelineTest, EveryBadRowIsNamedAtOnceAndNothingIsStored) {
  const std::string file =
      "No.,意見,区の考え方,区分,対応状況\n"
      "1,意見です。,回答です。,インターネット,5\n"
      "x,意見です。,回答です。,,\n"
      "3,,回答です。,,\n"
      "4,意見です。,回答です。,電報,\n"
      "5,意見です。,回答です。,,9\n"
      "1,重複です。,回答です。,,\n";
  tabular::Report refused;
  Result<ImportReport> report = ImportResults(*database_, file, Actor{}, {}, &refused);
  ASSERT_FALSE(report.ok());
  std::vector<std::pair<std::string, std::string>> named;
  for (const Status& error : refused.errors) named.emplace_back(error.field(), error.message_id());
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"line 3", "consultation.results_number_invalid"},
      {"line 4", "consultation.results_opinion_empty"},
      {"line 5", "consultation.results_channel_unknown"},
      {"line 6", "consultation.results_status_invalid"},
      {"line 7", "consultation.results_duplicate_number"}};
  EXPECT_EQ(named, expected);
  // Each error names its column as the file does.
  auto column = [](const Status& error) {
    for (const auto& [name, value] : error.args())
      if (name == "column") return value;
    return std::string();
  };
  EXPECT_EQ(column(refused.errors[0]), "No.");
  EXPECT_EQ(column(refused.errors[2]), "区分");
  EXPECT_EQ(Count("consultation"), 0);
  EXPECT_EQ(Count("consultation_item"), 0);
}

TEST_P(ImportPipelineTest, DryRunReportsAndWritesNothing) {
  tabular::ImportOptions options;
  options.dry_run = true;
  Result<ImportReport> results = ImportResults(*database_, kCityResult, Actor{}, options);
  ASSERT_FALSE(results.ok());  // No. 3's opinion is a dash: refused even in a dry run
  std::string fixed = kCityResult;
  fixed.replace(fixed.find("3,―"), std::string("3,―").size(), "3,ベンチ。");
  results = ImportResults(*database_, fixed, Actor{}, options);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  EXPECT_EQ(results->items, 3);
  EXPECT_EQ(results->table.rows_read, 3);
  EXPECT_EQ(results->table.rows_written, 0);
  EXPECT_TRUE(results->table.dry_run);
  Result<OpinionsImportReport> opinions =
      ImportOpinions(*database_, "番号,意見\n1,緑を。\n", "試し", Actor{}, options);
  ASSERT_TRUE(opinions.ok()) << opinions.status().ToString();
  EXPECT_EQ(opinions->table.rows_read, 1);
  EXPECT_EQ(opinions->consultation_id, 0);
  EXPECT_EQ(Count("consultation"), 0);
  EXPECT_EQ(Count("consultation_item"), 0);
  EXPECT_EQ(Count("consultation_submission"), 0);
}

TEST_P(ImportPipelineTest, OpinionsWithJapaneseHeadersMappingAndIgnoredColumns) {
  // 番号 / 意見 instead of id / text, in UTF-16 with a BOM, with a column the import does not
  // know: refused by its name first, then taken with it ignored.
  const std::string csv =
      "令和6年度 区民の声\r\n"
      "番号,ご意見,分野,受付者\r\n"
      "1,\"公園を増やして。\r\nベンチも。\",緑,山田\r\n"
      "2,図書館を夜まで。,ー,\r\n";
  const std::string bytes = "\xFF\xFE" + Encode(csv, "UTF-16LE");
  Result<OpinionsImportReport> refused = ImportOpinions(*database_, bytes, "区民の声", Actor{});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message_id(), "core.import_unmapped_column");
  EXPECT_EQ(refused.status().field(), "受付者");
  EXPECT_EQ(Count("consultation"), 0);

  tabular::ImportOptions options;
  options.ignored_columns = {"受付者"};
  Result<OpinionsImportReport> report =
      ImportOpinions(*database_, bytes, "区民の声", Actor{}, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->items, 2);
  ASSERT_EQ(report->table.unused.size(), 1u);
  EXPECT_TRUE(report->table.unused[0].ignored);
  ASSERT_EQ(report->table.changes.size(), 2u);
  EXPECT_EQ(report->table.changes[0].reason, "core.import_change_line_endings");
  EXPECT_EQ(report->table.changes[1].before, "ー");
  Result<std::vector<AnalysisItem>> items = ListAnalysisItems(*database_, report->consultation_id);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].external_id, "1");
  EXPECT_EQ((*items)[0].text, "公園を増やして。\nベンチも。");

  // --mapping names a header no synonym knows.
  options = {};
  options.mapping = {{"受付者", "section"}, {"整理No", "id"}};
  Result<OpinionsImportReport> mapped = ImportOpinions(
      *database_, "整理No,意見,受付者\nA-1,駅前に駐輪場を。,環境課\n", "対応表", Actor{}, options);
  ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
  ASSERT_EQ(mapped->table.mapped.size(), 3u);
  EXPECT_TRUE(mapped->table.mapped[0].by_mapping);
  Result<storage::QueryResult> section = database_->Query(
      "SELECT s.section FROM consultation_item_section s JOIN consultation_item i ON i.id = "
      "s.item_id WHERE i.consultation_id = ?",
      {mapped->consultation_id});
  ASSERT_TRUE(section.ok());
  ASSERT_EQ(section->size(), 1u);
  EXPECT_EQ(storage::AsText(section->rows[0][0]), "環境課");
}

TEST_P(ImportPipelineTest, OpinionsCollectEveryBadRow) {
  tabular::Report refused;
  Result<OpinionsImportReport> report =
      ImportOpinions(*database_, "id,text,channel\n1,よい,\n1,重複,\n2,,\n3,ok,伝書鳩\n4\n", "誤り",
                     Actor{}, {}, &refused);
  ASSERT_FALSE(report.ok());
  std::vector<std::string> fields;
  for (const Status& error : refused.errors) fields.push_back(error.field());
  EXPECT_EQ(fields,
            (std::vector<std::string>{"row 3, id", "row 4, text", "row 5, channel", "row 6"}));
  EXPECT_EQ(Count("consultation"), 0);
}

// Rows go 128 to a statement: 300 rows (two full batches and a part), with fields, sections
// and CRLF texts in each, every row's submission, item, field, section and search document
// belonging together.
TEST_P(ImportPipelineTest, OpinionsInBatchesKeepEveryRowsPartsTogether) {
  std::string csv = "id,text,field,section\n";
  for (int row = 1; row <= 300; ++row) {
    const std::string text = row % 7 == 0 ? "意見" + std::to_string(row) + "。\r\n続き。"
                                          : "意見" + std::to_string(row) + "。";
    csv += "R" + std::to_string(row) + ",\"" + text + "\"," +
           (row % 3 == 0 ? "分野" + std::to_string(row % 5) : "") + "," +
           (row % 4 == 0 ? "環境部/課" + std::to_string(row) : "") + "\n";
  }
  Result<OpinionsImportReport> report = ImportOpinions(*database_, csv, "一括", Actor{});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->items, 300);
  Result<storage::QueryResult> rows = database_->Query(
      "SELECT i.external_id, i.text, s.receipt, s.text, d.body, "
      "(SELECT f.label FROM consultation_item_field x JOIN consultation_field f ON f.id = "
      "x.field_id WHERE x.item_id = i.id), "
      "(SELECT t.section FROM consultation_item_section t WHERE t.item_id = i.id) "
      "FROM consultation_item i JOIN consultation_submission s ON s.id = i.submission_id "
      "JOIN text_document d ON d.kind = 'opinion' AND d.ref_id = i.id "
      "WHERE i.consultation_id = ? ORDER BY i.id",
      {report->consultation_id});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 300u);
  for (int row = 1; row <= 300; ++row) {
    const std::vector<storage::Value>& got = rows->rows[static_cast<size_t>(row - 1)];
    const std::string text = row % 7 == 0 ? "意見" + std::to_string(row) + "。\n続き。"
                                          : "意見" + std::to_string(row) + "。";
    EXPECT_EQ(storage::AsText(got[0]), "R" + std::to_string(row));
    EXPECT_EQ(storage::AsText(got[1]), text);
    EXPECT_EQ(storage::AsText(got[2]),
              "IM-" + std::to_string(report->consultation_id) + "-R" + std::to_string(row));
    EXPECT_EQ(storage::AsText(got[3]), text);
    EXPECT_EQ(storage::AsText(got[4]), text);
    EXPECT_EQ(storage::AsText(got[5]), row % 3 == 0 ? "分野" + std::to_string(row % 5) : "");
    EXPECT_EQ(storage::AsText(got[6]), row % 4 == 0 ? "課" + std::to_string(row) : "");
  }
  // Every CRLF text's original line endings are in the audit, once.
  Result<storage::QueryResult> audited = database_->Query(
      "SELECT COUNT(*) FROM consultation_audit WHERE action = 'normalise_line_endings'");
  ASSERT_TRUE(audited.ok()) << audited.status().ToString();
  EXPECT_EQ(storage::AsInt(audited->rows[0][0]), 300 / 7);
  Result<storage::QueryResult> fields = database_->Query(
      "SELECT label FROM consultation_field WHERE consultation_id = ? ORDER BY position",
      {report->consultation_id});
  ASSERT_TRUE(fields.ok());
  std::vector<std::string> labels;
  for (const auto& field : fields->rows) labels.push_back(storage::AsText(field[0]));
  // In the order they first appear: rows 3, 6, 9, 12, 15 give 分野3, 1, 4, 2, 0.
  EXPECT_EQ(std::vector<std::string>(labels.end() - 5, labels.end()),
            (std::vector<std::string>{"分野3", "分野1", "分野4", "分野2", "分野0"}));
}

// A file on disk is read a part at a time (the CLI's path): every row of every part is
// written, with its search document; a bad row in any part refuses the whole file, naming each,
// and nothing is left behind.
TEST_P(ImportPipelineTest, OpinionsFromAFileInPartsAreAllKeptOrAllRefused) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("civicdesk_parts_" + std::to_string(::getpid()) + ".csv"))
                               .string();
  auto import = [&](const std::string& csv, tabular::Report* refused) {
    std::ofstream(path, std::ios::binary) << csv;
    return ImportOpinionsFrom(*database_, tabular::ByteSource{{}, path}, "分割", Actor{}, {},
                              refused, 2048);
  };
  std::string csv = "番号,ご意見,分野\n";
  for (int row = 1; row <= 1000; ++row) {
    csv += "P" + std::to_string(row) + ",\"意見" + std::to_string(row) +
           (row % 9 == 0 ? "\r\n二行目" : "") + "\"," + (row % 5 == 0 ? "分野" : "") + "\n";
  }
  tabular::Report refused;
  std::string bad = csv + "P3,重複,\n,空の番号,\n";
  Result<OpinionsImportReport> rejected = import(bad, &refused);
  ASSERT_FALSE(rejected.ok());
  std::vector<std::string> fields;
  for (const Status& error : refused.errors) fields.push_back(error.field());
  EXPECT_EQ(fields, (std::vector<std::string>{"row 1002, id", "row 1003, id"}));
  EXPECT_EQ(Count("consultation"), 0);
  EXPECT_EQ(Count("consultation_item"), 0);
  EXPECT_EQ(Count("text_document"), 0);

  Result<OpinionsImportReport> report = import(csv, nullptr);
  std::filesystem::remove(path);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->items, 1000);
  EXPECT_EQ(report->table.rows_read, 1000);
  EXPECT_EQ(report->table.changes.size(), 1000u / 9);
  // P999 starts on line 1110: the header, 998 rows before it and 110 second lines.
  EXPECT_EQ(report->table.changes.back().row, 1110);
  EXPECT_EQ(Count("consultation_item"), 1000);
  EXPECT_EQ(Count("consultation_submission"), 1000);
  EXPECT_EQ(Count("consultation_item_field"), 200);
  Result<storage::QueryResult> last = database_->Query(
      "SELECT i.text, d.body FROM consultation_item i JOIN text_document d ON d.kind = "
      "'opinion' AND d.ref_id = i.id WHERE i.external_id = 'P999'");
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ(storage::AsText(last->rows[0][0]), "意見999\n二行目");
  EXPECT_EQ(storage::AsText(last->rows[0][1]), "意見999\n二行目");
  Result<storage::QueryResult> documents =
      database_->Query("SELECT COUNT(*) FROM text_document WHERE kind = 'opinion'");
  ASSERT_TRUE(documents.ok());
  EXPECT_EQ(storage::AsInt(documents->rows[0][0]), 1000);
}

// A file whose first part is plain ASCII and whose later bytes are CP932 is read again whole,
// as CP932, after the parts already written are rolled back: once, not twice.
TEST_P(ImportPipelineTest, OpinionsReadAgainWholeWhenALaterPartIsCp932) {
  std::string csv = "id,text\n";
  for (int row = 1; row <= 300; ++row)
    csv += std::to_string(row) + ",opinion " + std::to_string(row) + "\n";
  csv += Encode("301,公園を増やしてください。\n", "CP932");
  Result<OpinionsImportReport> report = ImportOpinionsFrom(*database_, tabular::ByteSource{csv, ""},
                                                           "再読", Actor{}, {}, nullptr, 1024);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->table.encoding, tabular::Encoding::kCp932);
  EXPECT_EQ(report->items, 301);
  EXPECT_EQ(Count("consultation"), 1);
  EXPECT_EQ(Count("consultation_item"), 301);
  Result<storage::QueryResult> last =
      database_->Query("SELECT text FROM consultation_item WHERE external_id = '301'");
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ(storage::AsText(last->rows[0][0]), "公園を増やしてください。");
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportPipelineTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

// The synonym tables are documented: docs/import.md lists every header each importer reads.
TEST(ImportColumns, DocumentedHeaderForHeader) {
  std::ifstream file(std::string(CIVICDESK_SOURCE_DIR) + "/docs/import.md");
  ASSERT_TRUE(file.good());
  std::ostringstream text;
  text << file.rdbuf();
  for (const tabular::ImporterSpec* spec : {&OpinionsColumns(), &ResultsColumns()}) {
    const std::string section = "## " + spec->name;
    const size_t start = text.str().find(section);
    ASSERT_NE(start, std::string::npos) << section;
    const size_t end = text.str().find("\n## ", start + 1);
    const std::string part = text.str().substr(start, end - start);
    for (const tabular::FieldSpec& field : spec->fields) {
      const std::string row_start = "| `" + field.field + "` |";
      const size_t row = part.find(row_start);
      ASSERT_NE(row, std::string::npos) << spec->name << " " << field.field;
      const std::string line = part.substr(row, part.find('\n', row) - row);
      for (const std::string& header : field.headers)
        EXPECT_NE(line.find(header), std::string::npos) << spec->name << " " << header;
    }
  }
}

}  // namespace
}  // namespace civicdesk::consultation
