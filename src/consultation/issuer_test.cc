// Issue 19, deliverable 4: a result published by a city, a prefecture or a ministry speaks in
// that body's words (市民意見 / 市の考え方, 国の考え方), on its pages in both languages and in
// its downloads, never in the ward's (区民意見 / 区の考え方). On SQLite and PostgreSQL.
#include "consultation/issuer.h"

#include <gtest/gtest.h>

#include "consultation/consultation_module.h"
#include "consultation/results_import.h"
#include "http/http_module.h"
#include "http/testing.h"
#include "text/text_module.h"

namespace civicdesk::consultation {
namespace {

using http::testing::Browser;
using http::testing::ClientResponse;
using http::testing::CsrfTokenIn;
using http::testing::Send;
using http::testing::SignedInBrowser;
using http::testing::TestSite;

// A city's result as its clerk saved it: the body named only by the response column's header.
const char kCityResult[] =
    "〇〇市地域福祉計画（案）に対する意見募集の結果\r\n"
    "No.,意見の概要,市の考え方\r\n"
    "1,バスの本数を増やしてほしい。,交通事業者と協議します。\r\n"
    "2,見守り活動に若い世代も参加できるようにしてほしい。,計画に記載しています。\r\n";

// The same table with a header that names no body.
const char kAnonymousResult[] =
    "No.,意見,回答\r\n"
    "1,ベンチを置いてほしい。,検討します。\r\n";

class IssuerTest : public ::testing::TestWithParam<std::string> {
 protected:
  IssuerTest()
      : site_(GetParam(), {http::HttpModule(), text::TextModule(), ConsultationModule()}) {}

  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  int64_t Import(const std::string& file, ImportReport* report = nullptr) {
    Result<ImportReport> imported = ImportResults(site_.database(), file, Actor{0, "test"});
    EXPECT_TRUE(imported.ok()) << imported.status().ToString();
    if (!imported.ok()) return 0;
    if (report != nullptr) *report = *imported;
    return imported->consultation_id;
  }

  TestSite site_;
};

bool HasWarning(const ImportReport& report, const std::string& id) {
  for (const Status& warning : report.warnings)
    if (warning.message_id() == id) return true;
  return false;
}

TEST_P(IssuerTest, ACitysResultIsImportedAndShownInTheCitysWords) {
  ImportReport report;
  const int64_t id = Import(kCityResult, &report);
  ASSERT_NE(id, 0);
  EXPECT_EQ(report.issuer_kind, "city");
  EXPECT_FALSE(HasWarning(report, "consultation.results_issuer_unknown"));
  Result<Consultation> consultation = GetConsultation(site_.database(), id);
  ASSERT_TRUE(consultation.ok());
  EXPECT_EQ(consultation->issuer_kind, "city");
  // The document's title line loses the city's own suffix too.
  EXPECT_EQ(consultation->title, "〇〇市地域福祉計画（案）に対する意見募集の結果");

  Browser publisher = SignedInBrowser(site_, "publisher", http::Role::kPublisher);
  const std::string base = "/consultations/" + std::to_string(id);
  ClientResponse page = publisher.Get(base + "/result");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("に寄せられた市民意見に対する市の考え方</h1>"), std::string::npos);
  EXPECT_NE(page.body.find("<dt>市の考え方</dt>"), std::string::npos);
  EXPECT_NE(page.body.find("市民意見募集"), std::string::npos);
  EXPECT_NE(page.body.find("市に対する意見・要望として受けたもの"), std::string::npos);
  EXPECT_EQ(page.body.find("区の考え方"), std::string::npos);
  EXPECT_EQ(page.body.find("区民意見"), std::string::npos);
  EXPECT_EQ(page.body.find("区民説明会"), std::string::npos);

  ClientResponse english = publisher.Get(base + "/result?lang=en");
  ASSERT_EQ(english.status, 200);
  EXPECT_NE(english.body.find("The city&apos;s response"), std::string::npos) << english.body;
  EXPECT_NE(english.body.find("Received as an opinion or request to the city"), std::string::npos);
  EXPECT_EQ(english.body.find("the ward"), std::string::npos);
  EXPECT_EQ(english.body.find("The ward"), std::string::npos);

