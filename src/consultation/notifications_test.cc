// Issue 22 (1): an address left to hear back — taken by the form and the API, refused when it
// could inject a header, masked for staff, mailed through the outbox when the result is
// published and when a policy's report is announced, deleted by its resident's link only.
#include "consultation/notifications.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "consultation/consultation_module.h"
#include "consultation/publishing.h"
#include "consultation/setup.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "http/http_module.h"
#include "http/testing.h"
#include "mail/announcements.h"
#include "mail/mail_module.h"
#include "text/text_module.h"

namespace civicdesk::consultation {
namespace {

using http::testing::Browser;
using http::testing::ClientResponse;
using http::testing::CsrfTokenIn;
using http::testing::Send;
using http::testing::TestSite;
using nlohmann::json;
using storage::AsInt;
using storage::AsText;

class NotificationsTest : public ::testing::TestWithParam<std::string> {
 protected:
  NotificationsTest()
      : site_(GetParam(),
              {http::HttpModule(), text::TextModule(), mail::MailModule(), ConsultationModule()}) {}

  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
    const std::string later =
        FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(40)});
    const std::string earlier =
        FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} - std::chrono::days(1)});
    Result<int64_t> id = CreateConsultation(
        site_.database(), {"港区テスト計画（素案）", "テスト計画", earlier, later, {"緑のまち"}},
        Settings{});
    ASSERT_TRUE(id.ok()) << id.status().message();
    consultation_ = *id;
    site_mail_.catalog = &site_.app().messages();
    site_mail_.public_url = "https://www.example.jp";
  }

  ClientResponse Submit(const json& body) {
    return Send(site_.port(), "POST",
                "/api/v1/consultations/" + std::to_string(consultation_) + "/opinions", body.dump(),
                {{"Content-Type", "application/json"}});
  }

  // Answers, approves and publishes every item (closing the period today), its field linked to
  // policy 24.
  void PublishAll() {
    storage::Database& database = site_.database();
    Result<std::vector<FieldOption>> fields = ListFields(database, consultation_);
    ASSERT_TRUE(fields.ok());
    int64_t field = 0;
    for (const FieldOption& option : *fields)
      if (option.label == "緑のまち") field = option.id;
    ASSERT_TRUE(LinkFieldToPlan(database, consultation_, field, "24-1", {0, "t"}).ok());
    Result<std::vector<Item>> items = ListItems(database, consultation_);
    ASSERT_TRUE(items.ok());
    for (const Item& item : *items) {
      ItemUpdate update;
      update.field_ids = std::vector<int64_t>{field};
      update.sections = std::vector<SectionRef>{{"環境リサイクル支援部", "環境課"}};
      update.response_text = "公園の緑を守ります。";
      update.status = 2;
      Status updated = UpdateItem(database, item.id, update, {0, "t"});
      ASSERT_TRUE(updated.ok()) << updated.message();
      ASSERT_TRUE(ApproveItem(database, item.id, {0, "t"}).ok());
    }
    PublishOptions options;
    options.close_early_on = FormatIsoDate(TodayInJapan());
    Status published = Publish(database, consultation_, {0, "t"}, options);
    ASSERT_TRUE(published.ok()) << published.message();
  }

  std::vector<std::vector<std::string>> Outbox() {
    Result<storage::QueryResult> rows = site_.database().Query(
        "SELECT reference, recipient, subject, body, unsubscribe_url FROM mail_outbox ORDER BY id",
        {});
    EXPECT_TRUE(rows.ok());
    std::vector<std::vector<std::string>> mails;
    for (const auto& row : rows->rows)
      mails.push_back(
          {AsText(row[0]), AsText(row[1]), AsText(row[2]), AsText(row[3]), AsText(row[4])});
    return mails;
  }

  TestSite site_;
  int64_t consultation_ = 0;
  MailSite site_mail_;
};

