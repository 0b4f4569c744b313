#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "consultation/consultation_module.h"
#include "consultation/results_import.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "http/http_module.h"
#include "http/testing.h"
#include "text/text_module.h"

namespace civicdesk::consultation {
namespace {

using http::testing::Browser;
using http::testing::ClientResponse;
using http::testing::CsrfTokenIn;
using http::testing::Send;
using http::testing::TestSite;
using nlohmann::json;

constexpr char kPassword[] = "correct horse battery";

// The one-time form token of an opinion form page (opinion_form.cc).
std::string FormTokenIn(const std::string& html) {
  std::smatch match;
  static const std::regex token("name=\"form_token\" value=\"([0-9a-f]{64})\"");
  return std::regex_search(html, match, token) ? match[1].str() : std::string();
}

class ConsultationSiteTest : public ::testing::TestWithParam<std::string> {
 protected:
  ConsultationSiteTest()
      : site_(GetParam(), {http::HttpModule(), text::TextModule(), ConsultationModule()}) {}

  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
    http::Accounts& accounts = site_.app().accounts();
    ASSERT_TRUE(
        accounts.Add({"publisher", "公表 担当", kPassword, http::Role::kPublisher, "", ""}).ok());
    ASSERT_TRUE(accounts
                    .Add({"kankyo", "環境 課員", kPassword, http::Role::kSectionStaff,
                          "環境リサイクル支援部", "環境課"})
                    .ok());
    ASSERT_TRUE(accounts
                    .Add({"bousai", "防災 課員", kPassword, http::Role::kSectionStaff,
                          "防災危機管理室", "防災課"})
                    .ok());
    // An open consultation: today falls within its period.
    std::string later =
        FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(40)});
    std::string earlier =
        FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} - std::chrono::days(1)});
    Result<int64_t> id = CreateConsultation(site_.database(),
                                            {"港区テスト計画（素案）",
                                             "テスト計画",
                                             earlier,
                                             later,
                                             {"基本目標1 安全なまち", "基本目標2 緑のまち"}},
                                            Settings{});
    ASSERT_TRUE(id.ok()) << id.status().message();
    consultation_id_ = *id;
  }

  Browser SignedIn(const std::string& login) {
    Browser browser(site_.port());
    std::string token = CsrfTokenIn(browser.Get("/login").body);
    ClientResponse response = browser.PostForm(
        "/login", {{"login", login}, {"password", kPassword}, {"csrf_token", token}});
    EXPECT_EQ(response.status, 303) << login;
    return browser;
  }

  ClientResponse PostJson(const std::string& target, const std::string& body) {
    return Send(site_.port(), "POST", target, body, {{"Content-Type", "application/json"}});
  }

  std::string Base() { return "/api/v1/consultations/" + std::to_string(consultation_id_); }

  TestSite site_;
  int64_t consultation_id_ = 0;
};

TEST_P(ConsultationSiteTest, ShippedMinatoResultIsPublishedWithItsSummary) {
  ClientResponse summary = Send(site_.port(), "GET", "/api/v1/consultations/1/summary");
  ASSERT_EQ(summary.status, 200) << summary.body;
  json body = json::parse(summary.body);
  EXPECT_EQ(body["items"], 40);
  EXPECT_EQ(body["items_by_route"]["public_comment"], 11);
  EXPECT_EQ(body["items_by_route"]["meeting"], 29);
  std::vector<int> totals;
  for (const json& status : body["statuses"]) totals.push_back(status["items"]);
  EXPECT_EQ(totals, (std::vector<int>{2, 17, 2, 0, 19}));
  EXPECT_EQ(body["statuses"][1]["public_comment"], 3);
  EXPECT_EQ(body["statuses"][1]["meeting"], 14);
  ClientResponse page = Send(site_.port(), "GET", "/consultations/1/result");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("羽田空港周辺の飛行機の騒音が気になっている。"), std::string::npos);
  EXPECT_NE(page.body.find("区民説明会 (芝浦港南)"), std::string::npos);
  EXPECT_NE(page.body.find("意見を反映し、計画素案を修正したもの"), std::string::npos);
  // In English, the legend, the channels and the districts are translated; the opinions and
  // the ward's answers stay the published Japanese.
  const std::string english = Send(site_.port(), "GET", "/consultations/1/result?lang=en").body;
  for (const char* words :
       {"The draft plan was revised to reflect the opinion",
        "Received as an opinion or request to the ward", "Internet", "Shibaura-Konan"}) {
    EXPECT_NE(english.find(words), std::string::npos) << words;
  }
  for (const char* words :
       {"意見を反映し、計画素案を修正したもの", "区に対する意見・要望として受けたもの"}) {
    EXPECT_EQ(english.find(words), std::string::npos) << words;
  }
  EXPECT_NE(english.find("羽田空港周辺の飛行機の騒音が気になっている。"), std::string::npos);
  // An English search finds the Japanese the ward published: "noise" also looks for 騒音.
  const std::string noise = Send(site_.port(), "GET", "/search?q=noise&lang=en").body;
  EXPECT_NE(noise.find("<mark>騒音</mark>"), std::string::npos) << noise;
  const std::string aircraft_noise =
      Send(site_.port(), "GET", "/search?q=Aircraft+noise&lang=en").body;
  EXPECT_NE(aircraft_noise.find("<mark>騒音</mark>"), std::string::npos);
  EXPECT_NE(aircraft_noise.find("<mark>飛行機</mark>"), std::string::npos);
  EXPECT_EQ(Send(site_.port(), "GET", "/search?q=noise&lang=ja").body.find("<mark>騒音</mark>"),
            std::string::npos)
      << "only English pages read English words";
  ClientResponse csv = Send(site_.port(), "GET", "/consultations/1/result.csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBFNo,", 0), 0u);
  ClientResponse xlsx = Send(site_.port(), "GET", "/consultations/1/result.xlsx");
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.headers["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.body.rfind("PK\x03\x04", 0), 0u);  // a zip container, as XLSX is
  EXPECT_GT(xlsx.body.size(), 5000u);
  ClientResponse pdf = Send(site_.port(), "GET", "/consultations/1/result.pdf");
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.headers["content-type"], "application/pdf");
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
}

TEST_P(ConsultationSiteTest, ApiIntakeGivesAReceiptWhoseStatusCanBeRead) {
  ClientResponse created =
      PostJson(Base() + "/opinions", R"({"text":"公園に緑を増やしてほしい。"})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string receipt = json::parse(created.body)["receipt"];
  EXPECT_TRUE(std::regex_match(receipt, std::regex("CD-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")));
  ClientResponse status = Send(site_.port(), "GET", "/api/v1/receipts/" + receipt);
  ASSERT_EQ(status.status, 200);
  EXPECT_EQ(json::parse(status.body)["status"], "received");
  EXPECT_EQ(Send(site_.port(), "GET", "/api/v1/receipts/CD-0000-0000-0000").status, 404);

  ClientResponse meeting =
      PostJson(Base() + "/opinions",
               R"({"text":"説明会での発言","channel":"区民説明会","district":"高輪"})");
  EXPECT_EQ(meeting.status, 201);
  Result<Summary> summary = Summarize(site_.database(), consultation_id_);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->items, 2);
  EXPECT_EQ(summary->people_by_channel.at("インターネット"), 1);
  EXPECT_EQ(summary->people_by_district.at("高輪"), 1);
}

