#include "facilities/facilities_module.h"

#include <gtest/gtest.h>

#include <tuple>

#include "facilities/store.h"
#include "http/http_module.h"
#include "http/testing.h"

namespace civicdesk::facilities {
namespace {

using http::testing::ClientResponse;
using http::testing::Send;
using http::testing::TestSite;

class FacilitiesSiteTest : public ::testing::TestWithParam<std::string> {
 protected:
  FacilitiesSiteTest() : site_(GetParam(), {http::HttpModule(), FacilitiesModule()}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  ClientResponse Get(const std::string& target) { return Send(site_.port(), "GET", target); }

  http::testing::Browser SignedIn(const std::string& login, http::Role role) {
    return http::testing::SignedInBrowser(site_, login, role,
                                          role == http::Role::kSectionStaff ? "総務部" : "",
                                          role == http::Role::kSectionStaff ? "施設課" : "");
  }

  TestSite site_;
};

TEST_P(FacilitiesSiteTest, SampleRegistryIsLoadedAndLabelledAsSample) {
  Result<Registry> registry = LoadRegistry(site_.database());
  ASSERT_TRUE(registry.ok()) << registry.status().ToString();
  EXPECT_TRUE(registry->sample);
  EXPECT_GE(registry->facilities.size(), 180u);
  ClientResponse index = Get("/facilities");
  ASSERT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("サンプルデータです。"), std::string::npos);
  ClientResponse projection = Get("/facilities/projection?policy=soumu&from=2025&years=40");
  ASSERT_EQ(projection.status, 200) << projection.body;
  EXPECT_NE(projection.body.find("サンプルデータです。"), std::string::npos);
  EXPECT_NE(projection.body.find("<svg"), std::string::npos);
  EXPECT_NE(projection.body.find("id=\"projection-table\""), std::string::npos);
  EXPECT_NE(projection.body.find("令和7(2025)年度"), std::string::npos);
}

// Importing the ward's own register replaces the sample; the projection file then holds the
// golden figures of the 行政系 1990 building.
TEST_P(FacilitiesSiteTest, OwnRegisterReplacesTheSampleAndProjects) {
  Facility facility;
  facility.id = "A1";
  facility.name = "行政棟";
  facility.category = Category::kAdministration;
  facility.district = "芝";
  facility.floor_area_sqm = 1000;
  facility.year_built = 1990;
  ASSERT_TRUE(ImportRegistry(site_.database(), {facility}, false, "tester").ok());
  Result<Registry> registry = LoadRegistry(site_.database());
  ASSERT_TRUE(registry.ok());
  EXPECT_FALSE(registry->sample);
  ASSERT_EQ(registry->facilities.size(), 1u);

  ClientResponse csv = Get("/facilities/projection.csv?policy=soumu&from=2025&years=40");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);  // Excel reads the Japanese
  EXPECT_NE(csv.body.find("year,category,cost_yen\r\n2025,行政系施設,25000000\r\n"),
            std::string::npos);
  EXPECT_NE(csv.body.find("2050,行政系施設,133333333\r\n"), std::string::npos);
  EXPECT_NE(csv.body.find("2052,行政系施設,133333334\r\n"), std::string::npos);
  ClientResponse xlsx = Get("/facilities/projection.xlsx?policy=longlife80");
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u);                                   // a zip: the workbook
  EXPECT_NE(xlsx.body.find("xl/worksheets/sheet2.xml"), std::string::npos);  // the works
  EXPECT_EQ(Get("/facilities/registry.xlsx").body.rfind("PK", 0), 0u);
  ClientResponse page = Get("/facilities/A1");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("建替え"), std::string::npos);
  EXPECT_EQ(page.body.find("サンプルデータです。"), std::string::npos);
  EXPECT_EQ(Get("/facilities/NOPE").status, 404);
  ClientResponse exported = Get("/facilities/registry.csv");
  EXPECT_NE(exported.body.find("id,name,category,district,floor_area_sqm,year_built,structure,"
                               "department,section,works,rebuild_age,rebuild_yen_per_sqm\r\n"),
            std::string::npos);
  EXPECT_NE(exported.body.find("A1,行政棟,行政系施設,芝,1000,1990"), std::string::npos);
}

