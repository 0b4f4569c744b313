// Issue 24 (4, 5, 6): the public opinion form never stores twice and never loses what was typed.
// Form → confirmation → send with a one-time token, 303 to the receipt's own page; the receipt
// lookup tolerant of case, spaces and full width; a text over the limit refused naming it and
// kept; the honeypot hidden, and a person who fills it keeps the text; the language switch on
// the POST pages re-posts the form.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "consultation/consultation_module.h"
#include "consultation/intake.h"
#include "consultation/store.h"
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

// The value of the hidden input `name` in a page ("" when none).
std::string HiddenValue(const std::string& html, const std::string& name) {
  std::smatch match;
  std::regex input("<input type=\"hidden\" name=\"" + name + "\" value=\"([^\"]*)\"");
  return std::regex_search(html, match, input) ? match[1].str() : std::string();
}

std::string IsoDays(int days) {
  return FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(days)});
}

class OpinionFormTest : public ::testing::TestWithParam<std::string> {
 protected:
  OpinionFormTest()
      : site_(GetParam(), {http::HttpModule(), text::TextModule(), ConsultationModule()}) {}

  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
    Result<int64_t> id = CreateConsultation(
        site_.database(),
        {"港区フォーム確認計画（素案）", "", IsoDays(-1), IsoDays(40), {"基本目標1 安全なまち"}},
        Settings{});
    ASSERT_TRUE(id.ok()) << id.status().message();
    id_ = *id;
  }

  std::string Page() { return "/consultations/" + std::to_string(id_); }
  std::string SendAction() { return Page() + "/opinions"; }

  int64_t Stored(int64_t consultation_id) {
    Result<storage::QueryResult> rows = site_.database().Query(
        "SELECT COUNT(*) FROM consultation_submission WHERE consultation_id = ?",
        {consultation_id});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? storage::AsInt(rows->rows[0][0]) : -1;
  }

  // The fields the form page gives a browser: the CSRF token and the form token.
  struct Tokens {
    std::string csrf;
    std::string form;
  };
  Tokens OpenForm(Browser& browser, const std::string& page) {
    ClientResponse form = browser.Get(page);
    EXPECT_EQ(form.status, 200) << form.body;
    return {CsrfTokenIn(form.body), HiddenValue(form.body, "form_token")};
  }

  TestSite site_;
  int64_t id_ = 0;
};

TEST_P(OpinionFormTest, FormConfirmSendStoresOnceAndRedirectsToTheReceiptPage) {
  Browser citizen(site_.port());
  Tokens tokens = OpenForm(citizen, Page());
  ASSERT_TRUE(IsFormToken(tokens.form)) << tokens.form;
  std::map<std::string, std::string> fields = {{"csrf_token", tokens.csrf},
                                               {"form_token", tokens.form},
                                               {"text", "公園に日陰を\r\n増やしてください。"},
                                               {"relationship", "在住"},
                                               {"contact_email", "hanako@example.jp"}};
  ClientResponse confirm = citizen.PostForm(SendAction() + "/confirm", fields);
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  EXPECT_NE(confirm.body.find("入力内容の確認"), std::string::npos);
  EXPECT_NE(confirm.body.find("公園に日陰を\n増やしてください。"), std::string::npos);
  EXPECT_NE(confirm.body.find("hanako@example.jp"), std::string::npos);
  EXPECT_NE(confirm.body.find("修正する"), std::string::npos);
  EXPECT_EQ(HiddenValue(confirm.body, "form_token"), tokens.form);
  EXPECT_EQ(Stored(id_), 0) << "the confirmation stores nothing";

  // 送信する, then back and resend, then the browser's resend of the POST: one opinion.
  fields["csrf_token"] = CsrfTokenIn(confirm.body);
  fields["text"] = HiddenValue(confirm.body, "text");
  ClientResponse sent = citizen.PostForm(SendAction(), fields);
  ASSERT_EQ(sent.status, 303) << sent.body;
  const std::string location = sent.headers["location"];
  EXPECT_TRUE(
      std::regex_match(location, std::regex("/receipts/CD-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")))
      << location;
  for (int again = 0; again < 2; ++again) {
    ClientResponse resent = citizen.PostForm(SendAction(), fields);
    EXPECT_EQ(resent.status, 303) << resent.body;
    EXPECT_EQ(resent.headers["location"], location);
  }
  for (int reload = 0; reload < 3; ++reload) EXPECT_EQ(citizen.Get(location).status, 200);
  EXPECT_EQ(Stored(id_), 1);
  Result<SubmissionCopy> copy = GetSubmissionCopy(site_.database(), location.substr(10));
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->text, "公園に日陰を\n増やしてください。") << "line breaks stored as LF";
}

