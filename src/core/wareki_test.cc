#include "core/wareki.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "embedded/core_files.h"

namespace civicdesk {
namespace {

// A failed Status's words as the command line shows them: the core catalog's Japanese, " / ",
// then its English, each with the arguments filled in.
std::string Words(const Status& status) {
  std::string words;
  for (const char* language : {"ja", "en"}) {
    std::optional<std::string_view> catalog =
        core_files::FindEmbeddedFile("messages/" + std::string(language) + ".json");
    const nlohmann::json messages =
        catalog ? nlohmann::json::parse(*catalog) : nlohmann::json::object();
    std::string text = messages.value(status.message_id(), status.message());
    for (const auto& [name, value] : status.args()) {
      const std::string placeholder = "{" + name + "}";
      for (size_t at = text.find(placeholder); at != std::string::npos;
           at = text.find(placeholder, at + value.size()))
        text.replace(at, placeholder.size(), value);
    }
    words += (words.empty() ? "" : " / ") + text;
  }
  return words;
}

struct GoldenCase {
  int line = 0;
  std::string kind;
  std::string input;
  std::string expected;
};

// Reads a golden file of "kind<TAB>input<TAB>expected" lines; '#' starts a comment line.
std::vector<GoldenCase> ReadGolden(const std::string& name) {
  std::ifstream file(std::string(CIVICDESK_GOLDEN_DIR) + "/wareki/" + name);
  EXPECT_TRUE(file.good()) << "cannot open golden file " << name;
  std::vector<GoldenCase> cases;
  std::string line;
  int number = 0;
  while (std::getline(file, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> columns;
    std::stringstream stream(line);
    std::string column;
    while (std::getline(stream, column, '\t')) columns.push_back(column);
    EXPECT_EQ(columns.size(), 3u) << name << ":" << number << " needs 3 tab-separated columns";
    if (columns.size() == 3) cases.push_back({number, columns[0], columns[1], columns[2]});
  }
  EXPECT_FALSE(cases.empty()) << name << " holds no cases";
  return cases;
}

template <typename T>
void ExpectOutcome(const GoldenCase& golden, const Result<T>& result, const std::string& actual) {
  SCOPED_TRACE("parse.tsv:" + std::to_string(golden.line) + " 「" + golden.input + "」");
  const std::string kError = "ERROR: ";
  if (golden.expected.rfind(kError, 0) == 0) {
    ASSERT_FALSE(result.ok()) << "expected an error, parsed as " << actual;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(Words(result.status()).find(golden.expected.substr(kError.size())), std::string::npos)
        << "message was: " << Words(result.status());
  } else {
    ASSERT_TRUE(result.ok()) << result.status().message();
    EXPECT_EQ(actual, golden.expected);
  }
}

TEST(WarekiGolden, Parse) {
  for (const GoldenCase& golden : ReadGolden("parse.tsv")) {
    if (golden.kind == "date") {
      Result<Date> date = ParseWarekiDate(golden.input);
      ExpectOutcome(golden, date, date.ok() ? FormatIsoDate(*date) : "");
    } else if (golden.kind == "year") {
      Result<int> year = ParseWarekiYear(golden.input);
      ExpectOutcome(golden, year, year.ok() ? std::to_string(*year) : "");
    } else if (golden.kind == "fiscal") {
      Result<WarekiFiscalYear> year = ParseWarekiFiscalYear(golden.input);
      std::string actual;
      if (year.ok()) {
        actual = std::to_string(year->fiscal_year.year()) + (year->end_of_year ? " end" : "");
      }
      ExpectOutcome(golden, year, actual);
    } else {
      ADD_FAILURE() << "unknown kind " << golden.kind << " at line " << golden.line;
    }
  }
}

TEST(WarekiGolden, Format) {
  for (const GoldenCase& golden : ReadGolden("format.tsv")) {
    SCOPED_TRACE("format.tsv:" + std::to_string(golden.line));
    if (golden.kind == "date" || golden.kind == "date_era_only") {
      Result<Date> date = ParseIsoDate(golden.input);
      ASSERT_TRUE(date.ok());
      WarekiStyle style =
          golden.kind == "date" ? WarekiStyle::kWithWesternYear : WarekiStyle::kEraOnly;
      EXPECT_EQ(FormatWarekiDate(*date, style), golden.expected);
    } else if (golden.kind == "year") {
      EXPECT_EQ(FormatWarekiYear(std::stoi(golden.input)), golden.expected);
    } else if (golden.kind == "fiscal" || golden.kind == "fiscal_end") {
      EXPECT_EQ(
          FormatWarekiFiscalYear(FiscalYear(std::stoi(golden.input)), golden.kind == "fiscal_end"),
          golden.expected);
    } else {
      ADD_FAILURE() << "unknown kind " << golden.kind;
    }
  }
}

TEST(Wareki, EndOfFiscalYearIsThirtyFirstOfMarch) {
  Result<WarekiFiscalYear> end = ParseWarekiFiscalYear("令和８年度末");
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(FormatIsoDate(end->last_day()), "2027-03-31");
}

TEST(Wareki, FormatThenParseRoundTripsEveryDayAcrossEraBoundaries) {
  for (Date start : {MakeDate(1989, 1, 1), MakeDate(2019, 4, 20)}) {
    std::chrono::sys_days day{start};
    for (int offset = 0; offset < 30; ++offset, day += std::chrono::days(1)) {
      Date date{day};
      for (WarekiStyle style : {WarekiStyle::kWithWesternYear, WarekiStyle::kEraOnly}) {
        std::string text = FormatWarekiDate(date, style);
        Result<Date> parsed = ParseWarekiDate(text);
        ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().message();
        EXPECT_EQ(FormatIsoDate(*parsed), FormatIsoDate(date)) << text;
      }
    }
  }
}

TEST(Wareki, EraOnRejectsDatesBeforeMeiji) {
  EXPECT_FALSE(EraOn(MakeDate(1867, 12, 31)).ok());
  ASSERT_TRUE(EraOn(MakeDate(2019, 5, 1)).ok());
  EXPECT_EQ(*EraOn(MakeDate(2019, 5, 1)), Era::kReiwa);
  EXPECT_EQ(*EraOn(MakeDate(2019, 4, 30)), Era::kHeisei);
}

TEST(IsoDate, RejectsMalformedAndImpossibleDates) {
  EXPECT_TRUE(ParseIsoDate("2024-02-29").ok());
  EXPECT_FALSE(ParseIsoDate("2023-02-29").ok());
  EXPECT_EQ(ParseIsoDate("2023-02-29").status().message_id(), "core.no_such_date");
  EXPECT_EQ(ParseIsoDate("2023-02-29").status().arg("text"), "2023-02-29");
  EXPECT_FALSE(ParseIsoDate("2023-2-1").ok());
  EXPECT_EQ(ParseIsoDate("2023-2-1").status().message_id(), "core.date_format");
  EXPECT_FALSE(ParseIsoDate("2023-12-01x").ok());
  EXPECT_FALSE(ParseIsoDate("").ok());
}

TEST(FormatWarekiTimestamp, ShowsTheDateAndTimeInJapan) {
  EXPECT_EQ(FormatWarekiTimestamp("2026-11-22T22:40:05Z"), "令和8(2026)年11月23日 7:40");
  EXPECT_EQ(FormatWarekiTimestamp("2019-04-30T14:59:59Z"), "平成31(2019)年4月30日 23:59");
  EXPECT_EQ(FormatWarekiTimestamp("2019-04-30T15:00:00Z"), "令和元(2019)年5月1日 0:00");
  EXPECT_EQ(FormatWarekiTimestamp("not a time"), "not a time");
  EXPECT_EQ(FormatWarekiTimestamp("2026-02-30T00:00:00Z"), "2026-02-30T00:00:00Z");
}

TEST(FormatEnglishDate, GivesTheGregorianDateWithTheEraYear) {
  EXPECT_EQ(FormatEnglishDate(MakeDate(2026, 12, 1)), "1 December 2026 (Reiwa 8)");
  EXPECT_EQ(FormatEnglishDate(MakeDate(2019, 4, 30)), "30 April 2019 (Heisei 31)");
  EXPECT_EQ(FormatEnglishDate(MakeDate(2019, 5, 1)), "1 May 2019 (Reiwa 1)");
  EXPECT_EQ(FormatEnglishDate(MakeDate(1850, 1, 1)), "1 January 1850");
}

TEST(FormatEnglishTimestamp, ShowsTheDateAndTimeInJapan) {
  EXPECT_EQ(FormatEnglishTimestamp("2026-12-01T13:17:00Z"), "1 December 2026, 22:17 (Reiwa 8)");
  EXPECT_EQ(FormatEnglishTimestamp("2026-11-22T22:40:05Z"), "23 November 2026, 07:40 (Reiwa 8)");
  EXPECT_EQ(FormatEnglishTimestamp("not a time"), "not a time");
}

TEST(FormatEnglishFiscalYear, NamesTheFiscalYearAndItsEra) {
  EXPECT_EQ(FormatEnglishFiscalYear(FiscalYear(2023)), "FY2023 (Reiwa 5)");
  EXPECT_EQ(FormatEnglishFiscalYear(FiscalYear(2026), true), "end of FY2026 (Reiwa 8)");
  EXPECT_EQ(FormatEnglishFiscalYear(FiscalYear(2019)), "FY2019 (Reiwa 1)");
}

TEST(FormatDateIn, ChoosesTheFormByThePageLanguage) {
  EXPECT_EQ(FormatDateIn("en", MakeDate(2026, 12, 1)), "1 December 2026 (Reiwa 8)");
  EXPECT_EQ(FormatDateIn("ja", MakeDate(2026, 12, 1)), "令和8(2026)年12月1日");
  EXPECT_EQ(FormatTimestampIn("ja", "2026-12-01T13:17:00Z"), "令和8(2026)年12月1日 22:17");
  EXPECT_EQ(FormatFiscalYearIn("ja", FiscalYear(2023)), "令和5(2023)年度");
  EXPECT_EQ(FormatInstantDateIn("en", "2026-12-01T15:30:00Z"), "2 December 2026 (Reiwa 8)");
  EXPECT_EQ(FormatInstantDateIn("ja", "2026-12-01T15:30:00Z"), "令和8(2026)年12月2日");
}

}  // namespace
}  // namespace civicdesk
