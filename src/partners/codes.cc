#include "partners/codes.h"

namespace civicdesk::partners {
namespace {

// ASCII digits of `text`: full-width digits (U+FF10–FF19) become ASCII; hyphens and spaces
// (ASCII or full-width) are dropped when `allow_separators`; anything else makes it empty.
std::string Digits(std::string_view text, bool allow_separators) {
  std::string digits;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= '0' && c <= '9') {
      digits += static_cast<char>(c);
      ++i;
    } else if (c == 0xEF && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0xBC &&
               static_cast<unsigned char>(text[i + 2]) >= 0x90 &&
               static_cast<unsigned char>(text[i + 2]) <= 0x99) {
      digits += static_cast<char>('0' + (static_cast<unsigned char>(text[i + 2]) - 0x90));
      i += 3;
    } else if (allow_separators && (c == '-' || c == ' ')) {
      ++i;
    } else if (allow_separators && text.substr(i, 3) == "－") {
      i += 3;
    } else if (allow_separators && text.substr(i, 3) == "　") {
      i += 3;
    } else {
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
    return Status::InvalidArgument("全国地方公共団体コードは検査数字を含む6桁の数字です（" +
                                       std::string(text) +
                                       "） / a local government code has six digits",
                                   field);
  }
  const int expected = LocalGovernmentCheckDigit(digits);
  if (digits[5] - '0' != expected) {
    return Status::InvalidArgument(
        "全国地方公共団体コード " + digits + " の検査数字が誤っています（" + digits.substr(0, 5) +
            " なら " + std::to_string(expected) + "） / wrong check digit",
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
    return Status::InvalidArgument("法人番号は13桁の数字です（" + std::string(text) +
                                       "） / a corporate number has thirteen digits",
                                   field);
  }
  const int expected = CorporateNumberCheckDigit(std::string_view(digits).substr(1));
  if (digits[0] - '0' != expected) {
    return Status::InvalidArgument("法人番号 " + digits + " の検査数字（先頭の1桁）が誤っています" +
                                       "（正しくは " + std::to_string(expected) +
                                       "） / wrong check digit",
                                   field);
  }
  return digits;
}

}  // namespace civicdesk::partners
