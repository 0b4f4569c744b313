#include "partners/subsidy.h"

#include <gtest/gtest.h>

namespace civicdesk::partners {
namespace {

// The issue's golden cases.
TEST(Subsidy, ThreeStaffTwoNightsUnderTheCaps) {
  Result<SubsidyEstimate> estimate =
      EstimateSubsidy({{2, 12000, 30000}, {2, 12000, 30000}, {2, 12000, 30000}});
  ASSERT_TRUE(estimate.ok());
  ASSERT_EQ(estimate->lines.size(), 3u);
  EXPECT_EQ(estimate->lines[0].lodging_claimed_yen, 24000);
  EXPECT_EQ(estimate->lines[0].lodging_eligible_yen, 20000);  // 1万円 per night
  EXPECT_EQ(estimate->lines[0].line_total_yen, 50000);
  EXPECT_EQ(estimate->eligible_total_yen, 150000);  // lodging 60,000 + transport 90,000
  EXPECT_EQ(estimate->subsidy_yen, 150000);
  EXPECT_FALSE(estimate->capped);
}

TEST(Subsidy, FiveStaffThreeNightsCappedPerBusiness) {
  std::vector<StaffExpense> staff(5, StaffExpense{3, 9000, 40000});
  Result<SubsidyEstimate> estimate = EstimateSubsidy(staff);
  ASSERT_TRUE(estimate.ok());
  EXPECT_EQ(estimate->eligible_total_yen, 335000);
  EXPECT_EQ(estimate->subsidy_yen, 200000);
  EXPECT_TRUE(estimate->capped);
}

TEST(Subsidy, BadLinesNameTheField) {
  EXPECT_EQ(EstimateSubsidy({}).status().field(), "staff");
  EXPECT_EQ(EstimateSubsidy({{2, 1000, 0}, {0, 1000, 0}}).status().field(), "staff[1].nights");
  EXPECT_EQ(EstimateSubsidy({{1, -1, 0}}).status().field(), "staff[0].lodging_per_night_yen");
  EXPECT_EQ(StaffFromJson(nlohmann::json::parse(R"({"staff":[{"nights":"2"}]})")).status().field(),
            "staff[0].nights");
  EXPECT_EQ(StaffFromJson(nlohmann::json::parse(R"({"people":[]})")).status().field(), "staff");
}

}  // namespace
}  // namespace civicdesk::partners
