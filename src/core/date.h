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

// The current instant as ISO 8601 UTC with seconds, e.g. "2026-11-22T05:04:03Z".
std::string NowIso8601Utc();

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_DATE_H_
