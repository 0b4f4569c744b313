#include "consultation/access.h"

#include <algorithm>

namespace civicdesk::consultation {
namespace {

// Section staff touch only items routed to their own 部/課; publishers and admins any item.
Status MayTouchItem(http::RequestContext& context, const Item& item, std::string_view denied) {
  if (!context.principal()) return Status::Unauthenticated("http.sign_in");
  if (!IsSectionStaff(context)) return Status::Ok();
  const SectionRef own = OwnSection(context);
  if (std::find(item.sections.begin(), item.sections.end(), own) != item.sections.end())
    return Status::Ok();
  // The triage section routes what nobody has yet.
  if (item.sections.empty()) {
    Result<Consultation> consultation =
        GetConsultation(context.app().database(), item.consultation_id);
    if (!consultation.ok()) return consultation.status();
    if (IsTriageStaff(context, *consultation)) return Status::Ok();
  }
  return Status::PermissionDenied(std::string(denied));
}

}  // namespace

Actor ActorOf(const http::RequestContext& context) {
  if (!context.principal()) return {};
  return {context.principal()->user_id, context.principal()->login};
}

bool IsSectionStaff(const http::RequestContext& context) {
  return context.principal() && context.principal()->role == http::Role::kSectionStaff;
}

SectionRef OwnSection(const http::RequestContext& context) {
  return {context.principal()->department, context.principal()->section};
}

Status MaySeeItem(http::RequestContext& context, const Item& item) {
  return MayTouchItem(context, item, "consultation.item_other_section_view");
}

Status MayEditItem(http::RequestContext& context, const Item& item) {
  return MayTouchItem(context, item, "consultation.item_other_section");
}

Status MayReuseResponse(http::RequestContext& context, const Item& item, int64_t response_id) {
  if (!context.principal()) return Status::Unauthenticated("http.sign_in");
  if (!IsSectionStaff(context)) return Status::Ok();
  CIVICDESK_ASSIGN_OR_RETURN(
      std::vector<Item> own,
      ListItems(context.app().database(), item.consultation_id, OwnSection(context)));
  const bool seen = std::any_of(own.begin(), own.end(), [&](const Item& other) {
    return other.response_id == response_id && MaySeeItem(context, other).ok();
  });
  return seen ? Status::Ok() : Status::PermissionDenied("consultation.response_other_section");
}

Status MayRoute(const http::RequestContext& context) {
  if (context.HasAccess(http::Access::kPublisher)) return Status::Ok();
  return Status::PermissionDenied("consultation.routing_publishers_only");
}

bool IsTriageStaff(const http::RequestContext& context, const Consultation& consultation) {
  if (!IsSectionStaff(context) || consultation.triage_section.empty()) return false;
  return OwnSection(context) ==
         SectionRef{consultation.triage_department, consultation.triage_section};
}

Status MayRoute(const http::RequestContext& context, const Consultation& consultation) {
  if (context.HasAccess(http::Access::kPublisher)) return Status::Ok();
  if (IsTriageStaff(context, consultation)) return Status::Ok();
  return Status::PermissionDenied("consultation.routing_by_triage");
}

Status MaySplitSubmission(http::RequestContext& context, const Submission& submission) {
  if (!context.principal()) return Status::Unauthenticated("http.sign_in");
  if (!IsSectionStaff(context)) return Status::Ok();
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation,
                             GetConsultation(database, submission.consultation_id));
  const SectionRef own = OwnSection(context);
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult counts,
      database.Query("SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM"
                     " consultation_item_section s WHERE s.item_id = i.id AND s.department = ?"
                     " AND s.section = ?) THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN NOT"
                     " EXISTS (SELECT 1 FROM consultation_item_section s WHERE s.item_id = i.id)"
                     " THEN 1 ELSE 0 END), 0) FROM consultation_item i"
                     " WHERE i.submission_id = ? AND i.active = 1",
                     {own.first, own.second, submission.id}));
  const int64_t items = storage::AsInt(counts.rows[0][0]);
  const int64_t own_items = storage::AsInt(counts.rows[0][1]);
  const int64_t unrouted = storage::AsInt(counts.rows[0][2]);
  if (items > 0 && own_items == items) return Status::Ok();
  // The triage section splits what nobody has yet, never another section's answered items.
  if (items > 0 && own_items + unrouted == items && IsTriageStaff(context, consultation))
    return Status::Ok();
  return Status::PermissionDenied("consultation.split_other_section");
}

Status MayApprove(const http::RequestContext& context) {
  if (context.HasAccess(http::Access::kPublisher)) return Status::Ok();
  return Status::PermissionDenied("consultation.approve_publishers_only");
}

Status MaySeeResult(const http::RequestContext& context, const Consultation& consultation) {
  if (consultation.state == "published") return Status::Ok();
  if (context.HasAccess(http::Access::kPublisher)) return Status::Ok();
  if (context.principal()) return Status::PermissionDenied("consultation.result_publishers_only");
  return Status::NotFound("consultation.result_not_published");
}

}  // namespace civicdesk::consultation