TEST_P(OpinionFormTest, TheSameFormSentTwiceAtOnceIsStoredOnce) {
  Browser citizen(site_.port());
  Tokens tokens = OpenForm(citizen, Page());
  const std::string body = "csrf_token=" + tokens.csrf + "&form_token=" + tokens.form +
                           "&text=" + http::PercentEncode("同時に二回押した意見");
  const std::string cookie = "civicdesk_csrf=" + citizen.cookies().at("civicdesk_csrf");
  std::vector<ClientResponse> answers(4);
  std::vector<std::thread> threads;
  for (ClientResponse& answer : answers) {
    threads.emplace_back([&] {
      answer = Send(site_.port(), "POST", SendAction(), body,
                    {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}});
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const ClientResponse& answer : answers) {
    EXPECT_EQ(answer.status, 303) << answer.body.substr(0, 300);
    EXPECT_EQ(answer.headers.at("location"), answers[0].headers.at("location"));
  }
  EXPECT_EQ(Stored(id_), 1);
}

TEST_P(OpinionFormTest, ASentFormResentWithOtherTextKeepsItOnAFreshForm) {
  Browser citizen(site_.port());
  Tokens tokens = OpenForm(citizen, Page());
  ClientResponse first = citizen.PostForm(
      SendAction(),
      {{"csrf_token", tokens.csrf}, {"form_token", tokens.form}, {"text", "一つ目の意見"}});
  ASSERT_EQ(first.status, 303);
  const std::string receipt = first.headers["location"].substr(10);
  ClientResponse second = citizen.PostForm(
      SendAction(),
      {{"csrf_token", tokens.csrf}, {"form_token", tokens.form}, {"text", "二つ目の意見"}});
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_NE(second.body.find("二つ目の意見"), std::string::npos) << "the new text is kept";
  EXPECT_NE(second.body.find(receipt), std::string::npos) << "and the first receipt named";
  const std::string fresh = HiddenValue(second.body, "form_token");
  EXPECT_TRUE(IsFormToken(fresh));
  EXPECT_NE(fresh, tokens.form);
  EXPECT_EQ(Stored(id_), 1);
  ClientResponse third = citizen.PostForm(
      SendAction(), {{"csrf_token", tokens.csrf}, {"form_token", fresh}, {"text", "二つ目の意見"}});
  EXPECT_EQ(third.status, 303);
  EXPECT_EQ(Stored(id_), 2);
}

TEST_P(OpinionFormTest, SentWithoutAFormTokenItIsConfirmedFirstNotStored) {
  Browser citizen(site_.port());
  Tokens tokens = OpenForm(citizen, Page());
  ClientResponse answer =
      citizen.PostForm(SendAction(), {{"csrf_token", tokens.csrf}, {"text", "トークンのない送信"}});
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_NE(answer.body.find("入力内容の確認"), std::string::npos);
  EXPECT_TRUE(IsFormToken(HiddenValue(answer.body, "form_token")));
  EXPECT_EQ(Stored(id_), 0);
}

TEST_P(OpinionFormTest, ReceiptPageShowsACopyOfWhatWasSentButNoContactDetails) {
  Browser citizen(site_.port());
  Tokens tokens = OpenForm(citizen, Page());
  ClientResponse sent = citizen.PostForm(SendAction(), {{"csrf_token", tokens.csrf},
                                                        {"form_token", tokens.form},
                                                        {"text", "<b>歩道</b>を広げてほしい"},
                                                        {"relationship", "在勤"},
                                                        {"contact_name", "港 花子"},
                                                        {"contact_phone", "03-1234-5678"}});
  ASSERT_EQ(sent.status, 303);
  const std::string location = sent.headers["location"];
  ClientResponse page = citizen.Get(location);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("id=\"receipt-number\">" + location.substr(10)), std::string::npos);
  EXPECT_NE(page.body.find("&lt;b&gt;歩道&lt;/b&gt;を広げてほしい"), std::string::npos);
  EXPECT_NE(page.body.find("在勤"), std::string::npos);
  EXPECT_NE(page.body.find("送信内容の控え"), std::string::npos);
  EXPECT_NE(page.body.find("入力あり"), std::string::npos);
  EXPECT_EQ(page.body.find("港 花子"), std::string::npos) << "contact details are not shown";
  EXPECT_EQ(page.body.find("03-1234-5678"), std::string::npos);
  // The language switch is a GET link to the same receipt: it answered 405 when the receipt was
  // the POST's response.
  EXPECT_NE(page.body.find("href=\"" + location + "?lang=en\""), std::string::npos);
  ClientResponse english = citizen.Get(location + "?lang=en");
  EXPECT_EQ(english.status, 200);
  EXPECT_NE(english.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(english.body.find("Copy of what you sent"), std::string::npos);
  EXPECT_NE(english.body.find(location.substr(10)), std::string::npos);
}

TEST_P(OpinionFormTest, EnglishPagesTranslateOptionsAndDatesAndStoreTheJapaneseValue) {
  Browser citizen(site_.port());
  ClientResponse form = citizen.Get(Page() + "?lang=en");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"在住\"> I live in the ward</label>"), std::string::npos);
  EXPECT_NE(form.body.find("value=\"その他\"> Other</label>"), std::string::npos);
  EXPECT_EQ(form.body.find("> 在勤</label>"), std::string::npos);
  // The period in the Gregorian calendar with the era year; the ward's title marked Japanese.
  const std::regex english_date(
      "\\d{1,2} (January|February|March|April|May|June|July|August|"
      "September|October|November|December) 20\\d\\d \\(Reiwa \\d+\\)");
  EXPECT_TRUE(std::regex_search(form.body, english_date));
  EXPECT_EQ(form.body.find("年"), std::string::npos) << "no 和暦 date left on the English page";
  EXPECT_NE(form.body.find("<h1 lang=\"ja\">港区フォーム確認計画（素案）</h1>"), std::string::npos);

  const std::string japanese = citizen.Get(Page() + "?lang=ja").body;
  EXPECT_NE(japanese.find("value=\"在住\"> 在住</label>"), std::string::npos);

  ClientResponse sent = citizen.PostForm(SendAction() + "?lang=en",
                                         {{"csrf_token", CsrfTokenIn(form.body)},
                                          {"form_token", HiddenValue(form.body, "form_token")},
                                          {"text", "Please add benches to the park."},
                                          {"relationship", "在住"}});
  ASSERT_EQ(sent.status, 303) << sent.body;
  const std::string location = sent.headers["location"];
  const std::string receipt = location.substr(location.find("/receipts/"));
  Result<SubmissionCopy> copy =
      GetSubmissionCopy(site_.database(), receipt.substr(10, receipt.find('?') - 10));
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->relationship, "在住") << "the value stored stays Japanese";

  const std::string path = receipt.substr(0, receipt.find('?'));
  const std::string english = citizen.Get(path + "?lang=en").body;
  EXPECT_NE(english.find("<dd>I live in the ward</dd>"), std::string::npos);
  const std::regex received(
      "<dt>Received</dt><dd>\\d{1,2} [A-Z][a-z]+ 20\\d\\d, \\d\\d:\\d\\d "
      "\\(Reiwa \\d+\\)</dd>");
  EXPECT_TRUE(std::regex_search(english, received)) << english;
  EXPECT_EQ(english.find("令和"), std::string::npos);
  const std::string in_japanese = citizen.Get(path + "?lang=ja").body;
  EXPECT_NE(in_japanese.find("<dd>在住</dd>"), std::string::npos);
  EXPECT_TRUE(std::regex_search(
      in_japanese, std::regex("<dd>令和\\d+\\(20\\d\\d\\)年\\d+月\\d+日 \\d+:\\d\\d</dd>")));
}