// KPI 26-4-1 counts works recorded since fiscal 2021, cumulatively; the sample counts nothing.
TEST_P(FacilitiesSiteTest, MaintenanceWorksIndicatorCountsTheWardsOwnWorks) {
  const http::Indicator* indicator = site_.app().FindIndicator(kMaintenanceWorks);
  ASSERT_NE(indicator, nullptr);
  Result<std::map<int, double>> sample = indicator->by_fiscal_year(site_.database());
  ASSERT_TRUE(sample.ok());
  EXPECT_TRUE(sample->empty());
  Facility school;
  school.id = "S1";
  school.name = "小学校";
  school.category = Category::kSchool;
  school.floor_area_sqm = 8000;
  school.year_built = 1980;
  school.history = {{2015, WorkKind::kRenovation, 0},
                    {2021, WorkKind::kMidRepair, 0},
                    {2023, WorkKind::kLifeExtension, 0},
                    {2023, WorkKind::kMidRepair, 0}};
  ASSERT_TRUE(ImportRegistry(site_.database(), {school}, false, "tester").ok());
  Result<std::map<int, double>> counted = indicator->by_fiscal_year(site_.database());
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(*counted, (std::map<int, double>{{2021, 1}, {2023, 3}}));
}

// The owning section (its department and section) records a completed work on the facility
// page; it counts for KPI 26-4-1.
TEST_P(FacilitiesSiteTest, OwningSectionRecordsCompletedWorks) {
  Facility hall;
  hall.id = "H1";
  hall.name = "区民ホール";
  hall.category = Category::kCivicCulture;
  hall.floor_area_sqm = 3000;
  hall.year_built = 1995;
  hall.department = "総務部";
  hall.section = "施設課";
  ASSERT_TRUE(ImportRegistry(site_.database(), {hall}, false, "tester").ok());
  http::testing::Browser owner = SignedIn("shisetsu", http::Role::kSectionStaff);
  const std::string page = owner.Get("/facilities/H1").body;
  ASSERT_NE(page.find("/staff/facilities/H1/works"), std::string::npos);
  const std::string token = http::testing::CsrfTokenIn(page);
  ClientResponse recorded = owner.PostForm(
      "/staff/facilities/H1/works",
      {{"year", "2024"}, {"kind", "大規模改修"}, {"cost_yen", "730000000"}, {"csrf_token", token}});
  ASSERT_EQ(recorded.status, 303) << recorded.body;
  ClientResponse early =
      owner.PostForm("/staff/facilities/H1/works",
                     {{"year", "1990"}, {"kind", "中規模修繕"}, {"csrf_token", token}});
  EXPECT_EQ(early.status, 400);
  EXPECT_NE(early.body.find("<code>year</code>"), std::string::npos);
  EXPECT_EQ(owner
                .PostForm("/staff/facilities/H1/works",
                          {{"year", "2024"}, {"kind", "塗装"}, {"csrf_token", token}})
                .status,
            400);
  Result<std::map<int, double>> counted =
      site_.app().FindIndicator(kMaintenanceWorks)->by_fiscal_year(site_.database());
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(*counted, (std::map<int, double>{{2024, 1}}));
  // The renovation recorded in 2024 means none is overdue any more.
  ClientResponse works = Get("/facilities/projection.csv?policy=soumu&from=2025&years=5");
  EXPECT_NE(works.body.find("2025,市民文化系施設,0\r\n"), std::string::npos) << works.body;

  // Another section of the department, and a section of the same name in another department,
  // neither see the form nor may post it.
  for (const auto& [login, department, section] :
       {std::tuple{"tanin", "総務部", "人事課"}, std::tuple{"douseki", "企画部", "施設課"}}) {
    http::testing::Browser other = http::testing::SignedInBrowser(
        site_, login, http::Role::kSectionStaff, department, section);
    const std::string other_page = other.Get("/facilities/H1").body;
    EXPECT_EQ(other_page.find("/staff/facilities/H1/works"), std::string::npos) << login;
    ClientResponse denied = other.PostForm(
        "/staff/facilities/H1/works", {{"year", "2024"},
                                       {"kind", "中規模修繕"},
                                       {"csrf_token", http::testing::CsrfTokenIn(other_page)}});
    EXPECT_EQ(denied.status, 403) << login;
    EXPECT_NE(denied.body.find("この施設の工事を記録できるのは所管課の職員です"),
              std::string::npos);
  }
  Result<Registry> after = LoadRegistry(site_.database());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->facilities[0].history.size(), 1u);
  EXPECT_EQ(after->facilities[0].department, "総務部");
}

TEST_P(FacilitiesSiteTest, BadQueriesAre400NamingTheField) {
  ClientResponse years = Get("/facilities/projection?years=0");
  EXPECT_EQ(years.status, 400);
  EXPECT_NE(years.body.find("years"), std::string::npos);
  EXPECT_EQ(Get("/facilities/projection?from=abc").status, 400);
  EXPECT_EQ(Get("/facilities/projection?by=colour").status, 400);
  ClientResponse policy = Get("/facilities/projection.csv?policy=nope");
  EXPECT_EQ(policy.status, 400);
  EXPECT_NE(policy.body.find("方針 nope はありません"), std::string::npos);
  ClientResponse english = Get("/facilities/projection?years=0&lang=en");
  EXPECT_NE(english.body.find("an integer in range"), std::string::npos);
}