TEST_P(ConsultationSiteTest, BadIntakeIsRefusedNamingTheFieldAndNothingIsLost) {
  ASSERT_EQ(PostJson(Base() + "/opinions", R"({"text":"最初の意見"})").status, 201);
  struct Case {
    std::string body;
    int status;
    std::string field;
  };
  std::vector<Case> cases = {
      {R"({"text":""})", 400, "text"},
      {R"({"text":"   　 "})", 400, "text"},
      {json({{"text", std::string(10001, 'a')}}).dump(), 400, "text"},
      {R"({"text":"x","channel":"電報"})", 400, "channel"},
      {R"({"text":"x","channel":"区民説明会"})", 400, "district"},
      {R"({"text":5})", 400, "text"},
      {R"({"channel":"持参"})", 400, "text"},
      {"not json", 400, "body"},
      {"{\"text\":\"\xff\xfe\"}", 400, "body"},
  };
  for (const Case& bad : cases) {
    ClientResponse response = PostJson(Base() + "/opinions", bad.body);
    EXPECT_EQ(response.status, bad.status) << bad.body.substr(0, 60) << " → " << response.body;
    json error = json::parse(response.body, nullptr, false);
    ASSERT_FALSE(error.is_discarded()) << response.body;
    EXPECT_EQ(error["error"].value("field", ""), bad.field) << bad.body.substr(0, 60);
  }
  ClientResponse form_encoded = Send(site_.port(), "POST", Base() + "/opinions", "text=x",
                                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form_encoded.status, 415);
  EXPECT_EQ(PostJson("/api/v1/consultations/999/opinions", R"({"text":"x"})").status, 404);
  EXPECT_EQ(PostJson("/api/v1/consultations/abc/opinions", R"({"text":"x"})").status, 400);
  Result<Summary> summary = Summarize(site_.database(), consultation_id_);
  EXPECT_EQ(summary->items, 1);
}

