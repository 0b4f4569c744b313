// `civicdesk kpi import FILE.csv`: KPI actuals checked row by row, then written.
#include <sstream>

#include "fuzz/support.h"
#include "plan/actuals.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  std::istringstream csv{std::string(fuzz::AsText(data, size))};
  (void)plan::ImportKpiActualsCsv(fuzz::Database(), csv, plan::KpiEditor{"cli", "", ""});
  return 0;
}
