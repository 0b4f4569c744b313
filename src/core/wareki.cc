#include "core/wareki.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <optional>

#include "core/text_normalize.h"

namespace civicdesk {
namespace {

struct EraEntry {
  Era era;
  std::string_view name;
  std::string_view romanised;  // as English text writes it: "Reiwa"
  Date first_day;
};

constexpr std::array<EraEntry, 5> kEras = {{
    {Era::kMeiji, "明治", "Meiji", MakeDate(1868, 1, 1)},
    {Era::kTaisho, "大正", "Taisho", MakeDate(1912, 7, 30)},
    {Era::kShowa, "昭和", "Showa", MakeDate(1926, 12, 25)},
    {Era::kHeisei, "平成", "Heisei", MakeDate(1989, 1, 8)},
    {Era::kReiwa, "令和", "Reiwa", MakeDate(2019, 5, 1)},
}};

const EraEntry& EntryFor(Era era) { return kEras[static_cast<size_t>(era)]; }

const EraEntry* NextEntry(Era era) {
  size_t index = static_cast<size_t>(era) + 1;
  return index < kEras.size() ? &kEras[index] : nullptr;
}

int WesternYear(Era era, int era_year) {
  return static_cast<int>(EntryFor(era).first_day.year()) + era_year - 1;
}

// The last Western calendar year that carries this era's name (平成 → 2019).
std::optional<int> LastWesternYear(Era era) {
  const EraEntry* next = NextEntry(era);
  if (next == nullptr) return std::nullopt;
  return static_cast<int>(next->first_day.year());
}

// A cursor over NFKC-normalised text with every white space removed.
class Scanner {
 public:
  explicit Scanner(std::string_view original) : original_(original) {
    std::string normalized = NormalizeNfkc(original);
    for (char c : normalized) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') text_.push_back(c);
    }
  }

  bool AtEnd() const { return position_ >= text_.size(); }

  bool Consume(std::string_view token) {
    if (std::string_view(text_).substr(position_, token.size()) != token) return false;
    position_ += token.size();
    return true;
  }

  // Digits ("12") or kanji numerals up to 99 ("十二", "二十", "五").
  std::optional<int> ConsumeNumber() {
    size_t start = position_;
    int value = 0;
    bool any = false;
    while (position_ < text_.size() && text_[position_] >= '0' && text_[position_] <= '9') {
      value = value * 10 + (text_[position_] - '0');
      ++position_;
      any = true;
      if (value > 100000) return std::nullopt;
    }
    if (any) return value;
    position_ = start;
    return ConsumeKanjiNumber();
  }

  std::string Rest() const { return text_.substr(position_); }
  std::string original() const { return std::string(original_); }

 private:
  std::optional<int> ConsumeKanjiDigit() {
    static constexpr std::array<std::string_view, 10> kDigits = {"〇", "一", "二", "三", "四",
                                                                 "五", "六", "七", "八", "九"};
    for (size_t digit = 0; digit < kDigits.size(); ++digit) {
      if (Consume(kDigits[digit])) return static_cast<int>(digit);
    }
    return std::nullopt;
  }

  std::optional<int> ConsumeKanjiNumber() {
    std::optional<int> tens_digit = ConsumeKanjiDigit();
    if (Consume("十")) {
      int value = (tens_digit ? *tens_digit : 1) * 10;
      if (std::optional<int> units = ConsumeKanjiDigit()) value += *units;
      return value;
    }
    return tens_digit;
  }

