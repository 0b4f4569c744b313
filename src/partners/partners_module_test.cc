#include "partners/partners_module.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/wareki.h"
#include "http/http_module.h"
#include "http/testing.h"
#include "partners/codes.h"
#include "partners/lottery.h"
#include "partners/partners_import.h"
#include "partners/store.h"

namespace civicdesk::partners {
namespace {

using http::testing::Browser;
using http::testing::ClientResponse;
using http::testing::Send;
using http::testing::TestSite;

std::string CorporateNumber(const std::string& twelve) {
  return std::to_string(CorporateNumberCheckDigit(twelve)) + twelve;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

class PartnersSiteTest : public ::testing::TestWithParam<std::string> {
 protected:
  PartnersSiteTest() : site_(GetParam(), {http::HttpModule(), PartnersModule()}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  ClientResponse Get(const std::string& target) { return Send(site_.port(), "GET", target); }

  Browser SignedIn(const std::string& login, http::Role role) {
    return http::testing::SignedInBrowser(site_, login, role,
                                          role == http::Role::kSectionStaff ? "企画経営部" : "",
                                          role == http::Role::kSectionStaff ? "企画課" : "");
  }

  TestSite site_;
};

TEST_P(PartnersSiteTest, SeedPartnersAgreementsAndCountsByType) {
  Result<std::vector<Partner>> partners = ListPartners(site_.database());
  ASSERT_TRUE(partners.ok());
  EXPECT_EQ(partners->size(), 42u);
  for (const Partner& partner : *partners)
    EXPECT_TRUE(ValidateLocalGovernmentCode(partner.code).ok()) << partner.name;
  const std::string index = Get("/partners").body;
  EXPECT_NE(index.find("id=\"pref-北海道\""), std::string::npos);
  EXPECT_NE(index.find("郡上市</strong>（団体コード 212199）"), std::string::npos);
  EXPECT_NE(index.find("303"), std::string::npos);
  const std::string agreements = Get("/partners/agreements").body;
  for (const char* row : {"商店街友好都市<br>", "災害時相互協力<br>", "国産材活用<br>"})
    EXPECT_NE(agreements.find(row), std::string::npos) << row;
  EXPECT_NE(agreements.find(">80（令和5(2023)年12月1日）"), std::string::npos);
  EXPECT_NE(agreements.find(">5（令和5(2023)年12月1日）"), std::string::npos);
  EXPECT_NE(agreements.find(">2（令和5(2023)年12月1日）"), std::string::npos);
  EXPECT_NE(agreements.find("平成26(2014)年10月31日"), std::string::npos);
  EXPECT_NE(agreements.find("赤坂地区総合支所"), std::string::npos);

  // The rest of the partners come from CSV through ImportPartners; a bad code is refused.
  EXPECT_FALSE(ValidateLocalGovernmentCode("131031").ok());
  ASSERT_TRUE(
      ImportPartners(site_.database(), {{"131016", "東京都", "千代田区", ""}}, {}, "tester").ok());
  EXPECT_EQ(ListPartners(site_.database())->size(), 43u);
}

TEST_P(PartnersSiteTest, PublishersRecordExchangesAndAgreements) {
  Browser staff = SignedIn("kakari", http::Role::kSectionStaff);
  EXPECT_EQ(staff.Get("/staff/partners").status, 403);
  Browser publisher = SignedIn("kikaku", http::Role::kPublisher);
  const std::string token = http::testing::CsrfTokenIn(publisher.Get("/staff/partners").body);
  ClientResponse added =
      publisher.PostForm("/staff/partners/exchanges", {{"partner_code", "212199"},
                                                       {"office", "赤坂"},
                                                       {"title", "郡上おどりin青山 2026"},
                                                       {"on", "2026-06"},
                                                       {"csrf_token", token}});
  ASSERT_EQ(added.status, 303) << added.body;
  const std::string page = Get("/partners/agreements").body;
  EXPECT_NE(page.find("郡上おどりin青山 2026（令和8(2026)年6月）"), std::string::npos);
  ClientResponse office = publisher.PostForm(
      "/staff/partners/exchanges",
      {{"partner_code", "212199"}, {"office", "六本木"}, {"title", "x"}, {"csrf_token", token}});
  EXPECT_EQ(office.status, 422);
  EXPECT_NE(office.body.find("<code>office</code>"), std::string::npos);
  EXPECT_NE(office.body.find("総合支所は 芝・麻布・赤坂・高輪・芝浦港南・本庁 のいずれかです"),
            std::string::npos);
  ClientResponse unknown = publisher.PostForm(
      "/staff/partners/exchanges",
      {{"partner_code", "131032"}, {"office", "芝"}, {"title", "x"}, {"csrf_token", token}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_NE(unknown.body.find("<code>partner_code</code>"), std::string::npos);
  ClientResponse date =
      publisher.PostForm("/staff/partners/agreements", {{"partner_code", "072044"},
                                                        {"type", "災害時相互協力"},
                                                        {"title", "災害時相互協力協定書"},
                                                        {"signed_on", "令和5年"},
                                                        {"csrf_token", token}});
  EXPECT_EQ(date.status, 422);
  EXPECT_NE(date.body.find("<code>signed_on</code>"), std::string::npos);
  ASSERT_EQ(publisher
                .PostForm("/staff/partners/agreements", {{"partner_code", "072044"},
                                                         {"type", "災害時相互協力"},
                                                         {"title", "災害時相互協力協定書"},
                                                         {"signed_on", "2023-04-01"},
                                                         {"csrf_token", token}})
                .status,
            303);
  // Signed in, so not the 5-second public page cache.
  EXPECT_NE(publisher.Get("/partners/agreements").body.find("令和5(2023)年4月1日"),
            std::string::npos);
}

// Issue 23 (6): the staff forms' date hints showed Western dates only. The hint shows a 和暦 date
// with the Western year, and the form reads such a date as the import does.
TEST_P(PartnersSiteTest, StaffDateHintsShowWarekiAndTheFormsReadIt) {
  Browser publisher = SignedIn("kikaku", http::Role::kPublisher);
  const std::string page = publisher.Get("/staff/partners").body;
  EXPECT_NE(page.find("令和5(2023)年10月3日 のような和暦の日付"), std::string::npos) << page;
  const std::string token = http::testing::CsrfTokenIn(page);
  ASSERT_EQ(publisher
                .PostForm("/staff/partners/agreements", {{"partner_code", "072044"},
                                                         {"type", "災害時相互協力"},
                                                         {"title", "災害時相互協力協定書"},
                                                         {"signed_on", "令和5(2023)年10月3日"},
                                                         {"csrf_token", token}})
                .status,
            303);
  EXPECT_NE(publisher.Get("/partners/agreements").body.find("令和5(2023)年10月3日"),
            std::string::npos);
  EXPECT_NE(publisher.Get("/staff/partners?lang=en")
                .body.find("令和5(2023)年10月3日 (3 October 2023, Reiwa 5)"),
            std::string::npos);
}

TEST_P(PartnersSiteTest, MarcheScheduleInWarekiAndICalendar) {
  const std::string page = Get("/partners/marche").body;
  EXPECT_NE(page.find("令和5(2023)年5月27日（土）"), std::string::npos);
  EXPECT_NE(page.find("令和6(2024)年3月24日（日）"), std::string::npos);
  EXPECT_NE(page.find("区立プラタナス公園"), std::string::npos);
  EXPECT_NE(page.find("11:00〜16:00"), std::string::npos);
  ClientResponse ics = Get("/partners/marche.ics");
  ASSERT_EQ(ics.status, 200);
  EXPECT_EQ(ics.headers["content-type"], "text/calendar; charset=utf-8");
  EXPECT_EQ(Count(ics.body, "BEGIN:VEVENT"), 12u);
  EXPECT_NE(ics.body.find("DTSTART;TZID=Asia/Tokyo:20230527T110000\r\n"), std::string::npos);
  EXPECT_NE(ics.body.find("DTEND;TZID=Asia/Tokyo:20230527T160000\r\n"), std::string::npos);
  EXPECT_EQ(Count(ics.body, "STATUS:TENTATIVE"), 2u);
  for (size_t start = 0, end; (end = ics.body.find("\r\n", start)) != std::string::npos;
       start = end + 2)
    EXPECT_LE(end - start, 75u) << "a line longer than 75 octets";
}

TEST_P(PartnersSiteTest, EstimateApiGoldenCases) {
  const std::map<std::string, std::string> json = {{"Content-Type", "application/json"}};
  ClientResponse first =
      Send(site_.port(), "POST", "/api/v1/workation/estimate",
           R"({"staff":[{"nights":2,"lodging_per_night_yen":12000,"transport_yen":30000},)"
           R"({"nights":2,"lodging_per_night_yen":12000,"transport_yen":30000},)"
           R"({"nights":2,"lodging_per_night_yen":12000,"transport_yen":30000}]})",
           json);
  ASSERT_EQ(first.status, 200) << first.body;
  nlohmann::json answer = nlohmann::json::parse(first.body);
  EXPECT_EQ(answer["subsidy_yen"], 150000);
  EXPECT_EQ(answer["lines"].size(), 3u);
  EXPECT_EQ(answer["lines"][0]["lodging_eligible_yen"], 20000);
  std::string five = R"({"staff":[)";
  for (int i = 0; i < 5; ++i)
    five += std::string(i ? "," : "") +
            R"({"nights":3,"lodging_per_night_yen":9000,"transport_yen":40000})";
  five += "]}";
  answer = nlohmann::json::parse(
      Send(site_.port(), "POST", "/api/v1/workation/estimate", five, json).body);
  EXPECT_EQ(answer["eligible_total_yen"], 335000);
  EXPECT_EQ(answer["subsidy_yen"], 200000);
  EXPECT_EQ(answer["capped"], true);
  ClientResponse bad =
      Send(site_.port(), "POST", "/api/v1/workation/estimate",
           R"({"staff":[{"nights":0,"lodging_per_night_yen":1,"transport_yen":1}]})", json);
  EXPECT_EQ(bad.status, 400);
  nlohmann::json error = nlohmann::json::parse(bad.body)["error"];
  EXPECT_EQ(error["field"], "staff[0].nights");
  EXPECT_EQ(error["message_id"], "partners.nights_at_least_one");
  EXPECT_EQ(error["message"], "1泊以上の宿泊が条件です");
  ClientResponse english =
      Send(site_.port(), "POST", "/api/v1/workation/estimate?lang=en",
           R"({"staff":[{"nights":0,"lodging_per_night_yen":1,"transport_yen":1}]})", json);
  EXPECT_EQ(nlohmann::json::parse(english.body)["error"]["message"], "at least one night");
  EXPECT_EQ(Send(site_.port(), "POST", "/api/v1/workation/estimate", "{", json).status, 400);
  // The same as a page, without JavaScript.
  ClientResponse page =
      Get("/workation/estimate?nights_1=2&lodging_1=12000&transport_1=30000&nights_2=2&"
          "lodging_2=12%2C000&transport_2=30000&nights_3=2&lodging_3=12000&transport_3=30000");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("補助額（円）: 150,000"), std::string::npos);
  ClientResponse refused = Get("/workation/estimate?nights_1=2&lodging_2=abc");
  EXPECT_EQ(refused.status, 400);
  // The summary names the field as the resident sees it (the row's label and number).
  EXPECT_NE(refused.body.find("<a href=\"#lodging_2\">1泊の宿泊費（円） 2："), std::string::npos)
      << refused.body;
  EXPECT_NE(refused.body.find("value=\"abc\" aria-invalid=\"true\""), std::string::npos);
  EXPECT_EQ(refused.body.find("<code>lodging_2</code>"), std::string::npos);
}

// Issue 23 (7): outside the window an application with a field missing was answered 422 (「同意
// してください」) where the README says 409. The window is asked first: whatever the form holds,
// outside it the answer is 409 naming both dates, as for a complete form.
TEST_P(PartnersSiteTest, ApplicationOutsideTheWindowIs409WhateverTheFormHolds) {
  Browser visitor(site_.port());
  const std::string page = visitor.Get("/workation").body;
  ASSERT_NE(page.find("受付期間外です"), std::string::npos);  // the seeded 令和5年度 window
  // The apply form is not shown outside the window: the token of this browser from another form.
  const std::string token = http::testing::CsrfTokenIn(visitor.Get("/login").body);
  ASSERT_FALSE(token.empty());
  const std::map<std::string, std::string> complete = {
      {"business_name", "株式会社みなと試験"},
      {"corporate_number", CorporateNumber("010401000001")},
      {"address", "東京都港区芝公園1-5-25"},
      {"destination", "015199"},
      {"staff_count", "3"},
      {"planned_nights", "2"},
      {"agree", "yes"},
      {"csrf_token", token}};
  for (const std::map<std::string, std::string>& form :
       {complete, std::map<std::string, std::string>{{"csrf_token", token}},
        std::map<std::string, std::string>{{"staff_count", "たくさん"}, {"csrf_token", token}}}) {
    ClientResponse refused = visitor.PostForm("/workation/apply", form);
    EXPECT_EQ(refused.status, 409) << form.size();
    EXPECT_NE(refused.body.find("令和5(2023)年5月1日から令和5(2023)年6月7日まで"),
              std::string::npos)
        << form.size();
  }
}

TEST_P(PartnersSiteTest, ApplicationsWindowLotteryApprovalReportAndPublication) {
  // The shipped programme (fiscal 2023) closed on 令和5年6月7日.
  Browser visitor(site_.port());
  std::string token = http::testing::CsrfTokenIn(visitor.Get("/workation").body);
  const std::string good_number = CorporateNumber("010401000001");
  std::map<std::string, std::string> form = {{"business_name", "株式会社みなと試験"},
                                             {"corporate_number", good_number},
                                             {"address", "東京都港区芝公園1-5-25"},
                                             {"destination", "212199"},
                                             {"staff_count", "3"},
                                             {"planned_nights", "2"},
                                             {"email", "kikaku@example.jp"},
                                             {"agree", "yes"},
                                             {"csrf_token", token}};
  Result<Application> closed =
      SubmitApplication(site_.database(),
                        {0, "", 2023, "株式会社みなと試験", good_number, "",
                         "東京都港区芝公園1-5-25", "015199", 3, 2, "a@example.jp"},
                        MakeDate(2023, 6, 8));
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.status().code(), StatusCode::kConflict);
  EXPECT_EQ(closed.status().message_id(), "partners.window_closed");
  EXPECT_NE(site_.app()
                .messages()
                .Format("ja", closed.status())
                .find("令和5(2023)年5月1日から令和5(2023)年6月7日まで"),
            std::string::npos);

  // A publisher opens this year's programme with two places.
  Browser publisher = SignedIn("kikaku", http::Role::kPublisher);
  const int year = FiscalYear::Containing(TodayInJapan()).year();
  const std::string today = FormatIsoDate(TodayInJapan());
  // Issue 25 #8: the staff page opened on 令和5年度, the only programme in the seeds. It opens on
  // this fiscal year, says it is not set up yet and links to the year that is.
  const std::string opening = publisher.Get("/staff/workation").body;
  EXPECT_NE(opening.find(FormatWarekiFiscalYear(FiscalYear(year))), std::string::npos);
  EXPECT_NE(opening.find("id=\"no-programme\""), std::string::npos);
  EXPECT_NE(opening.find("/staff/workation?year=2023"), std::string::npos);
  EXPECT_NE(opening.find("name=\"year\" type=\"text\" inputmode=\"numeric\" size=\"6\" value=\"" +
                         std::to_string(year) + "\""),
            std::string::npos);
  EXPECT_EQ(publisher.Get("/staff/workation?year=2023").body.find("id=\"no-programme\""),
            std::string::npos);
  std::string staff_token = http::testing::CsrfTokenIn(opening);
  ClientResponse saved =
      publisher.PostForm("/staff/workation/programme", {{"year", std::to_string(year)},
                                                        {"opens", today},
                                                        {"closes", today},
                                                        {"places", "2"},
                                                        {"budget_yen", ""},
                                                        {"csrf_token", staff_token}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(publisher.Get("/staff/workation").body.find("id=\"no-programme\""), std::string::npos);

  token = http::testing::CsrfTokenIn(visitor.Get("/workation").body);
  form["csrf_token"] = token;
  form["destination"] = "015199";  // 利尻富士町 offers a programme
  std::map<std::string, std::string> bad = form;
  bad["corporate_number"] = "1" + good_number.substr(1) == good_number
                                ? "2" + good_number.substr(1)
                                : "1" + good_number.substr(1);
  ClientResponse refused = visitor.PostForm("/workation/apply", bad);
  EXPECT_EQ(refused.status, 422);
  // The error summary links to the field under its visible label; the field says it too.
  EXPECT_NE(refused.body.find("<a href=\"#corporate_number\">法人番号（13桁）："),
            std::string::npos)
      << refused.body;
  EXPECT_NE(refused.body.find("<p id=\"corporate_number-error\" class=\"field-error\">"),
            std::string::npos);
  EXPECT_EQ(refused.body.find("<code>corporate_number</code>"), std::string::npos);
  std::vector<std::string> numbers;
  for (const char* base : {"010401000001", "010401000002", "010401000003", "010401000004"}) {
    form["corporate_number"] = CorporateNumber(base);
    ClientResponse applied = visitor.PostForm("/workation/apply", form);
    ASSERT_EQ(applied.status, 201) << applied.body;
  }
  form["corporate_number"] = CorporateNumber("010401000009");
  form["address"] = "東京都千代田区丸の内1-1";
  ClientResponse outside = visitor.PostForm("/workation/apply", form);
  ASSERT_EQ(outside.status, 201);
  EXPECT_NE(outside.body.find("所在地が港区内ではありません"), std::string::npos);

  Result<std::vector<Application>> applications = ListApplications(site_.database(), year);
  ASSERT_EQ(applications->size(), 5u);
  std::vector<std::string> eligible;
  for (const Application& application : *applications)
    if (application.status == ApplicationStatus::kReceived) eligible.push_back(application.number);
  ASSERT_EQ(eligible.size(), 4u);

  // Four eligible for two places: a lottery with the seed committed when the programme was
  // saved, drawn once the window has closed (today is its last day, so tomorrow).
  staff_token = http::testing::CsrfTokenIn(publisher.Get("/staff/workation").body);
  ClientResponse early = publisher.PostForm(
      "/staff/workation/select", {{"year", std::to_string(year)}, {"csrf_token", staff_token}});
  EXPECT_EQ(early.status, 409);
  EXPECT_NE(early.body.find("参加事業者の決定は受付期間の終了後です"), std::string::npos);
  const Date tomorrow = Date(std::chrono::sys_days(TodayInJapan()) + std::chrono::days(1));
  Result<std::optional<Draw>> drawn =
      SelectParticipants(site_.database(), year, "kikaku", tomorrow);
  ASSERT_TRUE(drawn.ok()) << drawn.status().ToString();
  ASSERT_TRUE(drawn->has_value());
  const std::vector<DrawTicket> expected = DrawLottery((*drawn)->seed, eligible, 2);
  const std::string record = Get("/workation/draws/" + std::to_string(year)).body;
  EXPECT_NE(record.find("記録と一致しました"), std::string::npos);
  EXPECT_NE(record.find(expected[0].hash_hex), std::string::npos);
  std::string winner;
  Result<std::vector<Application>> after_draw = ListApplications(site_.database(), year);
  ASSERT_TRUE(after_draw.ok());
  for (const Application& application : *after_draw) {
    const bool won = std::any_of(expected.begin(), expected.end(), [&](const DrawTicket& ticket) {
      return ticket.won && ticket.applicant == application.number;
    });
    if (application.address.find("港区") == std::string::npos) continue;
    EXPECT_EQ(application.status,
              won ? ApplicationStatus::kSelected : ApplicationStatus::kNotSelected)
        << application.number;
    if (won && winner.empty()) winner = std::to_string(application.id);
  }
  ASSERT_FALSE(winner.empty());
  Result<std::optional<Draw>> again =
      SelectParticipants(site_.database(), year, "kikaku", tomorrow);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message_id(), "partners.already_drawn");

  // Report before approval is refused; then approve, report, publish.
  const std::string base = "/staff/workation/applications/" + winner + "/";
  EXPECT_EQ(
      publisher
          .PostForm(base + "report", {{"expenses", "2,12000,30000"}, {"csrf_token", staff_token}})
          .status,
      409);
  ASSERT_EQ(publisher.PostForm(base + "approve", {{"csrf_token", staff_token}}).status, 303);
  ClientResponse malformed =
      publisher.PostForm(base + "report", {{"expenses", "2,12000\n"}, {"csrf_token", staff_token}});
  EXPECT_EQ(malformed.status, 422);
  EXPECT_NE(malformed.body.find("1 行目"), std::string::npos);
  EXPECT_EQ(publisher.PostForm(base + "cancel", {{"csrf_token", staff_token}}).status, 404);
  EXPECT_EQ(
      publisher.PostForm("/staff/workation/applications/x/approve", {{"csrf_token", staff_token}})
          .status,
      400);
  EXPECT_EQ(
      publisher
          .PostForm("/staff/workation/applications/999999/approve", {{"csrf_token", staff_token}})
          .status,
      404);
  ASSERT_EQ(
      publisher
          .PostForm(base + "report", {{"expenses", "2,12000,30000\n2,12000,30000\n2,12000,30000\n"},
                                      {"csrf_token", staff_token}})
          .status,
      303);
  Result<Application> reported = FindApplication(site_.database(), std::stoll(winner));
  EXPECT_EQ(reported->status, ApplicationStatus::kReported);
  EXPECT_EQ(reported->subsidy_yen, 150000);
  EXPECT_EQ(publisher
                .PostForm(base + "publish",
                          {{"report_url", "javascript:alert(1)"}, {"csrf_token", staff_token}})
                .status,
            422);
  ASSERT_EQ(publisher
                .PostForm(base + "publish", {{"report_url", "https://example.jp/workation-report"},
                                             {"csrf_token", staff_token}})
                .status,
            303);
  EXPECT_EQ(FindApplication(site_.database(), std::stoll(winner))->status,
            ApplicationStatus::kPublished);
  ClientResponse csv =
      publisher.Get("/staff/workation/applications.csv?year=" + std::to_string(year));
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBFnumber,fiscal_year,business_name,", 0), 0u);
  EXPECT_NE(csv.body.find("https://example.jp/workation-report"), std::string::npos);
  // Section staff read the applications too; only publishers and admins change them.
  Browser section = SignedIn("kakari", http::Role::kSectionStaff);
  EXPECT_EQ(section.Get("/staff/workation/applications.csv?year=" + std::to_string(year)).status,
            200);
  EXPECT_EQ(section.PostForm(base + "approve", {{"csrf_token", staff_token}}).status, 403);
  EXPECT_EQ(publisher.Get("/staff/workation/applications.xlsx?year=" + std::to_string(year)).status,
            200);
  // Signed out, a staff page sends the browser to sign in.
  ClientResponse signed_out = Get("/staff/workation");
  EXPECT_EQ(signed_out.status, 303);
  EXPECT_EQ(signed_out.headers["location"].rfind("/login?next=", 0), 0u);
  ClientResponse bad_cap =
      publisher.PostForm("/staff/workation/programme", {{"year", std::to_string(year)},
                                                        {"opens", today},
                                                        {"closes", today},
                                                        {"business_cap", "二十万"},
                                                        {"csrf_token", staff_token}});
  EXPECT_EQ(bad_cap.status, 422);
  EXPECT_NE(bad_cap.body.find("<code>business_cap</code>"), std::string::npos);
  ASSERT_EQ(publisher
                .PostForm("/staff/workation/programme", {{"year", std::to_string(year)},
                                                         {"opens", today},
                                                         {"closes", today},
                                                         {"business_cap", "150,000"},
                                                         {"csrf_token", staff_token}})
                .status,
            303);
  EXPECT_EQ(FindProgramme(site_.database(), year)->rules.cap_per_business_yen, 150000);
}

// Lists of 団体コード often write the five digits without the check digit; a spreadsheet may
// also have dropped the leading zero of a six-digit code. Each is read as meant and listed.
TEST_P(PartnersSiteTest, FiveDigitCodesGetTheirCheckDigitAndEachIsListed) {
  const std::string csv =
      "団体コード,都道府県名,市区町村名\n"
      "13101,東京都,千代田区\n"     // five digits: 131016
      "11002,北海道,札幌市\n"       // 011002 with its zero dropped (北海道 is 01)
      "１１２０１,埼玉県,川越市\n"  // full width: 112011
      "272051,大阪府,吹田市\n";     // six digits as they are
  tabular::ImportOptions options;
  Result<tabular::Report> report =
      ImportPartnersTable(site_.database(), csv, "test.csv", "tester", options, nullptr);
  ASSERT_TRUE(report.ok()) << report.status().message_id() << " " << report.status().field();
  EXPECT_EQ(report->rows_written, 4);
  ASSERT_EQ(report->changes.size(), 3u);
  EXPECT_EQ(report->changes[0].before, "13101");
  EXPECT_EQ(report->changes[0].after, "131016");
  EXPECT_EQ(report->changes[0].column, "団体コード");
  EXPECT_EQ(report->changes[0].reason, "partners.import_change_code_check_digit");
  EXPECT_EQ(report->changes[1].after, "011002");
  EXPECT_EQ(report->changes[1].reason, "partners.import_change_code_zero");
  EXPECT_EQ(report->changes[2].after, "112011");
  EXPECT_TRUE(report->warnings.empty());
  std::map<std::string, std::string> names;
  Result<std::vector<Partner>> partners = ListPartners(site_.database());
  ASSERT_TRUE(partners.ok());
  for (const Partner& partner : *partners) names[partner.code] = partner.name;
  EXPECT_EQ(names["131016"], "千代田区");
  EXPECT_EQ(names["011002"], "札幌市");
  EXPECT_EQ(names["112011"], "川越市");
  EXPECT_EQ(names["272051"], "吹田市");

  // A prefecture that decides neither reading: the check-digit one, with a warning naming both.
  options.dry_run = true;
  Result<tabular::Report> unsure =
      ImportPartnersTable(site_.database(), "団体コード,都道府県,自治体名\n11002,不明,どこか\n",
                          "t.csv", "tester", options, nullptr);
  ASSERT_TRUE(unsure.ok());
  ASSERT_EQ(unsure->warnings.size(), 1u);
  EXPECT_EQ(unsure->warnings[0].message_id(), "partners.import_code_ambiguous");
  EXPECT_EQ(unsure->warnings[0].arg("code"), "110027");
  EXPECT_EQ(unsure->warnings[0].arg("other"), "011002");
  // Four or seven digits, and a wrong check digit, are refused naming the row and column.
  for (const char* bad : {"1310", "1310166", "131017"}) {
    tabular::Report refused;
    Result<tabular::Report> no = ImportPartnersTable(
        site_.database(), std::string("団体コード,都道府県,自治体名\n") + bad + ",東京都,x\n",
        "t.csv", "tester", options, &refused);
    ASSERT_FALSE(no.ok()) << bad;
    EXPECT_NE(no.status().field().find(", code"), std::string::npos) << bad;
    EXPECT_EQ(no.status().field().rfind("row ", 0), 0u) << bad;
  }
}

// Partners on the site's import page: five-digit codes read with their check digit, the change
// shown in the report; confirmed once.
TEST_P(PartnersSiteTest, PartnersAreImportedOnTheImportPage) {
  Browser publisher = SignedIn("publisher", http::Role::kPublisher);
  const std::string page = "/staff/imports/tables";
  ClientResponse uploaded = publisher.PostFile(
      page,
      {{"kind", "partners"}, {"csrf_token", http::testing::CsrfTokenIn(publisher.Get(page).body)}},
      "renkei.csv", "団体コード,都道府県名,市区町村名\n13101,東京都,千代田区\n");
  ASSERT_EQ(uploaded.status, 303) << uploaded.body;
  const std::string address = uploaded.headers["location"];
  ClientResponse mapping = publisher.Get(address);
  ASSERT_EQ(mapping.status, 200);
  const std::string token = http::testing::CsrfTokenIn(mapping.body);
  ClientResponse done = publisher.PostForm(address, {{"action", "confirm"}, {"csrf_token", token}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("131016"), std::string::npos) << "the change is in the report";
  EXPECT_NE(done.body.find("5桁の団体コードに検査数字を補いました"), std::string::npos);
  EXPECT_EQ(ListPartners(site_.database())->size(), 43u);
  EXPECT_EQ(publisher.PostForm(address, {{"action", "confirm"}, {"csrf_token", token}}).status,
            409);
}

INSTANTIATE_TEST_SUITE_P(Backends, PartnersSiteTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::partners
