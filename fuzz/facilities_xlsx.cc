// `civicdesk facilities import FILE.xlsx`: the registry from a workbook's first sheet.
#include "facilities/registry_io.h"
#include "facilities/store.h"
#include "fuzz/support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  // The shared pipeline reads a ZIP archive as a workbook, whatever the file's name.
  (void)facilities::ImportFacilities(fuzz::Database(), fuzz::AsText(data, size), 2026, {}, "cli",
                                     nullptr);
  return 0;
}