  std::string_view original_;
  std::string text_;
  size_t position_ = 0;
};

struct EraYear {
  Era era;
  int era_year;
  int western_year;
};

// Reads "<era><n|元>[(<western>)]年" and checks that the year exists in that era.
Result<EraYear> ConsumeEraYear(Scanner& scanner) {
  const EraEntry* found = nullptr;
  for (const EraEntry& entry : kEras) {
    if (scanner.Consume(entry.name)) {
      found = &entry;
      break;
    }
  }
  if (found == nullptr) {
    return Status::InvalidArgument("core.era_missing", {{"text", scanner.original()}});
  }
  int era_year = 0;
  if (scanner.Consume("元")) {
    era_year = 1;
  } else if (std::optional<int> number = scanner.ConsumeNumber()) {
    era_year = *number;
  } else {
    return Status::InvalidArgument("core.era_year_missing", {{"text", scanner.original()}});
  }
  std::string era_name(found->name);
  if (era_year < 1) {
    return Status::InvalidArgument("core.era_year_zero",
                                   {{"era", era_name}, {"text", scanner.original()}});
  }
  int western_year = WesternYear(found->era, era_year);
  if (std::optional<int> last = LastWesternYear(found->era); last && western_year > *last) {
    int last_era_year = *last - static_cast<int>(found->first_day.year()) + 1;
    return Status::InvalidArgument("core.era_year_after_end",
                                   {{"era", era_name},
                                    {"year", std::to_string(era_year)},
                                    {"last_year", std::to_string(last_era_year)},
                                    {"last_western", std::to_string(*last)},
                                    {"text", scanner.original()}});
  }
  if (scanner.Consume("(")) {
    std::optional<int> stated = scanner.ConsumeNumber();
    if (!stated || !scanner.Consume(")")) {
      return Status::InvalidArgument("core.western_year_malformed", {{"text", scanner.original()}});
    }
    if (*stated != western_year) {
      return Status::InvalidArgument("core.western_year_mismatch",
                                     {{"era", era_name},
                                      {"year", std::to_string(era_year)},
                                      {"western", std::to_string(western_year)},
                                      {"stated", std::to_string(*stated)},
                                      {"text", scanner.original()}});
    }
  }
  if (!scanner.Consume("年")) {
    return Status::InvalidArgument("core.nen_missing", {{"text", scanner.original()}});
  }
  return EraYear{found->era, era_year, western_year};
}

Status TrailingText(const Scanner& scanner) {
  return Status::InvalidArgument("core.unexpected_text",
                                 {{"rest", scanner.Rest()}, {"text", scanner.original()}});
}

std::string EraYearLabel(Era era, int western_year, WarekiStyle style) {
  int era_year = western_year - static_cast<int>(EntryFor(era).first_day.year()) + 1;
  std::string label(EntryFor(era).name);
  label += era_year == 1 ? "元" : std::to_string(era_year);
  if (style == WarekiStyle::kWithWesternYear) label += "(" + std::to_string(western_year) + ")";
  return label;
}

// "Reiwa 8": the era year as English text writes it (the first year is 1, not 元).
std::string RomanisedEraYear(Era era, int western_year) {
  int era_year = western_year - static_cast<int>(EntryFor(era).first_day.year()) + 1;
  return std::string(EntryFor(era).romanised) + " " + std::to_string(era_year);
}

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// The day in Japan and its time "22:17" of a stored UTC instant; false when it is not one.
bool JapanTime(std::string_view iso_utc, Date& day, std::string& clock, bool zero_padded_hour) {
  int year = 0, month = 0, day_of_month = 0, hour = 0, minute = 0, second = 0;
  const std::string text(iso_utc);
  if (text.size() != 20 || text[10] != 'T' || text[19] != 'Z' ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &year, &month, &day_of_month, &hour,
                  &minute, &second) != 6) {
    return false;
  }
  const Date date =
      MakeDate(year, static_cast<unsigned>(month), static_cast<unsigned>(day_of_month));
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return false;
  const auto japan =
      std::chrono::sys_days{date} + std::chrono::hours(hour + 9) + std::chrono::minutes(minute);
  const auto japan_day = std::chrono::floor<std::chrono::days>(japan);
  const auto time = std::chrono::hh_mm_ss(japan - japan_day);
  char text_clock[8];
  std::snprintf(text_clock, sizeof(text_clock), zero_padded_hour ? "%02d:%02d" : "%d:%02d",
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()));
  day = Date{japan_day};
  clock = text_clock;
  return true;
}

}  // namespace

