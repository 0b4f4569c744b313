#include "core/era_year_label.h"

#include <utility>

#include "core/fiscal_year.h"
#include "core/wareki.h"

namespace civicdesk {

std::string EraYearLabel(int fiscal_year, std::string_view language) {
  std::string era_year =
      FormatWarekiFiscalYear(FiscalYear(fiscal_year), false, WarekiStyle::kEraOnly);
  const std::string suffix = "年度";
  if (era_year.size() > suffix.size() &&
      era_year.compare(era_year.size() - suffix.size(), suffix.size(), suffix) == 0)
    era_year.resize(era_year.size() - suffix.size());
  if (language != "en") return era_year;
  static const std::pair<std::string_view, std::string_view> kInitials[] = {
      {"明治", "M"}, {"大正", "T"}, {"昭和", "S"}, {"平成", "H"}, {"令和", "R"}};
  for (const auto& [name, initial] : kInitials) {
    if (era_year.rfind(name, 0) != 0) continue;
    std::string number = era_year.substr(name.size());
    return std::string(initial) + (number == "元" ? "1" : number);
  }
  return era_year;
}

}  // namespace civicdesk
