// The surveys module as a site, on both databases: the shipped baseline loaded once, a survey
// defined by file, opened, answered as a resident would (errors per question, the honeypot, a
// replayed or raced form, the rate limit), closed, and its results and downloads.

#include "surveys/surveys_module.h"

#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "http/http_module.h"
#include "http/testing.h"
#include "surveys/results.h"
#include "surveys/store.h"

namespace civicdesk::surveys {
namespace {

using http::testing::Browser;
using http::testing::ClientResponse;
using http::testing::Send;
using http::testing::TestSite;

constexpr char kDefinition[] = R"({
  "key": "kumin-2026", "title": "令和8年度区民意識調査", "title_en": "Resident survey FY2026",
  "fiscal_year": 2026,
  "sections": [
    {"key": "about", "title": "あなたについて", "title_en": "About you", "questions": [
      {"key": "district", "type": "single", "segment": "district", "text": "お住まいの地区",
       "text_en": "Your district", "required": true,
       "choices": [{"value": "芝", "en": "Shiba"}, {"value": "麻布", "en": "Azabu"}]},
      {"key": "residence", "type": "single", "segment": "residence", "text": "在住ですか在勤ですか",
       "choices": ["在住", "在勤"]}]},
    {"key": "policy", "title": "区政について", "questions": [
      {"key": "p24", "type": "satisfaction", "text": "政策24について満足していますか",
       "text_en": "Are you satisfied with policy 24?", "required": true},
      {"key": "why", "type": "text", "text": "満足でない理由", "max_length": 200,
       "show_if": {"question": "p24", "any_of": ["満足ではない"]}},
      {"key": "media", "type": "multiple", "text": "区の情報をどこで得ますか",
       "choices": ["広報みなと", "ホームページ", "SNS"]}]}],
  "feeds": [{"kpi": "24-0-1", "question": "p24", "choices": ["満足", "まあ満足"]}]
})";

class SurveysSiteTest : public ::testing::TestWithParam<std::string> {
 protected:
  SurveysSiteTest() : site_(GetParam(), {http::HttpModule(), SurveysModule()}) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(site_); }

  Browser SignedIn(const std::string& login, http::Role role) {
    return http::testing::SignedInBrowser(site_, login, role,
                                          role == http::Role::kSectionStaff ? "企画経営部" : "",
                                          role == http::Role::kSectionStaff ? "企画課" : "");
  }

  // Defines and opens the survey as a publisher; returns its id.
  int64_t DefineAndOpen() {
    Browser publisher = SignedIn("kikaku", http::Role::kPublisher);
    const std::string token = http::testing::CsrfTokenIn(publisher.Get("/staff/surveys").body);
    ClientResponse uploaded = publisher.PostFile(
        "/staff/surveys/definitions", {{"csrf_token", token}}, "survey.json", kDefinition);
    EXPECT_EQ(uploaded.status, 303) << uploaded.body;
    const std::string location = uploaded.headers["location"];
    const int64_t id = std::stoll(location.substr(location.rfind('/') + 1));
    EXPECT_EQ(publisher
                  .PostForm("/staff/surveys/" + std::to_string(id) + "/status",
                            {{"status", "open"}, {"csrf_token", token}})
                  .status,
              303);
    return id;
  }

  // A resident's browser with the form's tokens read from the page.
  struct Resident {
    Browser browser;
    std::string csrf;
    std::string form_token;
  };
  Resident OpenForm(int64_t id) {
    Resident resident{Browser(site_.port()), "", ""};
    const std::string page = resident.browser.Get("/surveys/" + std::to_string(id)).body;
    resident.csrf = http::testing::CsrfTokenIn(page);
    std::smatch match;
    if (std::regex_search(page, match, std::regex("name=\"form_token\" value=\"([0-9a-f]+)\"")))
      resident.form_token = match[1];
    return resident;
  }

  TestSite site_;
};

