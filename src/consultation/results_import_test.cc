#include "consultation/results_import.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "consultation/consultation_module.h"
#include "consultation/pdf_export.h"
#include "consultation/personal_data.h"
#include "consultation/publication.h"
#include "storage/testing.h"
#include "text/search_index.h"

namespace civicdesk::consultation {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file.good()) << path;
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

// Seed 000 as shipped in data/minato.
std::string SeedResult() {
  return ReadFile(std::string(CIVICDESK_GOLDEN_DIR) +
                  "/../../data/minato/consultations/kankyo-kihon-keikaku-soan.txt");
}

std::vector<std::string> SeedRows(const std::string& text) {
  std::vector<std::string> rows;
  std::istringstream lines(text);
  std::string line;
  static const std::regex kRow("^[0-9]+\\t.*");
  while (std::getline(lines, line)) {
    if (std::regex_match(line, kRow) && std::count(line.begin(), line.end(), '\t') == 7)
      rows.push_back(line);
  }
  return rows;
}

class ImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  ImportTest() : database_(GetParam()) {}
  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(database_);
    ASSERT_TRUE(
        storage::Migrate(*database_, {text::SearchIndex::Migrations(), ConsultationMigrations()})
            .ok());
  }
  storage::testing::TestDatabase database_;
};

TEST_P(ImportTest, SeedResultRoundTripsCharacterForCharacter) {
  std::string seed = SeedResult();
  Result<ImportReport> report = ImportResults(*database_, seed, Actor{});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->items, 40);
  int truncated = 0;
  for (const Status& warning : report->warnings)
    truncated += warning.message_id() == "consultation.results_response_cut_off";
  EXPECT_EQ(truncated, 7);  // Nos 6, 9, 16, 20, 27, 38, 40 end mid-sentence in the seed
  for (const Status& warning : report->warnings) {
    EXPECT_EQ(warning.message_id().rfind("consultation.results_count_", 0), std::string::npos)
        << warning.message();
  }

  Result<std::vector<PublishedRow>> rows = PublishedRows(*database_, report->consultation_id);
  ASSERT_TRUE(rows.ok());
  std::ostringstream tsv;
  WriteTable(*rows, TableFormat::kTsv, tsv);
  std::vector<std::string> expected = SeedRows(seed);
  ASSERT_EQ(expected.size(), 40u);
  std::istringstream lines(tsv.str());
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "No\t主な該当分野\t区民意見\t区分\t部\t課\t区の考え方\t対応状況");
  for (const std::string& row : expected) {
    ASSERT_TRUE(std::getline(lines, line));
    EXPECT_EQ(line, row);
  }
  EXPECT_FALSE(std::getline(lines, line));

  // Rows 31-32 share one response word for word: one response record. (Rows 16-17 did too, but
  // the seed cut row 16's copy short: it is a prefix of row 17's.)
  EXPECT_EQ((*rows)[16].response.rfind((*rows)[15].response, 0), 0u);
  Result<storage::QueryResult> shared = database_->Query(
      "SELECT COUNT(DISTINCT response_id) FROM consultation_item WHERE consultation_id = ? AND "
      "publication_position IN "
      "(31, 32)",
      {report->consultation_id});
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(storage::AsInt(shared->rows[0][0]), 1);
  EXPECT_TRUE((*rows)[5].response_truncated);
  EXPECT_FALSE((*rows)[0].response_truncated);

  Result<std::vector<PublicationProblem>> problems =
      CheckPublication(*database_, report->consultation_id);
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
}

TEST_P(ImportTest, PublishedMinatoOpinionsRaiseNoPersonalDataFlags) {
  Result<ImportReport> report = ImportResults(*database_, SeedResult(), Actor{});
  ASSERT_TRUE(report.ok());
  Result<std::vector<PublishedRow>> rows = PublishedRows(*database_, report->consultation_id);
  ASSERT_TRUE(rows.ok());
  for (const PublishedRow& row : *rows) {
    for (const PersonalDataFinding& finding : FindPersonalData(row.opinion)) {
      ADD_FAILURE() << "No " << row.number << ": " << finding.kind << " " << finding.excerpt;
    }
  }
}

