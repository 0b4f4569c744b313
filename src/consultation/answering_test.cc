// Answering at speed (issue 25, deliverable 5): the item page's answer box, its save
// confirmation, clearing an answer, previous and next through the filtered queue; the queue's
// counts and columns, bulk status, approve and withdraw, select all, filters kept after an action
// and the queue again (not a dead end) when nothing is ticked. Each test on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "consultation/consultation_module.h"
#include "consultation/publishing.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "http/http_module.h"
#include "http/message.h"
#include "http/testing.h"
#include "text/text_module.h"

namespace civicdesk::consultation {
namespace {

using http::testing::Browser;
using http::testing::ClientResponse;
using http::testing::CsrfTokenIn;
using http::testing::Send;
using http::testing::TestSite;

constexpr char kPassword[] = "correct horse battery";
const SectionRef kKankyo = {"環境リサイクル支援部", "環境課"};
const SectionRef kBousai = {"防災危機管理室", "防災課"};

std::string DaysFromToday(int days) {
  return FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(days)});
}

size_t Count(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

class AnsweringTest : public ::testing::TestWithParam<std::string> {
 protected:
  AnsweringTest()
      : site_(GetParam(), {http::HttpModule(), text::TextModule(), ConsultationModule()}) {}

  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
    http::Accounts& accounts = site_.app().accounts();
    ASSERT_TRUE(
        accounts.Add({"publisher", "公表 担当", kPassword, http::Role::kPublisher, "", ""}).ok());
    ASSERT_TRUE(accounts
                    .Add({"kankyo", "環境 課員", kPassword, http::Role::kSectionStaff,
                          kKankyo.first, kKankyo.second})
                    .ok());
    ASSERT_TRUE(accounts
                    .Add({"bousai", "防災 課員", kPassword, http::Role::kSectionStaff,
                          kBousai.first, kBousai.second})
                    .ok());
    id_ = NewConsultation(DaysFromToday(40));
    queue_ = "/staff/consultations/" + std::to_string(id_);
  }

  int64_t NewConsultation(const std::string& closes) {
    Result<int64_t> id = CreateConsultation(site_.database(),
                                            {"港区回答確認計画（素案）",
                                             "回答確認計画",
                                             DaysFromToday(-40),
                                             closes,
                                             {"基本目標1 安全なまち", "基本目標2 緑のまち"}},
                                            Settings{});
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }

  // An opinion entered by staff, routed to `section`; its one item's id.
  int64_t Enter(const std::string& text, const SectionRef& section, int64_t consultation = 0) {
    NewSubmission submission;
    submission.text = text;
    submission.channel = "郵送";
    Result<Receipt> receipt = Submit(site_.database(), consultation ? consultation : id_,
                                     submission, Settings{}, Actor{0, "test"}, true);
    EXPECT_TRUE(receipt.ok()) << receipt.status().message();
    Result<storage::QueryResult> item = site_.database().Query(
        "SELECT id FROM consultation_item WHERE submission_id = ? AND active = 1",
        {receipt.ok() ? receipt->submission_id : 0});
    EXPECT_TRUE(item.ok() && item->size() == 1);
    const int64_t id = item.ok() && !item->empty() ? storage::AsInt(item->rows[0][0]) : 0;
    ItemUpdate routed;
    routed.sections = std::vector<SectionRef>{section};
    EXPECT_TRUE(UpdateItem(site_.database(), id, routed, Actor{0, "test"}).ok());
    return id;
  }

  void Answer(int64_t item, const std::string& response, int status) {
    ItemUpdate update;
    update.response_text = response;
    update.status = status;
    ASSERT_TRUE(UpdateItem(site_.database(), item, update, Actor{0, "test"}).ok());
  }

  Item Get(int64_t item) {
    Result<Item> found = GetItem(site_.database(), item);
    EXPECT_TRUE(found.ok());
    return found.ok() ? *found : Item{};
  }

  Browser SignedIn(const std::string& login) {
    Browser browser(site_.port());
    std::string token = CsrfTokenIn(browser.Get("/login").body);
    ClientResponse response = browser.PostForm(
        "/login", {{"login", login}, {"password", kPassword}, {"csrf_token", token}});
    EXPECT_EQ(response.status, 303) << login;
    return browser;
  }

  static std::string ItemPath(int64_t id) { return "/staff/items/" + std::to_string(id); }
  static std::string Pick(int64_t id) { return "item_" + std::to_string(id); }

  int64_t AuditCount(const std::string& action) {
    Result<storage::QueryResult> rows = site_.database().Query(
        "SELECT COUNT(*) FROM consultation_audit WHERE action = ?", {action});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? storage::AsInt(rows->rows[0][0]) : -1;
  }

  TestSite site_;
  int64_t id_ = 0;
  std::string queue_;
};

