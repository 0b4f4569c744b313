// The evaluation importer (事務事業評価) on both backends: sheets shaped like the published
// 事務事業評価結果一覧 of a mid-size city, wide (year blocks, CP932, two-row header, footnotes) and
// long (one row per project and year), in every encoding and as XLSX.
#include "plan/administrative_evaluation.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/xlsx_writer.h"
#include "http/http_module.h"
#include "http/testing.h"
#include "plan/evaluation_columns.h"
#include "plan/plan_module.h"
#include "text/text_module.h"

namespace civicdesk::plan {
namespace {

using http::testing::Send;
using http::testing::TestSite;
using nlohmann::json;

std::string Fixture(const std::string& name) {
  std::ifstream file(std::string(CIVICDESK_SOURCE_DIR) + "/tests/golden/evaluation/" + name,
                     std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

const ProjectEvaluation* Find(const std::vector<ProjectEvaluation>& list,
                              const std::string& project, int year) {
  for (const ProjectEvaluation& evaluation : list)
    if (evaluation.project == project && evaluation.fiscal_year == year) return &evaluation;
  return nullptr;
}

bool HasWarning(const tabular::Report& report, const std::string& id, const std::string& field) {
  for (const Status& warning : report.warnings)
    if (warning.message_id() == id && warning.field().find(field) != std::string::npos) return true;
  return false;
}

class EvaluationImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  EvaluationImportTest()
      : site_(GetParam(), {http::HttpModule(), text::TextModule(), PlanModule()}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }
  std::vector<ProjectEvaluation> Stored(const std::string& dataset) {
    Result<std::vector<ProjectEvaluation>> list = ListProjectEvaluations(site_.database(), dataset);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    return list.ok() ? *list : std::vector<ProjectEvaluation>{};
  }
  TestSite site_;
};

TEST_P(EvaluationImportTest, WideCp932SheetKeepsEverySourceIndicatorLevelAndDirection) {
  Result<tabular::Report> report =
      ImportProjectEvaluations(site_.database(), Fixture("wide_cp932.csv"), "架空市 R5", "admin");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->encoding, tabular::Encoding::kCp932);
  EXPECT_EQ(report->header_row, 3);
  EXPECT_EQ(report->rows_read, 5);
  EXPECT_EQ(report->rows_written, 14);  // 5 projects × 令和3・4年度, 4 budgets of 令和5年度
  EXPECT_EQ(report->notes_above.size(), 2u);
  ASSERT_EQ(report->notes_below.size(), 2u);  // 「※ 決算額は…」「注：…」
  EXPECT_TRUE(report->unused.empty());
  int dashes = 0, annotations = 0;
  for (const tabular::CellChange& change : report->changes) {
    dashes += change.reason == "core.import_change_dash";
    annotations += change.reason == "core.import_change_annotation";
  }
  EXPECT_EQ(dashes, 10);  // 2 「‐」 and 8 「―」
  EXPECT_EQ(annotations, 1);
  // Warnings: the stated total that is not the sum, the direction the list cannot place.
  ASSERT_EQ(report->warnings.size(), 2u) << report->warnings[0].ToString();
  EXPECT_TRUE(HasWarning(*report, "plan.evaluation_total_differs", "cost_total"));
  EXPECT_TRUE(HasWarning(*report, "plan.evaluation_direction_unknown", "row 9, direction"));

  std::vector<ProjectEvaluation> stored = Stored("架空市 R5");
  ASSERT_EQ(stored.size(), 14u);
  const ProjectEvaluation* nursery = Find(stored, "私立保育所運営費補助", 2021);
  ASSERT_NE(nursery, nullptr);
  EXPECT_EQ(nursery->policy, "子どもを安心して育てられるまち");
  EXPECT_EQ(nursery->policy_number, "1");
  EXPECT_EQ(nursery->measure_number, "1-1");
  EXPECT_EQ(nursery->basic_project, "保育サービスの提供");
  EXPECT_EQ(nursery->basic_project_number, "1-1-1");
  EXPECT_EQ(nursery->project_number, "010101");
  EXPECT_EQ(nursery->department, "保育課");
  EXPECT_DOUBLE_EQ(nursery->cost_thousand_yen.at("国庫支出金"), 120500);
  EXPECT_DOUBLE_EQ(nursery->cost_thousand_yen.at("都道府県支出金"), 40200);
  EXPECT_EQ(nursery->cost_thousand_yen.count("地方債"), 0u);  // 「‐」: none
  EXPECT_DOUBLE_EQ(nursery->cost_thousand_yen.at("その他特定財源"), 0);
  EXPECT_DOUBLE_EQ(nursery->cost_thousand_yen.at("一般財源"), 88000);
  EXPECT_DOUBLE_EQ(*nursery->cost_total, 248700);
  EXPECT_TRUE(nursery->indicators.empty());  // the indicators are 令和4年度's
  EXPECT_TRUE(nursery->direction.empty());

  const ProjectEvaluation* nursery_r4 = Find(stored, "私立保育所運営費補助", 2022);
  ASSERT_NE(nursery_r4, nullptr);
  EXPECT_EQ(nursery_r4->direction, "継続");
  EXPECT_EQ(nursery_r4->direction_normalized, "継続");
  EXPECT_EQ(nursery_r4->comment, "待機児童ゼロを維持している。");
  EXPECT_DOUBLE_EQ(*nursery_r4->personnel, 2.5);
  ASSERT_EQ(nursery_r4->indicators.size(), 3u);  // 活動指標1, 活動指標2, 成果指標①
  const EvaluationIndicator& second = nursery_r4->indicators[1];
  EXPECT_EQ(second.kind, "activity");
  EXPECT_EQ(second.position, 2);
  EXPECT_EQ(second.name, "補助対象児童数");
  EXPECT_EQ(second.unit, "人");
  EXPECT_DOUBLE_EQ(*second.target, 1800);
  EXPECT_DOUBLE_EQ(*second.actual, 1764);
  EXPECT_EQ(nursery_r4->indicators[2].kind, "outcome");
  EXPECT_EQ(nursery_r4->indicators[2].name, "待機児童数");
  const ProjectEvaluation* nursery_r5 = Find(stored, "私立保育所運営費補助", 2023);
  ASSERT_NE(nursery_r5, nullptr);
  EXPECT_DOUBLE_EQ(*nursery_r5->cost_budget, 260000);
  EXPECT_FALSE(nursery_r5->cost_total);

  const ProjectEvaluation* clubs = Find(stored, "学童クラブ運営事業", 2022);
  ASSERT_NE(clubs, nullptr);
  EXPECT_EQ(clubs->direction, "拡充（定員拡大）");
  EXPECT_EQ(clubs->direction_normalized, "拡充");
  EXPECT_DOUBLE_EQ(*clubs->indicators[1].actual, 36);
  EXPECT_EQ(clubs->indicators[1].actual_note, "36（1）");
  EXPECT_EQ(clubs->indicators[2].unit, "％");
  EXPECT_DOUBLE_EQ(*clubs->indicators[2].actual, 86.5);

  const ProjectEvaluation* compost = Find(stored, "生ごみ堆肥化モデル事業", 2022);
  ASSERT_NE(compost, nullptr);
  EXPECT_EQ(compost->direction_normalized, "縮小");
  EXPECT_DOUBLE_EQ(*compost->cost_total, 3100);  // kept as stated, warned
  EXPECT_DOUBLE_EQ(compost->total_cost(), 3000);
  EXPECT_EQ(compost->indicators.size(), 2u);  // the empty 活動指標2 is no indicator
  EXPECT_EQ(Find(stored, "道路照明灯LED化事業", 2023), nullptr);  // no budget given
  const ProjectEvaluation* lights = Find(stored, "道路照明灯LED化事業", 2021);
  ASSERT_NE(lights, nullptr);
  EXPECT_DOUBLE_EQ(lights->cost_thousand_yen.at("地方債"), 12000);
  EXPECT_EQ(Find(stored, "道路照明灯LED化事業", 2022)->direction_normalized, "完了");
  const ProjectEvaluation* school = Find(stored, "通学路安全対策事業", 2022);
  EXPECT_EQ(school->direction, "要検討");
  EXPECT_EQ(school->direction_normalized, "その他");

  // Importing again replaces the dataset; a dry run reports and writes nothing.
  ASSERT_TRUE(
      ImportProjectEvaluations(site_.database(), Fixture("wide_cp932.csv"), "架空市 R5", "admin")
          .ok());
  EXPECT_EQ(Stored("架空市 R5").size(), 14u);
  tabular::ImportOptions dry;
  dry.dry_run = true;
  Result<tabular::Report> dry_run =
      ImportProjectEvaluations(site_.database(), Fixture("wide_cp932.csv"), "下書き", "admin", dry);
  ASSERT_TRUE(dry_run.ok());
  EXPECT_EQ(dry_run->rows_written, 0);
  EXPECT_TRUE(Stored("下書き").empty());
}

TEST_P(EvaluationImportTest, LongSheetInEveryEncodingAndXlsxMergesTyposByNumber) {
  const std::string utf8 = Fixture("long_utf8.csv");
  std::string utf16;
  ASSERT_TRUE(tabular::ConvertEncoding(utf8, "UTF-8", "UTF-16LE", utf16));
  std::string cp932_text = utf8;  // 「–」 has no CP932 form: Excel writes 「－」
  for (size_t at = cp932_text.find("–"); at != std::string::npos; at = cp932_text.find("–"))
    cp932_text.replace(at, std::string("–").size(), "－");
  std::string cp932;
  ASSERT_TRUE(tabular::ConvertEncoding(cp932_text, "UTF-8", "CP932", cp932));
  XlsxSheet sheet{"評価", {}, {}};
  std::istringstream lines(utf8);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    bool quoted = false;
    std::string cell;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell.push_back(c);
      }
    }
    cells.push_back(cell);
    if (sheet.header.empty()) {
      sheet.header = cells;
    } else {
      sheet.rows.push_back(cells);
    }
  }
  Result<std::string> xlsx = XlsxWorkbookBytes({sheet});
  ASSERT_TRUE(xlsx.ok());
  const std::pair<std::string, std::string> files[] = {
      {"UTF-8", utf8}, {"UTF-16LE", "\xFF\xFE" + utf16}, {"CP932", cp932}, {"XLSX", *xlsx}};
  for (const auto& [name, bytes] : files) {
    SCOPED_TRACE(name);
    Result<tabular::Report> report =
        ImportProjectEvaluations(site_.database(), bytes, "区 " + name, "admin");
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->rows_written, 4);
    EXPECT_TRUE(HasWarning(*report, "plan.evaluation_name_merged", "row 3, project"));
    EXPECT_TRUE(HasWarning(*report, "plan.evaluation_total_differs", "cost_total"));
    EXPECT_EQ(report->warnings.size(), 2u);
    std::vector<ProjectEvaluation> stored = Stored("区 " + name);
    ASSERT_EQ(stored.size(), 4u);
    const ProjectEvaluation* first = Find(stored, "電子申請システム運用", 2021);
    const ProjectEvaluation* typo = Find(stored, "電子申請システム運用", 2022);  // 「運営」 merged
    ASSERT_NE(first, nullptr);
    ASSERT_NE(typo, nullptr);
    EXPECT_EQ(typo->project_number, "A-101");
    EXPECT_EQ(typo->sheet_number, "2");
    EXPECT_EQ(typo->direction, "現状維持");
    EXPECT_EQ(typo->direction_normalized, "継続");
    EXPECT_EQ(first->cost_thousand_yen.count("都道府県支出金"), 0u);  // 「–」
    EXPECT_DOUBLE_EQ(*first->hours, 1800);
    EXPECT_DOUBLE_EQ(*first->personnel, 1.0);
    ASSERT_EQ(first->indicators.size(), 3u);
    EXPECT_EQ(first->indicators[0].kind, "activity");
    EXPECT_EQ(first->indicators[1].kind, "outcome");
    EXPECT_EQ(first->indicators[1].unit, "％");
    EXPECT_DOUBLE_EQ(*first->indicators[1].target, 50);
    EXPECT_DOUBLE_EQ(*first->indicators[1].actual, 41.2);
    EXPECT_EQ(first->indicators[2].kind, "target");
    EXPECT_EQ(first->indicators[2].name, "対象手続数");
    EXPECT_NE(Find(stored, "窓口予約システム導入", 2018), nullptr);  // 平成30年度
    const ProjectEvaluation* counter = Find(stored, "証明書コンビニ交付", 2019);
    ASSERT_NE(counter, nullptr);
    EXPECT_EQ(Find(stored, "窓口予約システム導入", 2018)->direction_normalized, "完了");
    EXPECT_EQ(counter->indicators.size(), 1u);
    EXPECT_DOUBLE_EQ(*counter->indicators[0].actual, 36);
    EXPECT_EQ(counter->indicators[0].actual_note, "36（1）");
  }
}