TEST(ReceiptNumbers, NormalizeToleratesCaseSpacesFullWidthAndMissingHyphens) {
  const std::string canonical = "CD-AB12-CD34-EF56";
  for (const std::string typed :
       {"CD-AB12-CD34-EF56", "cd-ab12-cd34-ef56", " CD-AB12-CD34-EF56 ", "CD-AB12-CD34-EF56\t",
        "ＣＤ－ＡＢ１２－ＣＤ３４－ＥＦ５６", "ｃｄ－ａｂ１２－ｃｄ３４－ｅｆ５６",
        "CDAB12CD34EF56", "CD AB12 CD34 EF56", "ＣＤ　ＡＢ１２　ＣＤ３４　ＥＦ５６",
        "AB12-CD34-EF56", "CD‐AB12ーCD34−EF56", "\u3000cd-ab12-cd34-ef56\u3000"}) {
    EXPECT_EQ(NormalizeReceiptNumber(typed), canonical) << typed;
  }
  // O, I and L are not in the alphabet: read as 0, 1, 1.
  EXPECT_EQ(NormalizeReceiptNumber("cd-ab12-cd34-efoi"), "CD-AB12-CD34-EF01");
  // Not a receipt's characters: trimmed, NFKC, upper case, and then no match.
  EXPECT_EQ(NormalizeReceiptNumber(" ｘｙｚ "), "XYZ");
  EXPECT_EQ(NormalizeReceiptNumber("CD-AB12"), "CD-AB12");
  EXPECT_EQ(NormalizeReceiptNumber("CD-AB12-CD34-EF56-7"), "CD-AB12-CD34-EF56-7");
}