TEST_P(SurveysSiteTest, ShippedBaselineLoadsOnceAndFeedsTheSatisfactionKpis) {
  Result<std::vector<Survey>> surveys = ListSurveys(site_.database());
  ASSERT_TRUE(surveys.ok());
  ASSERT_EQ(surveys->size(), 1u);
  EXPECT_EQ(surveys->front().status, "published");
  // A second start adds nothing.
  ASSERT_TRUE(SurveysModule().load_initial_data(site_.database()).ok());
  EXPECT_EQ(ListSurveys(site_.database())->size(), 1u);
  const std::pair<const char*, double> expected[] = {
      {"24-0-1", 27.6}, {"25-0-1", 19.7}, {"26-0-1", 16.4}};
  for (const auto& [code, share] : expected) {
    std::vector<kpi_feed::Row> fed = *FedValues(site_.database(), code);
    ASSERT_EQ(fed.size(), 1u) << code;
    EXPECT_EQ(fed[0].fiscal_year, 2019);
    EXPECT_NEAR(fed[0].value, share, 1e-9) << code;
    EXPECT_FALSE(fed[0].n.has_value());  // the report gives no n
    EXPECT_EQ(fed[0].address, "/surveys/" + std::to_string(surveys->front().id) + "/results");
  }
  const std::string results =
      Send(site_.port(), "GET", "/surveys/" + std::to_string(surveys->front().id) + "/results")
          .body;
  EXPECT_NE(results.find("23.7%"), std::string::npos);
  EXPECT_NE(results.find("令和元(2019)年度"), std::string::npos);
}

TEST_P(SurveysSiteTest, ResidentAnswersWithErrorsPerQuestionAndOnceOnly) {
  const int64_t id = DefineAndOpen();
  const std::string address = "/surveys/" + std::to_string(id);
  Resident resident = OpenForm(id);
  ASSERT_EQ(resident.form_token.size(), 64u);
  const std::string form = resident.browser.Get(address).body;
  EXPECT_NE(form.find("<fieldset class=\"field\" id=\"q_p24\">"), std::string::npos);
  EXPECT_NE(form.find("<label class=\"choice\" for=\"q_p24-1\"><input type=\"radio\""),
            std::string::npos);
  EXPECT_NE(form.find("name=\"q_media__2\""), std::string::npos);
  EXPECT_NE(form.find("「政策24について満足していますか」で「満足ではない」と答えた方"),
            std::string::npos);

  // Nothing chosen for the required questions: 422, each error beside its question.
  ClientResponse refused = resident.browser.PostForm(
      address,
      {{"csrf_token", resident.csrf}, {"form_token", resident.form_token}, {"q_media__1", "1"}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("<a href=\"#q_district-0\">お住まいの地区"), std::string::npos);
  EXPECT_NE(refused.body.find("id=\"q_p24-error\""), std::string::npos);
  EXPECT_NE(refused.body.find("name=\"q_media__1\" value=\"1\" checked"), std::string::npos);
  EXPECT_EQ(*CountResponses(site_.database(), id), 0);

  const std::map<std::string, std::string> answers = {{"csrf_token", resident.csrf},
                                                      {"form_token", resident.form_token},
                                                      {"q_district", "麻布"},
                                                      {"q_residence", "在勤"},
                                                      {"q_p24", "まあ満足"},
                                                      {"q_why", "この理由は聞かれていない"},
                                                      {"q_media__0", "1"}};
  ClientResponse sent = resident.browser.PostForm(address, answers);
  ASSERT_EQ(sent.status, 303) << sent.body;
  EXPECT_EQ(sent.headers["location"], address + "/thanks");
  // Replayed (a reload, a double click): the thanks again, nothing stored twice.
  EXPECT_EQ(resident.browser.PostForm(address, answers).status, 303);
  EXPECT_EQ(*CountResponses(site_.database(), id), 1);
  std::vector<AnswerRow> rows;
  ASSERT_TRUE(ForEachAnswer(site_.database(), id, "", [&](const AnswerRow& row) {
                rows.push_back(row);
                return Status::Ok();
              }).ok());
  ASSERT_EQ(rows.size(), 4u);  // the reason was not asked: not kept
  EXPECT_EQ(rows[0].district, "麻布");
  EXPECT_EQ(rows[0].residence, "在勤");

  // Raced: the same form sent at once from two connections stores one response.
  Resident racer = OpenForm(id);
  std::map<std::string, std::string> raced = answers;
  raced["csrf_token"] = racer.csrf;
  raced["form_token"] = racer.form_token;
  std::vector<int> statuses(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      Browser copy = racer.browser;
      statuses[i] = copy.PostForm(address, raced).status;
    });
  for (std::thread& thread : threads) thread.join();
  for (int status : statuses) EXPECT_EQ(status, 303);
  EXPECT_EQ(*CountResponses(site_.database(), id), 2);

  // The honeypot: asked to send again, nothing stored. A stranger without the CSRF token: 403.
  Resident bot = OpenForm(id);
  std::map<std::string, std::string> trap = answers;
  trap["csrf_token"] = bot.csrf;
  trap["form_token"] = bot.form_token;
  trap["website"] = "http://spam.example";
  ClientResponse trapped = bot.browser.PostForm(address, trap);
  EXPECT_EQ(trapped.status, 422);
  EXPECT_NE(trapped.body.find("もう一度送信してください"), std::string::npos);
  EXPECT_NE(trapped.body.find("value=\"麻布\" checked"), std::string::npos);
  std::map<std::string, std::string> stranger = answers;
  stranger.erase("csrf_token");
  stranger["form_token"] = bot.form_token;
  EXPECT_EQ(Browser(site_.port()).PostForm(address, stranger).status, 403);
  EXPECT_EQ(*CountResponses(site_.database(), id), 2);

  // English: the question in English, the scale's labels from the catalog.
  const std::string english = Send(site_.port(), "GET", address + "?lang=en").body;
  EXPECT_NE(english.find("Are you satisfied with policy 24?"), std::string::npos);
  EXPECT_NE(english.find("Somewhat satisfied"), std::string::npos);
  // A section without English shows its Japanese, marked as such.
  EXPECT_NE(english.find("<h2 lang=\"ja\">区政について</h2>"), std::string::npos);
}

