#ifndef CIVICDESK_CONSULTATION_XLSX_EXPORT_H_
#define CIVICDESK_CONSULTATION_XLSX_EXPORT_H_

#include <string>
#include <vector>

#include "consultation/issuer.h"
#include "consultation/model.h"
#include "consultation/store.h"
#include "core/result.h"

namespace civicdesk::consultation {

// Writes the publication as an Excel workbook at `path` (libxlsxwriter, constant-memory mode, so
// rows go straight to disk): sheet 「区民意見と区の考え方」 with the table (frozen header,
// filter, wrapped text) and sheet 「意見数・対応状況」 with blocks 1 and 2 and the legend.
// With `corrections` (HasApprovedCorrections), a last column 訂正履歴 as in the other formats.
// kUnavailable when the file cannot be written. `words` are the issuer's, in Japanese (issuer.h).
Status WriteXlsx(const std::string& path, const std::string& title, const IssuerWords& words,
                 const Summary& summary, const RowSource& rows, bool corrections = false);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_XLSX_EXPORT_H_
