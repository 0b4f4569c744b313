// `civicdesk evaluation import FILE.csv --dataset NAME`: a city's evaluation sheet.
#include <sstream>

#include "fuzz/support.h"
#include "plan/administrative_evaluation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  std::istringstream csv{std::string(fuzz::AsText(data, size))};
  (void)plan::ImportProjectEvaluations(fuzz::Database(), csv, "fuzz", "cli");
  return 0;
}