TEST_P(ConsultationSiteTest, CitizenFormGivesAReceiptAndEscapesScript) {
  Browser citizen(site_.port());
  ClientResponse page = citizen.Get("/consultations/" + std::to_string(consultation_id_));
  ASSERT_EQ(page.status, 200);
  std::string token = CsrfTokenIn(page.body);
  ClientResponse empty =
      citizen.PostForm("/consultations/" + std::to_string(consultation_id_) + "/opinions",
                       {{"text", ""}, {"csrf_token", token}});
  EXPECT_EQ(empty.status, 400);
  // The design system's error summary links to the field under its visible label, and the same
  // words stand beside the field; the internal field name is never shown.
  EXPECT_NE(empty.body.find("<div class=\"error-summary\""), std::string::npos) << empty.body;
  EXPECT_NE(empty.body.find("<a href=\"#text\">ご意見：ご意見を入力してください</a>"),
            std::string::npos);
  EXPECT_NE(empty.body.find("<p id=\"text-error\" class=\"field-error\">"), std::string::npos);
  EXPECT_NE(empty.body.find("aria-describedby=\"text-help text-error text-count-status\" "
                            "aria-invalid=\"true\""),
            std::string::npos);
  EXPECT_EQ(empty.body.find("<code>text</code>"), std::string::npos);
  ClientResponse bad_email = citizen.PostForm(
      "/consultations/" + std::to_string(consultation_id_) + "/opinions",
      {{"text", "公園に木陰を"}, {"contact_email", "taro"}, {"csrf_token", token}});
  EXPECT_EQ(bad_email.status, 400);
  EXPECT_NE(bad_email.body.find("<a href=\"#contact_email\">メールアドレス："), std::string::npos)
      << bad_email.body;
  EXPECT_NE(bad_email.body.find("aria-invalid=\"true\" aria-describedby=\"contact_email-error\""),
            std::string::npos);
  ClientResponse sent =
      citizen.PostForm("/consultations/" + std::to_string(consultation_id_) + "/opinions",
                       {{"text", "<script>alert(1)</script>緑を守って"},
                        {"relationship", "在勤"},
                        {"contact_email", "taro@example.jp"},
                        {"csrf_token", token},
                        {"form_token", FormTokenIn(page.body)}});
  ASSERT_EQ(sent.status, 303) << sent.body;
  EXPECT_EQ(sent.headers["location"].rfind("/receipts/CD-", 0), 0u);

  Browser publisher = SignedIn("publisher");
  ClientResponse queue = publisher.Get("/staff/consultations/" + std::to_string(consultation_id_));
  ASSERT_EQ(queue.status, 200);
  EXPECT_EQ(queue.body.find("<script>alert(1)</script>"), std::string::npos);
  EXPECT_NE(queue.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(queue.body.find("taro@example.jp"), std::string::npos);
}

// The flow of issue 3: submit, split into two items, route to two sections, each answers, the
// publisher publishes, the public page shows both. Section staff cannot touch the other item.
TEST_P(ConsultationSiteTest, SplitRouteAnswerPublish) {
  ClientResponse created =
      PostJson(Base() + "/opinions",
               R"({"text":"防災井戸を増やしてほしい。また、公園の緑を守ってほしい。"})");
  ASSERT_EQ(created.status, 201);
  Result<storage::QueryResult> submission = site_.database().Query(
      "SELECT id FROM consultation_submission WHERE consultation_id = ?", {consultation_id_});
  ASSERT_TRUE(submission.ok());
  std::string submission_id = std::to_string(storage::AsInt(submission->rows[0][0]));

  Browser publisher = SignedIn("publisher");
  std::string split_page = publisher.Get("/staff/submissions/" + submission_id + "/split").body;
  ClientResponse bad_split = publisher.PostForm(
      "/staff/submissions/" + submission_id + "/split",
      {{"pieces", "存在しない文\n---\n別の文"}, {"csrf_token", CsrfTokenIn(split_page)}});
  EXPECT_EQ(bad_split.status, 400);
  ClientResponse split = publisher.PostForm(
      "/staff/submissions/" + submission_id + "/split",
      {{"pieces", "防災井戸を増やしてほしい。\n---\nまた、公園の緑を守ってほしい。"},
       {"csrf_token", CsrfTokenIn(split_page)}});
  ASSERT_EQ(split.status, 303) << split.body;
  Result<storage::QueryResult> items = site_.database().Query(
      "SELECT id, source_start, source_end FROM consultation_item WHERE submission_id = ? AND "
      "active = 1 ORDER BY id",
      {storage::AsInt(submission->rows[0][0])});
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ(storage::AsInt(items->rows[0][1]), 0);
  std::string first = std::to_string(storage::AsInt(items->rows[0][0]));
  std::string second = std::to_string(storage::AsInt(items->rows[1][0]));

  Result<storage::QueryResult> fields = site_.database().Query(
      "SELECT id FROM consultation_field WHERE consultation_id = ? ORDER BY position",
      {consultation_id_});
  ASSERT_GE(fields->size(), 2u);
  std::string field_1 = "field_" + std::to_string(storage::AsInt(fields->rows[0][0]));
  std::string field_2 = "field_" + std::to_string(storage::AsInt(fields->rows[1][0]));

  std::string token = CsrfTokenIn(publisher.Get("/staff/items/" + first).body);
  ASSERT_EQ(publisher
                .PostForm("/staff/items/" + first, {{field_1, "on"},
                                                    {"section_1", "防災危機管理室/防災課"},
                                                    {"csrf_token", token}})
                .status,
            303);
  ASSERT_EQ(publisher
                .PostForm("/staff/items/" + second, {{field_2, "on"},
                                                     {"section_1", "環境リサイクル支援部/環境課"},
                                                     {"csrf_token", token}})
                .status,
            303);
  ClientResponse unknown_section = publisher.PostForm(
      "/staff/items/" + second, {{"section_1", "架空部/架空課"}, {"csrf_token", token}});
  EXPECT_EQ(unknown_section.status, 400);

  ClientResponse not_ready =
      publisher.PostForm("/staff/consultations/" + std::to_string(consultation_id_) + "/publish",
                         {{"csrf_token", token}});
  EXPECT_EQ(not_ready.status, 400);
  EXPECT_NE(not_ready.body.find("No 1"), std::string::npos);
  EXPECT_NE(not_ready.body.find("未入力: 区の考え方, 対応状況"), std::string::npos);

  Browser kankyo = SignedIn("kankyo");
  std::string queue = kankyo.Get("/staff/consultations/" + std::to_string(consultation_id_)).body;
  EXPECT_NE(queue.find("/staff/items/" + second), std::string::npos);
  EXPECT_EQ(queue.find("/staff/items/" + first + "\""), std::string::npos);
  std::string kankyo_token = CsrfTokenIn(kankyo.Get("/staff/items/" + second).body);
  EXPECT_EQ(kankyo.Get("/staff/items/" + first).status, 403);
  EXPECT_EQ(
      kankyo
          .PostForm("/staff/items/" + first,
                    {{"response", "勝手な回答"}, {"status", "4"}, {"csrf_token", kankyo_token}})
          .status,
      403);
  ASSERT_EQ(kankyo
                .PostForm("/staff/items/" + second, {{field_2, "on"},
                                                     {"response", "公園の緑の保全に取り組みます。"},
                                                     {"status", "2"},
                                                     {"csrf_token", kankyo_token}})
                .status,
            303);
  Browser bousai = SignedIn("bousai");
  std::string bousai_token = CsrfTokenIn(bousai.Get("/staff/items/" + first).body);
  ASSERT_EQ(
      bousai
          .PostForm("/staff/items/" + first, {{field_1, "on"},
                                              {"response", "災害対策用井戸の設置を進めます。"},
                                              {"status", "3"},
                                              {"csrf_token", bousai_token}})
          .status,
      303);
  EXPECT_EQ(
      bousai.PostForm("/staff/items/" + first + "/approve", {{"csrf_token", bousai_token}}).status,
      403);

  // Published once both answers are approved; the period still runs, so it is closed early.
  for (const std::string& item : {first, second}) {
    ASSERT_EQ(
        publisher.PostForm("/staff/items/" + item + "/approve", {{"csrf_token", token}}).status,
        303);
  }
  ClientResponse published =
      publisher.PostForm("/staff/consultations/" + std::to_string(consultation_id_) + "/publish",
                         {{"close_early", "1"},
                          {"close_early_on", FormatIsoDate(TodayInJapan())},
                          {"csrf_token", token}});
  ASSERT_EQ(published.status, 303) << published.body;
  ClientResponse page =
      Send(site_.port(), "GET", "/consultations/" + std::to_string(consultation_id_) + "/result");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("防災井戸を増やしてほしい。"), std::string::npos);
  EXPECT_NE(page.body.find("また、公園の緑を守ってほしい。"), std::string::npos);
  EXPECT_NE(page.body.find("災害対策用井戸の設置を進めます。"), std::string::npos);

  Result<storage::QueryResult> audit = site_.database().Query(
      "SELECT action, user_login, before_value, after_value FROM consultation_audit WHERE entity = "
      "'item' ORDER BY id");
  ASSERT_TRUE(audit.ok());
  ASSERT_GE(audit->size(), 4u);
  EXPECT_EQ(storage::AsText(audit->rows[0][1]), "publisher");
  bool kankyo_audited = false;
  for (const auto& row : audit->rows) {
    kankyo_audited =
        kankyo_audited || (storage::AsText(row[1]) == "kankyo" &&
                           storage::AsText(row[3]).find("公園の緑の保全") != std::string::npos);
  }
  EXPECT_TRUE(kankyo_audited);
}

TEST_P(ConsultationSiteTest, PublisherMasksPersonalDataBeforePublication) {
  ASSERT_EQ(PostJson(Base() + "/opinions",
                     R"({"text":"騒音がひどい。連絡先は03-1234-5678、田中太郎様まで。"})")
                .status,
            201);
  Browser publisher = SignedIn("publisher");
  ClientResponse check =
      publisher.Get("/staff/consultations/" + std::to_string(consultation_id_) + "/publish");
  ASSERT_EQ(check.status, 200);
  EXPECT_NE(check.body.find("03-1234-5678"), std::string::npos);
  Result<storage::QueryResult> item = site_.database().Query(
      "SELECT id FROM consultation_item WHERE consultation_id = ? AND active = 1",
      {consultation_id_});
  std::string item_id = std::to_string(storage::AsInt(item->rows[0][0]));
  ClientResponse masked = publisher.PostForm("/staff/items/" + item_id + "/mask",
                                             {{"csrf_token", CsrfTokenIn(check.body)}});
  EXPECT_EQ(masked.status, 303);
  Result<storage::QueryResult> text = site_.database().Query(
      "SELECT text FROM consultation_item WHERE id = ?", {storage::AsInt(item->rows[0][0])});
  EXPECT_EQ(storage::AsText(text->rows[0][0]),
            "騒音がひどい。連絡先は（個人情報のため削除）、（個人情報のため削除）まで。");
  Result<storage::QueryResult> original = site_.database().Query(
      "SELECT text FROM consultation_submission WHERE consultation_id = ?", {consultation_id_});
  EXPECT_NE(storage::AsText(original->rows[0][0]).find("03-1234-5678"), std::string::npos);
}

