#ifndef CIVICDESK_FACILITIES_IMPORT_COLUMNS_H_
#define CIVICDESK_FACILITIES_IMPORT_COLUMNS_H_

#include "core/tabular_import.h"

namespace civicdesk::facilities {

// The header synonyms of `facilities import`, kept here and nowhere else (docs/import.md lists
// them). Headers match after tabular::HeaderKey (full-width/half-width and spaces folded).
// name (名称, 施設名 …) is required; id (NO, ID, 施設番号 …), category (施設分類 …), district,
// floor_area_sqm (延床面積 …), year_built (建築年 …), structure, department, section, works,
// rebuild_age and rebuild_yen_per_sqm are optional. The 自治体標準オープンデータセット
// 公共施設一覧 names its facilities 名称 and numbers them NO or ID; its other columns (住所, 緯度,
// 経度, 電話番号 …) are not held by the register and are left out by name (--ignore-column).
const tabular::ImporterSpec& FacilitiesColumns();

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_IMPORT_COLUMNS_H_
