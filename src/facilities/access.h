#ifndef CIVICDESK_FACILITIES_ACCESS_H_
#define CIVICDESK_FACILITIES_ACCESS_H_

#include "core/status.h"
#include "facilities/lifecycle.h"
#include "http/app.h"

// Checks on one facility, beyond the route's declared access.
namespace civicdesk::facilities {

// Who records completed works on `facility`: publishers and admins, and the staff of its owning
// section — their department AND section both match the facility's (a facility with no owning
// department or section is theirs alone). PermissionDenied otherwise.
Status MayRecordWorks(const http::RequestContext& context, const Facility& facility);

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_ACCESS_H_
