#include "core/fiscal_year.h"

namespace civicdesk {

FiscalYear FiscalYear::Containing(Date date) {
  int calendar_year = static_cast<int>(date.year());
  return FiscalYear(date.month() >= std::chrono::April ? calendar_year : calendar_year - 1);
}

Date FiscalYear::first_day() const { return MakeDate(year_, 4, 1); }

Date FiscalYear::last_day() const { return MakeDate(year_ + 1, 3, 31); }

bool FiscalYear::Contains(Date date) const {
  std::chrono::sys_days day{date};
  return day >= std::chrono::sys_days{first_day()} && day <= std::chrono::sys_days{last_day()};
}

}  // namespace civicdesk