TEST_P(ImportTest, SummaryReproducesBothHeaderBlocks) {
  Result<ImportReport> report = ImportResults(*database_, SeedResult(), Actor{});
  ASSERT_TRUE(report.ok());
  Result<Summary> summary = Summarize(*database_, report->consultation_id);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->items, 40);
  EXPECT_EQ(summary->items_public_comment, 11);
  EXPECT_EQ(summary->items_meeting, 29);
  EXPECT_EQ(summary->people_public_comment, 6);
  EXPECT_EQ(summary->people_by_channel.at("インターネット"), 4);
  EXPECT_EQ(summary->people_by_channel.at("持参"), 2);
  EXPECT_EQ(summary->people_by_channel.at("郵送"), 0);
  EXPECT_EQ(summary->people_meeting, 12);
  EXPECT_EQ(summary->people_by_district.at("芝"), 4);
  EXPECT_EQ(summary->people_by_district.at("赤坂"), 1);
  EXPECT_EQ(summary->people_by_district.at("芝浦港南"), 7);
  EXPECT_EQ(summary->meetings, 7);
  std::vector<std::array<int, 3>> expected = {
      {2, 2, 0}, {17, 3, 14}, {2, 1, 1}, {0, 0, 0}, {19, 5, 14}};
  for (int status = 0; status < 5; ++status) {
    EXPECT_EQ(summary->statuses[status].total, expected[status][0]) << status + 1;
    EXPECT_EQ(summary->statuses[status].public_comment, expected[status][1]) << status + 1;
    EXPECT_EQ(summary->statuses[status].meeting, expected[status][2]) << status + 1;
  }
  Result<Consultation> consultation = GetConsultation(*database_, report->consultation_id);
  ASSERT_TRUE(consultation.ok());
  EXPECT_EQ(consultation->title, "港区環境基本計画（素案）");
  EXPECT_EQ(consultation->opens_on, "2023-12-01");
  EXPECT_EQ(consultation->closes_on, "2024-01-04");
  EXPECT_EQ(consultation->meetings_from, "2023-12-11");
  EXPECT_EQ(consultation->meetings_to, "2023-12-18");
}

TEST_P(ImportTest, BadRowsNameTheLineAndStoreNothing) {
  std::string header = "No\t主な該当分野\t区民意見\t区分\t部\t課\t区の考え方\t対応状況\n";
  std::string good =
      "1\t全般\t意見です。\tインターネット\t環境リサイクル支援部\t環境課\t回答です。\t5\n";
  struct Case {
    std::string file;
    std::string field;  // the line named
    std::string id;     // the message
  };
  std::vector<Case> cases = {
      {header + good + "2\t全般\t欠けた行\tインターネット\t環境課\n", "line 3",
       "consultation.results_columns"},
      {header + good + "3\t全般\t意見\t電報\t部\t課\t回答。\t5\n", "line 3",
       "consultation.results_channel_unknown"},
      {header + good + "4\t全般\t意見\t区民説明会 (新宿)\t部\t課\t回答。\t5\n", "line 3",
       "consultation.results_district_unknown"},
      {header + good + "5\t全般\t意見\tインターネット\t部\t課\t回答。\t7\n", "line 3",
       "consultation.results_status_invalid"},
      {header + good + "1\t全般\t重複\tインターネット\t部\t課\t回答。\t5\n", "line 3",
       "consultation.results_duplicate_number"},
      {header + "x\t全般\t意見\tインターネット\t部\t課\t回答。\t5\n", "line 2",
       "consultation.results_number_invalid"},
      {"タイトルだけ\n", "file", "consultation.results_no_table"},
      {header + "6\t全般\t\xff\xfe\xfd\tインターネット\t部\t課\t回答。\t5\n", "line 2",
       "consultation.results_encoding"},
  };
  for (const Case& bad : cases) {
    Result<ImportReport> report = ImportResults(*database_, bad.file, Actor{});
    ASSERT_FALSE(report.ok()) << bad.file;
    EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(report.status().field(), bad.field) << report.status().ToString();
    EXPECT_EQ(report.status().message_id(), bad.id) << report.status().ToString();
  }
  Result<storage::QueryResult> count = database_->Query("SELECT COUNT(*) FROM consultation_item");
  EXPECT_EQ(storage::AsInt(count->rows[0][0]), 0);
}

