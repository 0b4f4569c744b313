#include "facilities/import_columns.h"

namespace civicdesk::facilities {

const tabular::ImporterSpec& FacilitiesColumns() {
  static const tabular::ImporterSpec spec{
      "facilities",
      {
          {"id",
           {"施設番号", "施設ID", "施設コード", "施設No.", "管理番号", "NO", "No.", "ID", "番号"},
           false,
           false},
          {"name", {"名称", "施設名", "施設名称", "名前"}, true, false},
          {"category",
           {"施設分類", "分類", "施設類型", "用途分類", "大分類", "施設区分"},
           false,
           false},
          {"district", {"地区", "地区名", "地域"}, false, false},
          {"floor_area_sqm",
           {"延床面積", "延床面積（㎡）", "延床面積(m2)", "延べ床面積", "延べ床面積（㎡）",
            "延面積", "延べ面積", "床面積"},
           false,
           true},
          {"year_built",
           {"建築年", "建築年度", "建設年", "建設年度", "竣工年", "竣工年度", "建築年次"},
           false,
           true},
          {"structure", {"構造", "建物構造", "構造種別"}, false, false},
          {"department", {"所管部", "担当部", "所管部局"}, false, false},
          {"section", {"所管課", "担当課", "所管部署", "担当部署", "管理課"}, false, false},
          {"works", {"工事履歴", "改修履歴"}, false, false},
          {"rebuild_age", {"建替え年数", "建替年数"}, false, true},
          {"rebuild_yen_per_sqm", {"建替え単価", "建替単価"}, false, true},
      }};
  return spec;
}

}  // namespace civicdesk::facilities
