#ifndef CIVICDESK_CONSULTATION_STAFF_PAGES_H_
#define CIVICDESK_CONSULTATION_STAFF_PAGES_H_

#include "http/app.h"

namespace civicdesk::consultation {

// The staff console under /staff/consultations: the queue (section staff see only items routed
// to their 部/課), staff entry of mail, fax, hand-delivered and meeting opinions, split and
// merge, classification, routing, responses with reuse, approval and publication. Each handler
// checks the role first (403 otherwise), then the form (4xx naming the field).
void InstallStaffPages(http::App& app);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_STAFF_PAGES_H_