TEST_P(ImportTest, ShiftJisFileIsConverted) {
  std::string utf8 =
      "No\t主な該当分野\t区民意見\t区分\t部\t課\t区の考え方\t対応状況\n"
      "1\t全般\t緑\t持参\t部\t課\t回答。\t5\n";
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
  UErrorCode error = U_ZERO_ERROR;
  UConverter* converter = ucnv_open("windows-31j", &error);
  std::string cp932(utf8.size() * 2, '\0');
  int32_t length = ucnv_fromUChars(converter, cp932.data(), static_cast<int32_t>(cp932.size()),
                                   text.getBuffer(), text.length(), &error);
  ucnv_close(converter);
  ASSERT_TRUE(U_SUCCESS(error));
  cp932.resize(length);
  ASSERT_NE(cp932, utf8);
  std::string header;
  std::string row = cp932;
  Result<ImportReport> report = ImportResults(*database_, header + row, Actor{});
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_FALSE(report->warnings.empty());
  EXPECT_EQ(report->warnings[0].message_id(), "consultation.results_converted_from_sjis");
  Result<std::vector<PublishedRow>> rows = PublishedRows(*database_, report->consultation_id);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].fields, "全般");
  EXPECT_EQ((*rows)[0].opinion, "緑");
  EXPECT_EQ((*rows)[0].channel, "持参");
  EXPECT_EQ((*rows)[0].response, "回答。");
}

