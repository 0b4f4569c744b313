#include "plan/access.h"

namespace civicdesk::plan {

KpiEditor EditorOf(const http::Principal& principal) {
  KpiEditor editor{principal.login, "", ""};
  if (principal.role == http::Role::kSectionStaff) {
    editor.department = principal.department;
    editor.section = principal.section;
  }
  return editor;
}

Status MayEnterActuals(http::RequestContext& context, const std::string& code) {
  if (!context.principal()) return Status::Unauthenticated("plan.sign_in_to_enter");
  return CheckKpiEditor(context.app().database(), code, EditorOf(*context.principal()));
}

}  // namespace civicdesk::plan
