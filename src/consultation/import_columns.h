#ifndef CIVICDESK_CONSULTATION_IMPORT_COLUMNS_H_
#define CIVICDESK_CONSULTATION_IMPORT_COLUMNS_H_

#include "core/tabular_import.h"

namespace civicdesk::consultation {

// The header synonyms of the consultation importers, one table per importer, kept here and
// nowhere else (docs/import.md lists them; a test checks that it does). Headers match after
// tabular::HeaderKey (full-width/half-width and spaces folded).

// `import opinions`: id (番号, No. …) and text (意見, ご意見 …) required; channel, field,
// section, group optional.
const tabular::ImporterSpec& OpinionsColumns();

// `import results`: number (No., 番号 …), opinion (区民意見, 意見 …) and response (区の考え方,
// 市の考え方 …, 回答) required; field, channel, department, section, status optional.
const tabular::ImporterSpec& ResultsColumns();

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_IMPORT_COLUMNS_H_
