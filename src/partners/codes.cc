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
  std::string digits = Digits(text, false);
  if (digits.size() == 5) digits += static_cast<char>('0' + LocalGovernmentCheckDigit(digits));
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

int PrefectureNumber(std::string_view name) {
  static const char* const kPrefectures[] = {
      "北海道", "青森", "岩手", "宮城",   "秋田", "山形",   "福島", "茨城", "栃木", "群馬",
      "埼玉",   "千葉", "東京", "神奈川", "新潟", "富山",   "石川", "福井", "山梨", "長野",
      "岐阜",   "静岡", "愛知", "三重",   "滋賀", "京都",   "大阪", "兵庫", "奈良", "和歌山",
      "鳥取",   "島根", "岡山", "広島",   "山口", "徳島",   "香川", "愛媛", "高知", "福岡",
      "佐賀",   "長崎", "熊本", "大分",   "宮崎", "鹿児島", "沖縄"};
  std::string key = TrimSpaces(NormalizeNfkc(name));
  for (std::string_view suffix : {"都", "府", "県"}) {
    if (key != "京都" && key.size() > suffix.size() &&
        key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) {
      key.resize(key.size() - suffix.size());
      break;
    }
  }
  for (int i = 0; i < 47; ++i)
    if (key == kPrefectures[i]) return i + 1;
  return 0;
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
