#ifndef CIVICDESK_CORE_LOG_H_
#define CIVICDESK_CORE_LOG_H_

#include <string_view>

namespace civicdesk {

enum class LogLevel { kInfo, kWarning, kError };

// Writes one line "<UTC time> <LEVEL> <message>" to standard error. Thread-safe.
void Log(LogLevel level, std::string_view message);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_LOG_H_
