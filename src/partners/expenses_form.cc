#include "partners/expenses_form.h"

#include <algorithm>
#include <sstream>

#include "partners/form_numbers.h"

namespace civicdesk::partners {

Result<std::vector<StaffExpense>> ParseExpensesForm(const std::string& text) {
  std::vector<StaffExpense> staff;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    // Browsers send a textarea's line breaks as CRLF.
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream split(line);
    while (std::getline(split, cell, ',')) cells.push_back(cell);
    bool blank = true;
    for (char c : line) blank = blank && (c == ' ' || c == '\r' || c == '\t');
    if (blank) continue;
    std::vector<int64_t> numbers;
    for (const std::string& value : cells) {
      Result<std::optional<int64_t>> parsed = FormInteger(value == "\r" ? "" : value, "expenses");
      if (!parsed.ok() || !*parsed) {
        numbers.clear();
        break;
      }
      numbers.push_back(**parsed);
    }
    if (numbers.size() != 3) {
      return Status::InvalidArgument("partners.expenses_line_invalid",
                                     {{"line", std::to_string(number)}}, "expenses");
    }
    staff.push_back(
        {static_cast<int>(std::min<int64_t>(numbers[0], 1000)), numbers[1], numbers[2]});
  }
  return staff;
}

}  // namespace civicdesk::partners
