#ifndef CIVICDESK_PARTNERS_IMPORT_COLUMNS_H_
#define CIVICDESK_PARTNERS_IMPORT_COLUMNS_H_

#include "core/tabular_import.h"

namespace civicdesk::partners {

// The header synonyms of `partners import`, kept here and nowhere else (docs/import.md lists
// them). Headers match after tabular::HeaderKey (full-width/half-width and spaces folded).
// code (全国地方公共団体コード, 団体コード …) and name (自治体名, 市区町村名 …) required;
// prefecture (都道府県名 …, needed in every row), agreement_type, agreement_title, signed_on and
// note optional.
const tabular::ImporterSpec& PartnersColumns();

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_IMPORT_COLUMNS_H_
