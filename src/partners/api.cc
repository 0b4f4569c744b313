#include <nlohmann/json.hpp>

#include "partners/handlers.h"
#include "partners/subsidy.h"
#include "partners/views.h"

namespace civicdesk::partners {

Result<http::Response> EstimateApi(http::RequestContext& context) {
  nlohmann::json body = nlohmann::json::parse(context.request().body, nullptr, false);
  if (body.is_discarded()) return Status::InvalidArgument("partners.json_invalid", "body");
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<StaffExpense> staff, StaffFromJson(body));
  // Without a programme the estimate uses the rules of seed 003.
  Result<Programme> programme = CurrentProgramme(context.app().database());
  const SubsidyRules rules = programme.ok() ? programme->rules : SubsidyRules{};
  CIVICDESK_ASSIGN_OR_RETURN(SubsidyEstimate estimate, EstimateSubsidy(staff, rules));
  return context.Json(200, EstimateToJson(estimate, rules));
}

}  // namespace civicdesk::partners