std::string_view EraName(Era era) { return EntryFor(era).name; }

Date EraFirstDay(Era era) { return EntryFor(era).first_day; }

Result<Era> EraOn(Date date) {
  std::chrono::sys_days day{date};
  if (day < std::chrono::sys_days{kEras.front().first_day}) {
    return Status::InvalidArgument("core.before_meiji", {{"date", FormatIsoDate(date)}});
  }
  Era era = kEras.front().era;
  for (const EraEntry& entry : kEras) {
    if (day >= std::chrono::sys_days{entry.first_day}) era = entry.era;
  }
  return era;
}

Result<Date> ParseWarekiDate(std::string_view text) {
  Scanner scanner(text);
  Result<EraYear> year = ConsumeEraYear(scanner);
  if (!year.ok()) return year.status();
  std::optional<int> month = scanner.ConsumeNumber();
  if (!month || !scanner.Consume("月")) {
    return Status::InvalidArgument("core.month_malformed", {{"text", std::string(text)}});
  }
  std::optional<int> day = scanner.ConsumeNumber();
  if (!day || !scanner.Consume("日")) {
    return Status::InvalidArgument("core.day_malformed", {{"text", std::string(text)}});
  }
  // A weekday in parentheses often follows in notices: 令和5年12月1日（金）.
  if (scanner.Consume("(")) {
    static constexpr std::array<std::string_view, 7> kWeekdays = {"日", "月", "火", "水",
                                                                  "木", "金", "土"};
    bool weekday = false;
    for (std::string_view name : kWeekdays) weekday = weekday || scanner.Consume(name);
    if (!weekday || !scanner.Consume(")")) return TrailingText(scanner);
  }
  if (!scanner.AtEnd()) return TrailingText(scanner);
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31) {
    return Status::InvalidArgument("core.no_such_date", {{"text", std::string(text)}});
  }
  Date date =
      MakeDate(year->western_year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
  if (!date.ok()) {
    return Status::InvalidArgument("core.no_such_date", {{"text", std::string(text)}});
  }
  std::chrono::sys_days day_point{date};
  const EraEntry& entry = EntryFor(year->era);
  const EraEntry* next = NextEntry(year->era);
  if (day_point < std::chrono::sys_days{entry.first_day} ||
      (next != nullptr && day_point >= std::chrono::sys_days{next->first_day})) {
    Result<Era> actual = EraOn(date);
    std::string correct =
        actual.ok() ? FormatWarekiDate(date, WarekiStyle::kEraOnly) : FormatIsoDate(date);
    return Status::InvalidArgument("core.date_outside_era", {{"text", std::string(text)},
                                                             {"era", std::string(entry.name)},
                                                             {"date", FormatIsoDate(date)},
                                                             {"correct", correct}});
  }
  return date;
}

Result<int> ParseWarekiYear(std::string_view text) {
  Scanner scanner(text);
  Result<EraYear> year = ConsumeEraYear(scanner);
  if (!year.ok()) return year.status();
  if (!scanner.AtEnd()) return TrailingText(scanner);
  return year->western_year;
}

Result<WarekiFiscalYear> ParseWarekiFiscalYear(std::string_view text) {
  Scanner scanner(text);
  Result<EraYear> year = ConsumeEraYear(scanner);
  if (!year.ok()) return year.status();
  if (!scanner.Consume("度")) {
    return Status::InvalidArgument("core.nendo_missing", {{"text", std::string(text)}});
  }
  bool end_of_year = scanner.Consume("末");
  if (!scanner.AtEnd()) return TrailingText(scanner);
  return WarekiFiscalYear{FiscalYear(year->western_year), end_of_year};
}