TEST_P(EvaluationImportTest, WesternYearsShortErasAndYenUnitsInHeaders) {
  const std::string csv =
      "事業名,2022年度 国庫支出金,2022年度 一般財源,R5 国庫支出金（円）,R5 一般財源（円）,"
      "成果指標名①,成果指標名②,実績値\n"
      "図書館運営,100,200,\"150,000\",\"250,000\",貸出冊数,来館者数,\"52,000\"\n";
  Result<tabular::Report> report = ImportProjectEvaluations(site_.database(), csv, "西暦", "x");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::vector<ProjectEvaluation> stored = Stored("西暦");
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_DOUBLE_EQ(Find(stored, "図書館運営", 2022)->cost_thousand_yen.at("一般財源"), 200);
  const ProjectEvaluation* later = Find(stored, "図書館運営", 2023);
  EXPECT_DOUBLE_EQ(later->cost_thousand_yen.at("国庫支出金"), 150);  // 円 → 千円
  ASSERT_EQ(later->indicators.size(), 2u);
  EXPECT_EQ(later->indicators[0].name, "貸出冊数");
  EXPECT_FALSE(later->indicators[0].actual);
  EXPECT_EQ(later->indicators[1].position, 2);
  EXPECT_DOUBLE_EQ(*later->indicators[1].actual, 52000);  // 実績値 after 成果指標名②
}

