// `civicdesk facilities import FILE.csv`: the registry read and checked, then written.
#include <sstream>

#include "facilities/registry_io.h"
#include "facilities/store.h"
#include "fuzz/support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  // A fixed year, so that a saved input fails or passes the same way next year.
  (void)facilities::ImportFacilities(fuzz::Database(), fuzz::AsText(data, size), 2026, {}, "cli",
                                     nullptr);
  return 0;
}
