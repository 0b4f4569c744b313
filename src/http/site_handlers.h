#ifndef CIVICDESK_HTTP_SITE_HANDLERS_H_
#define CIVICDESK_HTTP_SITE_HANDLERS_H_

// The handlers of the site's own pages, named by the route table in http_module.cc.

#include <vector>

#include "http/app.h"

namespace civicdesk::http {

// pages.cc: health, static files, sign-in and out, the accessibility policy.
Result<Response> Healthz(RequestContext& context);
Result<Response> StaticFile(RequestContext& context);
Result<Response> LoginPage(RequestContext& context);
Result<Response> Login(RequestContext& context);
Result<Response> Logout(RequestContext& context);
Result<Response> AccessibilityPage(RequestContext& context);

// staff_pages.cc: the staff menu, the audit trail, staff accounts.
Result<Response> StaffHome(RequestContext& context);
Result<Response> AuditPage(RequestContext& context);
Result<Response> UsersPage(RequestContext& context);
Result<Response> PasswordPage(RequestContext& context);
Result<Response> IssueResetLink(RequestContext& context);
Result<Response> PasswordResetPage(RequestContext& context);
Result<Response> ResetPassword(RequestContext& context);
Result<Response> ChangePassword(RequestContext& context);
Result<Response> AddUser(RequestContext& context);
Result<Response> UpdateUser(RequestContext& context);
// The import page of every module's importers (import_pages.cc).
Result<Response> TableImportPage(RequestContext& context);
Result<Response> UploadTable(RequestContext& context);
Result<Response> TableMappingPage(RequestContext& context);
Result<Response> ConfirmTableImport(RequestContext& context);
Result<std::vector<AuditEntry>> HttpAuditTrail(storage::Database& database,
                                               const AuditQuery& query);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_SITE_HANDLERS_H_
