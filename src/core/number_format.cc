#include "core/number_format.h"

#include <charconv>

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

std::optional<int64_t> ParseWholeNumber(std::string_view text, int64_t low, int64_t high) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < low ||
      value > high)
    return std::nullopt;
  return value;
}

}  // namespace civicdesk
