#include "partners/expenses_form.h"

#include <gtest/gtest.h>

namespace civicdesk::partners {
namespace {

TEST(ExpensesForm, OneLinePerMemberOfStaff) {
  Result<std::vector<StaffExpense>> staff =
      ParseExpensesForm("2,12000,30000\n\n  \n3,９０００,４００００\n");
  ASSERT_TRUE(staff.ok()) << staff.status().ToString();
  ASSERT_EQ(staff->size(), 2u);
  EXPECT_EQ((*staff)[0].nights, 2);
  EXPECT_EQ((*staff)[0].lodging_per_night_yen, 12000);
  EXPECT_EQ((*staff)[0].transport_yen, 30000);
  EXPECT_EQ((*staff)[1].nights, 3);
  EXPECT_EQ((*staff)[1].lodging_per_night_yen, 9000);
  EXPECT_EQ((*staff)[1].transport_yen, 40000);
}

// Regression: a browser's textarea sends CRLF, and every line then failed on its trailing CR.
TEST(ExpensesForm, LinesEndingInCrLfAsBrowsersSendThem) {
  Result<std::vector<StaffExpense>> staff = ParseExpensesForm("2,12000,30000\r\n3,9000,40000\r\n");
  ASSERT_TRUE(staff.ok()) << staff.status().ToString();
  ASSERT_EQ(staff->size(), 2u);
  EXPECT_EQ((*staff)[0].transport_yen, 30000);
  EXPECT_EQ((*staff)[1].transport_yen, 40000);
}

TEST(ExpensesForm, NightsOverAThousandCountAsAThousand) {
  Result<std::vector<StaffExpense>> staff = ParseExpensesForm("5000,1,1");
  ASSERT_TRUE(staff.ok());
  EXPECT_EQ((*staff)[0].nights, 1000);
}

TEST(ExpensesForm, ALineThatIsNotThreeNumbersNamesItsNumber) {
  // A comma inside a number splits it: "40,000" makes four cells.
  for (const char* text : {"2,12000,30000\n2,12000\n", "2,12000,30000\nx,1,1",
                           "2,12000,30000\n2,,1", "2,12000,30000\n2,9000,40,000"}) {
    Result<std::vector<StaffExpense>> staff = ParseExpensesForm(text);
    ASSERT_FALSE(staff.ok()) << text;
    EXPECT_EQ(staff.status().message_id(), "partners.expenses_line_invalid");
    EXPECT_EQ(staff.status().arg("line"), "2") << text;
    EXPECT_EQ(staff.status().field(), "expenses");
  }
}

TEST(ExpensesForm, EmptyIsNoStaff) {
  Result<std::vector<StaffExpense>> staff = ParseExpensesForm("");
  ASSERT_TRUE(staff.ok());
  EXPECT_TRUE(staff->empty());
}

}  // namespace
}  // namespace civicdesk::partners
