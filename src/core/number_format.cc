#include "core/number_format.h"

namespace civicdesk {

std::string GroupThousands(int64_t value) {
  const bool negative = value < 0;
  // Through unsigned arithmetic, so that INT64_MIN has a magnitude too.
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  const std::string digits = std::to_string(magnitude);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ",";
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

}  // namespace civicdesk
