#ifndef CIVICDESK_FACILITIES_TABLE_IMPORTS_H_
#define CIVICDESK_FACILITIES_TABLE_IMPORTS_H_

#include "http/importers.h"

namespace civicdesk::facilities {

// The facility register on the site's import page (/staff/imports/tables): ImportFacilities, as
// `facilities import` (the register is replaced by the file's facilities).
http::Importer FacilitiesImporter();

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_TABLE_IMPORTS_H_
