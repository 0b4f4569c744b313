// Issue 19, the web half for the plan's importers: the site's import page
// (/staff/imports/tables) runs `kpi import` and `evaluation import` — upload, map with a preview,
// a data column mapped to nothing asked about, check (never writes), confirm once — and refuses
// each stranger clearly: another staff member's token, section staff, no session, no CSRF token.
#include <gtest/gtest.h>

#include <map>

#include "core/tabular_import.h"
#include "http/http_module.h"
#include "http/import_uploads.h"
#include "http/testing.h"
#include "plan/actuals.h"
#include "plan/administrative_evaluation.h"
#include "plan/plan_module.h"
#include "text/text_module.h"

namespace civicdesk::plan {
namespace {

using http::testing::Browser;
using http::testing::ClientResponse;
using http::testing::CsrfTokenIn;
using http::testing::TestSite;

constexpr char kPage[] = "/staff/imports/tables";

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A clerk's wide KPI table as Excel saves it (CP932, CRLF): a year per column, and a column of
// remarks that no field reads.
std::string WideKpiFile() {
  std::string bytes;
  EXPECT_TRUE(tabular::ConvertEncoding(
      "指標番号,指標名,令和2年度,R3,2022年度,担当のメモ\r\n"
      "24-2-1,月平均のオープンデータダウンロード数,2400,\"2,600\",2800,速報値\r\n",
      "UTF-8", "CP932", bytes));
  return bytes;
}

class TableImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  TableImportTest() : site_(GetParam(), {http::HttpModule(), text::TextModule(), PlanModule()}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  Browser SignedIn(const std::string& login, http::Role role = http::Role::kPublisher) {
    return http::testing::SignedInBrowser(site_, login, role,
                                          role == http::Role::kSectionStaff ? "企画経営部" : "",
                                          role == http::Role::kSectionStaff ? "企画課" : "");
  }

  ClientResponse Upload(Browser& browser, std::map<std::string, std::string> fields,
                        const std::string& bytes) {
    if (!fields.count("csrf_token")) fields["csrf_token"] = CsrfTokenIn(browser.Get(kPage).body);
    return browser.PostFile(kPage, fields, "kpi.csv", bytes);
  }

  std::string Uploaded(Browser& browser, std::map<std::string, std::string> fields,
                       const std::string& bytes) {
    ClientResponse response = Upload(browser, std::move(fields), bytes);
    EXPECT_EQ(response.status, 303) << response.body;
    return response.headers["location"];
  }

  ClientResponse Post(Browser& browser, const std::string& address,
                      std::map<std::string, std::string> form) {
    form["csrf_token"] = CsrfTokenIn(browser.Get("/staff/password").body);
    return browser.PostForm(address, form);
  }

  size_t Actuals() { return ListKpiActuals(site_.database(), "24-2-1")->size(); }

  TestSite site_;
  const std::map<std::string, std::string> confirm_ = {{"action", "confirm"},
                                                       {"column_6", "ignore"}};
};

TEST_P(TableImportTest, WideCp932KpiTableIsMappedCheckedAndImportedOnce) {
  Browser publisher = SignedIn("publisher");
  ClientResponse list = publisher.Get(kPage);
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(Has(list.body, "value=\"kpi-actuals\""));
  EXPECT_TRUE(Has(list.body, "value=\"evaluation\""));
  const std::string address = Uploaded(publisher, {{"kind", "kpi-actuals"}}, WideKpiFile());
  ASSERT_EQ(address.rfind("/staff/imports/tables/", 0), 0u) << address;

  // The mapping page: CP932 read, the year columns mapped with their years, the first row
  // shown, the remarks column asked about.
  ClientResponse page = publisher.Get(address);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "CP932"));
  EXPECT_TRUE(Has(page.body, "<legend>4列目「R3」 <span class=\"tag\"> FY2021</span></legend>"))
      << page.body;
  EXPECT_TRUE(Has(page.body, "速報値"));
  EXPECT_TRUE(Has(page.body, "id=\"column_6-needs\""));

