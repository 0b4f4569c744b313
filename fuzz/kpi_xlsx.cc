// `civicdesk kpi import FILE.xlsx`: the first sheet of a workbook as KPI actuals.
#include "fuzz/support.h"
#include "plan/actuals.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  // The shared pipeline reads a ZIP archive as a workbook, whatever the file's name.
  (void)plan::ImportKpiActuals(fuzz::Database(), fuzz::AsText(data, size),
                               plan::KpiEditor{"cli", "", ""}, {}, nullptr);
  return 0;
}