TEST_P(ConsultationSiteTest, VoiceDeskTakesOpinionsAnyTimeAndCountsThemByMonth) {
  ClientResponse mail = PostJson("/api/v1/voice/opinions",
                                 R"({"text":"歩道の段差を直してほしい。","channel":"メール"})");
  ASSERT_EQ(mail.status, 201) << mail.body;
  ClientResponse phone =
      PostJson("/api/v1/voice/opinions", R"({"text":"公園のトイレが汚い。","channel":"電話"})");
  ASSERT_EQ(phone.status, 201);
  EXPECT_EQ(PostJson("/api/v1/voice/opinions", R"({"text":"x","channel":"区民説明会"})").status,
            400);
  Browser citizen(site_.port());
  ClientResponse page = citizen.Get("/voice");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("action=\"/voice/opinions/confirm\""), std::string::npos);
  ClientResponse sent =
      citizen.PostForm("/voice/opinions", {{"text", "図書館の開館時間を延ばして"},
                                           {"csrf_token", CsrfTokenIn(page.body)},
                                           {"form_token", FormTokenIn(page.body)}});
  EXPECT_EQ(sent.status, 303);

  ClientResponse monthly = Send(site_.port(), "GET", "/api/v1/voice/monthly");
  ASSERT_EQ(monthly.status, 200);
  json body = json::parse(monthly.body);
  EXPECT_EQ(body["months"].size(), 12u);
  EXPECT_EQ(body["months"][0]["month"].get<std::string>().substr(5), "04");
  EXPECT_EQ(body["items"], 3);
  EXPECT_EQ(body["by_channel"]["メール"], 1);
  EXPECT_EQ(body["by_channel"]["インターネット"], 1);
  EXPECT_DOUBLE_EQ(body["channel_share_percent"]["電話"].get<double>(), 33.3);
  std::string this_month = FormatIsoDate(TodayInJapan()).substr(0, 7);
  for (const json& month : body["months"]) {
    EXPECT_EQ(month["items"], month["month"] == this_month ? 3 : 0) << month["month"];
  }
  EXPECT_EQ(Send(site_.port(), "GET", "/api/v1/voice/monthly?fiscal_year=20x5").status, 400);
  json last_year =
      json::parse(Send(site_.port(), "GET", "/api/v1/voice/monthly?fiscal_year=2019").body);
  EXPECT_EQ(last_year["items"], 0);
  EXPECT_EQ(last_year["fiscal_year_label"], "令和元(2019)年度");
}

// Before publication a result is the publishers' preview, in every format: section staff get
// 403 whichever section the items are routed to (their own, another, none), the public 404.
// Published, it is everyone's.
TEST_P(ConsultationSiteTest, UnpublishedResultIsForPublishersOnlyInEveryFormat) {
  ASSERT_EQ(PostJson(Base() + "/opinions", R"({"text":"公園の緑を増やしてほしい。"})").status, 201);
  Result<std::vector<Item>> items = ListItems(site_.database(), consultation_id_);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  ItemUpdate routed;  // the item is 環境課's: kankyo's own section, not bousai's
  routed.sections = std::vector<SectionRef>{{"環境リサイクル支援部", "環境課"}};
  ASSERT_TRUE(UpdateItem(site_.database(), (*items)[0].id, routed, Actor{0, "test"}).ok());

  const std::string result = "/consultations/" + std::to_string(consultation_id_) + "/result";
  const std::vector<std::string> formats = {"", ".tsv", ".csv", ".xlsx", ".pdf"};
  Browser kankyo = SignedIn("kankyo");
  Browser bousai = SignedIn("bousai");
  Browser publisher = SignedIn("publisher");
  for (const std::string& format : formats) {
    EXPECT_EQ(kankyo.Get(result + format).status, 403) << "own section, " << result + format;
    EXPECT_EQ(kankyo.Get(result + format + "?form_letters=collapse").status, 403) << format;
    EXPECT_EQ(bousai.Get(result + format).status, 403) << "other section, " << result + format;
    EXPECT_EQ(Send(site_.port(), "GET", result + format).status, 404) << result + format;
    ClientResponse preview = publisher.Get(result + format);
    EXPECT_EQ(preview.status, 200) << result + format;
    if (format == ".csv") {
      EXPECT_NE(preview.body.find("公園の緑を増やしてほしい。"), std::string::npos);
    }
  }
  const std::string summary = Base() + "/summary";
  EXPECT_EQ(Send(site_.port(), "GET", summary).status, 404);
  EXPECT_EQ(kankyo.Get(summary).status, 403);
  EXPECT_EQ(bousai.Get(summary).status, 403);
  EXPECT_EQ(publisher.Get(summary).status, 200);

  // The shipped result (consultation 1) is published: section staff read it in every format.
  for (const std::string& format : formats) {
    EXPECT_EQ(kankyo.Get("/consultations/1/result" + format).status, 200) << format;
    EXPECT_EQ(bousai.Get("/consultations/1/result" + format).status, 200) << format;
  }
  EXPECT_EQ(kankyo.Get("/api/v1/consultations/1/summary").status, 200);
}

TEST_P(ConsultationSiteTest, ResultDownloadsKeepThePublishedLayout) {
  ClientResponse tsv = Send(site_.port(), "GET", "/consultations/1/result.tsv");
  ASSERT_EQ(tsv.status, 200);
  EXPECT_EQ(tsv.headers["content-type"], "text/tab-separated-values; charset=utf-8");
  EXPECT_NE(tsv.headers["content-disposition"].find("consultation-1.tsv"), std::string::npos);
  EXPECT_EQ(tsv.body.rfind("No\t主な該当分野\t区民意見\t区分\t部\t課\t区の考え方\t対応状況\n", 0),
            0u);
  EXPECT_EQ(std::count(tsv.body.begin(), tsv.body.end(), '\n'), 41);  // header and 40 items
  ClientResponse csv = Send(site_.port(), "GET", "/consultations/1/result.csv");
  EXPECT_EQ(
      csv.body.rfind("\xEF\xBB\xBFNo,主な該当分野,区民意見,区分,部,課,区の考え方,対応状況\r\n", 0),
      0u);
  EXPECT_NE(csv.headers["content-disposition"].find("consultation-1.csv"), std::string::npos);
  EXPECT_EQ(Send(site_.port(), "GET", "/consultations/abc/result.csv").status, 400);
  EXPECT_EQ(Send(site_.port(), "GET", "/consultations/999/result.pdf").status, 404);
}