TEST_P(NotificationsTest, AHeaderInjectionIsRefusedNamingTheFieldAndStoresNothing) {
  for (const char* address : {"taro@example.jp\r\nBcc: victim@example.com",
                              "taro@example.jp\nSubject: hi", "a@example.jp, b@example.jp"}) {
    ClientResponse refused = Submit({{"text", "緑を増やして"}, {"notify_email", address}});
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_NE(refused.body.find("notify_email"), std::string::npos) << refused.body;
  }
  // The form says the same beside the field, keeping what was typed.
  Browser browser(site_.port());
  const std::string path = "/consultations/" + std::to_string(consultation_);
  const std::string token = CsrfTokenIn(browser.Get(path).body);
  ClientResponse form =
      browser.PostForm(path + "/opinions/confirm", {{"text", "緑を増やして"},
                                                    {"notify_email", "a@example.jp\r\nBcc: b@c.jp"},
                                                    {"csrf_token", token}});
  EXPECT_EQ(form.status, 400);
  EXPECT_NE(form.body.find("id=\"notify_email-error\""), std::string::npos);
  EXPECT_EQ(site_.database().Query("SELECT COUNT(*) FROM consultation_submission", {})->rows[0][0],
            storage::Value(int64_t{0}));
}

TEST_P(NotificationsTest, TheResultIsMailedInTheResidentsLanguageWithLinksToTheirAnswers) {
  ClientResponse japanese =
      Submit({{"text", "公園の緑を増やしてほしい。"}, {"notify_email", "Taro@Example.JP"}});
  ASSERT_EQ(japanese.status, 201) << japanese.body;
  ClientResponse english = Submit(
      {{"text", "More trees, please."}, {"notify_email", "jane@example.com"}, {"language", "en"}});
  ASSERT_EQ(english.status, 201) << english.body;
  ASSERT_EQ(Submit({{"text", "連絡不要です。"}}).status, 201);
  // Staff see it masked (the audit trail); nothing is mailed before publication.
  Result<storage::QueryResult> audit = site_.database().Query(
      "SELECT after_value FROM consultation_audit WHERE action = 'notify_subscribe' ORDER BY id",
      {});
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ(AsText(audit->rows[0][0]), "T***@e***.jp");
  EXPECT_EQ(*NotifyPublishedResults(site_.database(), site_mail_), 0);
  // The item page shows staff that the resident asked, the address masked.
  Browser staff = http::testing::SignedInBrowser(site_, "publisher", http::Role::kPublisher);
  Result<std::vector<Item>> items = ListItems(site_.database(), consultation_);
  ClientResponse item = staff.Get("/staff/items/" + std::to_string(items->front().id));
  ASSERT_EQ(item.status, 200);
  EXPECT_NE(item.body.find("T***@e***.jp"), std::string::npos);
  EXPECT_EQ(item.body.find("Taro@"), std::string::npos);
  EXPECT_EQ(item.body.find("example.jp"), std::string::npos);
  PublishAll();
  EXPECT_EQ(*NotifyPublishedResults(site_.database(), site_mail_), 2);
  EXPECT_EQ(*NotifyPublishedResults(site_.database(), site_mail_), 0);  // once
  auto mails = Outbox();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[0][1], "Taro@example.jp");
  EXPECT_EQ(mails[0][2], "「港区テスト計画（素案）」の意見募集の結果を公表しました");
  const std::string result =
      "https://www.example.jp/consultations/" + std::to_string(consultation_) + "/result#item-";
  EXPECT_NE(mails[0][3].find("No. 1  " + result + "1\n"), std::string::npos) << mails[0][3];
  EXPECT_NE(mails[0][3].find(json::parse(japanese.body)["receipt"].get<std::string>()),
            std::string::npos);
  EXPECT_EQ(mails[1][2],
            "The result of the consultation \"港区テスト計画（素案）\" has been published");
  EXPECT_NE(mails[1][3].find("No. 2  " + result + "2\n"), std::string::npos) << mails[1][3];
  EXPECT_EQ(mails[1][4].rfind("https://www.example.jp/notifications/", 0), 0u);

  // The policy's yearly report, announced by whoever publishes it, reaches both once.
  ASSERT_TRUE(site_.database()
                  .Transaction([](storage::Connection& connection) {
                    return mail::Announce(connection, {0, mail::kPolicyReport, "24", 2025,
                                                       "施策24 評価報告", "/plan/policies/24"});
                  })
                  .ok());
  ASSERT_TRUE(site_.database()
                  .Transaction([](storage::Connection& connection) {
                    return mail::Announce(connection, {0, mail::kPolicyReport, "3", 2025,
                                                       "施策3 評価報告", "/plan/policies/3"});
                  })
                  .ok());
  EXPECT_EQ(*NotifyPolicyReports(site_.database(), site_mail_), 2);
  EXPECT_EQ(*NotifyPolicyReports(site_.database(), site_mail_), 0);
  mails = Outbox();
  ASSERT_EQ(mails.size(), 4u);
  EXPECT_NE(mails[2][3].find("https://www.example.jp/plan/policies/24"), std::string::npos);
  EXPECT_NE(mails[2][2].find("令和7"), std::string::npos) << mails[2][2];
  EXPECT_NE(mails[3][2].find("FY2025"), std::string::npos) << mails[3][2];
}

