#ifndef CIVICDESK_PARTNERS_TABLE_IMPORTS_H_
#define CIVICDESK_PARTNERS_TABLE_IMPORTS_H_

#include "http/importers.h"

namespace civicdesk::partners {

// Partner municipalities on the site's import page (/staff/imports/tables):
// ImportPartnersTable, as `partners import` (each agreement's source is the file's name).
http::Importer PartnersImporter();

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_TABLE_IMPORTS_H_
