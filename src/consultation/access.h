#ifndef CIVICDESK_CONSULTATION_ACCESS_H_
#define CIVICDESK_CONSULTATION_ACCESS_H_

#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/status.h"
#include "http/app.h"

// Checks on one item or one result, beyond the route's declared access (http::Access), and who
// is acting. Each check is called first in the handler and returns the failure to answer with.
namespace civicdesk::consultation {

// The signed-in staff member, for the audit log; user 0 (a citizen) when nobody is signed in.
Actor ActorOf(const http::RequestContext& context);

// True for section staff (課の職員): they work only on items routed to their own 部/課.
bool IsSectionStaff(const http::RequestContext& context);

// The 部/課 of the signed-in section staff member. REQUIRES: someone is signed in.
SectionRef OwnSection(const http::RequestContext& context);

// Who may open an item: publishers and admins any; section staff an item routed to their own
// 部/課, or an unrouted one when their section triages its consultation (PermissionDenied
// otherwise); nobody signed out (Unauthenticated).
Status MaySeeItem(http::RequestContext& context, const Item& item);

// Who may change an item (fields, response, status, suggestions accepted): as MaySeeItem.
Status MayEditItem(http::RequestContext& context, const Item& item);

// Who may give an item another item's response (reuse it, and so read it): publishers and
// admins any response of the consultation; section staff only one carried by an item they may
// see (PermissionDenied consultation.response_other_section otherwise).
Status MayReuseResponse(http::RequestContext& context, const Item& item, int64_t response_id);

// Who may route items to a section (add a responding 部/課) in any consultation: publishers and
// admins. PermissionDenied for section staff.
Status MayRoute(const http::RequestContext& context);

// Who may route the items of `consultation` (its triage queue, an item's sections): publishers
// and admins, and the staff of the section that triages it (triage.h). PermissionDenied
// consultation.routing_by_triage otherwise.
Status MayRoute(const http::RequestContext& context, const Consultation& consultation);

// True for section staff of the section that triages `consultation`.
bool IsTriageStaff(const http::RequestContext& context, const Consultation& consultation);

// Who may split a submission into items or merge them back: publishers and admins; section
// staff when every active item of the submission is routed to their own 部/課, or, when their
// section triages the consultation, is routed to it or to nobody (PermissionDenied
// consultation.split_other_section).
Status MaySplitSubmission(http::RequestContext& context, const Submission& submission);
// Who may approve answers, or take an approval away, one by one or in bulk: publishers and
// admins. PermissionDenied consultation.approve_publishers_only for section staff.
Status MayApprove(const http::RequestContext& context);

// Who may see a consultation's result: its page, every download (TSV, CSV, XLSX, PDF) and its
// summary. A published result: anyone. Before publication only publishers and admins (a
// preview): section staff get PermissionDenied, whichever section; visitors who are not signed
// in get NotFound, as if it did not exist yet.
Status MaySeeResult(const http::RequestContext& context, const Consultation& consultation);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_ACCESS_H_
