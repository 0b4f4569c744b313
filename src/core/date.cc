#include "core/date.h"

#include <charconv>
#include <cstdio>

namespace civicdesk {
namespace {

bool ParseDigits(std::string_view text, int& out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<Date> ParseIsoDate(std::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ParseDigits(text.substr(0, 4), year) || !ParseDigits(text.substr(5, 2), month) ||
      !ParseDigits(text.substr(8, 2), day)) {
    return Status::InvalidArgument("core.date_format", {{"text", std::string(text)}});
  }
  Date date = MakeDate(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (!date.ok()) {
    return Status::InvalidArgument("core.no_such_date", {{"text", std::string(text)}});
  }
  return date;
}

std::string FormatIsoDate(Date date) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

Date TodayInJapan() {
  auto now_in_japan = std::chrono::system_clock::now() + std::chrono::hours(9);
  return Date{std::chrono::floor<std::chrono::days>(now_in_japan)};
}

std::string FormatIso8601Utc(std::chrono::sys_seconds instant) {
  auto day = std::chrono::floor<std::chrono::days>(instant);
  std::chrono::hh_mm_ss time{instant - day};
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%sT%02d:%02d:%02dZ", FormatIsoDate(Date{day}).c_str(),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return buffer;
}

std::string NowIso8601Utc(std::chrono::seconds offset) {
  return FormatIso8601Utc(
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + offset);
}

}  // namespace civicdesk