TEST_P(ConsultationSiteTest, StaffPagesNeedSignInAndTheRightRole) {
  EXPECT_EQ(Send(site_.port(), "GET", "/staff/consultations").status, 303);
  Browser kankyo = SignedIn("kankyo");
  EXPECT_EQ(
      kankyo.Get("/staff/consultations/" + std::to_string(consultation_id_) + "/publish").status,
      403);
  // Section staff split only their own section's submissions (MaySplitSubmission): not an
  // unrouted one of a consultation their section does not triage.
  NewSubmission unrouted;
  unrouted.text = "まだ回付されていない意見です。";
  unrouted.channel = "郵送";
  Result<Receipt> receipt =
      Submit(site_.database(), consultation_id_, unrouted, Settings{}, Actor{0, "test"}, true);
  ASSERT_TRUE(receipt.ok());
  EXPECT_EQ(
      kankyo.Get("/staff/submissions/" + std::to_string(receipt->submission_id) + "/split").status,
      403);
  EXPECT_EQ(
      Send(site_.port(), "GET", "/consultations/" + std::to_string(consultation_id_) + "/result")
          .status,
      404);
}

// A publisher sets a consultation up on the web: creates it with its fields, records the
// town-hall meetings and links fields to the plan; citizens see all of it on the form page, and
// the meetings' attendance becomes the people per district of the summary.
TEST_P(ConsultationSiteTest, PublisherCreatesConsultationWithMeetingsAndPlanLinks) {
  Browser publisher = SignedIn("publisher");
  std::string token = CsrfTokenIn(publisher.Get("/staff/consultations").body);
  std::string opens = FormatIsoDate(TodayInJapan());
  std::string short_close =
      FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(10)});
  ClientResponse too_short = publisher.PostForm("/staff/consultations", {{"title", "短すぎる募集"},
                                                                         {"opens", opens},
                                                                         {"closes", short_close},
                                                                         {"csrf_token", token}});
  EXPECT_EQ(too_short.status, 400);
  EXPECT_NE(too_short.body.find("closes"), std::string::npos);

  std::string closes =
      FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(35)});
  ClientResponse created =
      publisher.PostForm("/staff/consultations", {{"title", "港区環境基本計画（素案）"},
                                                  {"draft_title", "環境基本計画"},
                                                  {"opens", opens},
                                                  {"closes", closes},
                                                  {"fields", "基本目標1\n基本目標2\n\n基本目標1"},
                                                  {"csrf_token", token}});
  ASSERT_EQ(created.status, 303) << created.body;
  std::string location = created.headers["location"];
  ASSERT_EQ(location.rfind("/staff/consultations/", 0), 0u) << location;
  std::string id = location.substr(std::string("/staff/consultations/").size());

  ClientResponse bad_meeting =
      publisher.PostForm(location + "/meetings", {{"held_on", "2024-02-30"},
                                                  {"district", "芝"},
                                                  {"venue", "芝地区総合支所"},
                                                  {"attendees", "12"},
                                                  {"csrf_token", token}});
  EXPECT_EQ(bad_meeting.status, 400);
  EXPECT_NE(bad_meeting.body.find("held_on"), std::string::npos);
  EXPECT_EQ(publisher
                .PostForm(location + "/meetings", {{"held_on", "2024-01-20"},
                                                   {"district", "六本木"},
                                                   {"venue", "会議室"},
                                                   {"attendees", "3"},
                                                   {"csrf_token", token}})
                .status,
            400);
  ASSERT_EQ(publisher
                .PostForm(location + "/meetings", {{"held_on", "令和6年1月20日"},
                                                   {"district", "麻布"},
                                                   {"venue", "麻布区民センター"},
                                                   {"attendees", "１２"},
                                                   {"csrf_token", token}})
                .status,
            303);
  ASSERT_EQ(publisher
                .PostForm(location + "/meetings", {{"held_on", "2024-01-18"},
                                                   {"district", "芝"},
                                                   {"venue", "<b>芝</b>区民センター"},
                                                   {"attendees", "7"},
                                                   {"csrf_token", token}})
                .status,
            303);

  Result<storage::QueryResult> fields = site_.database().Query(
      "SELECT id, label FROM consultation_field WHERE consultation_id = ? ORDER BY position",
      {std::stoll(id)});
  ASSERT_TRUE(fields.ok());
  ASSERT_EQ(fields->size(), 4u);  // 基本目標1, 基本目標2, —, 全般 (the duplicate line dropped)
  EXPECT_EQ(storage::AsText(fields->rows[0][1]), "基本目標1");
  std::string field = std::to_string(storage::AsInt(fields->rows[0][0]));
  ClientResponse bad_link = publisher.PostForm(location + "/fields/" + field,
                                               {{"plan_refs", "24 99-1"}, {"csrf_token", token}});
  EXPECT_EQ(bad_link.status, 400);
  EXPECT_NE(bad_link.body.find("99-1"), std::string::npos);
  ASSERT_EQ(publisher
                .PostForm(location + "/fields/" + field,
                          {{"plan_refs", "２４−１、24-1-1 24-0-1"}, {"csrf_token", token}})
                .status,
            303);

  Browser kankyo = SignedIn("kankyo");
  EXPECT_EQ(kankyo
                .PostForm(location + "/meetings", {{"held_on", "2024-01-21"},
                                                   {"district", "赤坂"},
                                                   {"venue", "赤坂区民センター"},
                                                   {"attendees", "5"},
                                                   {"csrf_token", token}})
                .status,
            403);

  std::string page = Send(site_.port(), "GET", "/consultations/" + id).body;
  EXPECT_NE(page.find("環境基本計画"), std::string::npos);
  EXPECT_NE(page.find("令和6(2024)年1月18日"), std::string::npos) << page;
  EXPECT_LT(page.find("1月18日"), page.find("1月20日"));  // in date order
  EXPECT_NE(page.find("&lt;b&gt;芝&lt;/b&gt;区民センター"), std::string::npos);
  EXPECT_NE(page.find("href=\"/plan/policies/24/measures/1\""), std::string::npos);
  EXPECT_NE(page.find("href=\"/plan/policies/24\""), std::string::npos);  // 24-0-1

  // Not published yet: the summary is the publishers' (404 to the public).
  EXPECT_EQ(Send(site_.port(), "GET", "/api/v1/consultations/" + id + "/summary").status, 404);
  json summary = json::parse(publisher.Get("/api/v1/consultations/" + id + "/summary").body);
  EXPECT_EQ(summary["meetings"], 2) << summary.dump();
  EXPECT_EQ(summary["people_by_district"]["麻布"], 12) << summary.dump();
  EXPECT_EQ(summary["people_by_district"]["芝"], 7);
}

