#include <nlohmann/json.hpp>

#include "partners/handlers.h"
#include "partners/lottery.h"
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

namespace civicdesk::partners {

Result<http::Response> ProgrammeApi(http::RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int year, PathYear(context, "partners.year_path_invalid"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Programme programme, FindProgramme(database, year));
  CIVICDESK_ASSIGN_OR_RETURN(std::optional<Draw> draw, FindDraw(database, year));
  const std::optional<int> capacity = programme.Capacity();
  nlohmann::json lottery = CommitmentView(database, year);
  lottery.erase("committed_at_label");
  lottery["commitment_algorithm"] = "SHA-256";
  lottery["ticket_algorithm"] = "BLAKE2b-256";
  // The seed is published only by the draw; before it, nobody outside the database knows it.
  lottery["seed"] = nullptr;
  lottery["drawn_at"] = nullptr;
  lottery["seed_matches_commitment"] = nullptr;
  lottery["record"] = nullptr;
  if (draw) {
    lottery["seed"] = draw->seed;
    lottery["drawn_at"] = draw->drawn_at;
    lottery["record"] = "/workation/draws/" + std::to_string(year);
    if (!draw->commitment.empty()) {
      lottery["commitment"] = draw->commitment;
      lottery["committed_at"] = draw->committed_at;
      lottery["seed_matches_commitment"] = Sha256Hex(draw->seed) == draw->commitment;
    }
  }
  nlohmann::json body = {
      {"fiscal_year", programme.fiscal_year},
      {"title", programme.title},
      {"opens", programme.opens},
      {"closes", programme.closes},
      {"places", programme.places ? nlohmann::json(*programme.places) : nlohmann::json()},
      {"budget_yen",
       programme.budget_yen ? nlohmann::json(*programme.budget_yen) : nlohmann::json()},
      {"capacity", capacity ? nlohmann::json(*capacity) : nlohmann::json()},
      {"rate", std::to_string(programme.rules.rate_numerator) + "/" +
                   std::to_string(programme.rules.rate_denominator)},
      {"lodging_cap_per_person_night_yen", programme.rules.lodging_cap_per_person_night_yen},
      {"cap_per_business_yen", programme.rules.cap_per_business_yen},
      {"destinations", programme.destinations},
      {"lottery", lottery}};
  return context.Json(200, body);
}

}  // namespace civicdesk::partners
