#include "partners/form_numbers.h"

#include "core/number_format.h"
#include "core/text_normalize.h"

namespace civicdesk::partners {

Result<std::optional<int64_t>> FormInteger(const std::string& text, const std::string& field) {
  std::string digits;
  for (char c : NormalizeNfkc(text)) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != ',' && c != ' ') {
      return Status::InvalidArgument("partners.digits_only", field);
    }
  }
  if (digits.empty()) return std::optional<int64_t>();
  if (digits.size() > 12) return Status::InvalidArgument("partners.number_too_large", field);
  return std::optional<int64_t>(std::stoll(digits));
}

Result<int> FiscalYearNumber(const std::string& text) {
  std::optional<int64_t> year = ParseWholeNumber(text, 2000, 2200);
  if (!year) return Status::InvalidArgument("partners.fiscal_year_required", "year");
  return static_cast<int>(*year);
}

}  // namespace civicdesk::partners