// Issue 4's check: searching 騒音 and 緑 returns the seed 000 items that contain them, and
// nothing unpublished reaches the public.
TEST_P(ConsultationSiteTest, SearchFindsThePublishedSeedItemsContainingAWord) {
  for (const std::string word : {"騒音", "緑"}) {
    Result<storage::QueryResult> expected = site_.database().Query(
        "SELECT id FROM consultation_item WHERE consultation_id = 1 AND active = 1 AND text LIKE "
        "? ORDER BY id",
        {"%" + word + "%"});
    ASSERT_TRUE(expected.ok());
    ASSERT_FALSE(expected->empty()) << word;
    std::set<int64_t> wanted;
    for (const auto& row : expected->rows) wanted.insert(storage::AsInt(row[0]));

    ClientResponse response =
        Send(site_.port(), "GET", "/api/v1/search?kind=opinion&q=" + http::PercentEncode(word));
    ASSERT_EQ(response.status, 200) << response.body;
    json hits = json::parse(response.body)["hits"];
    std::set<int64_t> found;
    for (const json& hit : hits) {
      EXPECT_EQ(hit["kind"], "opinion");
      EXPECT_NE(hit["snippet"].get<std::string>().find("<mark>" + word + "</mark>"),
                std::string::npos)
          << hit.dump();
      EXPECT_GT(hit["score"].get<double>(), 0);
      found.insert(hit["id"].get<int64_t>());
    }
    EXPECT_EQ(found, wanted) << word;
  }

  // A new opinion is not public; staff find it, section staff only when routed to them.
  ASSERT_EQ(PostJson(Base() + "/opinions", R"({"text":"夜間の工事騒音がひどい。"})").status, 201);
  json public_hits = json::parse(
      Send(site_.port(), "GET", "/api/v1/search?q=" + http::PercentEncode("工事騒音")).body);
  EXPECT_TRUE(public_hits["hits"].empty());
  Browser publisher = SignedIn("publisher");
  json staff_hits =
      json::parse(publisher.Get("/api/v1/search?q=" + http::PercentEncode("工事騒音")).body);
  ASSERT_EQ(staff_hits["hits"].size(), 1u) << staff_hits.dump();
  Browser kankyo = SignedIn("kankyo");
  json section_hits =
      json::parse(kankyo.Get("/api/v1/search?q=" + http::PercentEncode("工事騒音")).body);
  EXPECT_TRUE(section_hits["hits"].empty());

  std::string page = Send(site_.port(), "GET", "/search?q=" + http::PercentEncode("緑")).body;
  EXPECT_NE(page.find("<mark>緑</mark>"), std::string::npos);
  ClientResponse plan =
      Send(site_.port(), "GET", "/api/v1/search?kind=plan&q=" + http::PercentEncode("騒音"));
  EXPECT_EQ(plan.status, 200);

  ClientResponse empty = Send(site_.port(), "GET", "/api/v1/search?q=");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(json::parse(empty.body)["error"]["field"], "q") << empty.body;
  ClientResponse bad_kind = Send(site_.port(), "GET", "/api/v1/search?q=a&kind=cats");
  EXPECT_EQ(bad_kind.status, 400);
  ClientResponse bad_utf8 = Send(site_.port(), "GET", "/api/v1/search?q=%E7%B7");
  EXPECT_EQ(bad_utf8.status, 400);
  EXPECT_EQ(Send(site_.port(), "GET", "/search?q=%E7%B7").status, 400);
}

// The HTML of the card `anchor` (item-21) on a result page: from its id to its </article>.
std::string CardIn(const std::string& page, const std::string& anchor) {
  const size_t at = page.find("<article class=\"result-card\" id=\"" + anchor + "\"");
  if (at == std::string::npos) return "";
  return page.substr(at, page.find("</article>", at) - at);
}