TEST(ReceiptNumbers, AFormTokenGivesOneWellFormedReceipt) {
  const std::string token = NewFormToken();
  ASSERT_TRUE(IsFormToken(token));
  EXPECT_FALSE(IsFormToken(token.substr(1)));
  EXPECT_FALSE(IsFormToken(std::string(64, 'G')));
  const std::string receipt = ReceiptForFormToken(token);
  EXPECT_TRUE(
      std::regex_match(receipt, std::regex("CD-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}")))
      << receipt;
  EXPECT_EQ(ReceiptForFormToken(token), receipt);
  EXPECT_NE(ReceiptForFormToken(NewFormToken()), receipt);
  EXPECT_EQ(NormalizeReceiptNumber(receipt), receipt);
}

TEST_P(OpinionFormTest, ReceiptLookupToleratesCaseSpacesAndFullWidth) {
  Browser citizen(site_.port());
  Tokens tokens = OpenForm(citizen, Page());
  ClientResponse sent = citizen.PostForm(
      SendAction(),
      {{"csrf_token", tokens.csrf}, {"form_token", tokens.form}, {"text", "照会の確認"}});
  ASSERT_EQ(sent.status, 303);
  const std::string location = sent.headers["location"];
  const std::string receipt = location.substr(10);
  std::string lower = receipt;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string wide;  // full-width letters, digits and hyphen
  for (char c : receipt) {
    const char32_t full = c == '-' ? U'－' : static_cast<char32_t>(0xFEE0 + c);
    wide += static_cast<char>(0xE0 | (full >> 12));
    wide += static_cast<char>(0x80 | ((full >> 6) & 0x3F));
    wide += static_cast<char>(0x80 | (full & 0x3F));
  }
  for (const std::string& typed : {receipt, lower, receipt + " ", " " + lower + "　", wide}) {
    ClientResponse found =
        Send(site_.port(), "GET", "/receipts?number=" + http::PercentEncode(typed));
    EXPECT_EQ(found.status, 303) << typed << " → " << found.body.substr(0, 200);
    EXPECT_EQ(found.headers["location"], location) << typed;
    ClientResponse api =
        Send(site_.port(), "GET", "/api/v1/receipts/" + http::PercentEncode(typed));
    EXPECT_EQ(api.status, 200) << typed;
  }
  ClientResponse by_path = Send(site_.port(), "GET", "/receipts/" + lower);
  EXPECT_EQ(by_path.status, 303);
  EXPECT_EQ(by_path.headers["location"], location);
  ClientResponse missing = Send(site_.port(), "GET", "/receipts?number=cd-0000-0000-000x");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("value=\"cd-0000-0000-000x\""), std::string::npos)
      << "the number asked for stays in the box";
  EXPECT_NE(missing.body.find("受付番号が見つかりません"), std::string::npos);
  EXPECT_EQ(Send(site_.port(), "GET", "/receipts/CD-0000-0000-0000").status, 404);
  // The language switch of the lookup keeps the number asked for.
  EXPECT_NE(missing.body.find("?number=cd-0000-0000-000x&amp;lang=en"), std::string::npos);
}

