// `civicdesk kpi import FILE.xlsx`: the first sheet of a workbook as KPI actuals.
#include "fuzz/support.h"
#include "plan/actuals.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  const std::string path = fuzz::WriteFile("actuals.xlsx", fuzz::AsText(data, size));
  (void)plan::ImportKpiActualsXlsx(fuzz::Database(), path, plan::KpiEditor{"cli", "", ""});
  return 0;
}
