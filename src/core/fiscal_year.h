#ifndef CIVICDESK_CORE_FISCAL_YEAR_H_
#define CIVICDESK_CORE_FISCAL_YEAR_H_

#include <compare>

#include "core/date.h"

namespace civicdesk {

// A Japanese fiscal year (年度): 年度 N runs from 1 April N to 31 March N+1.
// The year is the Western calendar year in which it starts.
class FiscalYear {
 public:
  constexpr explicit FiscalYear(int starting_year) : year_(starting_year) {}

  // The fiscal year that contains `date` (January-March belong to the previous year's 年度).
  static FiscalYear Containing(Date date);

  constexpr int year() const { return year_; }
  Date first_day() const;  // 1 April
  Date last_day() const;   // 31 March of the next calendar year: "年度末"
  bool Contains(Date date) const;

  constexpr FiscalYear operator+(int years) const { return FiscalYear(year_ + years); }
  constexpr FiscalYear operator-(int years) const { return FiscalYear(year_ - years); }
  // Whole fiscal years from `other` to this one (positive when this one is later).
  constexpr int operator-(FiscalYear other) const { return year_ - other.year_; }
  constexpr auto operator<=>(const FiscalYear&) const = default;

 private:
  int year_;
};

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_FISCAL_YEAR_H_
