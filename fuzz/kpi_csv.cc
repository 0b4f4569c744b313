// `civicdesk kpi import FILE.csv`: KPI actuals checked row by row, then written.
#include <sstream>

#include "fuzz/support.h"
#include "plan/actuals.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  (void)plan::ImportKpiActuals(fuzz::Database(), fuzz::AsText(data, size),
                               plan::KpiEditor{"cli", "", ""}, {}, nullptr);
  return 0;
}