std::string RunCommand(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  size_t read = 0;
  while ((read = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, read);
  pclose(pipe);
  return output;
}

// The PDF is checked the way a person would read it: poppler's tools (from make test's packages)
// report the page size and fonts and extract each page's text.
TEST_P(ImportTest, PdfIsA4LandscapeWithEmbeddedJapaneseFontsAndRepeatedHeaders) {
  Result<ImportReport> report = ImportResults(*database_, SeedResult(), Actor{});
  ASSERT_TRUE(report.ok());
  Result<Summary> summary = Summarize(*database_, report->consultation_id);
  Result<std::vector<PublishedRow>> rows = PublishedRows(*database_, report->consultation_id);
  ASSERT_TRUE(summary.ok() && rows.ok());
  std::string path = "/tmp/civicdesk-test-" + std::to_string(getpid()) + "-" + GetParam() + ".pdf";
  ASSERT_TRUE(
      WritePdf(path, "港区環境基本計画（素案）", IssuerWords{}, *summary, RowsOf(*rows)).ok());

  std::string info = RunCommand("pdfinfo " + path);
  EXPECT_NE(info.find("841.89 x 595.28 pts (A4)"), std::string::npos) << info;
  std::smatch pages;
  ASSERT_TRUE(std::regex_search(info, pages, std::regex("Pages:\\s+([0-9]+)")));
  int page_count = std::stoi(pages[1]);
  EXPECT_GE(page_count, 3);
  std::string fonts = RunCommand("pdffonts " + path);
  EXPECT_NE(fonts.find("NotoSansCJKjp-Regular"), std::string::npos) << fonts;
  EXPECT_EQ(fonts.find(" no "), std::string::npos) << "every font must be embedded:\n" << fonts;
  std::string all_text;
  for (int page = 2; page <= page_count; ++page) {
    std::string text = RunCommand("pdftotext -f " + std::to_string(page) + " -l " +
                                  std::to_string(page) + " " + path + " -");
    EXPECT_NE(text.find("主な該当分野"), std::string::npos)
        << "page " << page << " lacks the table header";
    all_text += text;
  }
  EXPECT_NE(all_text.find("羽田空港周辺の飛行機の騒音が気になっている。"), std::string::npos);
  EXPECT_NE(all_text.find("タワマンなどに雨戸の整備をしていただきたい。"), std::string::npos);
  std::remove(path.c_str());
}

// Issue 25 #9: rows were cut at the page foot and finished on the next page, so a reader saw
// half an opinion under one header and the rest under another. Each row here is marked at its
// start (Sn) and end (En); both marks must be on one page, except for the one row taller than a
// page, which must start a page of its own.
TEST_P(ImportTest, PdfRowsNeverSplitAcrossPages) {
  Result<ImportReport> report = ImportResults(*database_, SeedResult(), Actor{});
  ASSERT_TRUE(report.ok());
  Result<Summary> summary = Summarize(*database_, report->consultation_id);
  ASSERT_TRUE(summary.ok());
  std::vector<PublishedRow> rows;
  constexpr int kRows = 60, kHuge = 41;
  for (int n = 1; n <= kRows; ++n) {
    PublishedRow row;
    row.number = n;
    row.fields = "全般";
    std::string body;
    const int sentences = n == kHuge ? 400 : 1 + (n * 7) % 23;
    for (int k = 0; k < sentences; ++k) body += "公園の緑を増やし、歩道を広げてほしい。";
    row.opinion = "S" + std::to_string(n) + "S " + body + " E" + std::to_string(n) + "E";
    row.response = "ご意見として承ります。";
    row.status = 5;
    rows.push_back(row);
  }
  std::string path =
      "/tmp/civicdesk-test-split-" + std::to_string(getpid()) + "-" + GetParam() + ".pdf";
  ASSERT_TRUE(WritePdf(path, "分割試験", IssuerWords{}, *summary, RowsOf(rows)).ok());
  std::smatch pages;
  std::string info = RunCommand("pdfinfo " + path);
  ASSERT_TRUE(std::regex_search(info, pages, std::regex("Pages:\\s+([0-9]+)")));
  const int page_count = std::stoi(pages[1]);
  std::map<int, int> start_page, end_page;
  std::map<int, std::string> page_texts;
  for (int page = 1; page <= page_count; ++page) {
    std::string text = RunCommand("pdftotext -f " + std::to_string(page) + " -l " +
                                  std::to_string(page) + " " + path + " -");
    page_texts[page] = text;
    for (int n = 1; n <= kRows; ++n) {
      if (text.find("S" + std::to_string(n) + "S") != std::string::npos) start_page[n] = page;
      if (text.find("E" + std::to_string(n) + "E") != std::string::npos) end_page[n] = page;
    }
  }
  for (int n = 1; n <= kRows; ++n) {
    ASSERT_TRUE(start_page.count(n) && end_page.count(n)) << "row " << n << " lost";
    if (n == kHuge) {
      EXPECT_GT(end_page[n], start_page[n]) << "the huge row should need two pages";
      // It starts a page: no other row's end mark is on its first page after it.
      EXPECT_LT(end_page[n - 1], start_page[n]) << "the huge row did not start a new page";
      continue;
    }
    EXPECT_EQ(start_page[n], end_page[n]) << "row " << n << " is split across pages";
  }
  std::remove(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

TEST(WriteTable, CsvQuotesAndStartsWithBom) {
  PublishedRow row;
  row.number = 1;
  row.fields = "全般";
  row.opinion = "<script>alert(\"x\")</script>, 改行\nあり";
  row.channel = "持参";
  row.status = 5;
  std::ostringstream csv;
  WriteTable({row}, TableFormat::kCsv, csv);
  EXPECT_EQ(csv.str().rfind("\xEF\xBB\xBFNo,主な該当分野", 0), 0u);
  EXPECT_NE(csv.str().find("\"<script>alert(\"\"x\"\")</script>, 改行\nあり\""), std::string::npos);
  std::ostringstream tsv;
  WriteTable({row}, TableFormat::kTsv, tsv);
  EXPECT_NE(tsv.str().find("改行 あり"), std::string::npos);
}

TEST(CollapseFormLetters, OneRowPerFormLetterWithItsCount) {
  std::vector<PublishedRow> rows;
  auto add = [&rows](const std::string& opinion, const std::string& field,
                     const std::string& group) {
    PublishedRow row;
    row.number = static_cast<int>(rows.size()) + 1;
    row.opinion = opinion;
    row.fields = field;
    row.group_key = group;
    rows.push_back(row);
  };
  add("騒音対策を求めます。", "全般", "C00001");
  add("騒音対策を求めます。", "全般", "C00001");
  add("騒音対策を強く求めます。", "全般", "C00001");
  add("公園の緑を増やして。", "全般", "G00002");
  add("緑の多い公園を。", "全般", "G00002");
  add("騒音対策を求めます。", "基本目標1", "C00001");
  add("図書館を延長して。", "基本目標1", "");
  std::vector<PublishedRow> collapsed;
  Status read = CollapseFormLetters(RowsOf(rows))([&](const PublishedRow& row) {
    collapsed.push_back(row);
    return Status::Ok();
  });
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(collapsed.size(), 5u);
  EXPECT_EQ(collapsed[0].form_letter_count, 3);
  EXPECT_NE(collapsed[0].opinion.find("同趣旨のご意見 3件"), std::string::npos);
  EXPECT_EQ(collapsed[1].opinion, "公園の緑を増やして。");  // similar opinions stay rows
  EXPECT_EQ(collapsed[2].opinion, "緑の多い公園を。");
  EXPECT_EQ(collapsed[3].form_letter_count, 1);  // another field: its own row
  EXPECT_EQ(collapsed[3].opinion, "騒音対策を求めます。");
  for (size_t i = 0; i < collapsed.size(); ++i)
    EXPECT_EQ(collapsed[i].number, static_cast<int>(i + 1));
}

}  // namespace
}  // namespace civicdesk::consultation
