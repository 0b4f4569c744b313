#include "core/tabular_import.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/xlsx_writer.h"

namespace civicdesk::tabular {
namespace {

// A small importer: a numbered list of opinions with an optional field and answer.
ImporterSpec TestSpec() {
  return {"test",
          {{"id", {"番号", "No.", "No"}, true, true},
           {"text", {"意見", "意見の概要", "ご意見"}, true, false},
           {"field", {"分野", "項目"}, false, false},
           {"answer", {"市の考え方", "回答"}, false, false}}};
}

// `utf8` in another encoding, as a clerk's Excel would have saved it.
std::string Encode(const std::string& utf8, const char* encoding) {
  std::string out;
  EXPECT_TRUE(ConvertEncoding(utf8, "UTF-8", encoding, out)) << encoding;
  return out;
}

const char kCsv[] =
    "番号,意見,分野\r\n"
    "1,公園を増やしてください。,緑\r\n"
    "2,\"駅前の駐輪場が足りません。\r\n夜も使えるように。\",交通\r\n";

void ExpectTwoRows(const Result<Table>& table) {
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->records.size(), 2u);
  EXPECT_EQ(table->Value(table->records[0], "id"), "1");
  EXPECT_EQ(table->Value(table->records[0], "text"), "公園を増やしてください。");
  EXPECT_EQ(table->Value(table->records[1], "text"),
            "駅前の駐輪場が足りません。\n夜も使えるように。");
  EXPECT_EQ(table->Value(table->records[1], "field"), "交通");
  EXPECT_FALSE(table->Has("answer"));
  EXPECT_EQ(table->report.rows_read, 2);
}

TEST(TabularImport, ReadsEveryEncoding) {
  struct Case {
    std::string bytes;
    Encoding encoding;
  };
  const std::string text = kCsv;
  for (const Case& each : std::vector<Case>{
           {text, Encoding::kUtf8},
           {"\xEF\xBB\xBF" + text, Encoding::kUtf8Bom},
           {Encode(text, "CP932"), Encoding::kCp932},
           {"\xFF\xFE" + Encode(text, "UTF-16LE"), Encoding::kUtf16Le},
           {"\xFE\xFF" + Encode(text, "UTF-16BE"), Encoding::kUtf16Be},
           {Encode(text, "UTF-16LE"), Encoding::kUtf16Le},  // no BOM
       }) {
    Result<Table> table = ReadTable(each.bytes, TestSpec(), {});
    SCOPED_TRACE(EncodingName(each.encoding));
    ExpectTwoRows(table);
    EXPECT_EQ(table->report.encoding, each.encoding);
    EXPECT_EQ(table->report.format, Format::kCsv);
  }
}

TEST(TabularImport, UndecodableBytesNameTheLine) {
  const std::string bytes = "番号,意見\n1,よい\n2,\x81\x20\xFF\n";
  Result<DecodedText> decoded = DecodeText(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message_id(), "core.import_encoding");
  EXPECT_EQ(decoded.status().field(), "line 3");
  // The table is still read, the damage left for the importer to name by row and column.
  Result<Table> table = ReadTable(bytes, TestSpec(), {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->report.warnings.size(), 1u);
  EXPECT_EQ(table->report.warnings[0].message_id(), "core.import_damaged_utf8");
  EXPECT_EQ(table->report.warnings[0].field(), "line 3");
  EXPECT_EQ(table->Value(table->records[1], "text"), "\x81\x20\xFF");
  // Bytes CP932 accepts but that hold no kana are not taken for CP932.
  EXPECT_FALSE(DecodeText("id,text\n1,\"bad \xE7\xB7 utf8\"\n").ok());
  // Nor are EUC-JP bytes, which CP932 reads as half-width katakana (「騒音」 → 「ﾁ…ｻ」).
  EXPECT_FALSE(DecodeText("id,text\n2," + Encode("騒音", "EUC-JP") + "\n").ok());
  // A CP932 file with half-width katakana beside its kana is still read.
  Result<DecodedText> halfwidth = DecodeText(Encode("id,text\n1,ｺｳｴﾝの緑\n", "CP932"));
  ASSERT_TRUE(halfwidth.ok());
  EXPECT_EQ(halfwidth->text, "id,text\n1,ｺｳｴﾝの緑\n");
}

TEST(TabularImport, ReadsXlsxWithATitleAboveTheHeader) {
  XlsxSheet sheet{"意見", {"令和6年度 意見一覧"}, {}};
  sheet.rows = {{"単位：件"},
                {"No.", "ご意見", "項目"},
                {"1", "公園を増やしてください。", "緑"},
                {"2", "駅前の駐輪場が足りません。\r\n夜も使えるように。", "交通"},
                {"※ 意見は要約しています。"}};
  Result<std::string> bytes = XlsxWorkbookBytes({sheet});
  ASSERT_TRUE(bytes.ok());
  Result<Table> table = ReadTable(*bytes, TestSpec(), {});
  ExpectTwoRows(table);
  EXPECT_EQ(table->report.format, Format::kXlsx);
  EXPECT_EQ(table->report.header_row, 3);
  ASSERT_EQ(table->report.notes_above.size(), 2u);
  EXPECT_EQ(table->report.notes_above[0].text, "令和6年度 意見一覧");
  EXPECT_EQ(table->report.notes_above[1].text, "単位：件");
  ASSERT_EQ(table->report.notes_below.size(), 1u);
  EXPECT_EQ(table->report.notes_below[0].text, "※ 意見は要約しています。");
  EXPECT_EQ(table->records[1].line, 5);
  ASSERT_EQ(table->report.changes.size(), 1u);  // Excel's _x000D_: CRLF read as LF, reported
  EXPECT_EQ(table->report.changes[0].reason, "core.import_change_line_endings");
  EXPECT_EQ(table->Original(table->records[1], "text"),
            "駅前の駐輪場が足りません。\r\n夜も使えるように。");
}

TEST(TabularImport, TsvWithTitleFootnotesAndPageBreakHeaders) {
  const std::string tsv =
      "〇〇計画（案）に対する意見と市の考え方\n"
      "\n"
      "Ｎｏ．\t意見の概要\t市の考え方\n"
      "1\t意見A\t回答A\n"
      "Ｎｏ．\t意見の概要\t市の考え方\n"
      "2\t意見B\t回答B\n"
      "\n"
      "注）意見は趣旨を損なわない範囲で要約しました。\n"
      "計\t2件\n"
      "意見の提出者数は3人でした\n";
  Result<Table> table = ReadTable(tsv, TestSpec(), {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->report.format, Format::kTsv);
  EXPECT_EQ(table->report.header_row, 3);
  ASSERT_EQ(table->records.size(), 2u);
  EXPECT_EQ(table->Value(table->records[1], "answer"), "回答B");
  EXPECT_EQ(table->records[1].line, 6);
  EXPECT_EQ(table->report.repeated_headers, 1);
  ASSERT_EQ(table->report.notes_above.size(), 1u);
  ASSERT_EQ(table->report.notes_below.size(), 3u);
  EXPECT_EQ(table->report.notes_below[0].text, "注）意見は趣旨を損なわない範囲で要約しました。");
  EXPECT_EQ(table->report.notes_below[0].row, 8);
  EXPECT_EQ(table->report.notes_below[1].text, "計\t2件");
  EXPECT_EQ(table->report.notes_below[2].text, "意見の提出者数は3人でした");
  ASSERT_EQ(table->report.mapped.size(), 3u);
  EXPECT_EQ(table->report.mapped[0].header, "Ｎｏ．");
  EXPECT_EQ(table->report.mapped[0].field, "id");
}

TEST(TabularImport, DashesAndAnnotatedNumbersAreReadAndReported) {
  const std::string csv =
      "番号,意見,分野,回答\n"
      "36（1）,意見A,―,－\n"
      "１２,意見B,ー,回答\n"
      "\"1,234\",意見C,–,—\n";
  Result<Table> table = ReadTable(csv, TestSpec(), {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->records.size(), 3u);
  EXPECT_EQ(table->Value(table->records[0], "id"), "36");
  EXPECT_EQ(table->Value(table->records[0], "field"), "");
  EXPECT_EQ(table->Value(table->records[0], "answer"), "");
  EXPECT_EQ(table->Value(table->records[1], "id"), "12");
  EXPECT_EQ(table->Value(table->records[2], "id"), "1234");
  EXPECT_EQ(table->Value(table->records[2], "answer"), "—");  // the em dash is text
  const auto& changes = table->report.changes;
  ASSERT_EQ(changes.size(), 7u);
  EXPECT_EQ(changes[0].row, 2);
  EXPECT_EQ(changes[0].column, "番号");
  EXPECT_EQ(changes[0].before, "36（1）");
  EXPECT_EQ(changes[0].after, "36");
  EXPECT_EQ(changes[0].reason, "core.import_change_annotation");
  EXPECT_EQ(changes[1].reason, "core.import_change_dash");
  EXPECT_EQ(changes[1].column, "分野");
  EXPECT_EQ(changes[3].reason, "core.import_change_number");
  EXPECT_EQ(changes[6].before, "–");
}

TEST(TabularImport, ColumnWithDataAndNoFieldIsRefusedByNameUnlessIgnored) {
  const std::string csv = "番号,意見,担当者,備考欄\n1,意見A,山田,\n2,意見B,,\n";
  Result<Table> refused = ReadTable(csv, TestSpec(), {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message_id(), "core.import_unmapped_column");
  EXPECT_EQ(refused.status().field(), "担当者");

  ImportOptions options;
  options.ignored_columns = {"担当者"};
  Result<Table> table = ReadTable(csv, TestSpec(), options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->report.unused.size(), 2u);
  EXPECT_EQ(table->report.unused[0].header, "担当者");
  EXPECT_TRUE(table->report.unused[0].has_data);
  EXPECT_TRUE(table->report.unused[0].ignored);
  EXPECT_EQ(table->report.unused[1].header, "備考欄");  // empty: listed, not refused
  EXPECT_FALSE(table->report.unused[1].has_data);

  // Data under no header at all is refused too, named by its position.
  Result<Table> headless = ReadTable("番号,意見\n1,意見A,はみ出し\n", TestSpec(), {});
  ASSERT_FALSE(headless.ok());
  EXPECT_EQ(headless.status().field(), "列3");
}

TEST(TabularImport, MappingFileNamesOtherHeaders) {
  const std::string csv = "整理番号,提出意見,担当者\n1,意見A,山田\n";
  Result<Table> refused = ReadTable(csv, TestSpec(), {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message_id(), "core.import_no_header");

  Result<std::map<std::string, std::string>> mapping =
      ParseMappingJson(R"({"整理番号": "id", "提出意見": "text", "担当者": "answer"})", TestSpec());
  ASSERT_TRUE(mapping.ok());
  ImportOptions options;
  options.mapping = *mapping;
  Result<Table> table = ReadTable(csv, TestSpec(), options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->Value(table->records[0], "answer"), "山田");
  ASSERT_EQ(table->report.mapped.size(), 3u);
  EXPECT_TRUE(table->report.mapped[0].by_mapping);

  Result<std::map<std::string, std::string>> unknown =
      ParseMappingJson(R"({"整理番号": "number"})", TestSpec());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message_id(), "core.import_mapping_field");
  EXPECT_FALSE(ParseMappingJson("[1]", TestSpec()).ok());
}

TEST(TabularImport, MissingRequiredColumnIsNamedWithItsSynonyms) {
  Result<Table> table = ReadTable("番号,分野\n1,緑\n", TestSpec(), {});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message_id(), "core.import_column_missing");
  EXPECT_EQ(table.status().args()[0].second, "text");
  EXPECT_FALSE(ReadTable("", TestSpec(), {}).ok());
  Result<Table> twice = ReadTable("番号,意見,ご意見\n1,a,b\n", TestSpec(), {});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().message_id(), "core.import_column_twice");
}

// The staff page's mapping step: what the command line refuses is listed for the page to ask
// about, with every column named and the first rows kept; the header a choice maps to no field
// stops counting as its synonym.
TEST(TabularImport, MappingStepListsWhatItWouldRefuseWithAPreview) {
  ImportOptions survey;
  survey.for_mapping = true;
  survey.preview_rows = 1;
  Result<Table> table =
      ReadTable("番号,寄せられた声,担当者\n1,意見A,山田\n2,意見B,\n", TestSpec(), survey);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->report.header_row, 1);
  EXPECT_EQ(table->report.columns, (std::vector<std::string>{"番号", "寄せられた声", "担当者"}));
  ASSERT_EQ(table->report.preview.size(), 1u);
  EXPECT_EQ(table->report.preview[0].cells[1], "意見A");
  std::vector<std::string> errors;
  for (const Status& error : table->report.errors) errors.push_back(error.message_id());
  EXPECT_EQ(errors, (std::vector<std::string>{"core.import_column_missing",
                                              "core.import_unmapped_column"}));

  // 「意見」 chosen as no field and ignored: no longer the text column, and not refused.
  ImportOptions unmapped;
  unmapped.mapping = {{"意見", ""}, {"メモ", "text"}};
  unmapped.ignored_columns = {"意見"};
  Result<Table> chosen = ReadTable("番号,意見,メモ\n1,a,b\n", TestSpec(), unmapped);
  ASSERT_TRUE(chosen.ok()) << chosen.status().ToString();
  EXPECT_EQ(chosen->Value(chosen->records[0], "text"), "b");
  ASSERT_EQ(chosen->report.unused.size(), 1u);
  EXPECT_TRUE(chosen->report.unused[0].ignored);
}

TEST(TabularImport, TwoRowHeaderIsReadAsOne) {
  ImporterSpec spec = TestSpec();
  spec.fields.push_back({"department", {"部", "回答部署"}, false, false});
  spec.fields.push_back({"section", {"課"}, false, false});
  const std::string tsv =
      "No\t意見\t回答部署\t\t回答\n"
      "\t\t部\t課\t\n"
      "1\t意見A\t環境部\t環境課\t回答A\n";
  Result<Table> table = ReadTable(tsv, spec, {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->records.size(), 1u);
  EXPECT_EQ(table->Value(table->records[0], "department"), "環境部");
  EXPECT_EQ(table->Value(table->records[0], "section"), "環境課");
  EXPECT_EQ(table->report.mapped[2].header, "回答部署／部");
  EXPECT_EQ(table->report.mapped[3].header, "回答部署／課");
}

TEST(TabularImport, HeaderQualifiersAreTakenOutOfTheSynonym) {
  EXPECT_EQ(ReadFiscalYear("令和4年度"), 2022);
  EXPECT_EQ(ReadFiscalYear("Ｒ５"), 2023);
  EXPECT_EQ(ReadFiscalYear("H30"), 2018);
  EXPECT_EQ(ReadFiscalYear("令和元年度"), 2019);
  EXPECT_EQ(ReadFiscalYear("2022年度"), 2022);
  EXPECT_EQ(ReadFiscalYear("令和五年度"), 2023);
  EXPECT_EQ(ReadFiscalYear("平成32年度"), 0);
  EXPECT_EQ(ReadFiscalYear("継続"), 0);
  HeaderQualifier wide = SplitHeader("令和4年度 決算額（千円）");
  EXPECT_EQ(wide.key, "決算額");
  EXPECT_EQ(wide.fiscal_year, 2022);
  EXPECT_EQ(wide.unit, "千円");
  HeaderQualifier later = SplitHeader("事業費（令和5年度）");
  EXPECT_EQ(later.key, "事業費");
  EXPECT_EQ(later.fiscal_year, 2023);
  HeaderQualifier short_year = SplitHeader("R4_国庫支出金");
  EXPECT_EQ(short_year.key, "国庫支出金");
  EXPECT_EQ(short_year.fiscal_year, 2022);
  HeaderQualifier circled = SplitHeader("成果指標名②");
  EXPECT_EQ(circled.key, "成果指標名");
  EXPECT_EQ(circled.ordinal, 2);
  EXPECT_EQ(circled.fiscal_year, 0);
  HeaderQualifier inside = SplitHeader("活動指標1 単位");
  EXPECT_EQ(inside.key, "活動指標単位");
  EXPECT_EQ(inside.ordinal, 1);
}

TEST(TabularImport, RepeatedFieldsKeepEveryColumnWithItsYear) {
  const ImporterSpec spec{"wide",
                          {{"name", {"事業名"}, true, false},
                           {"cost", {"事業費", "決算額"}, false, true, true},
                           {"indicator", {"指標"}, false, false, true}}};
  // A two-row header: the year sits in the merged cell above its block.
  const std::string csv =
      "事業名,令和4年度,,指標1,指標2\n"
      ",事業費,R5決算額,,\n"
      "公園管理,\"1,200\",－,利用者数,36（1）\n";
  Result<Table> table = ReadTable(csv, spec, {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->repeated.size(), 4u);
  EXPECT_EQ(table->repeated[0].fiscal_year, 2022);  // from the merged cell above
  EXPECT_EQ(table->repeated[1].fiscal_year, 2023);  // its own wins
  EXPECT_EQ(table->repeated[2].ordinal, 1);
  EXPECT_EQ(table->repeated[3].ordinal, 2);
  ASSERT_EQ(table->records.size(), 1u);
  const Record& row = table->records[0];
  EXPECT_EQ(row.repeated_values[0], "1200");
  EXPECT_EQ(row.repeated_values[1], "");         // a dash, reported
  EXPECT_EQ(row.repeated_values[3], "36（1）");  // not a number field: kept as it is
  EXPECT_EQ(row.repeated_original[1], "－");
  EXPECT_TRUE(table->Has("cost"));
  EXPECT_EQ(table->report.mapped.size(), 5u);
  EXPECT_EQ(table->report.mapped[1].field, "cost FY2022");
  ASSERT_EQ(table->report.changes.size(), 2u);
  EXPECT_EQ(table->report.changes[1].reason, "core.import_change_dash");
}

TEST(TabularImport, UnclosedQuoteNamesTheRecord) {
  Result<std::vector<SourceRow>> rows = ParseDelimited("a,b\n1,\"open\n", ',');
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().field(), "row 2");
  Result<std::vector<SourceRow>> fine = ParseDelimited("a,\"say \"\"hi\"\"\"\n1,x\"y\n", ',');
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ((*fine)[0].cells[1], "say \"hi\"");
  EXPECT_EQ((*fine)[1].cells[1], "x\"y");
}

// A real file as its city publishes it (tests/real/facilities, Yaizu's 公共施設一覧: UTF-8,
// CRLF, 24 columns, free-text hours with full-width digits). A spec that reads four columns is
// refused naming the others that carry data; with them ignored every row is read.
// Regression (issue 19): a last row whose id cell was left empty but whose opinion is there
// was read as a note below the table, so the opinion vanished from the import unrefused.
TEST(TabularImport, TrailingRowWithEmptyIdIsADataRowNotANote) {
  const std::string csv =
      "番号,意見,分野\n"
      "1,公園を増やしてください。,緑\n"
      ",駐輪場が足りません。,\n"
      "\n"
      "※ 意見は要約しています。\n"
      "注 提出者は2人\n"
      "以上\n"
      "意見の提出者数は2人でした\n";
  for (const std::string& bytes : {csv, Encode(csv, "UTF-16")}) {
    Result<Table> table = ReadTable(bytes, TestSpec(), {});
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    ASSERT_EQ(table->records.size(), 2u);
    EXPECT_EQ(table->records[1].line, 3);
    EXPECT_EQ(table->Value(table->records[1], "id"), "");
    EXPECT_EQ(table->Value(table->records[1], "text"), "駐輪場が足りません。");
    ASSERT_EQ(table->report.notes_below.size(), 4u);
    EXPECT_EQ(table->report.notes_below[0].text, "※ 意見は要約しています。");
    EXPECT_EQ(table->report.notes_below[2].text, "以上");
    EXPECT_EQ(table->report.notes_below[3].text, "意見の提出者数は2人でした");
  }
  // A lone cell in a column that maps to nothing stays a note (and is not data of that column).
  Result<Table> aside = ReadTable("番号,意見,\n1,公園,\n,,表の外の書き込み\n", TestSpec(), {});
  ASSERT_TRUE(aside.ok()) << aside.status().ToString();
  EXPECT_EQ(aside->records.size(), 1u);
  ASSERT_EQ(aside->report.notes_below.size(), 1u);
  EXPECT_EQ(aside->report.notes_below[0].row, 3);
}

TEST(TabularImport, RealYaizuFacilityListIsReadWithNothingDroppedSilently) {
  std::ifstream file(
      std::string(CIVICDESK_GOLDEN_DIR) + "/../real/facilities/yaizu_public_facilities.csv",
      std::ios::binary);
  ASSERT_TRUE(file.good());
  std::ostringstream bytes;
  bytes << file.rdbuf();
  const ImporterSpec spec{"facilities-sample",
                          {{"code", {"NO"}, true, false},
                           {"name", {"名称"}, true, false},
                           {"address", {"住所"}, false, false},
                           {"owner", {"団体名"}, false, false}}};
  Result<Table> refused = ReadTable(bytes.str(), spec, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message_id(), "core.import_unmapped_column");
  EXPECT_EQ(refused.status().field(), "都道府県コード又は市区町村コード");
  const std::string& named = refused.status().args()[0].second;
  for (const char* column : {"「名称_カナ」", "「緯度」", "「利用可能日時特記事項」"})
    EXPECT_NE(named.find(column), std::string::npos) << named;

  ImportOptions options;
  for (const char* column : {"都道府県コード又は市区町村コード",
                             "都道府県名",
                             "市区町村名",
                             "名称_カナ",
                             "名称_通称",
                             "POIコード",
                             "方書",
                             "緯度",
                             "経度",
                             "電話番号",
                             "内線番号",
                             "法人番号",
                             "利用可能曜日",
                             "開始時間",
                             "終了時間",
                             "利用可能日時特記事項",
                             "説明",
                             "バリアフリー情報",
                             "URL",
                             "備考"})
    options.ignored_columns.push_back(column);
  Result<Table> table = ReadTable(bytes.str(), spec, options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->report.encoding, Encoding::kUtf8);
  EXPECT_EQ(table->report.format, Format::kCsv);
  EXPECT_EQ(table->report.header_row, 1);
  EXPECT_EQ(table->records.size(), 230u);
  EXPECT_TRUE(table->report.notes_below.empty());
  EXPECT_EQ(table->Value(table->records[0], "code"), "0000010001");  // text: zeros kept
  EXPECT_EQ(table->Value(table->records[0], "name"), "親子ふれあい広場");
  EXPECT_EQ(table->Value(table->records[0], "owner"), "子育て支援課");
  size_t ignored_with_data = 0;
  for (const UnusedColumn& column : table->report.unused) ignored_with_data += column.has_data;
  EXPECT_EQ(ignored_with_data, 7u);  // code, prefecture, city, kana, latitude, longitude, hours
  for (const UnusedColumn& column : table->report.unused) EXPECT_TRUE(column.ignored);
}

}  // namespace
}  // namespace civicdesk::tabular
