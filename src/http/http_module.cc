#include "http/http_module.h"

#include "embedded/core_files.h"
#include "embedded/http_files.h"
#include "embedded/storage_files.h"
#include "http/site_handlers.h"

namespace civicdesk::http {
namespace {

storage::ModuleMigrations Migrations() {
  return {"http",
          {
              {1, "staff accounts and sessions",
               "CREATE TABLE http_user ("
               " id {{id}},"
               " login TEXT NOT NULL UNIQUE,"
               " display_name TEXT NOT NULL,"
               " password_hash TEXT NOT NULL,"
               " role TEXT NOT NULL CHECK (role IN ('admin', 'publisher', 'section')),"
               " department TEXT NOT NULL DEFAULT '',"
               " section TEXT NOT NULL DEFAULT '',"
               " active BIGINT NOT NULL DEFAULT 1,"
               " created_at TEXT NOT NULL);"
               "CREATE TABLE http_session ("
               " token_hash TEXT PRIMARY KEY,"
               " user_id BIGINT NOT NULL REFERENCES http_user (id),"
               " csrf_token TEXT NOT NULL,"
               " remote_address TEXT NOT NULL DEFAULT '',"
               " created_at TEXT NOT NULL,"
               " expires_at TEXT NOT NULL);"
               "CREATE INDEX http_session_user ON http_session (user_id);"
               "CREATE TABLE http_login_failure ("
               " id {{id}},"
               " account TEXT NOT NULL,"
               " remote_address TEXT NOT NULL,"
               " failed_at TEXT NOT NULL);"
               "CREATE INDEX http_login_failure_account ON http_login_failure (account, failed_at);"
               "CREATE INDEX http_login_failure_address ON http_login_failure (remote_address, "
               "failed_at)"},
              {2, "audit trail of account changes",
               "CREATE TABLE http_audit (id {{id}}, at TEXT NOT NULL, user_login TEXT NOT NULL,"
               " action TEXT NOT NULL, entity TEXT NOT NULL, before_value TEXT NOT NULL,"
               " after_value TEXT NOT NULL)"},
              {3, "login attempts counted atomically per login name and address",
               "DROP TABLE http_login_failure;"
               "CREATE TABLE http_login_attempt ("
               " account TEXT NOT NULL,"
               " remote_address TEXT NOT NULL,"
               " window_start BIGINT NOT NULL,"
               " attempts BIGINT NOT NULL,"
               " PRIMARY KEY (account, remote_address, window_start))"},
              {4, "opinions per client address and minute, shared by every server",
               "CREATE TABLE http_submission_count ("
               " remote_address TEXT NOT NULL,"
               " minute BIGINT NOT NULL,"
               " submissions BIGINT NOT NULL,"
               " PRIMARY KEY (remote_address, minute))"},
              {5, "one-time password reset links an admin issues",
               "CREATE TABLE http_password_reset ("
               " token_hash TEXT PRIMARY KEY,"
               " user_id BIGINT NOT NULL REFERENCES http_user (id),"
               " issued_by TEXT NOT NULL,"
               " issued_at TEXT NOT NULL,"
               " expires_at TEXT NOT NULL,"
               " used_at TEXT)"},
              {6, "files uploaded on the import page, between upload and confirmation",
               "CREATE TABLE http_import_upload ("
               " token_hash TEXT PRIMARY KEY,"
               " user_id BIGINT NOT NULL REFERENCES http_user (id),"
               " kind TEXT NOT NULL,"
               " filename TEXT NOT NULL,"
               " label TEXT NOT NULL,"
               " content TEXT NOT NULL,"
               " state TEXT NOT NULL,"
               " rows_written BIGINT NOT NULL DEFAULT 0,"
               " created_at TEXT NOT NULL,"
               " expires_at TEXT NOT NULL)"},
          }};
}

Status Install(App& app) {
  CIVICDESK_RETURN_IF_ERROR(AddEmbeddedTemplates(app, "http", http_files::EmbeddedFilePaths(),
                                                 http_files::FindEmbeddedFile));
  app.router().Add(std::vector<Route>{
      {"GET", "/healthz", Access::kPublic, Healthz},
      {"GET", "/static/{file}", Access::kPublic, StaticFile},
      {"GET", "/login", Access::kPublic, LoginPage},
      {"POST", "/login", Access::kPublic, Login},
      {"POST", "/logout", Access::kPublic, Logout},
      {"GET", "/accessibility", Access::kPublic,
       PublicCache(kPublicPageSeconds, AccessibilityPage)},
      {"GET", "/staff", Access::kStaff, StaffHome},
      {"GET", "/staff/audit", Access::kAdmin, AuditPage},
      {"GET", "/password-reset/{token}", Access::kPublic, PasswordResetPage},
      {"POST", "/password-reset/{token}", Access::kPublic, ResetPassword},
      {"POST", "/staff/users/{id}/reset", Access::kAdmin, IssueResetLink},
      {"GET", "/staff/password", Access::kStaff, PasswordPage},
      {"POST", "/staff/password", Access::kStaff, ChangePassword},
      {"GET", "/staff/users", Access::kAdmin, UsersPage},
      {"POST", "/staff/users", Access::kAdmin, AddUser},
      {"POST", "/staff/users/{id}", Access::kAdmin, UpdateUser},
      // Every module's importers (Module::importers) on one page: upload, map, check, confirm.
      {"GET", "/staff/imports/tables", Access::kPublisher, TableImportPage},
      {"POST", "/staff/imports/tables", Access::kPublisher, UploadTable},
      {"GET", "/staff/imports/tables/{token}", Access::kPublisher, TableMappingPage},
      {"POST", "/staff/imports/tables/{token}", Access::kPublisher, ConfirmTableImport},
  });
  return Status::Ok();
}

// The site's catalogs: its own words and those of core and storage, which have no module.
Status AddMessages(MessageCatalog& catalog) {
  CIVICDESK_RETURN_IF_ERROR(AddEmbeddedMessages(catalog, "core", core_files::EmbeddedFilePaths(),
                                                core_files::FindEmbeddedFile));
  CIVICDESK_RETURN_IF_ERROR(AddEmbeddedMessages(
      catalog, "storage", storage_files::EmbeddedFilePaths(), storage_files::FindEmbeddedFile));
  return AddEmbeddedMessages(catalog, "http", http_files::EmbeddedFilePaths(),
                             http_files::FindEmbeddedFile);
}

}  // namespace

Module HttpModule() {
  Module module;
  module.name = "http";
  module.migrations = Migrations();
  module.install = Install;
  module.audit_trail = HttpAuditTrail;
  module.messages = AddMessages;
  return module;
}

}  // namespace civicdesk::http
