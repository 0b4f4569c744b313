// Fiscal years, units and ordinals in headers (tabular_import.h: ReadFiscalYear, SplitHeader):
// what lets one synonym name every column of a repeated field.
#include <string>
#include <string_view>

#include "core/tabular_import.h"
#include "core/wareki.h"

namespace civicdesk::tabular {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return c >= 'a' && c <= 'z'; }

// A fiscal year starting `key` (a HeaderKey): 令和4, 令和元, r4, r.4, h30, 平成30, 昭和63, 2022,
// fy2022, each with an optional 年度 or 年. Returns the year and the bytes it spans, or 0.
int YearAt(std::string_view key, size_t& used) {
  struct Era {
    std::string_view prefix;
    int base;
    int last;  // the era's last year, 0 for an open one
  };
  static constexpr Era kEras[] = {{"令和", 2018, 0}, {"平成", 1988, 31}, {"昭和", 1925, 64},
                                  {"r.", 2018, 0},   {"h.", 1988, 31},   {"r", 2018, 0},
                                  {"h", 1988, 31},   {"fy", 0, 0},       {"", 0, 0}};
  for (const Era& era : kEras) {
    if (!key.starts_with(era.prefix)) continue;
    size_t at = era.prefix.size();
    int number = 0;
    size_t digits = 0;
    if (era.base > 0 && key.substr(at).starts_with("元")) {
      number = 1;
      at += std::string_view("元").size();
    } else {
      while (at < key.size() && IsDigit(key[at]) && digits < 4) {
        number = number * 10 + (key[at++] - '0');
        ++digits;
      }
      if (digits == 0 || (at < key.size() && IsDigit(key[at]))) continue;
      if (era.base > 0 ? digits > 2 : digits != 4) continue;
    }
    if (era.base > 0 && (number < 1 || (era.last > 0 && number > era.last))) continue;
    if (era.base == 0 && (number < 1900 || number > 2200)) continue;
    for (std::string_view suffix : {"年度", "年"}) {
      if (key.substr(at).starts_with(suffix)) {
        at += suffix.size();
        break;
      }
    }
    used = at;
    return era.base + number;
  }
  used = 0;
  return 0;
}

constexpr std::string_view kSeparators[] = {"_", "・", "-", ":", "/", ".", "、"};
constexpr std::pair<std::string_view, std::string_view> kBrackets[] = {
    {"(", ")"}, {"[", "]"}, {"【", "】"}, {"〈", "〉"}};

void TrimSeparators(std::string& key) {
  for (bool trimmed = true; trimmed && !key.empty();) {
    trimmed = false;
    for (std::string_view separator : kSeparators) {
      if (key.starts_with(separator)) key.erase(0, separator.size()), trimmed = true;
      if (key.ends_with(separator)) key.erase(key.size() - separator.size()), trimmed = true;
    }
  }
}

// Removes [from, to) from `key` together with a bracket pair right around it.
void Cut(std::string& key, size_t from, size_t to) {
  for (const auto& [open, close] : kBrackets) {
    if (from >= open.size() &&
        std::string_view(key).substr(from - open.size(), open.size()) == open &&
        std::string_view(key).substr(to).starts_with(close)) {
      from -= open.size();
      to += close.size();
      break;
    }
  }
  key.erase(from, to - from);
}

}  // namespace

int ReadFiscalYear(std::string_view text) {
  std::string key = HeaderKey(text);
  for (const auto& [open, close] : kBrackets) {
    if (key.starts_with(open) && key.ends_with(close) && key.size() > open.size() + close.size())
      key = key.substr(open.size(), key.size() - open.size() - close.size());
  }
  size_t used = 0;
  const int year = YearAt(key, used);
  if (year > 0 && used == key.size()) return year;
  Result<WarekiFiscalYear> wareki = ParseWarekiFiscalYear(text);
  return wareki.ok() ? wareki->fiscal_year.year() : 0;
}

HeaderQualifier SplitHeader(std::string_view header) {
  HeaderQualifier qualifier;
  std::string key = HeaderKey(header);
  // A fiscal year anywhere: not inside a longer number, an ASCII era letter not inside a word.
  for (size_t i = 0; i < key.size(); ++i) {
    if ((static_cast<unsigned char>(key[i]) & 0xC0) == 0x80) continue;
    if (i > 0 && (IsDigit(key[i - 1]) || (IsAsciiLetter(key[i]) && IsAsciiLetter(key[i - 1]))))
      continue;
    size_t used = 0;
    const int year = YearAt(std::string_view(key).substr(i), used);
    if (year == 0) continue;
    qualifier.fiscal_year = year;
    Cut(key, i, i + used);
    break;
  }
  TrimSeparators(key);
  for (const auto& [open, close] : kBrackets) {
    if (!key.ends_with(close)) continue;
    const size_t start = key.rfind(open);
    if (start == std::string::npos || start == 0) continue;
    const std::string unit =
        key.substr(start + open.size(), key.size() - start - open.size() - close.size());
    for (std::string_view known :
         {"千円", "円", "万円", "百万円", "人", "人工", "時間", "件", "%"}) {
      if (unit == known) {
        qualifier.unit = unit;
        key.erase(start);
        break;
      }
    }
  }
  // One ordinal: the only run of digits left (① is 1 after NFKC).
  size_t first = key.find_first_of("0123456789");
  if (first != std::string::npos) {
    size_t end = first;
    while (end < key.size() && IsDigit(key[end])) ++end;
    if (end - first <= 2 && key.find_first_of("0123456789", end) == std::string::npos) {
      qualifier.ordinal = std::stoi(key.substr(first, end - first));
      for (std::string_view before : {"第", "no.", "no", "その"}) {
        if (first >= before.size() &&
            std::string_view(key).substr(first - before.size(), before.size()) == before) {
          first -= before.size();
          break;
        }
      }
      Cut(key, first, end);
    }
  }
  TrimSeparators(key);
  qualifier.key = std::move(key);
  return qualifier;
}

}  // namespace civicdesk::tabular
