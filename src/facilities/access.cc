#include "facilities/access.h"

namespace civicdesk::facilities {

Status MayRecordWorks(const http::RequestContext& context, const Facility& facility) {
  if (context.HasAccess(http::Access::kPublisher)) return Status::Ok();
  const std::optional<http::Principal>& principal = context.principal();
  if (principal && !facility.department.empty() && !facility.section.empty() &&
      principal->department == facility.department && principal->section == facility.section)
    return Status::Ok();
  return Status::PermissionDenied("facilities.record_works_denied");
}

}  // namespace civicdesk::facilities