// Indicator columns in year blocks (R3実績, R4目標 …): each year's values go to that year, the
// name and unit with them; a 合計 row under the table is a note, not a project.
TEST_P(EvaluationImportTest, IndicatorYearBlocksAndATotalRowUnderTheTable) {
  const std::string csv =
      "事務事業名,成果指標名①,単位,R3実績,R4目標,R4実績,令和4年度 事業費\n"
      "図書館運営,貸出冊数,冊,\"48,000\",\"50,000\",\"52,000\",900\n"
      "合計,,,,,,900\n";
  Result<tabular::Report> report = ImportProjectEvaluations(site_.database(), csv, "年度別", "x");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows_read, 1);
  ASSERT_EQ(report->notes_below.size(), 1u);
  std::vector<ProjectEvaluation> stored = Stored("年度別");
  ASSERT_EQ(stored.size(), 2u);
  const ProjectEvaluation* earlier = Find(stored, "図書館運営", 2021);
  ASSERT_NE(earlier, nullptr);
  ASSERT_EQ(earlier->indicators.size(), 1u);
  EXPECT_EQ(earlier->indicators[0].name, "貸出冊数");
  EXPECT_EQ(earlier->indicators[0].unit, "冊");
  EXPECT_DOUBLE_EQ(*earlier->indicators[0].actual, 48000);
  EXPECT_FALSE(earlier->indicators[0].target);
  const ProjectEvaluation* later = Find(stored, "図書館運営", 2022);
  ASSERT_NE(later, nullptr);
  EXPECT_DOUBLE_EQ(*later->cost_total, 900);
  ASSERT_EQ(later->indicators.size(), 1u);
  EXPECT_DOUBLE_EQ(*later->indicators[0].target, 50000);
  EXPECT_DOUBLE_EQ(*later->indicators[0].actual, 52000);
}

