#ifndef CIVICDESK_CORE_NUMBER_FORMAT_H_
#define CIVICDESK_CORE_NUMBER_FORMAT_H_

#include <cstdint>
#include <string>

namespace civicdesk {

// A whole number with thousands separators, as amounts are shown in Japan: 1234567 → "1,234,567",
// -5000 → "-5,000".
std::string GroupThousands(int64_t value);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_NUMBER_FORMAT_H_