  // Confirming with the remarks column undecided: refused naming it, nothing written.
  ClientResponse refused = Post(publisher, address, {{"action", "confirm"}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(Has(refused.body, "担当のメモ"));
  EXPECT_EQ(Actuals(), 0u);
  // The check: the report, nothing written.
  ClientResponse checked = Post(publisher, address, {{"action", "check"}, {"column_6", "ignore"}});
  EXPECT_EQ(checked.status, 200) << checked.body;
  EXPECT_TRUE(Has(checked.body, "確かめただけで、何も書き込んでいません。"));
  EXPECT_TRUE(Has(checked.body, "実績値（value） FY2021"));
  EXPECT_TRUE(Has(checked.body, "<td>2,600</td><td>2600</td>"));  // the cell changed, listed
  EXPECT_EQ(Actuals(), 0u);
  // Confirmed: three years of one KPI, the report with the column left out.
  ClientResponse done = Post(publisher, address, confirm_);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(Has(done.body, "3件を取り込みました。"));
  EXPECT_TRUE(Has(done.body, "読まないと指定"));
  EXPECT_TRUE(Has(done.body, "href=\"/plan/dashboard\""));
  EXPECT_EQ(Actuals(), 3u);
  // Replayed: 409, nothing twice.
  EXPECT_EQ(Post(publisher, address, confirm_).status, 409);
  EXPECT_EQ(Actuals(), 3u);
}

TEST_P(TableImportTest, StrangersGetAClear4xxAndNothingIsWritten) {
  Browser publisher = SignedIn("publisher");
  const std::string address = Uploaded(publisher, {{"kind", "kpi-actuals"}}, WideKpiFile());
  // Another publisher and an admin replaying the token: as if there were none.
  for (auto [login, role] :
       {std::pair{"publisher2", http::Role::kPublisher}, std::pair{"admin", http::Role::kAdmin}}) {
    Browser other = SignedIn(login, role);
    EXPECT_EQ(other.Get(address).status, 404) << login;
    EXPECT_EQ(Post(other, address, confirm_).status, 404) << login;
  }
  // Section staff: 403 everywhere; no session: sent to sign in.
  Browser section = SignedIn("kikaku", http::Role::kSectionStaff);
  EXPECT_EQ(section.Get(kPage).status, 403);
  EXPECT_EQ(section.Get(address).status, 403);
  EXPECT_EQ(Post(section, address, confirm_).status, 403);
  EXPECT_EQ(Upload(section,
                   {{"kind", "kpi-actuals"},
                    {"csrf_token", CsrfTokenIn(section.Get("/staff/password").body)}},
                   WideKpiFile())
                .status,
            403);
  Browser stranger(site_.port());
  EXPECT_EQ(stranger.Get(kPage).status, 303);
  EXPECT_EQ(stranger.Get(address).status, 303);
  EXPECT_EQ(stranger.PostForm(address, confirm_).status, 303);
  // The form's token missing or wrong: 403, on the upload and on the confirmation.
  EXPECT_EQ(
      Upload(publisher, {{"kind", "kpi-actuals"}, {"csrf_token", "wrong"}}, WideKpiFile()).status,
      403);
  EXPECT_EQ(publisher.PostForm(address, confirm_).status, 403);
  EXPECT_EQ(Actuals(), 0u);
  // A made-up token: 404. An importer no module declares, no file, an evaluation without its
  // dataset name: 400 naming the field.
  EXPECT_EQ(publisher.Get(std::string(kPage) + "/" + std::string(64, 'a')).status, 404);
  ClientResponse kind = Upload(publisher, {{"kind", "opinions"}}, WideKpiFile());
  EXPECT_EQ(kind.status, 400);
  EXPECT_TRUE(Has(kind.body, "取り込む表の種類を選んでください"));
  EXPECT_EQ(Upload(publisher, {{"kind", "kpi-actuals"}}, "").status, 400);
  ClientResponse unnamed = Upload(publisher, {{"kind", "evaluation"}}, "事業名,年度\nx,R5\n");
  EXPECT_EQ(unnamed.status, 400);
  EXPECT_TRUE(Has(unnamed.body, "名前を入れてください"));
  // An expired upload is gone.
  ASSERT_TRUE(site_.database()
                  .Query("UPDATE http_import_upload SET expires_at = '2000-01-01T00:00:00Z'", {})
                  .ok());
  EXPECT_EQ(publisher.Get(address).status, 404);
}

TEST_P(TableImportTest, AnEvaluationSheetGoesInUnderItsDatasetName) {
  Browser admin = SignedIn("admin", http::Role::kAdmin);
  const std::string address =
      Uploaded(admin, {{"kind", "evaluation"}, {"label", "架空市 令和5年度"}},
               "事務事業名,年度,国庫支出金,地方債,一般財源,事業費\n"
               "公園維持管理事業,令和5年度,100,–,900,1000\n");
  ClientResponse page = admin.Get(address);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "架空市 令和5年度"));
  ClientResponse done = Post(admin, address, {{"action", "confirm"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(Has(done.body, "1件を取り込みました。"));
  Result<std::vector<ProjectEvaluation>> stored =
      ListProjectEvaluations(site_.database(), std::string("架空市 令和5年度"));
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
}

TEST_P(TableImportTest, AnUploadOverTheServersLimitGetsAPageNamingIt) {
  Browser publisher = SignedIn("publisher");
  const std::string big(1100 * 1000, 'a');
  ClientResponse ja = Upload(publisher, {{"kind", "kpi-actuals"}}, big);
  EXPECT_EQ(ja.status, 413);
  EXPECT_TRUE(Has(ja.headers["content-type"], "text/html")) << ja.headers["content-type"];
  EXPECT_TRUE(Has(ja.body, "上限（1048 KB）")) << ja.body;
  EXPECT_TRUE(Has(ja.body, "href=\"/staff/imports/tables\""));
  ASSERT_EQ(publisher.Get("/staff?lang=en").status, 200);
  ClientResponse en = Upload(publisher, {{"kind", "kpi-actuals"}}, big);
  EXPECT_EQ(en.status, 413);
  EXPECT_TRUE(Has(en.body, "over the limit this server accepts (1048 KB)")) << en.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, TableImportTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::plan
