// `civicdesk facilities import FILE.xlsx`: the registry from a workbook's first sheet.
#include "facilities/registry_io.h"
#include "facilities/store.h"
#include "fuzz/support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  const std::string path = fuzz::WriteFile("registry.xlsx", fuzz::AsText(data, size));
  auto registry = facilities::ReadFacilitiesXlsx(path, 2026);
  if (registry.ok()) (void)facilities::ImportRegistry(fuzz::Database(), *registry, false, "cli");
  return 0;
}
