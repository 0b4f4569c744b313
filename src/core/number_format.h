#ifndef CIVICDESK_CORE_NUMBER_FORMAT_H_
#define CIVICDESK_CORE_NUMBER_FORMAT_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace civicdesk {

// A whole number with thousands separators, as amounts are shown in Japan: 1234567 → "1,234,567",
// -5000 → "-5,000".
std::string GroupThousands(int64_t value);

// The whole number `text` spells exactly (ASCII digits after an optional '-', nothing else) when
// it lies in [low, high]; nullopt otherwise, so that each caller names its own field.
std::optional<int64_t> ParseWholeNumber(std::string_view text,
                                        int64_t low = std::numeric_limits<int64_t>::min(),
                                        int64_t high = std::numeric_limits<int64_t>::max());

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_NUMBER_FORMAT_H_