TEST_P(OpinionFormTest, LongTextIsRefusedNamingTheLimitAndKeptWhole) {
  Browser citizen(site_.port());
  ClientResponse form = citizen.Get(Page());
  EXPECT_EQ(form.body.find("maxlength"), std::string::npos)
      << "a browser cuts a paste at maxlength without a word";
  EXPECT_NE(form.body.find("10,000"), std::string::npos) << "the limit is stated up front";
  EXPECT_NE(form.body.find("data-character-limit=\"10000\""), std::string::npos);
  EXPECT_NE(form.body.find("<script src=\"/static/character_count.js\""), std::string::npos);
  ClientResponse script = Send(site_.port(), "GET", "/static/character_count.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.headers["content-type"], "text/javascript; charset=utf-8");
  std::string pasted;
  for (int i = 0; i < 12000; ++i) pasted += "意";
  const std::string csrf = CsrfTokenIn(form.body);
  const std::string token = HiddenValue(form.body, "form_token");
  for (const std::string& target : {SendAction() + "/confirm", SendAction()}) {
    ClientResponse refused =
        citizen.PostForm(target, {{"csrf_token", csrf}, {"form_token", token}, {"text", pasted}});
    EXPECT_EQ(refused.status, 400) << target;
    EXPECT_NE(refused.body.find("10,000文字以内"), std::string::npos) << target;
    EXPECT_NE(refused.body.find("12,000文字"), std::string::npos) << target;
    EXPECT_NE(refused.body.find(">" + pasted + "</textarea>"), std::string::npos)
        << target << ": all 12,000 characters are kept";
    EXPECT_NE(refused.body.find("aria-invalid=\"true\""), std::string::npos);
  }
  EXPECT_EQ(Stored(id_), 0);
}

TEST_P(OpinionFormTest, HoneypotIsHiddenAndAPersonWhoFillsItKeepsTheText) {
  for (const std::string& page : {Page(), std::string("/voice")}) {
    Browser citizen(site_.port());
    ClientResponse form = citizen.Get(page);
    ASSERT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("<div class=\"honeypot\" aria-hidden=\"true\">"), std::string::npos);
    EXPECT_NE(form.body.find("name=\"website\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\""),
              std::string::npos);
    const std::string action = page == "/voice" ? "/voice/opinions" : SendAction();
    for (const std::string& target : {action + "/confirm", action}) {
      ClientResponse caught =
          citizen.PostForm(target, {{"csrf_token", CsrfTokenIn(form.body)},
                                    {"form_token", HiddenValue(form.body, "form_token")},
                                    {"text", "自動入力で埋まった人の意見"},
                                    {"contact_email", "a@example.jp"},
                                    {"website", "https://example.jp"}});
      EXPECT_EQ(caught.status, 400) << target;
      EXPECT_NE(caught.body.find(">自動入力で埋まった人の意見</textarea>"), std::string::npos)
          << target;
      EXPECT_NE(caught.body.find("value=\"a@example.jp\""), std::string::npos) << target;
      EXPECT_NE(caught.body.find("もう一度内容をご確認ください"), std::string::npos) << target;
      EXPECT_EQ(caught.body.find("https://example.jp"), std::string::npos)
          << target << ": the hidden field comes back empty, so sending again works";
      EXPECT_EQ(caught.body.find("送信できませんでした"), std::string::npos) << "no dead end";
    }
  }
  ClientResponse css = Send(site_.port(), "GET", "/static/civicdesk.css");
  EXPECT_NE(css.body.find(".honeypot { position: absolute; left: -10000px;"), std::string::npos);
  EXPECT_EQ(Stored(id_), 0);
}

