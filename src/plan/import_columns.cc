#include "plan/import_columns.h"

namespace civicdesk::plan {

const tabular::ImporterSpec& KpiActualsColumns() {
  static const tabular::ImporterSpec spec{
      "kpi-actuals",
      {
          {"code",
           {"指標番号", "指標コード", "成果指標番号", "KPI番号", "KPIコード", "指標No.", "コード",
            "番号"},
           true,
           false},
          // Not required: a wide table names the year in each value column's header.
          {"fiscal_year", {"年度", "実績年度", "対象年度", "測定年度", "会計年度"}, false, true},
          // One column (long: a row per KPI and year), or one per fiscal year (wide: 令和4年度,
          // R5実績, 実績値（2023年度）), a header that is only a year included.
          {"value", {"実績値", "実績", "値", "測定値", "数値"}, true, true, true, true},
          {"source", {"出典", "出所", "データ出典", "調査名", "把握方法"}, false, false},
          {"name", {"指標名", "成果指標名", "成果指標", "指標", "KPI名", "KPI"}, false, false},
          {"unit", {"単位"}, false, false},
          {"target", {"目標値", "目標"}, false, true, true},
      }};
  return spec;
}

}  // namespace civicdesk::plan
