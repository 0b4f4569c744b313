#ifndef CIVICDESK_PARTNERS_EXPENSES_FORM_H_
#define CIVICDESK_PARTNERS_EXPENSES_FORM_H_

#include <string>
#include <vector>

#include "core/result.h"
#include "partners/subsidy.h"

namespace civicdesk::partners {

// The actual expenses staff type into the report box of /staff/workation: one line per member
// of staff, "nights,lodging per night,transport" in yen (full-width digits allowed; nights over
// 1000 count as 1000). Blank lines are skipped. InvalidArgument naming "expenses", with the line
// number as "line", for a line that is not three whole numbers.
Result<std::vector<StaffExpense>> ParseExpensesForm(const std::string& text);

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_EXPENSES_FORM_H_
