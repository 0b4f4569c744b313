#include "core/log.h"

#include <cstdio>
#include <mutex>
#include <string>

#include "core/date.h"

namespace civicdesk {

void Log(LogLevel level, std::string_view message) {
  static std::mutex mutex;
  const char* name = level == LogLevel::kInfo      ? "INFO"
                     : level == LogLevel::kWarning ? "WARN"
                                                   : "ERROR";
  std::string line = NowIso8601Utc() + " " + name + " " + std::string(message) + "\n";
  std::lock_guard lock(mutex);
  std::fputs(line.c_str(), stderr);
}

}  // namespace civicdesk
