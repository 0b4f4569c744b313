#ifndef CIVICDESK_CONSULTATION_PDF_EXPORT_H_
#define CIVICDESK_CONSULTATION_PDF_EXPORT_H_

#include <string>
#include <vector>

#include "consultation/issuer.h"
#include "consultation/model.h"
#include "consultation/store.h"
#include "core/result.h"
#include "http/message.h"

namespace civicdesk::consultation {

// Writes the publication as a PDF at `path`: A4 landscape, Noto Sans CJK JP embedded (cairo
// embeds the subset it uses), Japanese line breaking by pango. Page 1 carries the title, block 1,
// block 2 and the legend; the table follows with its header repeated at the top of every page.
// A row too tall for the space left continues on the next page. kUnavailable when the file
// cannot be written. `words` are the issuer's, in Japanese (issuer.h).
Status WritePdf(const std::string& path, const std::string& title, const IssuerWords& words,
                const Summary& summary, const RowSource& rows);

// The same PDF handed to `write` piece by piece as cairo produces it (pages as they finish), for
// a streamed download. A failure of `write` (the client gone) stops it and is returned.
Status StreamPdf(const http::BodyWriter& write, const std::string& title, const IssuerWords& words,
                 const Summary& summary, const RowSource& rows);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_PDF_EXPORT_H_