size_t CountOf(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// Issue 24, deliverable 2: on a phone the result reads as cards grouped by field, with an index
// of the fields and an anchor per item that search hits link to.
TEST_P(ConsultationSiteTest, ResultIsGroupedByFieldWithAnAnchorPerItemThatSearchLinksTo) {
  // What the grouping should be, from the tables: each published item under its first field.
  Result<storage::QueryResult> expected = site_.database().Query(
      "SELECT (SELECT f.label FROM consultation_item_field x JOIN consultation_field f ON f.id ="
      " x.field_id WHERE x.item_id = i.id ORDER BY f.position LIMIT 1) FROM consultation_item i"
      " WHERE i.consultation_id = 1 AND i.active = 1 AND i.in_result = 1",
      {});
  ASSERT_TRUE(expected.ok());
  ASSERT_EQ(expected->rows.size(), 40u);
  std::map<std::string, int> wanted;
  for (const auto& row : expected->rows) {
    const std::string field = storage::AsText(row[0]);  // the source writes none as a dash
    ++wanted[field.empty() || field == "—" ? "分野の指定なし" : field];
  }
  ASSERT_GT(wanted.size(), 3u);

  ClientResponse result = Send(site_.port(), "GET", "/consultations/1/result");
  ASSERT_EQ(result.status, 200);
  const std::string& page = result.body;
  EXPECT_NE(page.find("<h3 id=\"result-index-heading\">分野別の目次</h3>"), std::string::npos);
  static const std::regex entry(
      "<li><a href=\"#(field-[0-9]+)\"[^>]*>([^<]*)</a> <span class=\"muted\">\\(([0-9]+)件\\)");
  std::map<std::string, int> indexed;
  std::set<int> numbers;
  for (std::sregex_iterator it(page.begin(), page.end(), entry), end; it != end; ++it) {
    const std::string field = (*it)[1], label = (*it)[2];
    const int count = std::stoi((*it)[3]);
    indexed[label] = count;
    // The field's heading, then its cards up to the end of its section.
    const size_t heading = page.find("<h3 id=\"" + field + "\" class=\"result-field-heading\">");
    ASSERT_NE(heading, std::string::npos) << field;
    EXPECT_NE(page.find(label, heading), std::string::npos);
    const std::string section = page.substr(heading, page.find("</section>", heading) - heading);
    EXPECT_EQ(CountOf(section, "<article class=\"result-card\""), static_cast<size_t>(count))
        << label;
    static const std::regex card("<article class=\"result-card\" id=\"item-([0-9]+)\"");
    for (std::sregex_iterator c(section.begin(), section.end(), card), none; c != none; ++c)
      EXPECT_TRUE(numbers.insert(std::stoi((*c)[1])).second) << (*c)[0];
  }
  EXPECT_EQ(indexed, wanted);
  // Every item has its one anchor, numbered as the table and the downloads number it.
  ASSERT_EQ(numbers.size(), 40u);
  EXPECT_EQ(*numbers.begin(), 1);
  EXPECT_EQ(*numbers.rbegin(), 40);
  for (int number = 1; number <= 40; ++number) {
    const std::string id = "id=\"item-" + std::to_string(number) + "\"";
    EXPECT_EQ(CountOf(page, id), 1u) << id;
    EXPECT_NE(page.find("<tr id=\"row-" + std::to_string(number) + "\">"), std::string::npos);
  }
  // A card has the No, the field, the opinion, the answer and the status with its label.
  const std::string last = CardIn(page, "item-40");
  ASSERT_FALSE(last.empty());
  EXPECT_NE(last.find("<h4 id=\"item-40-heading\">No. 40</h4>"), std::string::npos);
  for (const char* label :
       {"主な該当分野", "区民意見", "区分", "回答部署", "区の考え方", "対応状況"})
    EXPECT_NE(last.find(std::string("<dt>") + label + "</dt>"), std::string::npos) << label;
  EXPECT_EQ(CountOf(page, "区に対する意見・要望として受けたもの</dd>"), 19u);  // status 5

  // Search hits for 騒音 link to the card of their item, which holds the word.
  const std::string search =
      Send(site_.port(), "GET", "/search?q=" + http::PercentEncode("騒音")).body;
  static const std::regex hit("href=\"/consultations/1/result#(item-[0-9]+)\"");
  int hits = 0;
  for (std::sregex_iterator it(search.begin(), search.end(), hit), end; it != end; ++it, ++hits) {
    const std::string card = CardIn(page, (*it)[1]);
    ASSERT_FALSE(card.empty()) << (*it)[0];
    EXPECT_NE(card.find("騒音"), std::string::npos) << card;
  }
  EXPECT_GT(hits, 0) << search;
  EXPECT_EQ(search.find("href=\"/consultations/1/result\""), std::string::npos) << search;
  // The opinion behind each hit is on the card its link names.
  json api = json::parse(
      Send(site_.port(), "GET", "/api/v1/search?kind=opinion&q=" + http::PercentEncode("騒音"))
          .body);
  ASSERT_FALSE(api["hits"].empty());
  for (const json& found : api["hits"]) {
    const std::string url = found["url"];
    ASSERT_EQ(url.rfind("/consultations/1/result#item-", 0), 0u) << url;
    Result<storage::QueryResult> text = site_.database().Query(
        "SELECT text FROM consultation_item WHERE id = ?", {found["id"].get<int64_t>()});
    ASSERT_TRUE(text.ok() && !text->empty());
    std::string opinion = storage::AsText(text->rows[0][0]);
    opinion = opinion.substr(0, opinion.find_first_of("&<>\"'"));
    EXPECT_NE(CardIn(page, url.substr(url.find('#') + 1)).find(opinion), std::string::npos)
        << url << " " << opinion;
  }

  // In English the index, the headings' counts and the labels are English.
  const std::string english = Send(site_.port(), "GET", "/consultations/1/result?lang=en").body;
  EXPECT_NE(english.find("Contents by plan area"), std::string::npos);
  EXPECT_EQ(english.find("分野別の目次"), std::string::npos);
  EXPECT_NE(english.find("<dt>Plan area</dt>"), std::string::npos);
  EXPECT_NE(english.find(" opinions)</span></h3>"), std::string::npos);
  EXPECT_EQ(CountOf(english, "Received as an opinion or request to the ward</dd>"), 19u);
}

TEST_P(ConsultationSiteTest, PublisherSeesGroupsAndAcceptsSuggestions) {
  Browser publisher = SignedIn("publisher");
  ClientResponse analysis = publisher.Get("/staff/consultations/1/analysis");
  ASSERT_EQ(analysis.status, 200) << analysis.body;
  EXPECT_NE(analysis.body.find("同じ区の考え方"), std::string::npos);
  EXPECT_NE(analysis.body.find(">16</a> <a"), std::string::npos);  // rows 16 and 17 together
  EXPECT_EQ(publisher.Get("/staff/consultations/1/analysis?threshold=7").status, 400);
  EXPECT_EQ(SignedIn("kankyo").Get("/staff/consultations/1/analysis").status, 403);
  // The shipped result is published: its order is frozen. The same document imported anew (not
  // published) takes the groups.
  EXPECT_EQ(publisher
                .PostForm("/staff/consultations/1/groups",
                          {{"threshold", "0.45"}, {"csrf_token", CsrfTokenIn(analysis.body)}})
                .status,
            409);
  std::ifstream seed(std::string(CIVICDESK_GOLDEN_DIR) +
                     "/../../data/minato/consultations/kankyo-kihon-keikaku-soan.txt");
  std::stringstream document;
  document << seed.rdbuf();
  Result<ImportReport> copy = ImportResults(site_.database(), document.str(), Actor{0, "test"});
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  const std::string copy_id = std::to_string(copy->consultation_id);
  ClientResponse saved =
      publisher.PostForm("/staff/consultations/" + copy_id + "/groups",
                         {{"threshold", "0.45"}, {"csrf_token", CsrfTokenIn(analysis.body)}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  Result<storage::QueryResult> keys = site_.database().Query(
      "SELECT group_key FROM consultation_item WHERE consultation_id = ? AND external_id IN "
      "('31', '32')",
      {copy->consultation_id});
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ(storage::AsText(keys->rows[0][0]), storage::AsText(keys->rows[1][0]));
  EXPECT_EQ(storage::AsText(keys->rows[0][0]).rfind("G", 0), 0u);

  // A new, unclassified opinion gets suggestions learned from the classified seed items.
  ASSERT_EQ(
      PostJson(Base() + "/opinions", R"({"text":"食べ残しの持ち帰りができる店を増やしてほしい。"})")
          .status,
      201);
  Result<storage::QueryResult> item = site_.database().Query(
      "SELECT id FROM consultation_item WHERE consultation_id = ? ORDER BY id DESC",
      {consultation_id_});
  const std::string item_id = std::to_string(storage::AsInt(item->rows[0][0]));
  ClientResponse page = publisher.Get("/staff/items/" + item_id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("分類の候補"), std::string::npos);
  std::smatch section;
  ASSERT_TRUE(
      std::regex_search(page.body, section, std::regex("name=\"section\" value=\"([^\"]+)\"")));
  ClientResponse accepted =
      publisher.PostForm("/staff/items/" + item_id + "/accept",
                         {{"section", section[1].str()}, {"csrf_token", CsrfTokenIn(page.body)}});
  ASSERT_EQ(accepted.status, 303) << accepted.body;
  Result<storage::QueryResult> routed = site_.database().Query(
      "SELECT department || '/' || section FROM consultation_item_section WHERE item_id = ?",
      {std::stoll(item_id)});
  ASSERT_EQ(routed->size(), 1u);
  EXPECT_EQ(storage::AsText(routed->rows[0][0]), section[1].str());
  EXPECT_EQ(publisher
                .PostForm("/staff/items/" + item_id + "/accept",
                          {{"field", "存在しない分野"}, {"csrf_token", CsrfTokenIn(page.body)}})
                .status,
            400);
}

TEST_P(ConsultationSiteTest, QueueFiltersAndBulkActions) {
  ASSERT_EQ(PostJson(Base() + "/opinions", R"({"text":"公園の緑を増やしてほしい。"})").status, 201);
  ASSERT_EQ(PostJson(Base() + "/opinions", R"({"text":"街路樹の手入れをお願いします。"})").status,
            201);
  Result<std::vector<Item>> items = ListItems(site_.database(), consultation_id_);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 2u);
  const std::string first = std::to_string((*items)[0].id);
  const std::string second = std::to_string((*items)[1].id);
  Result<std::vector<FieldOption>> fields = ListFields(site_.database(), consultation_id_);
  ASSERT_TRUE(fields.ok());
  const std::string green = std::to_string((*fields)[1].id);  // 基本目標2 緑のまち
  const std::string queue = "/staff/consultations/" + std::to_string(consultation_id_);

  // An item's link in the queue, with or without the filter it carries (answering_test.cc).
  auto listed = [](const std::string& page, const std::string& id) {
    return page.find("href=\"/staff/items/" + id + "\"") != std::string::npos ||
           page.find("href=\"/staff/items/" + id + "?") != std::string::npos;
  };
  Browser publisher = SignedIn("publisher");
  std::string page = publisher.Get(queue + "?section=none&q=" + http::PercentEncode("緑")).body;
  EXPECT_TRUE(listed(page, first));
  EXPECT_FALSE(listed(page, second));  // no 緑 in it
  EXPECT_FALSE(listed(publisher.Get(queue + "?status=1").body, first));

  std::string token = CsrfTokenIn(page);
  EXPECT_EQ(
      publisher
          .PostForm(queue + "/bulk", {{"action", "field"}, {"field", green}, {"csrf_token", token}})
          .status,
      422);  // nothing ticked: the queue again, saying so (answering_test.cc)
  ClientResponse fielded = publisher.PostForm(queue + "/bulk", {{"item_" + first, "1"},
                                                                {"item_" + second, "1"},
                                                                {"action", "field"},
                                                                {"field", green},
                                                                {"csrf_token", token}});
  ASSERT_EQ(fielded.status, 303) << fielded.body;
  ClientResponse routed =
      publisher.PostForm(queue + "/bulk", {{"item_" + first, "1"},
                                           {"item_" + second, "1"},
                                           {"action", "section"},
                                           {"section", "環境リサイクル支援部/環境課"},
                                           {"csrf_token", token}});
  ASSERT_EQ(routed.status, 303) << routed.body;
  EXPECT_NE(publisher.Get(routed.headers["location"]).body.find("2"), std::string::npos);
  items = ListItems(site_.database(), consultation_id_);
  ASSERT_TRUE(items.ok());
  for (const Item& item : *items) {
    EXPECT_EQ(item.field_ids, std::vector<int64_t>{(*fields)[1].id});
    ASSERT_EQ(item.sections.size(), 1u);
    EXPECT_EQ(item.sections[0].second, "環境課");
  }
  EXPECT_TRUE(listed(
      publisher.Get(queue + "?section=" + http::PercentEncode("環境リサイクル支援部/環境課")).body,
      second));

  // Section staff may add fields to their own items but not route, nor touch other sections'.
  Browser kankyo = SignedIn("kankyo");
  std::string own = CsrfTokenIn(kankyo.Get(queue).body);
  EXPECT_EQ(kankyo
                .PostForm(queue + "/bulk", {{"item_" + first, "1"},
                                            {"action", "section"},
                                            {"section", "防災危機管理室/防災課"},
                                            {"csrf_token", own}})
                .status,
            403);
  Browser bousai = SignedIn("bousai");
  std::string theirs = CsrfTokenIn(bousai.Get(queue).body);
  EXPECT_EQ(bousai
                .PostForm(queue + "/bulk", {{"item_" + first, "1"},
                                            {"action", "field"},
                                            {"field", green},
                                            {"csrf_token", theirs}})
                .status,
            403);
}

TEST_P(ConsultationSiteTest, ResponseEditorOffersTheAnswersOfSimilarOpinions) {
  for (const char* text : {"公園の緑を増やしてほしい。", "公園の緑をもっと増やしてほしいです。",
                           "駐輪場の台数を増やしてください。"}) {
    ASSERT_EQ(PostJson(Base() + "/opinions", json({{"text", text}}).dump()).status, 201);
  }
  Result<std::vector<Item>> items = ListItems(site_.database(), consultation_id_);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 3u);
  ItemUpdate answer;
  answer.response_text = "区立公園の植栽を計画的に増やします。";
  answer.status = 2;
  ASSERT_TRUE(UpdateItem(site_.database(), (*items)[1].id, answer, Actor{0, "test"}).ok());
  ItemUpdate other;
  other.response_text = "駐輪場の整備を進めます。";
  other.status = 3;
  ASSERT_TRUE(UpdateItem(site_.database(), (*items)[2].id, other, Actor{0, "test"}).ok());

  Browser publisher = SignedIn("publisher");
  std::string page = publisher.Get("/staff/items/" + std::to_string((*items)[0].id)).body;
  const size_t similar = page.find("似た意見への回答");
  ASSERT_NE(similar, std::string::npos);
  EXPECT_NE(page.find("区立公園の植栽を計画的に増やします。", similar), std::string::npos);
  // The bicycle-parking answer is offered only among all answers, not as a similar one.
  const size_t all = page.find("この意見募集のすべての回答");
  ASSERT_NE(all, std::string::npos);
  EXPECT_GT(page.find("駐輪場の整備を進めます。"), all);
}

class SubmissionLimitTest : public ::testing::TestWithParam<std::string> {
 protected:
  static http::AppOptions TwoPerMinute() {
    http::AppOptions options;
    options.submissions_per_minute = 2;
    return options;
  }
  SubmissionLimitTest()
      : site_(GetParam(), {http::HttpModule(), text::TextModule(), ConsultationModule()},
              TwoPerMinute()) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }
  TestSite site_;
};

