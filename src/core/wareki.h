#ifndef CIVICDESK_CORE_WAREKI_H_
#define CIVICDESK_CORE_WAREKI_H_

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/result.h"

namespace civicdesk {

// Japanese eras (元号) from 明治. The first year of an era is 元年.
enum class Era { kMeiji, kTaisho, kShowa, kHeisei, kReiwa };

// "令和" etc.
std::string_view EraName(Era era);

// The first day of the era: 明治 1868-01-01 (by the rule that 明治元年 is the whole of 1868),
// 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.
Date EraFirstDay(Era era);

// The era in force on `date`. InvalidArgument before 1868.
Result<Era> EraOn(Date date);

// A fiscal year as written in plans: "令和5(2023)年度" or, with end_of_year, "令和8(2026)年度末"
// (= the last day of that 年度, 31 March of the next year).
struct WarekiFiscalYear {
  FiscalYear fiscal_year;
  bool end_of_year = false;

  Date last_day() const { return fiscal_year.last_day(); }
};

// Parsers accept what Japanese documents write: full-width or half-width digits, kanji numerals
// (令和五年), 元年, an optional Western year in half- or full-width parentheses that must agree
// ("令和5(2023)年度", "令和元 (2019)年度"), and spaces anywhere. Every failure is
// InvalidArgument with a message in Japanese and English that names what is wrong:
// 令和0年 (no year 0), 平成32年 (平成 ended in its 31st year), 平成31年5月1日 (that day is 令和).

// "令和5年12月1日" → 2023-12-01.
Result<Date> ParseWarekiDate(std::string_view text);

// "令和元年" → 2019. The Western calendar year.
Result<int> ParseWarekiYear(std::string_view text);

// "令和5(2023)年度" → 年度 2023; "令和８年度末" → 年度 2026, end_of_year.
Result<WarekiFiscalYear> ParseWarekiFiscalYear(std::string_view text);

enum class WarekiStyle {
  kWithWesternYear,  // 令和5(2023)年12月1日: what people are shown where space allows
  kEraOnly,          // 令和5年12月1日
};

// 2023-12-01 → "令和5(2023)年12月1日"; 2019-04-30 → "平成31(2019)年4月30日";
// 2019-05-01 → "令和元(2019)年5月1日". Dates before 1868 are shown as ISO 8601.
std::string FormatWarekiDate(Date date, WarekiStyle style = WarekiStyle::kWithWesternYear);

// A calendar year, named by the era in force on its last day: 2019 → "令和元(2019)年".
std::string FormatWarekiYear(int western_year, WarekiStyle style = WarekiStyle::kWithWesternYear);

// A stored UTC instant ("2026-11-22T22:40:05Z") as people in Japan read it: the date in 和暦
// with the Western year and the time in Japan, "令和8(2026)年11月23日 7:40". Text that is not
// such an instant comes back as it is.
std::string FormatWarekiTimestamp(std::string_view iso_utc);

// 年度 2023 → "令和5(2023)年度"; with end_of_year → "令和8(2026)年度末". A 年度 is named by the
// era in force at the end of its starting calendar year, as Minato writes 令和元(2019)年度.
std::string FormatWarekiFiscalYear(FiscalYear fiscal_year, bool end_of_year = false,
                                   WarekiStyle style = WarekiStyle::kWithWesternYear);

// English pages show the Gregorian calendar with the era year in brackets (the 和暦 stays in
// sight, as residents' papers carry it). 2026-12-01 → "1 December 2026 (Reiwa 8)"; the first
// year of an era is 1 ("Reiwa 1"). Dates before 1868 have no era: "1 January 1850".
std::string FormatEnglishDate(Date date);

// A stored UTC instant as people in Japan read it, in English: "1 December 2026, 22:17 (Reiwa 8)".
// Text that is not such an instant comes back as it is.
std::string FormatEnglishTimestamp(std::string_view iso_utc);

// 年度 2023 → "FY2023 (Reiwa 5)"; with end_of_year → "end of FY2026 (Reiwa 8)". The era is the
// one FormatWarekiFiscalYear names.
std::string FormatEnglishFiscalYear(FiscalYear fiscal_year, bool end_of_year = false);

// The form a page in `language` shows: the English forms above for "en", 和暦 with the Western
// year (FormatWareki*) for anything else.
std::string FormatDateIn(std::string_view language, Date date);
std::string FormatTimestampIn(std::string_view language, std::string_view iso_utc);
std::string FormatFiscalYearIn(std::string_view language, FiscalYear fiscal_year,
                               bool end_of_year = false);
// The day in Japan of a stored UTC instant, without the time ("令和8(2026)年12月2日",
// "2 December 2026 (Reiwa 8)"); text that is not such an instant comes back as it is.
std::string FormatInstantDateIn(std::string_view language, std::string_view iso_utc);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_WAREKI_H_
