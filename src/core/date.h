#ifndef CIVICDESK_CORE_DATE_H_
#define CIVICDESK_CORE_DATE_H_

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk {

// A calendar date (proleptic Gregorian). Stored and exchanged as ISO 8601 "YYYY-MM-DD".
using Date = std::chrono::year_month_day;

constexpr Date MakeDate(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
}

// Parses exactly "YYYY-MM-DD" and rejects impossible dates such as 2023-02-30.
Result<Date> ParseIsoDate(std::string_view text);

// "YYYY-MM-DD".
std::string FormatIsoDate(Date date);

// Today's date in Japan (UTC+9, no daylight saving), which is what "today" means to a ward.
Date TodayInJapan();

// An instant as ISO 8601 UTC with seconds, e.g. "2026-11-22T05:04:03Z". Such strings sort in
// time order, so stored timestamps can be compared as text.
std::string FormatIso8601Utc(std::chrono::sys_seconds instant);

// The current instant, formatted as FormatIso8601Utc does; `offset` shifts it.
std::string NowIso8601Utc(std::chrono::seconds offset = std::chrono::seconds(0));

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_DATE_H_