TEST_P(NotificationsTest, ALinkDeletesItsOwnAddressOnceAndNoOtherOne) {
  ASSERT_EQ(Submit({{"text", "一つ目"}, {"notify_email", "taro@example.jp"}}).status, 201);
  ASSERT_EQ(Submit({{"text", "二つ目"}, {"notify_email", "hanako@example.jp"}}).status, 201);
  PublishAll();
  ASSERT_EQ(*NotifyPublishedResults(site_.database(), site_mail_), 2);
  auto mails = Outbox();
  const std::string taro_link = mails[0][4].substr(std::string("https://www.example.jp").size());
  // Guessing: a token never issued, a malformed one, the other path's shape.
  for (const std::string path :
       {"/notifications/" + std::string(64, 'a'), std::string("/notifications/1"),
        std::string("/notifications/..%2f..%2fetc")}) {
    EXPECT_EQ(Send(site_.port(), "GET", path).status, 404) << path;
  }
  Browser browser(site_.port());
  ClientResponse page = browser.Get(taro_link);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("t***@e***.jp"), std::string::npos);
  EXPECT_EQ(page.body.find("taro@example.jp"), std::string::npos);
  // Without the form's CSRF token: refused, nothing deleted.
  EXPECT_EQ(browser.PostForm(taro_link, {}).status, 403);
  const std::string token = CsrfTokenIn(page.body);
  ClientResponse deleted = browser.PostForm(taro_link, {{"csrf_token", token}});
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  // Replayed: the token went with the address.
  EXPECT_EQ(browser.PostForm(taro_link, {{"csrf_token", token}}).status, 404);
  EXPECT_EQ(browser.Get(taro_link).status, 404);
  Result<storage::QueryResult> left =
      site_.database().Query("SELECT address FROM consultation_notify", {});
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(AsText(left->rows[0][0]), "hanako@example.jp");
  // Taro's mail, not sent yet, went with the address; Hanako's is untouched.
  mails = Outbox();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0][1], "hanako@example.jp");
}

TEST_P(NotificationsTest, TheReceiptPageShowsTheAddressMaskedAndDeletesIt) {
  ClientResponse sent = Submit({{"text", "緑を"}, {"notify_email", "taro@example.jp"}});
  const std::string receipt = json::parse(sent.body)["receipt"];
  Browser browser(site_.port());
  ClientResponse page = browser.Get("/receipts/" + receipt);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("t***@e***.jp"), std::string::npos);
  EXPECT_EQ(page.body.find("taro@example.jp"), std::string::npos);
  ClientResponse deleted = browser.PostForm("/receipts/" + receipt + "/notification",
                                            {{"csrf_token", CsrfTokenIn(page.body)}});
  EXPECT_EQ(deleted.status, 303);
  EXPECT_EQ(site_.database().Query("SELECT COUNT(*) FROM consultation_notify", {})->rows[0][0],
            storage::Value(int64_t{0}));
  EXPECT_EQ(browser
                .PostForm("/receipts/" + receipt + "/notification",
                          {{"csrf_token", CsrfTokenIn(page.body)}})
                .status,
            404);
}

TEST_P(NotificationsTest, AddressesGoAYearAfterTheResultIsPublished) {
  ASSERT_EQ(Submit({{"text", "緑を"}, {"notify_email", "taro@example.jp"}}).status, 201);
  PublishAll();
  const std::string now = NowIso8601Utc();
  EXPECT_EQ(*PurgeSubscriptions(site_.database(), 365, now), 0);
  const std::string next_year =
      FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(367)}) +
      "T00:00:00Z";
  EXPECT_EQ(*PurgeSubscriptions(site_.database(), 365, next_year), 1);
  EXPECT_EQ(site_.database().Query("SELECT COUNT(*) FROM consultation_notify", {})->rows[0][0],
            storage::Value(int64_t{0}));
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationsTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
