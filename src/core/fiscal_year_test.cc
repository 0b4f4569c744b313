#include "core/fiscal_year.h"

#include <gtest/gtest.h>

namespace civicdesk {
namespace {

TEST(FiscalYear, MarchBelongsToThePreviousYear) {
  EXPECT_EQ(FiscalYear::Containing(MakeDate(2024, 3, 31)).year(), 2023);
  EXPECT_EQ(FiscalYear::Containing(MakeDate(2024, 4, 1)).year(), 2024);
  EXPECT_EQ(FiscalYear::Containing(MakeDate(2024, 1, 4)).year(), 2023);
  EXPECT_EQ(FiscalYear::Containing(MakeDate(2023, 12, 1)).year(), 2023);
}

TEST(FiscalYear, FirstAndLastDay) {
  FiscalYear year(2026);
  EXPECT_EQ(FormatIsoDate(year.first_day()), "2026-04-01");
  EXPECT_EQ(FormatIsoDate(year.last_day()), "2027-03-31");
  EXPECT_TRUE(year.Contains(MakeDate(2027, 3, 31)));
  EXPECT_FALSE(year.Contains(MakeDate(2027, 4, 1)));
  EXPECT_FALSE(year.Contains(MakeDate(2026, 3, 31)));
}

TEST(FiscalYear, Arithmetic) {
  FiscalYear start(2021);
  FiscalYear end(2026);
  EXPECT_EQ(end - start, 5);
  EXPECT_EQ((start + 5).year(), 2026);
  EXPECT_EQ((end - 3).year(), 2023);
  EXPECT_LT(start, end);
  EXPECT_EQ(start + 5, end);
}

}  // namespace
}  // namespace civicdesk
