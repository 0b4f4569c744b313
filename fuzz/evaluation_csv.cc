// `civicdesk evaluation import FILE.csv --dataset NAME`: a city's evaluation sheet.
#include <sstream>

#include "fuzz/support.h"
#include "plan/administrative_evaluation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  (void)plan::ImportProjectEvaluations(fuzz::Database(), fuzz::AsText(data, size), "fuzz", "cli");
  return 0;
}