TEST_P(SurveysSiteTest, OnlyPublishersDefineAndOpenAndResultsWaitForTheClose) {
  Browser staff = SignedIn("kakari", http::Role::kSectionStaff);
  const std::string token = http::testing::CsrfTokenIn(staff.Get("/staff/surveys").body);
  EXPECT_EQ(
      staff.PostFile("/staff/surveys/definitions", {{"csrf_token", token}}, "s.json", kDefinition)
          .status,
      403);
  const int64_t id = DefineAndOpen();
  const std::string address = "/surveys/" + std::to_string(id);
  EXPECT_EQ(staff
                .PostForm("/staff/surveys/" + std::to_string(id) + "/status",
                          {{"status", "closed"}, {"csrf_token", token}})
                .status,
            403);
  // While open, the public sees no results and no download; staff see them.
  EXPECT_EQ(Send(site_.port(), "GET", address + "/results").status, 404);
  EXPECT_EQ(Send(site_.port(), "GET", address + "/results.csv").status, 404);
  EXPECT_EQ(staff.Get("/staff/surveys/" + std::to_string(id) + "/results").status, 200);
  // A bad definition: 422 naming the place.
  Browser publisher = SignedIn("kikaku2", http::Role::kPublisher);
  const std::string publisher_token =
      http::testing::CsrfTokenIn(publisher.Get("/staff/surveys").body);
  std::string bad = kDefinition;
  bad.replace(bad.find("\"multiple\""), 10, "\"checkbox\"");
  ClientResponse refused = publisher.PostFile("/staff/surveys/definitions",
                                              {{"csrf_token", publisher_token}}, "bad.json", bad);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("<code>sections[1].questions[2].type</code>"), std::string::npos);
  // Answered, its questions cannot change (409); its title can.
  Resident resident = OpenForm(id);
  ASSERT_EQ(resident.browser
                .PostForm(address, {{"csrf_token", resident.csrf},
                                    {"form_token", resident.form_token},
                                    {"q_district", "芝"},
                                    {"q_p24", "満足"}})
                .status,
            303);
  std::string changed = kDefinition;
  changed.replace(changed.find("\"SNS\""), 5, "\"LINE\"");
  EXPECT_EQ(publisher
                .PostFile("/staff/surveys/definitions", {{"csrf_token", publisher_token}},
                          "changed.json", changed)
                .status,
            409);
  // Closed: no more answers (a form opened before the close is refused); the results and the
  // CSV are public, small cells without figures.
  Resident late = OpenForm(id);
  ASSERT_EQ(publisher
                .PostForm("/staff/surveys/" + std::to_string(id) + "/status",
                          {{"status", "closed"}, {"csrf_token", publisher_token}})
                .status,
            303);
  EXPECT_EQ(late.browser
                .PostForm(address, {{"csrf_token", late.csrf},
                                    {"form_token", late.form_token},
                                    {"q_district", "芝"},
                                    {"q_p24", "満足"}})
                .status,
            400);
  EXPECT_EQ(*CountResponses(site_.database(), id), 1);
  ClientResponse csv = Send(site_.port(), "GET", address + "/results.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("p24,政策24について満足していますか,全体,,満足,1,1,100.0"),
            std::string::npos);
  // 芝 has one respondent: the row names the district and nothing else.
  EXPECT_NE(csv.body.find("p24,政策24について満足していますか,地区,芝,,,,,,"), std::string::npos);
  EXPECT_EQ(csv.body.find("地区,芝,満足"), std::string::npos);
  const std::string page = Send(site_.port(), "GET", address + "/results").body;
  EXPECT_NE(page.find("<svg class=\"chart\""), std::string::npos);
  EXPECT_NE(page.find("<caption id=\"q-p24-table-caption\">"), std::string::npos);
}

