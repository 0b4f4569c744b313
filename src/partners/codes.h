#ifndef CIVICDESK_PARTNERS_CODES_H_
#define CIVICDESK_PARTNERS_CODES_H_

#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk::partners {

// The check digit of a 全国地方公共団体コード from its first five digits (総務省: weights
// 6,5,4,3,2; 11 minus the remainder mod 11, keeping the last digit). REQUIRES: five ASCII digits.
int LocalGovernmentCheckDigit(std::string_view five_digits);

// A 全国地方公共団体コード: six digits with the check digit, or the five digits of the code
// without it (団体コード as many lists write it), whose check digit is computed (JIS X 0401:
// weights 6,5,4,3,2 over the five digits; 11 minus the sum mod 11, its last digit). Full-width
// digits are accepted. Returns the six ASCII digits; InvalidArgument naming `field` otherwise,
// with the expected check digit when only that is wrong.
Result<std::string> ValidateLocalGovernmentCode(std::string_view text,
                                                const std::string& field = "code");

// The prefecture number (1–47, JIS X 0401: 北海道 1 … 沖縄県 47) of a prefecture's name, with
// or without 都・道・府・県 (東京都, 東京, 大阪府); 0 for anything else.
int PrefectureNumber(std::string_view name);

// The check digit (the first digit) of a 法人番号 from its other twelve digits (国税庁: 9 minus
// the sum of the digits, from the lowest, weighted 1 and 2 alternately, mod 9).
int CorporateNumberCheckDigit(std::string_view twelve_digits);

// A thirteen-digit 法人番号 with its check digit (full-width digits and hyphens or spaces between
// groups accepted); the thirteen ASCII digits, or InvalidArgument naming `field`.
Result<std::string> ValidateCorporateNumber(std::string_view text,
                                            const std::string& field = "corporate_number");

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_CODES_H_