TEST_P(OpinionFormTest, LanguageSwitchOnTheFormAndTheConfirmationKeepsWhatWasTyped) {
  Browser citizen(site_.port());
  Tokens tokens = OpenForm(citizen, Page());
  ClientResponse form = citizen.Get(Page());
  // On a form page the switch re-posts the form, so the text goes with it (no JavaScript).
  EXPECT_NE(form.body.find("form=\"opinion-form\" formaction=\"" + SendAction() +
                           "/edit?lang=en\" formmethod=\"post\" formnovalidate"),
            std::string::npos);
  std::map<std::string, std::string> fields = {{"csrf_token", tokens.csrf},
                                               {"form_token", tokens.form},
                                               {"text", "言語を切り替えても残る意見"},
                                               {"relationship", "在学"},
                                               {"contact_name", "港 太郎"}};
  ClientResponse english = citizen.PostForm(SendAction() + "/edit?lang=en", fields);
  ASSERT_EQ(english.status, 200) << english.body;
  EXPECT_NE(english.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(english.body.find(">言語を切り替えても残る意見</textarea>"), std::string::npos);
  EXPECT_NE(english.body.find("value=\"在学\" checked"), std::string::npos);
  EXPECT_NE(english.body.find("value=\"港 太郎\""), std::string::npos);
  EXPECT_EQ(HiddenValue(english.body, "form_token"), tokens.form) << "the same form";
  EXPECT_NE(english.body.find("formaction=\"" + SendAction() + "/edit?lang=ja\""),
            std::string::npos);

  ClientResponse confirm = citizen.PostForm(SendAction() + "/confirm", fields);
  ASSERT_EQ(confirm.status, 200);
  EXPECT_NE(confirm.body.find("Check your opinion before sending"), std::string::npos);
  EXPECT_NE(confirm.body.find("formaction=\"" + SendAction() + "/confirm?lang=ja\""),
            std::string::npos);
  ClientResponse japanese = citizen.PostForm(SendAction() + "/confirm?lang=ja", fields);
  EXPECT_EQ(japanese.status, 200);
  EXPECT_NE(japanese.body.find("<html lang=\"ja\">"), std::string::npos);
  EXPECT_NE(japanese.body.find("入力内容の確認"), std::string::npos);
  EXPECT_NE(japanese.body.find("言語を切り替えても残る意見"), std::string::npos);
  // 修正する goes back to the form with everything as it was.
  ClientResponse edit = citizen.PostForm(SendAction() + "/edit", fields);
  EXPECT_EQ(edit.status, 200);
  EXPECT_NE(edit.body.find(">言語を切り替えても残る意見</textarea>"), std::string::npos);
  EXPECT_EQ(Stored(id_), 0);
}

TEST_P(OpinionFormTest, PrivacyNoticeStandsBesideTheContactFieldsInBothLanguages) {
  Browser citizen(site_.port());
  const std::string ja = citizen.Get(Page()).body;
  const size_t notice = ja.find("個人情報の取扱い");
  ASSERT_NE(notice, std::string::npos);
  EXPECT_LT(notice, ja.find("id=\"contact_name\""));
  EXPECT_GT(notice, ja.find("<legend>連絡先（任意）</legend>"));
  for (const char* words : {"利用目的", "公表しません", "保存期間"})
    EXPECT_NE(ja.find(words, notice), std::string::npos) << words;
  const std::string en = citizen.Get(Page() + "?lang=en").body;
  for (const char* words :
       {"How we handle your personal information", "Purpose:", "never published", "Retention:"})
    EXPECT_NE(en.find(words), std::string::npos) << words;
}

TEST_P(OpinionFormTest, VoiceDeskGoesThroughTheSameSteps) {
  Browser citizen(site_.port());
  Tokens tokens = OpenForm(citizen, "/voice");
  std::map<std::string, std::string> fields = {
      {"csrf_token", tokens.csrf}, {"form_token", tokens.form}, {"text", "図書館の開館時間"}};
  ClientResponse confirm = citizen.PostForm("/voice/opinions/confirm", fields);
  ASSERT_EQ(confirm.status, 200);
  EXPECT_NE(confirm.body.find("action=\"/voice/opinions\""), std::string::npos);
  ClientResponse sent = citizen.PostForm("/voice/opinions", fields);
  ASSERT_EQ(sent.status, 303);
  EXPECT_EQ(citizen.PostForm("/voice/opinions", fields).headers["location"],
            sent.headers["location"]);
  ClientResponse receipt = citizen.Get(sent.headers["location"]);
  EXPECT_EQ(receipt.status, 200);
  EXPECT_NE(receipt.body.find("href=\"/voice\""), std::string::npos);
  Result<int64_t> desk = VoiceDeskId(site_.database());
  ASSERT_TRUE(desk.ok());
  EXPECT_EQ(Stored(*desk), 1);
}

TEST_P(OpinionFormTest, ClosedPeriodKeepsTheTextToCopy) {
  Result<int64_t> closed = CreateConsultation(
      site_.database(), {"港区終了済み計画（素案）", "", IsoDays(-45), IsoDays(-5), {}},
      Settings{});
  ASSERT_TRUE(closed.ok());
  Browser citizen(site_.port());
  Tokens tokens = OpenForm(citizen, Page());
  ClientResponse refused = citizen.PostForm(
      "/consultations/" + std::to_string(*closed) + "/opinions",
      {{"csrf_token", tokens.csrf}, {"form_token", tokens.form}, {"text", "締切後に書いた意見"}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("readonly>締切後に書いた意見</textarea>"), std::string::npos);
  EXPECT_EQ(Stored(*closed), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, OpinionFormTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
