#include "partners/codes.h"

#include "core/text_normalize.h"

namespace civicdesk::partners {
namespace {

// ASCII digits of `text` after NFKC (full-width digits, hyphens and spaces become ASCII);
// hyphens and spaces are dropped when `allow_separators`; anything else makes it empty.
std::string Digits(std::string_view text, bool allow_separators) {
  std::string digits;
  for (char c : NormalizeNfkc(text)) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (!(allow_separators && (c == '-' || c == ' '))) {
      return {};
    }
  }
  return digits;
}

}  // namespace

int LocalGovernmentCheckDigit(std::string_view five_digits) {
  int sum = 0;
  for (size_t i = 0; i < 5; ++i) sum += (five_digits[i] - '0') * static_cast<int>(6 - i);
  return (11 - sum % 11) % 10;
}

Result<std::string> ValidateLocalGovernmentCode(std::string_view text, const std::string& field) {
  const std::string digits = Digits(text, false);
  if (digits.size() != 6) {
    return Status::InvalidArgument("partners.local_government_code_format",
                                   {{"value", std::string(text)}}, field);
  }
  const int expected = LocalGovernmentCheckDigit(digits);
  if (digits[5] - '0' != expected) {
    return Status::InvalidArgument("partners.local_government_check_digit",
                                   {{"code", digits},
                                    {"first_five", digits.substr(0, 5)},
                                    {"expected", std::to_string(expected)}},
                                   field);
  }
  return digits;
}

int CorporateNumberCheckDigit(std::string_view twelve_digits) {
  int sum = 0;
  for (size_t n = 1; n <= 12; ++n) {
    const int digit = twelve_digits[12 - n] - '0';
    sum += digit * (n % 2 == 1 ? 1 : 2);
  }
  return 9 - sum % 9;
}

Result<std::string> ValidateCorporateNumber(std::string_view text, const std::string& field) {
  const std::string digits = Digits(text, true);
  if (digits.size() != 13) {
    return Status::InvalidArgument("partners.corporate_number_format",
                                   {{"value", std::string(text)}}, field);
  }
  const int expected = CorporateNumberCheckDigit(std::string_view(digits).substr(1));
  if (digits[0] - '0' != expected) {
    return Status::InvalidArgument("partners.corporate_number_check_digit",
                                   {{"number", digits}, {"expected", std::to_string(expected)}},
                                   field);
  }
  return digits;
}

}  // namespace civicdesk::partners
