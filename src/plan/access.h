#ifndef CIVICDESK_PLAN_ACCESS_H_
#define CIVICDESK_PLAN_ACCESS_H_

// Checks on one object of the plan, called first by the handlers that need them (who may call a
// route at all is declared on the route).

#include <string>

#include "core/status.h"
#include "http/app.h"
#include "plan/actuals.h"

namespace civicdesk::plan {

// The signed-in staff member as an editor of actuals: section staff carry their section,
// admins and publishers none (they may enter any KPI).
KpiEditor EditorOf(const http::Principal& principal);

// Ok when the signed-in user may enter the actuals of KPI `code`: admins and publishers always,
// section staff when their section owns the KPI. PermissionDenied otherwise; Unauthenticated
// when nobody is signed in.
Status MayEnterActuals(http::RequestContext& context, const std::string& code);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_ACCESS_H_
