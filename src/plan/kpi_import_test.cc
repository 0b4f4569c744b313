// `kpi import` of wide tables: one column of actuals per fiscal year, the header a year alone
// (令和2年度, R3, 2022年度, H30) or a year with 実績/目標, on both backends.
#include <gtest/gtest.h>

#include <map>

#include "core/tabular_import.h"
#include "http/http_module.h"
#include "http/testing.h"
#include "plan/actuals.h"
#include "plan/plan_module.h"
#include "text/text_module.h"

namespace civicdesk::plan {
namespace {

using http::testing::TestSite;

class KpiImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  KpiImportTest() : site_(GetParam(), {http::HttpModule(), text::TextModule(), PlanModule()}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  static std::string Cp932(const std::string& utf8) {
    std::string bytes;
    EXPECT_TRUE(tabular::ConvertEncoding(utf8, "UTF-8", "CP932", bytes));
    return bytes;
  }

  // fiscal year → value of `code`'s actuals.
  std::map<int, double> Actuals(const std::string& code) {
    std::map<int, double> values;
    Result<std::vector<KpiActual>> actuals = ListKpiActuals(site_.database(), code);
    EXPECT_TRUE(actuals.ok());
    if (!actuals.ok()) return values;
    for (const KpiActual& actual : *actuals) values[actual.fiscal_year] = actual.value;
    return values;
  }

  TestSite site_;
  const KpiEditor admin_{"admin", "", ""};
};

TEST_P(KpiImportTest, WideTableWithAYearPerColumnInEveryWriting) {
  const std::string csv = Cp932(
      "成果指標の実績（年度別）\r\n"
      "指標番号,指標名,単位,令和2年度,R3,2022年度,令和5年度実績\r\n"
      "24-1-1,区のホームページの満足度,%,40,４５.５,－,\r\n"
      "24-2-1,月平均のオープンデータダウンロード数,件,2400,\"2,600\",2800,3000\r\n");
  tabular::ImportOptions options;
  options.dry_run = true;
  tabular::Report refused;
  Result<tabular::Report> dry = ImportKpiActuals(site_.database(), csv, admin_, options, &refused);
  ASSERT_TRUE(dry.ok()) << dry.status().message_id() << " " << dry.status().field();
  EXPECT_EQ(dry->encoding, tabular::Encoding::kCp932);
  EXPECT_EQ(dry->rows_read, 2);
  std::map<std::string, std::string> field_of;
  for (const tabular::MappedColumn& column : dry->mapped) field_of[column.header] = column.field;
  EXPECT_EQ(field_of["令和2年度"], "value FY2020");
  EXPECT_EQ(field_of["R3"], "value FY2021");
  EXPECT_EQ(field_of["2022年度"], "value FY2022");
  EXPECT_EQ(field_of["令和5年度実績"], "value FY2023");
  EXPECT_TRUE(dry->unused.empty());
  // The dash of 24-1-1 in 2022 is said (not measured); its blank 2023 holds nothing to say.
  ASSERT_EQ(dry->warnings.size(), 2u) << dry->warnings[0].message_id();
  EXPECT_EQ(dry->warnings[0].message_id(), "plan.import_name_differs");
  EXPECT_EQ(dry->warnings[1].message_id(), "plan.import_value_empty");
  EXPECT_EQ(dry->warnings[1].field(), "row 3, value 2022年度");
  EXPECT_TRUE(Actuals("24-2-1").empty());  // a dry run writes nothing

  Result<tabular::Report> imported = ImportKpiActuals(site_.database(), csv, admin_, {}, nullptr);
  ASSERT_TRUE(imported.ok()) << imported.status().message_id();
  EXPECT_EQ(imported->rows_written, 6);
  EXPECT_EQ(Actuals("24-1-1"), (std::map<int, double>{{2020, 40}, {2021, 45.5}}));
  EXPECT_EQ(Actuals("24-2-1"),
            (std::map<int, double>{{2020, 2400}, {2021, 2600}, {2022, 2800}, {2023, 3000}}));
}

TEST_P(KpiImportTest, TwoRowHeaderOfYearsOverTargetAndActual) {
  const std::string csv =
      "指標番号,令和4年度,,令和5年度,\n"
      ",目標,実績,目標,実績\n"
      "24-2-1,2700,2800,2900,3000\n";
  Result<tabular::Report> imported = ImportKpiActuals(site_.database(), csv, admin_, {}, nullptr);
  ASSERT_TRUE(imported.ok()) << imported.status().message_id() << " " << imported.status().field();
  EXPECT_EQ(imported->rows_written, 2);
  EXPECT_EQ(Actuals("24-2-1"), (std::map<int, double>{{2022, 2800}, {2023, 3000}}));
}

TEST_P(KpiImportTest, EveryBadCellOfAWideTableIsNamedAndNothingIsWritten) {
  // H30 (2018) is before the plan period; 「たくさん」 is no number; 24-1-1 is a percentage.
  const std::string csv =
      "指標番号,H30,R3,R4\n"
      "24-2-1,2000,たくさん,2800\n"
      "24-1-1,,150,50\n";
  tabular::Report refused;
  Result<tabular::Report> imported = ImportKpiActuals(site_.database(), csv, admin_, {}, &refused);
  ASSERT_FALSE(imported.ok());
  std::vector<std::string> where;
  for (const Status& error : refused.errors) where.push_back(error.field());
  EXPECT_EQ(where, (std::vector<std::string>{"row 2, value R3", "row 3, value R3"}));
  // The year before the plan is refused too once the other cells are right.
  Result<tabular::Report> early = ImportKpiActuals(
      site_.database(), "指標番号,H30,R3\n24-2-1,2000,2600\n", admin_, {}, &refused);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().field(), "row 2, value H30");
  EXPECT_TRUE(Actuals("24-2-1").empty());
  EXPECT_TRUE(Actuals("24-1-1").empty());
  // A long table (a 年度 column) with a year column beside it giving the same year twice.
  Result<tabular::Report> twice = ImportKpiActuals(
      site_.database(), "指標番号,年度,実績値,R5\n24-2-1,2023,1,2\n", admin_, {}, &refused);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().message_id(), "plan.import_actual_twice");
  EXPECT_EQ(twice.status().field(), "row 2, value R5");
}

INSTANTIATE_TEST_SUITE_P(Backends, KpiImportTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::plan