TEST_P(SurveysSiteTest, StaffEnterPaperAnswersOnceEach) {
  const int64_t id = DefineAndOpen();
  const std::string address = "/staff/surveys/" + std::to_string(id) + "/paper";
  EXPECT_EQ(Send(site_.port(), "GET", address).status, 303);  // signed out: to the sign-in
  Browser staff = SignedIn("kakari", http::Role::kSectionStaff);
  const std::string page = staff.Get(address).body;
  EXPECT_EQ(page.find("name=\"website\""), std::string::npos);  // no honeypot for staff
  std::smatch match;
  ASSERT_TRUE(
      std::regex_search(page, match, std::regex("name=\"form_token\" value=\"([0-9a-f]+)\"")));
  const std::map<std::string, std::string> answers = {
      {"csrf_token", http::testing::CsrfTokenIn(page)},
      {"form_token", match[1]},
      {"q_district", "芝"},
      {"q_p24", "満足ではない"},
      {"q_why", "窓口が遠い"}};
  ClientResponse saved = staff.PostForm(address, answers);
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.headers["location"], address + "?entered=1");
  EXPECT_EQ(staff.PostForm(address, answers).status, 303);  // pressed twice: saved once
  EXPECT_EQ(*CountResponses(site_.database(), id), 1);
  EXPECT_NE(staff.Get(address + "?entered=1").body.find("このアンケートの回答は1件です"),
            std::string::npos);
  std::map<std::string, std::string> wrong = answers;
  wrong["form_token"] = std::string(64, 'b');
  wrong.erase("q_district");
  ClientResponse refused = staff.PostForm(address, wrong);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("id=\"q_district-error\""), std::string::npos);
  EXPECT_EQ(*CountResponses(site_.database(), id), 1);
}

TEST_P(SurveysSiteTest, TheRateLimitHoldsForSurveyAnswers) {
  http::AppOptions options;
  options.submissions_per_minute = 2;
  TestSite limited(GetParam(), {http::HttpModule(), SurveysModule()}, options);
  Survey survey = *ParseDefinition(kDefinition);
  survey.status = "open";
  const int64_t id = *SaveSurvey(limited.database(), survey, "tester");
  const std::string address = "/surveys/" + std::to_string(id);
  std::vector<int> statuses;
  for (int i = 0; i < 3; ++i) {
    Browser browser(limited.port());
    const std::string page = browser.Get(address).body;
    std::smatch match;
    ASSERT_TRUE(
        std::regex_search(page, match, std::regex("name=\"form_token\" value=\"([0-9a-f]+)\"")));
    statuses.push_back(browser
                           .PostForm(address, {{"csrf_token", http::testing::CsrfTokenIn(page)},
                                               {"form_token", match[1]},
                                               {"q_district", "芝"},
                                               {"q_p24", "満足"}})
                           .status);
  }
  EXPECT_EQ(statuses, (std::vector<int>{303, 303, 429}));
  EXPECT_EQ(*CountResponses(limited.database(), id), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, SurveysSiteTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::surveys