TEST_P(EvaluationImportTest, EveryBadRowIsNamedAndNothingIsWritten) {
  struct Bad {
    std::string content;
    std::string field;
  };
  for (const Bad& bad : std::vector<Bad>{
           {"政策,施策,事業,年度\nA,B,C,令和0年度\n", "row 2, fiscal_year"},
           {"政策,施策,事業,年度,一般財源\nA,B,C,2022,たくさん\n", "row 2, cost_general"},
           {"政策,施策,事業,年度\nA,B,C,2022\nA,B,C,R4\n", "row 3, project"},
           {"事業名,国庫支出金\nC,100\n", "row 2, fiscal_year"},
           {"事業名,年度,事業費,決算額\nC,2022,100,120\n", "row 2, cost_total"},
           {"事業番号,事業名,年度\n1,C,2022\n1,,2023\n1,Ｃ,2021\n,,\n2,,2022\n", "row 6, project"},
       }) {
    SCOPED_TRACE(bad.content);
    tabular::Report refused;
    Result<tabular::Report> report =
        ImportProjectEvaluations(site_.database(), bad.content, "壊れた", "x", {}, &refused);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
    bool named = report.status().field() == bad.field;
    for (const Status& error : refused.errors) named = named || error.field() == bad.field;
    EXPECT_TRUE(named) << report.status().ToString();
    EXPECT_TRUE(Stored("壊れた").empty());
  }
  // A column that carries data and names no field refuses the file until it is ignored.
  const std::string extra = "事業名,年度,内部メモ\nC,2022,確認済\n";
  Result<tabular::Report> refused = ImportProjectEvaluations(site_.database(), extra, "m", "x");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().field(), "内部メモ");
  tabular::ImportOptions ignoring;
  ignoring.ignored_columns = {"内部メモ"};
  EXPECT_TRUE(ImportProjectEvaluations(site_.database(), extra, "m", "x", ignoring).ok());
  tabular::ImportOptions mapped;
  mapped.mapping = {{"内部メモ", "comment"}};
  ASSERT_TRUE(ImportProjectEvaluations(site_.database(), extra, "m", "x", mapped).ok());
  EXPECT_EQ(Stored("m")[0].comment, "確認済");
  EXPECT_FALSE(ImportProjectEvaluations(site_.database(), extra, " ", "x").ok());
}

