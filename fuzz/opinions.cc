// `civicdesk import opinions FILE`: a bulk comment file through the shared pipeline, every row
// validated, then the consultation and its opinions written.
#include "consultation/opinions_import.h"
#include "fuzz/support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  consultation::Actor actor{0, "cli"};
  tabular::Report refused;
  (void)consultation::ImportOpinions(fuzz::Database(), fuzz::AsText(data, size), "fuzz", actor, {},
                                     &refused);
  return 0;
}
