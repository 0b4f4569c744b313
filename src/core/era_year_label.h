#ifndef CIVICDESK_CORE_ERA_YEAR_LABEL_H_
#define CIVICDESK_CORE_ERA_YEAR_LABEL_H_

#include <string>
#include <string_view>

namespace civicdesk {

// The era year of 年度 `fiscal_year` as a chart axis shows it under the Western year: "令和7" on
// Japanese pages, "R7" on English ones (`language` "en"); the first year of an era is 元 / 1
// ("令和元", "R1"). The era is the one FormatWarekiFiscalYear names. Years before 1868 have no
// era and come back as FormatWarekiFiscalYear writes them.
std::string EraYearLabel(int fiscal_year, std::string_view language);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_ERA_YEAR_LABEL_H_
