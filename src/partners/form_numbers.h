#ifndef CIVICDESK_PARTNERS_FORM_NUMBERS_H_
#define CIVICDESK_PARTNERS_FORM_NUMBERS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"

namespace civicdesk::partners {

// A whole number typed into a form: full-width digits (NFKC), thousands commas and spaces
// allowed ("１２,０００"); empty is nullopt. InvalidArgument naming `field` for anything else
// or more than twelve digits.
Result<std::optional<int64_t>> FormInteger(const std::string& text, const std::string& field);

// A fiscal year as staff type it: its Western starting year (2000–2200). InvalidArgument naming
// "year" otherwise.
Result<int> FiscalYearNumber(const std::string& text);

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_FORM_NUMBERS_H_
