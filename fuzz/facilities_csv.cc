// `civicdesk facilities import FILE.csv`: the registry read and checked, then written.
#include <sstream>

#include "facilities/registry_io.h"
#include "facilities/store.h"
#include "fuzz/support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  std::istringstream csv{std::string(fuzz::AsText(data, size))};
  // A fixed year, so that a saved input fails or passes the same way next year.
  auto registry = facilities::ReadFacilitiesCsv(csv, 2026);
  if (registry.ok()) (void)facilities::ImportRegistry(fuzz::Database(), *registry, false, "cli");
  return 0;
}