std::string FormatWarekiDate(Date date, WarekiStyle style) {
  Result<Era> era = EraOn(date);
  if (!era.ok()) return FormatIsoDate(date);
  return EraYearLabel(*era, static_cast<int>(date.year()), style) + "年" +
         std::to_string(static_cast<unsigned>(date.month())) + "月" +
         std::to_string(static_cast<unsigned>(date.day())) + "日";
}

std::string FormatWarekiTimestamp(std::string_view iso_utc) {
  Date day;
  std::string clock;
  if (!JapanTime(iso_utc, day, clock, false)) return std::string(iso_utc);
  return FormatWarekiDate(day) + " " + clock;
}

std::string FormatWarekiYear(int western_year, WarekiStyle style) {
  Result<Era> era = EraOn(MakeDate(western_year, 12, 31));
  if (!era.ok()) return std::to_string(western_year) + "年";
  return EraYearLabel(*era, western_year, style) + "年";
}

std::string FormatWarekiFiscalYear(FiscalYear fiscal_year, bool end_of_year, WarekiStyle style) {
  Result<Era> era = EraOn(MakeDate(fiscal_year.year(), 12, 31));
  std::string label =
      era.ok() ? EraYearLabel(*era, fiscal_year.year(), style) : std::to_string(fiscal_year.year());
  return label + (end_of_year ? "年度末" : "年度");
}

std::string FormatEnglishDate(Date date) {
  if (!date.ok()) return FormatIsoDate(date);
  std::string text = std::to_string(static_cast<unsigned>(date.day())) + " " +
                     std::string(kMonths[static_cast<unsigned>(date.month()) - 1]) + " " +
                     std::to_string(static_cast<int>(date.year()));
  Result<Era> era = EraOn(date);
  if (!era.ok()) return text;
  return text + " (" + RomanisedEraYear(*era, static_cast<int>(date.year())) + ")";
}

std::string FormatEnglishTimestamp(std::string_view iso_utc) {
  Date day;
  std::string clock;
  if (!JapanTime(iso_utc, day, clock, true)) return std::string(iso_utc);
  Result<Era> era = EraOn(day);
  std::string text = std::to_string(static_cast<unsigned>(day.day())) + " " +
                     std::string(kMonths[static_cast<unsigned>(day.month()) - 1]) + " " +
                     std::to_string(static_cast<int>(day.year())) + ", " + clock;
  if (!era.ok()) return text;
  return text + " (" + RomanisedEraYear(*era, static_cast<int>(day.year())) + ")";
}

std::string FormatEnglishFiscalYear(FiscalYear fiscal_year, bool end_of_year) {
  const int year = fiscal_year.year();
  std::string text = (end_of_year ? "end of FY" : "FY") + std::to_string(year);
  Result<Era> era = EraOn(MakeDate(year, 12, 31));
  if (!era.ok()) return text;
  return text + " (" + RomanisedEraYear(*era, year) + ")";
}

std::string FormatInstantDateIn(std::string_view language, std::string_view iso_utc) {
  Date day;
  std::string clock;
  if (!JapanTime(iso_utc, day, clock, true)) return std::string(iso_utc);
  return FormatDateIn(language, day);
}

std::string FormatDateIn(std::string_view language, Date date) {
  return language == "en" ? FormatEnglishDate(date) : FormatWarekiDate(date);
}

std::string FormatTimestampIn(std::string_view language, std::string_view iso_utc) {
  return language == "en" ? FormatEnglishTimestamp(iso_utc) : FormatWarekiTimestamp(iso_utc);
}

std::string FormatFiscalYearIn(std::string_view language, FiscalYear fiscal_year,
                               bool end_of_year) {
  return language == "en" ? FormatEnglishFiscalYear(fiscal_year, end_of_year)
                          : FormatWarekiFiscalYear(fiscal_year, end_of_year);
}

}  // namespace civicdesk