TEST_P(SubmissionLimitTest, AnAddressGetsItsSubmissionsPerMinuteThen429) {
  auto submit = [&](const std::string& text) {
    return Send(site_.port(), "POST", "/api/v1/voice/opinions", json({{"text", text}}).dump(),
                {{"Content-Type", "application/json"}});
  };
  EXPECT_EQ(submit("一件目").status, 201);
  EXPECT_EQ(submit("二件目").status, 201);
  ClientResponse refused = submit("三件目");
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(json::parse(refused.body)["error"]["message_id"], "http.too_many_submissions");
  // The form is limited with the API: the same address is refused there too.
  Browser browser(site_.port());
  const std::string page = browser.Get("/voice").body;
  ClientResponse form = browser.PostForm(
      "/voice/opinions",
      {{"text", "四件目"}, {"csrf_token", CsrfTokenIn(page)}, {"form_token", FormTokenIn(page)}});
  EXPECT_EQ(form.status, 429);
  // Refused on the confirmation page, with the text kept to send later.
  EXPECT_NE(form.body.find("value=\"四件目\""), std::string::npos) << form.body;
  Result<int64_t> desk = VoiceDeskId(site_.database());
  ASSERT_TRUE(desk.ok());
  Result<Summary> summary = Summarize(site_.database(), *desk);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->items, 2);  // nothing refused was stored
}

INSTANTIATE_TEST_SUITE_P(Backends, SubmissionLimitTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

INSTANTIATE_TEST_SUITE_P(Backends, ConsultationSiteTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