  ClientResponse csv = publisher.Get(base + "/result.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(
      csv.body.rfind("\xEF\xBB\xBFNo,主な該当分野,市民意見,区分,部,課,市の考え方,対応状況", 0), 0u)
      << csv.body.substr(0, 200);
  ClientResponse tsv = publisher.Get(base + "/result.tsv");
  EXPECT_EQ(tsv.body.find("区の考え方"), std::string::npos);
}

TEST_P(IssuerTest, APublisherSetsTheIssuerAndTheResultSpeaksForIt) {
  const int64_t id = Import(kCityResult);
  ASSERT_NE(id, 0);
  Browser publisher = SignedInBrowser(site_, "publisher", http::Role::kPublisher);
  const std::string staff = "/staff/consultations/" + std::to_string(id);
  ClientResponse form = publisher.Get(staff + "/publish");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<option value=\"city\" selected>"), std::string::npos);
  const std::string token = CsrfTokenIn(form.body);

  ClientResponse unknown = publisher.PostForm(
      staff + "/issuer", {{"csrf_token", token}, {"issuer_kind", "empire"}, {"issuer_name", ""}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("empire"), std::string::npos);
  ClientResponse control = publisher.PostForm(
      staff + "/issuer",
      {{"csrf_token", token}, {"issuer_kind", "national"}, {"issuer_name", "環境省\x01"}});
  EXPECT_EQ(control.status, 400);
  Result<Consultation> unchanged = GetConsultation(site_.database(), id);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->issuer_kind, "city");
  EXPECT_EQ(unchanged->issuer_name, "");

  ClientResponse set = publisher.PostForm(
      staff + "/issuer",
      {{"csrf_token", token}, {"issuer_kind", "national"}, {"issuer_name", " 環境省 "}});
  EXPECT_EQ(set.status, 303);
  Result<Consultation> national = GetConsultation(site_.database(), id);
  ASSERT_TRUE(national.ok());
  EXPECT_EQ(national->issuer_kind, "national");
  EXPECT_EQ(national->issuer_name, "環境省");
  ClientResponse page = publisher.Get("/consultations/" + std::to_string(id) + "/result");
  EXPECT_NE(page.body.find("に寄せられた意見に対する国の考え方</h1>"), std::string::npos);
  EXPECT_NE(page.body.find("公表：環境省"), std::string::npos);
  EXPECT_EQ(page.body.find("市の考え方"), std::string::npos);
  Result<storage::QueryResult> audited = site_.database().Query(
      "SELECT before_value, after_value FROM consultation_audit WHERE action = 'set_issuer' AND"
      " entity_id = ?",
      {id});
  ASSERT_TRUE(audited.ok());
  ASSERT_EQ(audited->rows.size(), 1u);
  EXPECT_EQ(storage::AsText(audited->rows[0][0]), "city ");
  EXPECT_EQ(storage::AsText(audited->rows[0][1]), "national 環境省");

  // Section staff and strangers cannot change it.
  Browser section =
      SignedInBrowser(site_, "kankyo", http::Role::kSectionStaff, "環境リサイクル支援部", "環境課");
  ClientResponse refused = section.PostForm(
      staff + "/issuer",
      {{"csrf_token", CsrfTokenIn(section.Get("/staff").body)}, {"issuer_kind", "ward"}});
  EXPECT_EQ(refused.status, 403);
  ClientResponse stranger = Send(site_.port(), "POST", staff + "/issuer", "issuer_kind=ward",
                                 {{"Content-Type", "application/x-www-form-urlencoded"}});
  // Signed out: sent to the sign-in page, nothing changed.
  EXPECT_TRUE(stranger.status == 303 || stranger.status == 403) << stranger.status;
  Result<Consultation> still = GetConsultation(site_.database(), id);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->issuer_kind, "national");
}

TEST_P(IssuerTest, AResultThatNamesNoBodyIsReadAsTheWardsAndSaysSo) {
  ImportReport report;
  const int64_t id = Import(kAnonymousResult, &report);
  ASSERT_NE(id, 0);
  EXPECT_EQ(report.issuer_kind, "ward");
  EXPECT_TRUE(HasWarning(report, "consultation.results_issuer_unknown"));
}

TEST(IssuerWordsTest, EveryKindHasItsDocumentWords) {
  EXPECT_EQ(IssuerKindOfHeader("意見に対する県の考え方"), "prefecture");
  EXPECT_EQ(IssuerKindOfHeader("都の考え方"), "tokyo");
  EXPECT_EQ(IssuerKindOfHeader("回答"), std::nullopt);
  const IssuerWords ward;
  EXPECT_EQ(DocumentTitle("港区環境基本計画（素案）", ward),
            "港区環境基本計画（素案）に寄せられた区民意見に対する区の考え方");
  EXPECT_EQ(PublishedSheetName(ward), "区民意見と区の考え方");
  IssuerWords prefecture{"県", "県民", "県民意見", "県の考え方", "県民意見募集", "県民説明会", ""};
  EXPECT_EQ(PublishedColumns(prefecture)[2], "県民意見");
  EXPECT_EQ(PublishedColumns(prefecture)[6], "県の考え方");
  EXPECT_EQ(StatusLegendText(5, prefecture), "県に対する意見・要望として受けたもの");
  EXPECT_EQ(StatusLegendText(1, prefecture), "意見を反映し、計画素案を修正したもの");
  EXPECT_TRUE(CheckIssuer("village", "檜原村").ok());
  EXPECT_EQ(CheckIssuer("town", std::string(101 * 3, 'a')).field(), "issuer_name");
  EXPECT_EQ(CheckIssuer("county", "").field(), "issuer_kind");
}

INSTANTIATE_TEST_SUITE_P(Backends, IssuerTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
