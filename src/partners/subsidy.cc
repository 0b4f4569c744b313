#include "partners/subsidy.h"

#include <algorithm>

namespace civicdesk::partners {

Result<SubsidyEstimate> EstimateSubsidy(const std::vector<StaffExpense>& staff,
                                        const SubsidyRules& rules) {
  if (staff.empty()) {
    return Status::InvalidArgument("partners.staff_required", "staff");
  }
  if (staff.size() > 100) return Status::InvalidArgument("partners.staff_too_many", "staff");
  SubsidyEstimate estimate;
  for (size_t i = 0; i < staff.size(); ++i) {
    const StaffExpense& expense = staff[i];
    const std::string where = "staff[" + std::to_string(i) + "].";
    if (expense.nights < 1) {
      return Status::InvalidArgument("partners.nights_at_least_one", where + "nights");
    }
    if (expense.nights > 60)
      return Status::InvalidArgument("partners.nights_at_most_60", where + "nights");
    if (expense.lodging_per_night_yen < 0 || expense.lodging_per_night_yen > 10'000'000) {
      return Status::InvalidArgument("partners.lodging_invalid", where + "lodging_per_night_yen");
    }
    if (expense.transport_yen < 0 || expense.transport_yen > 10'000'000) {
      return Status::InvalidArgument("partners.transport_invalid", where + "transport_yen");
    }
    SubsidyLine line;
    line.expense = expense;
    line.lodging_claimed_yen = expense.nights * expense.lodging_per_night_yen;
    line.lodging_eligible_yen = expense.nights * std::min(expense.lodging_per_night_yen,
                                                          rules.lodging_cap_per_person_night_yen);
    line.transport_eligible_yen = expense.transport_yen;
    line.line_total_yen = (line.lodging_eligible_yen + line.transport_eligible_yen) *
                          rules.rate_numerator / rules.rate_denominator;
    estimate.eligible_total_yen += line.line_total_yen;
    estimate.lines.push_back(line);
  }
  estimate.subsidy_yen = std::min(estimate.eligible_total_yen, rules.cap_per_business_yen);
  estimate.capped = estimate.eligible_total_yen > rules.cap_per_business_yen;
  return estimate;
}

Result<std::vector<StaffExpense>> StaffFromJson(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("staff") || !body["staff"].is_array()) {
    return Status::InvalidArgument("partners.staff_array_required", "staff");
  }
  std::vector<StaffExpense> staff;
  for (size_t i = 0; i < body["staff"].size(); ++i) {
    const nlohmann::json& item = body["staff"][i];
    const std::string where = "staff[" + std::to_string(i) + "].";
    if (!item.is_object())
      return Status::InvalidArgument("partners.staff_object_required",
                                     "staff[" + std::to_string(i) + "]");
    StaffExpense expense;
    for (const char* name : {"nights", "lodging_per_night_yen", "transport_yen"}) {
      if (!item.contains(name) || !item[name].is_number_integer()) {
        return Status::InvalidArgument("partners.integer_required", where + name);
      }
    }
    const int64_t nights = item["nights"].get<int64_t>();
    expense.nights = nights > 1000 || nights < -1000 ? 1001 : static_cast<int>(nights);
    expense.lodging_per_night_yen = item["lodging_per_night_yen"].get<int64_t>();
    expense.transport_yen = item["transport_yen"].get<int64_t>();
    staff.push_back(expense);
  }
  return staff;
}

nlohmann::json EstimateToJson(const SubsidyEstimate& estimate, const SubsidyRules& rules) {
  nlohmann::json lines = nlohmann::json::array();
  for (const SubsidyLine& line : estimate.lines) {
    lines.push_back({{"nights", line.expense.nights},
                     {"lodging_per_night_yen", line.expense.lodging_per_night_yen},
                     {"transport_yen", line.expense.transport_yen},
                     {"lodging_claimed_yen", line.lodging_claimed_yen},
                     {"lodging_eligible_yen", line.lodging_eligible_yen},
                     {"transport_eligible_yen", line.transport_eligible_yen},
                     {"line_total_yen", line.line_total_yen}});
  }
  return {{"subsidy_yen", estimate.subsidy_yen},
          {"eligible_total_yen", estimate.eligible_total_yen},
          {"capped", estimate.capped},
          {"rules",
           {{"rate",
             std::to_string(rules.rate_numerator) + "/" + std::to_string(rules.rate_denominator)},
            {"lodging_cap_per_person_night_yen", rules.lodging_cap_per_person_night_yen},
            {"cap_per_business_yen", rules.cap_per_business_yen}}},
          {"lines", lines}};
}

}  // namespace civicdesk::partners
