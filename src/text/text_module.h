#ifndef CIVICDESK_TEXT_TEXT_MODULE_H_
#define CIVICDESK_TEXT_TEXT_MODULE_H_

#include "http/app.h"

namespace civicdesk::text {

// The text engine's site: the search page (/search: published material; /staff/search:
// everything the signed-in staff member may see) and GET /api/v1/search?q=&kind=, whose
// audience follows the session. Owns the table text_document.
http::Module TextModule();

}  // namespace civicdesk::text

#endif  // CIVICDESK_TEXT_TEXT_MODULE_H_