TEST_P(FacilitiesSiteTest, LevellingIsForStaffAndExplainsMoves) {
  ClientResponse anonymous = Get("/staff/facilities/levelling");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(anonymous.headers["location"].rfind("/login?next=", 0), 0u);
  http::testing::Browser staff = SignedIn("shisetsu", http::Role::kSectionStaff);
  ClientResponse page = staff.Get("/staff/facilities/levelling?policy=soumu&from=2025&years=30");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("最適性ギャップ"), std::string::npos);
  EXPECT_NE(page.body.find("平準化後"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"levelling-table\""), std::string::npos);
  EXPECT_EQ(staff.Get("/staff/facilities/levelling?cap=-3").status, 400);
}

TEST_P(FacilitiesSiteTest, PublishersSaveNewPolicyVersions) {
  http::testing::Browser staff = SignedIn("kakari", http::Role::kSectionStaff);
  const std::string staff_page = staff.Get("/facilities/policies").body;
  EXPECT_EQ(staff_page.find("policy_json"), std::string::npos);

  http::testing::Browser publisher = SignedIn("koukai", http::Role::kPublisher);
  const std::string page = publisher.Get("/facilities/policies").body;
  const std::string token = http::testing::CsrfTokenIn(page);
  nlohmann::json policy = PolicyToJson(SoumuPolicy());
  policy["backlog_spread_years"] = 5;
  ClientResponse saved = publisher.PostForm(
      "/staff/facilities/policies", {{"policy_json", policy.dump()}, {"csrf_token", token}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  Result<StoredPolicy> latest = FindPolicy(site_.database(), "soumu");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->policy.version, 2);
  EXPECT_EQ(latest->policy.backlog_spread_years, 5);
  EXPECT_EQ(FindPolicy(site_.database(), "soumu", 1)->policy.backlog_spread_years, 10);

  policy["cycle"][0]["kind"] = "塗装";
  ClientResponse bad = publisher.PostForm("/staff/facilities/policies",
                                          {{"policy_json", policy.dump()}, {"csrf_token", token}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("cycle[0].kind"), std::string::npos);
  EXPECT_NE(bad.body.find("工事種別「塗装」は"), std::string::npos);
  EXPECT_EQ(
      publisher
          .PostForm("/staff/facilities/policies", {{"policy_json", "{"}, {"csrf_token", token}})
          .status,
      422);
  EXPECT_EQ(staff
                .PostForm("/staff/facilities/policies",
                          {{"policy_json", policy.dump()}, {"csrf_token", token}})
                .status,
            403);
}

// The register on the site's import page: a 公共施設一覧 with a column the register has no field
// for, which is asked about, ignored, and the register replaced once.
TEST_P(FacilitiesSiteTest, TheRegisterIsImportedOnTheImportPage) {
  http::testing::Browser publisher = SignedIn("publisher", http::Role::kPublisher);
  const std::string page = "/staff/imports/tables";
  ClientResponse uploaded =
      publisher.PostFile(page,
                         {{"kind", "facilities"},
                          {"csrf_token", http::testing::CsrfTokenIn(publisher.Get(page).body)}},
                         "shisetsu.csv",
                         "名称,施設分類,延床面積,建築年,住所\n"
                         "芝公園区民センター,市民文化系施設,\"1,200\",1985,港区芝公園1-1\n"
                         "赤坂図書館,社会教育系施設,800,1990,港区赤坂4-18\n");
  ASSERT_EQ(uploaded.status, 303) << uploaded.body;
  const std::string address = uploaded.headers["location"];
  ClientResponse mapping = publisher.Get(address);
  ASSERT_EQ(mapping.status, 200);
  EXPECT_NE(mapping.body.find("id=\"column_5-needs\""), std::string::npos) << "住所 is asked about";
  const std::string token = http::testing::CsrfTokenIn(mapping.body);
  EXPECT_EQ(publisher.PostForm(address, {{"action", "confirm"}, {"csrf_token", token}}).status,
            422);
  ClientResponse done = publisher.PostForm(
      address, {{"action", "confirm"}, {"column_5", "ignore"}, {"csrf_token", token}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("2件を取り込みました。"), std::string::npos);
  Result<Registry> registry = LoadRegistry(site_.database());
  ASSERT_TRUE(registry.ok());
  EXPECT_FALSE(registry->sample);
  ASSERT_EQ(registry->facilities.size(), 2u);
  EXPECT_EQ(
      publisher
          .PostForm(address, {{"action", "confirm"}, {"column_5", "ignore"}, {"csrf_token", token}})
          .status,
      409);
  // Section staff may not import the register.
  http::testing::Browser section = SignedIn("shisetsu", http::Role::kSectionStaff);
  EXPECT_EQ(section.Get(page).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, FacilitiesSiteTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::facilities
