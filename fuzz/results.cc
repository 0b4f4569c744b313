// `civicdesk import results FILE`: a published result table (CSV, TSV or XLSX, any encoding)
// through the shared pipeline, every row validated and the consultation written.
#include "consultation/results_import.h"
#include "fuzz/support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  consultation::Actor actor{0, "cli"};
  tabular::Report refused;
  (void)consultation::ImportResults(fuzz::Database(), fuzz::AsText(data, size), actor, {},
                                    &refused);
  return 0;
}