TEST_P(AnsweringTest, ClearingAnAnswerClearsIt) {
  const int64_t item = Enter("公園の緑を増やしてほしい。", kKankyo);
  Answer(item, "区立公園の植栽を計画的に増やします。", 2);
  ASSERT_TRUE(ApproveItem(site_.database(), item, Actor{0, "test"}).ok());
  Browser kankyo = SignedIn("kankyo");
  const std::string page = kankyo.Get(ItemPath(item)).body;
  ASSERT_NE(page.find("区立公園の植栽を計画的に増やします。"), std::string::npos);
  ClientResponse saved = kankyo.PostForm(
      ItemPath(item), {{"response", "  "}, {"status", "2"}, {"csrf_token", CsrfTokenIn(page)}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  const Item after = Get(item);
  EXPECT_EQ(after.response_id, 0);
  EXPECT_EQ(after.response, "");
  EXPECT_FALSE(after.approved);
  EXPECT_EQ(after.status, 2);  // the 対応状況 stays; the item is unanswered without a response
  const std::string again = kankyo.Get(saved.headers["location"]).body;
  EXPECT_NE(again.find("></textarea>"), std::string::npos) << "the box is empty again";
  EXPECT_NE(again.find("role=\"status\" id=\"saved\"><p>保存しました。"), std::string::npos);
  EXPECT_NE(again.find("未回答 <strong>1</strong>"), std::string::npos);
}

TEST_P(AnsweringTest, ClearingASharedAnswerLeavesTheOtherItemsAnswer) {
  const int64_t first = Enter("公園の緑を増やしてほしい。", kKankyo);
  const int64_t second = Enter("公園の緑をもっと増やしてほしい。", kKankyo);
  Answer(first, "区立公園の植栽を計画的に増やします。", 2);
  ItemUpdate reuse;
  reuse.reuse_response_id = Get(first).response_id;
  ASSERT_TRUE(UpdateItem(site_.database(), second, reuse, Actor{0, "test"}).ok());
  ItemUpdate clear;
  clear.response_text = "";
  ASSERT_TRUE(UpdateItem(site_.database(), first, clear, Actor{0, "test"}).ok());
  EXPECT_EQ(Get(first).response_id, 0);
  EXPECT_EQ(Get(second).response, "区立公園の植栽を計画的に増やします。");
}

TEST_P(AnsweringTest, TheAnswerBoxIsLargeAndSavingConfirmsKeepingTheFilter) {
  const int64_t item = Enter("公園の緑を増やしてほしい。", kKankyo);
  Browser publisher = SignedIn("publisher");
  const std::string page = publisher.Get(ItemPath(item) + "?state=unanswered").body;
  EXPECT_NE(page.find("rows=\"12\" class=\"answer-box\""), std::string::npos);
  EXPECT_NE(page.find("name=\"queue_state\" value=\"unanswered\""), std::string::npos);
  EXPECT_NE(page.find("<script src=\"/static/answering.js\" defer></script>"), std::string::npos);
  ClientResponse saved = publisher.PostForm(ItemPath(item), {{"response", "植栽を増やします。"},
                                                             {"status", "2"},
                                                             {"queue_state", "unanswered"},
                                                             {"csrf_token", CsrfTokenIn(page)}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.headers["location"],
            ItemPath(item) + "?state=unanswered&saved=" + std::to_string(item));
  const std::string confirmed = publisher.Get(saved.headers["location"] + "&lang=en").body;
  EXPECT_NE(confirmed.find("role=\"status\" id=\"saved\"><p>Saved."), std::string::npos);
  EXPECT_EQ(Get(item).response, "植栽を増やします。");
  // Nothing to confirm on a plain visit, nor for a made-up value.
  EXPECT_EQ(publisher.Get(ItemPath(item)).body.find("id=\"saved\""), std::string::npos);
  EXPECT_EQ(publisher.Get(ItemPath(item) + "?saved=x").body.find("id=\"saved\""),
            std::string::npos);
}

TEST_P(AnsweringTest, NextAndPreviousFollowTheQueuesFilterOrder) {
  const int64_t first = Enter("公園の緑を増やしてほしい。", kKankyo);
  const int64_t middle = Enter("夜間の工事騒音を減らしてほしい。", kKankyo);
  const int64_t last = Enter("街路樹の緑を守ってほしい。", kKankyo);
  const std::string green = "q=" + http::PercentEncode("緑");
  Browser kankyo = SignedIn("kankyo");
  const std::string page = kankyo.Get(ItemPath(first) + "?" + green).body;
  EXPECT_NE(page.find("href=\"" + ItemPath(last) + "?" + green + "\" rel=\"next\""),
            std::string::npos)
      << page;
  EXPECT_EQ(page.find(ItemPath(middle)), std::string::npos) << "the filter leaves it out";
  EXPECT_NE(page.find("1 / 2"), std::string::npos);
  const std::string other = kankyo.Get(ItemPath(last) + "?" + green).body;
  EXPECT_NE(other.find("href=\"" + ItemPath(first) + "?" + green + "\" rel=\"prev\""),
            std::string::npos);
  // Unfiltered, the middle item is next.
  EXPECT_NE(kankyo.Get(ItemPath(first)).body.find("href=\"" + ItemPath(middle) + "\" rel=\"next\""),
            std::string::npos);
  // Save and next: to the next item under the same filter, confirming the save.
  ClientResponse moved = kankyo.PostForm(ItemPath(first), {{"response", "植栽を増やします。"},
                                                           {"status", "2"},
                                                           {"then", "next"},
                                                           {"queue_q", "緑"},
                                                           {"csrf_token", CsrfTokenIn(page)}});
  ASSERT_EQ(moved.status, 303);
  EXPECT_EQ(moved.headers["location"],
            ItemPath(last) + "?" + green + "&saved=" + std::to_string(first));
  const std::string next = kankyo.Get(moved.headers["location"]).body;
  EXPECT_NE(next.find("意見 " + std::to_string(first) + " を保存しました。"), std::string::npos);
  // Once answered the item leaves an "unanswered" filter; its neighbours are still found.
  const std::string answered = kankyo.Get(ItemPath(first) + "?state=unanswered").body;
  EXPECT_NE(answered.find("href=\"" + ItemPath(middle) + "?state=unanswered\" rel=\"next\""),
            std::string::npos);
  // The queue's links carry the filter to each item.
  EXPECT_NE(kankyo.Get(queue_ + "?" + green).body.find("href=\"" + ItemPath(last) + "?" + green),
            std::string::npos);
}

TEST_P(AnsweringTest, QueueShowsCountsFieldsAndAnsweredState) {
  const int64_t answered = Enter("公園の緑を増やしてほしい。", kKankyo);
  const int64_t approved = Enter("街路樹の緑を守ってほしい。", kKankyo);
  Enter("夜間の工事騒音を減らしてほしい。", kBousai);
  Answer(answered, "植栽を増やします。", 2);
  Answer(approved, "街路樹を守ります。", 2);
  ASSERT_TRUE(ApproveItem(site_.database(), approved, Actor{0, "test"}).ok());
  Result<std::vector<FieldOption>> fields = ListFields(site_.database(), id_);
  ASSERT_TRUE(fields.ok());
  ItemUpdate field;
  field.field_ids = std::vector<int64_t>{(*fields)[1].id};
  ASSERT_TRUE(UpdateItem(site_.database(), answered, field, Actor{0, "test"}).ok());

  Browser publisher = SignedIn("publisher");
  const std::string page = publisher.Get(queue_).body;
  EXPECT_NE(page.find("未回答 <strong>1</strong>"), std::string::npos);
  EXPECT_NE(page.find("未承認 <strong>1</strong>"), std::string::npos);
  EXPECT_NE(page.find("<td>基本目標2 緑のまち</td>"), std::string::npos);
  EXPECT_EQ(Count(page, "<td>回答済み</td>"), 2u);
  EXPECT_EQ(Count(page, "<td><strong>未回答</strong></td>"), 1u);
  // The counts link to the queue filtered to those items.
  const std::string unapproved = publisher.Get(queue_ + "?state=unapproved").body;
  EXPECT_NE(unapproved.find("href=\"" + ItemPath(answered) + "?state=unapproved\""),
            std::string::npos);
  EXPECT_EQ(unapproved.find("href=\"" + ItemPath(approved)), std::string::npos);
  // Section staff count their own section's items only.
  Browser kankyo = SignedIn("kankyo");
  const std::string own = kankyo.Get(queue_).body;
  EXPECT_NE(own.find("未回答 <strong>0</strong>"), std::string::npos);
  EXPECT_NE(own.find("<strong>2</strong>"), std::string::npos);
}

TEST_P(AnsweringTest, BulkApproveApprovesEveryTickedItem) {
  const int64_t a = Enter("公園の緑を増やしてほしい。", kKankyo);
  const int64_t b = Enter("街路樹の緑を守ってほしい。", kBousai);
  const int64_t c = Enter("夜間の工事騒音を減らしてほしい。", kBousai);
  for (int64_t item : {a, b, c}) Answer(item, "対応します。", 2);
  Browser publisher = SignedIn("publisher");
  const std::string token = CsrfTokenIn(publisher.Get(queue_).body);
  const int64_t audits = AuditCount("approve");
  ClientResponse approved = publisher.PostForm(
      queue_ + "/bulk",
      {{Pick(a), "1"}, {Pick(b), "1"}, {"action", "approve"}, {"csrf_token", token}});
  ASSERT_EQ(approved.status, 303) << approved.body;
  EXPECT_EQ(approved.headers["location"], queue_ + "?done=2");
  EXPECT_TRUE(Get(a).approved);
  EXPECT_TRUE(Get(b).approved);
  EXPECT_FALSE(Get(c).approved);
  EXPECT_EQ(AuditCount("approve"), audits + 2);
  // Replayed: nothing more to approve, nothing audited.
  ClientResponse replayed = publisher.PostForm(
      queue_ + "/bulk",
      {{Pick(a), "1"}, {Pick(b), "1"}, {"action", "approve"}, {"csrf_token", token}});
  EXPECT_EQ(replayed.headers["location"], queue_ + "?done=0");
  EXPECT_EQ(AuditCount("approve"), audits + 2);
  // And withdrawn in bulk.
  ClientResponse withdrawn = publisher.PostForm(
      queue_ + "/bulk",
      {{Pick(a), "1"}, {Pick(c), "1"}, {"action", "unapprove"}, {"csrf_token", token}});
  ASSERT_EQ(withdrawn.status, 303);
  EXPECT_EQ(withdrawn.headers["location"], queue_ + "?done=1");
  EXPECT_FALSE(Get(a).approved);
  EXPECT_TRUE(Get(b).approved);
  EXPECT_EQ(AuditCount("unapprove"), 1);
}

TEST_P(AnsweringTest, BulkApproveOfAnUnansweredItemApprovesNoneAndSaysWhich) {
  const int64_t answered = Enter("公園の緑を増やしてほしい。", kKankyo);
  const int64_t unanswered = Enter("街路樹の緑を守ってほしい。", kKankyo);
  Answer(answered, "植栽を増やします。", 2);
  Browser publisher = SignedIn("publisher");
  const std::string token = CsrfTokenIn(publisher.Get(queue_).body);
  ClientResponse refused = publisher.PostForm(queue_ + "/bulk", {{Pick(answered), "1"},
                                                                 {Pick(unanswered), "1"},
                                                                 {"action", "approve"},
                                                                 {"csrf_token", token}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("class=\"error-summary\""), std::string::npos);
  EXPECT_NE(refused.body.find("（意見 " + std::to_string(unanswered) + "）"), std::string::npos);
  EXPECT_FALSE(Get(answered).approved);
  // The ticks are kept to try again.
  EXPECT_NE(refused.body.find("name=\"" + Pick(answered) + "\" value=\"1\" data-pick checked"),
            std::string::npos);
}

TEST_P(AnsweringTest, BulkStatusSetsEveryTickedItemAndTakesApprovalAway) {
  const int64_t a = Enter("公園の緑を増やしてほしい。", kKankyo);
  const int64_t b = Enter("街路樹の緑を守ってほしい。", kKankyo);
  Answer(a, "植栽を増やします。", 2);
  ASSERT_TRUE(ApproveItem(site_.database(), a, Actor{0, "test"}).ok());
  Browser kankyo = SignedIn("kankyo");
  const std::string token = CsrfTokenIn(kankyo.Get(queue_).body);
  ClientResponse set = kankyo.PostForm(queue_ + "/bulk", {{Pick(a), "1"},
                                                          {Pick(b), "1"},
                                                          {"action", "status"},
                                                          {"bulk_status", "3"},
                                                          {"csrf_token", token}});
  ASSERT_EQ(set.status, 303) << set.body;
  EXPECT_EQ(Get(a).status, 3);
  EXPECT_EQ(Get(b).status, 3);
  EXPECT_FALSE(Get(a).approved);  // a new 対応状況 needs approval again
  // Without a status to set: the queue again, naming the control.
  ClientResponse missing = kankyo.PostForm(
      queue_ + "/bulk", {{Pick(a), "1"}, {"action", "status"}, {"csrf_token", token}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_NE(missing.body.find("href=\"#bulk-status\""), std::string::npos);
}

TEST_P(AnsweringTest, BulkActionWithNothingTickedExplains) {
  const int64_t item = Enter("公園の緑を増やしてほしい。", kKankyo);
  Browser publisher = SignedIn("publisher");
  const std::string token = CsrfTokenIn(publisher.Get(queue_).body);
  for (const char* language : {"ja", "en"}) {
    ClientResponse refused =
        publisher.PostForm(queue_ + "/bulk?lang=" + std::string(language),
                           {{"action", "approve"}, {"queue_q", "緑"}, {"csrf_token", token}});
    EXPECT_EQ(refused.status, 422) << language;
    // The queue again, with the summary linking to the first checkbox, and the filter kept.
    EXPECT_NE(refused.body.find("class=\"error-summary\""), std::string::npos);
    EXPECT_NE(refused.body.find("href=\"#pick-" + std::to_string(item) + "\""), std::string::npos);
    EXPECT_NE(
        refused.body.find(std::string(language) == "ja" ? "「選択」欄にチェックを入れてください"
                                                        : "tick the items to act on"),
        std::string::npos)
        << refused.body;
    EXPECT_NE(refused.body.find("id=\"queue-items\""), std::string::npos);
    EXPECT_NE(refused.body.find("name=\"queue_q\" value=\"緑\""), std::string::npos);
  }
  // Without an action: the same, naming the action.
  ClientResponse no_action =
      publisher.PostForm(queue_ + "/bulk", {{Pick(item), "1"}, {"csrf_token", token}});
  EXPECT_EQ(no_action.status, 422);
  EXPECT_NE(no_action.body.find("href=\"#bulk-action-status\""), std::string::npos);
}

TEST_P(AnsweringTest, FiltersSurviveABulkAction) {
  const int64_t item = Enter("公園の緑を増やしてほしい。", kKankyo);
  Browser publisher = SignedIn("publisher");
  const std::string page =
      publisher.Get(queue_ + "?q=" + http::PercentEncode("緑") + "&state=unanswered").body;
  EXPECT_NE(page.find("name=\"queue_q\" value=\"緑\""), std::string::npos);
  EXPECT_NE(page.find("name=\"queue_state\" value=\"unanswered\""), std::string::npos);
  ClientResponse done = publisher.PostForm(queue_ + "/bulk", {{Pick(item), "1"},
                                                              {"action", "status"},
                                                              {"bulk_status", "4"},
                                                              {"queue_q", "緑"},
                                                              {"queue_state", "unanswered"},
                                                              {"csrf_token", CsrfTokenIn(page)}});
  ASSERT_EQ(done.status, 303);
  EXPECT_EQ(done.headers["location"],
            queue_ + "?q=" + http::PercentEncode("緑") + "&state=unanswered&done=1");
  const std::string after = publisher.Get(done.headers["location"]).body;
  EXPECT_NE(after.find("id=\"filter-q\" name=\"q\" type=\"search\" value=\"緑\""),
            std::string::npos);
  EXPECT_NE(after.find("<option value=\"unanswered\" selected>"), std::string::npos);
  EXPECT_NE(after.find("role=\"status\"><p>まとめて処理した意見の数: 1"), std::string::npos);
}

TEST_P(AnsweringTest, SectionStaffCannotBulkActOnOtherSectionsItems) {
  const int64_t own = Enter("公園の緑を増やしてほしい。", kKankyo);
  const int64_t theirs = Enter("夜間の工事騒音を減らしてほしい。", kBousai);
  Answer(own, "植栽を増やします。", 2);
  Answer(theirs, "配慮を求めます。", 3);
  Browser kankyo = SignedIn("kankyo");
  const std::string token = CsrfTokenIn(kankyo.Get(queue_).body);
  // One stranger's item among the ticks: refused, and nothing changes, not even their own.
  ClientResponse mixed = kankyo.PostForm(queue_ + "/bulk", {{Pick(own), "1"},
                                                            {Pick(theirs), "1"},
                                                            {"action", "status"},
                                                            {"bulk_status", "5"},
                                                            {"csrf_token", token}});
  EXPECT_EQ(mixed.status, 403);
  EXPECT_EQ(Get(own).status, 2);
  EXPECT_EQ(Get(theirs).status, 3);
  // Approving is the publishers', even for their own items; one by one too.
  for (const char* action : {"approve", "unapprove"}) {
    EXPECT_EQ(kankyo
                  .PostForm(queue_ + "/bulk",
                            {{Pick(own), "1"}, {"action", action}, {"csrf_token", token}})
                  .status,
              403)
        << action;
  }
  EXPECT_FALSE(Get(own).approved);
  EXPECT_EQ(kankyo.PostForm(ItemPath(own) + "/unapprove", {{"csrf_token", token}}).status, 403);
  // Their queue offers no approval.
  EXPECT_EQ(kankyo.Get(queue_).body.find("value=\"approve\""), std::string::npos);
  // An item of another consultation is refused too.
  const int64_t elsewhere = NewConsultation(DaysFromToday(40));
  const int64_t foreign = Enter("別の意見です。", kKankyo, elsewhere);
  Browser publisher = SignedIn("publisher");
  EXPECT_EQ(
      publisher
          .PostForm(queue_ + "/bulk", {{Pick(foreign), "1"},
                                       {"action", "approve"},
                                       {"csrf_token", CsrfTokenIn(publisher.Get(queue_).body)}})
          .status,
      400);
}

TEST_P(AnsweringTest, SelectAllWorksWithoutJavaScript) {
  const int64_t a = Enter("公園の緑を増やしてほしい。", kKankyo);
  const int64_t b = Enter("夜間の工事騒音を減らしてほしい。", kBousai);
  Browser publisher = SignedIn("publisher");
  const std::string plain = publisher.Get(queue_).body;
  EXPECT_EQ(Count(plain, "data-pick checked"), 0u);
  EXPECT_NE(plain.find("href=\"" + queue_ + "?all=1#queue-items\""), std::string::npos);
  const std::string all = publisher.Get(queue_ + "?all=1").body;
  EXPECT_NE(all.find("name=\"" + Pick(a) + "\" value=\"1\" data-pick checked"), std::string::npos);
  EXPECT_NE(all.find("name=\"" + Pick(b) + "\" value=\"1\" data-pick checked"), std::string::npos);
  // The header checkbox for the script, hidden until it runs.
  EXPECT_NE(plain.find("data-select-all-cell hidden"), std::string::npos);
  ClientResponse script = Send(site_.port(), "GET", "/static/answering.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_NE(script.headers["content-type"].find("javascript"), std::string::npos);
}

TEST_P(AnsweringTest, ApproveAndNextAndWithdrawOnTheItemPage) {
  const int64_t a = Enter("公園の緑を増やしてほしい。", kKankyo);
  const int64_t b = Enter("街路樹の緑を守ってほしい。", kKankyo);
  Answer(a, "植栽を増やします。", 2);
  Answer(b, "街路樹を守ります。", 2);
  Browser publisher = SignedIn("publisher");
  const std::string page = publisher.Get(ItemPath(a) + "?state=unapproved").body;
  EXPECT_NE(page.find("data-shortcut=\"a\""), std::string::npos);
  ClientResponse next = publisher.PostForm(
      ItemPath(a) + "/approve",
      {{"then", "next"}, {"queue_state", "unapproved"}, {"csrf_token", CsrfTokenIn(page)}});
  ASSERT_EQ(next.status, 303);
  EXPECT_EQ(next.headers["location"],
            ItemPath(b) + "?state=unapproved&approved=" + std::to_string(a));
  EXPECT_TRUE(Get(a).approved);
  ClientResponse withdrawn =
      publisher.PostForm(ItemPath(a) + "/unapprove", {{"csrf_token", CsrfTokenIn(page)}});
  ASSERT_EQ(withdrawn.status, 303);
  EXPECT_FALSE(Get(a).approved);
  EXPECT_NE(publisher.Get(withdrawn.headers["location"]).body.find("承認を取り消しました。"),
            std::string::npos);
}

TEST_P(AnsweringTest, PublishedItemsAreNotChangedInBulkNorTheirAnswerCleared) {
  const int64_t published = NewConsultation(DaysFromToday(-1));
  const int64_t item = Enter("公園の緑を増やしてほしい。", kKankyo, published);
  Answer(item, "植栽を増やします。", 2);
  Result<std::vector<FieldOption>> fields = ListFields(site_.database(), published);
  ASSERT_TRUE(fields.ok());
  ItemUpdate field;
  field.field_ids = std::vector<int64_t>{(*fields)[1].id};
  ASSERT_TRUE(UpdateItem(site_.database(), item, field, Actor{0, "test"}).ok());
  ASSERT_TRUE(ApproveItem(site_.database(), item, Actor{0, "test"}).ok());
  Status publication = Publish(site_.database(), published, Actor{0, "test"});
  ASSERT_TRUE(publication.ok()) << publication.message_id() << " " << publication.message();
  const std::string queue = "/staff/consultations/" + std::to_string(published);
  Browser publisher = SignedIn("publisher");
  const std::string token = CsrfTokenIn(publisher.Get(queue).body);
  ClientResponse status = publisher.PostForm(
      queue + "/bulk",
      {{Pick(item), "1"}, {"action", "status"}, {"bulk_status", "5"}, {"csrf_token", token}});
  EXPECT_EQ(status.status, 409);  // the queue again, with the words
  EXPECT_NE(status.body.find("公表済みの意見は一覧からまとめて変更できません"), std::string::npos);
  EXPECT_NE(status.body.find("id=\"queue-items\""), std::string::npos);
  ClientResponse unapprove = publisher.PostForm(
      queue + "/bulk", {{Pick(item), "1"}, {"action", "unapprove"}, {"csrf_token", token}});
  EXPECT_EQ(unapprove.status, 409);
  EXPECT_TRUE(Get(item).approved);
  EXPECT_EQ(Get(item).status, 2);
  // A correction may not empty the published answer.
  ClientResponse cleared = publisher.PostForm(
      ItemPath(item),
      {{"response", ""}, {"status", "2"}, {"correction_reason", "誤記"}, {"csrf_token", token}});
  EXPECT_EQ(cleared.status, 400);
  EXPECT_EQ(Get(item).response, "植栽を増やします。");
}

INSTANTIATE_TEST_SUITE_P(Backends, AnsweringTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
