#ifndef CIVICDESK_PARTNERS_SUBSIDY_H_
#define CIVICDESK_PARTNERS_SUBSIDY_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/result.h"

namespace civicdesk::partners {

// The money rules of the workation subsidy (seed 003): 10/10 of lodging, at most 1万円 per person
// per night, and of transport; at most 20万円 per business.
struct SubsidyRules {
  int rate_numerator = 10;  // 補助率 10/10
  int rate_denominator = 10;
  int64_t lodging_cap_per_person_night_yen = 10000;
  int64_t cap_per_business_yen = 200000;
};

// One member of staff on the workation.
struct StaffExpense {
  int nights = 0;
  int64_t lodging_per_night_yen = 0;
  int64_t transport_yen = 0;
};

// One line of the calculation, per member of staff.
struct SubsidyLine {
  StaffExpense expense;
  int64_t lodging_claimed_yen = 0;   // nights × the night's cost
  int64_t lodging_eligible_yen = 0;  // nights × min(the night's cost, the cap)
  int64_t transport_eligible_yen = 0;
  int64_t line_total_yen = 0;  // × the rate
};

struct SubsidyEstimate {
  std::vector<SubsidyLine> lines;
  int64_t eligible_total_yen = 0;  // the sum of the lines
  int64_t subsidy_yen = 0;         // capped per business
  bool capped = false;
};

// The subsidy for `staff`. InvalidArgument naming "staff[i].nights" etc. for a negative amount,
// no nights (condition ②: at least one night) or an empty list.
Result<SubsidyEstimate> EstimateSubsidy(const std::vector<StaffExpense>& staff,
                                        const SubsidyRules& rules = {});

// The request body of POST /api/v1/workation/estimate ({staff: [{nights, lodging_per_night_yen,
// transport_yen}]}) and the answer ({subsidy_yen, eligible_total_yen, capped, lines: [...]}).
Result<std::vector<StaffExpense>> StaffFromJson(const nlohmann::json& body);
nlohmann::json EstimateToJson(const SubsidyEstimate& estimate, const SubsidyRules& rules);

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_SUBSIDY_H_