TEST(EvaluationDirections, CitiesWordingsMapToTheNormalisedSet) {
  const std::pair<const char*, const char*> cases[] = {{"拡充", "拡充"},
                                                       {"拡大", "拡充"},
                                                       {"拡充（重点化）", "拡充"},
                                                       {"現状維持", "継続"},
                                                       {"継続実施", "継続"},
                                                       {"継続して実施", "継続"},
                                                       {"見直し", "改善"},
                                                       {"改善して継続", "改善"},
                                                       {"Ａ：改善", "改善"},
                                                       {"規模縮小", "縮小"},
                                                       {"統廃合", "統合"},
                                                       {"廃止", "休止・廃止"},
                                                       {"休止", "休止・廃止"},
                                                       {"事業終了", "完了"},
                                                       {"要検討", "その他"},
                                                       {"縮小・廃止", "その他"},
                                                       {"", ""}};
  for (const auto& [wording, normalized] : cases)
    EXPECT_EQ(NormalizeDirection(wording), normalized) << wording;
}

TEST_P(EvaluationImportTest, PagesAndApiShowTheNewDataInJapaneseAndEnglish) {
  ASSERT_TRUE(
      ImportProjectEvaluations(site_.database(), Fixture("wide_cp932.csv"), "架空市 R5", "admin")
          .ok());
  const std::string ja = Send(site_.port(), "GET", "/plan/evaluations").body;
  EXPECT_NE(ja.find("基本事業"), std::string::npos);
  EXPECT_NE(ja.find("1-1-1 保育サービスの提供"), std::string::npos);
  EXPECT_NE(ja.find("<dt>都道府県支出金</dt><dd>40200</dd>"), std::string::npos);
  EXPECT_NE(ja.find("拡充（定員拡大）</span><br><small>分類: 拡充</small>"), std::string::npos);
  EXPECT_NE(ja.find("活動指標2: <span lang=\"ja\">利用児童数（人）</span> 目標 900 実績 36（1）"),
            std::string::npos);
  EXPECT_NE(ja.find("令和4(2022)年度"), std::string::npos);
  const std::string en = Send(site_.port(), "GET", "/plan/evaluations?lang=en").body;
  EXPECT_NE(en.find("Basic project"), std::string::npos);
  EXPECT_NE(en.find("<dt>Prefectural disbursements</dt><dd>40200</dd>"), std::string::npos);
  EXPECT_NE(en.find("<span lang=\"ja\">要検討</span><br><small>Class: Other</small>"),
            std::string::npos);
  EXPECT_NE(en.find("Activity indicator2"), std::string::npos);
  json api = json::parse(Send(site_.port(), "GET", "/api/v1/plan/evaluations?lang=en").body,
                         nullptr, false);
  ASSERT_TRUE(api.is_object());
  const json* clubs = nullptr;
  for (const json& row : api["evaluations"])
    if (row["project"] == "学童クラブ運営事業" && row["fiscal_year"] == 2022) clubs = &row;
  ASSERT_NE(clubs, nullptr);
  EXPECT_EQ((*clubs)["basic_project"], "放課後の居場所づくり");
  EXPECT_EQ((*clubs)["direction"], "拡充（定員拡大）");
  EXPECT_EQ((*clubs)["direction_normalized"], "拡充");
  EXPECT_EQ((*clubs)["direction_label"], "Expand");
  EXPECT_EQ((*clubs)["funding"][0]["source"], "国庫支出金");
  EXPECT_EQ((*clubs)["funding"][0]["label"], "National treasury disbursements");
  EXPECT_EQ((*clubs)["indicators"].size(), 3u);
  EXPECT_EQ((*clubs)["indicators"][1]["actual_as_written"], "36（1）");
  EXPECT_EQ((*clubs)["cost_stated_total_thousand_yen"], 75800);
}

INSTANTIATE_TEST_SUITE_P(Backends, EvaluationImportTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::plan
