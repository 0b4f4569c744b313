#ifndef CIVICDESK_FUZZ_SUPPORT_H_
#define CIVICDESK_FUZZ_SUPPORT_H_

// What every fuzz target shares: a database as `civicdesk import` finds it, and files for the
// entry points that take a path (XLSX workbooks, the partners command).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/database.h"

namespace civicdesk::fuzz {

// A SQLite database in a directory of its own (in /dev/shm when there is one, so that
// synchronous=FULL costs nothing), migrated with every module and the shipped data loaded, as
// OpenMigrated leaves it for an import. Made on first use and again after every 2,000 uses, so
// that a long run does not slow down as imports pile up; removed when the process exits.
storage::Database& Database();
// Its URL ("sqlite:/dev/shm/civicdesk-fuzz-XXXXXX/fuzz.db"), for commands that open it.
const std::string& DatabaseUrl();

// Writes `bytes` to a file named `name` in the same directory and returns its path.
std::string WriteFile(std::string_view name, std::string_view bytes);

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace civicdesk::fuzz

#endif  // CIVICDESK_FUZZ_SUPPORT_H_
