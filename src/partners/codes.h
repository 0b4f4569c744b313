#ifndef CIVICDESK_PARTNERS_CODES_H_
#define CIVICDESK_PARTNERS_CODES_H_

#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk::partners {

// The check digit of a 全国地方公共団体コード from its first five digits (総務省: weights
// 6,5,4,3,2; 11 minus the remainder mod 11, keeping the last digit). REQUIRES: five ASCII digits.
int LocalGovernmentCheckDigit(std::string_view five_digits);

// A six-digit 全国地方公共団体コード with its check digit; full-width digits are accepted and
// returned as ASCII. InvalidArgument naming `field` otherwise, with the expected check digit when
// only that is wrong.
Result<std::string> ValidateLocalGovernmentCode(std::string_view text,
                                                const std::string& field = "code");

// The check digit (the first digit) of a 法人番号 from its other twelve digits (国税庁: 9 minus
// the sum of the digits, from the lowest, weighted 1 and 2 alternately, mod 9).
int CorporateNumberCheckDigit(std::string_view twelve_digits);

// A thirteen-digit 法人番号 with its check digit (full-width digits and hyphens or spaces between
// groups accepted); the thirteen ASCII digits, or InvalidArgument naming `field`.
Result<std::string> ValidateCorporateNumber(std::string_view text,
                                            const std::string& field = "corporate_number");

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_CODES_H_
