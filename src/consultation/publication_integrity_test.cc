// Issue 17 #1 and #8 (similar answers), issue 25 #6: what is published is what was approved,
// after the period, and stays so. Each test replays a finding of the security review and fails
// without its fix.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "consultation/consultation_module.h"
#include "consultation/corrections.h"
#include "consultation/publishing.h"
#include "consultation/setup.h"
#include "consultation/store.h"
#include "consultation/views.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "core/wareki.h"
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
const SectionRef kKankyo = {"環境リサイクル支援部", "環境課"};
const SectionRef kBousai = {"防災危機管理室", "防災課"};

std::string DaysFromToday(int days) {
  return FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(days)});
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Runs `command FILE after` on a file holding `bytes`; what it prints ("" when it cannot run).
std::string Through(const std::string& command, const std::string& bytes,
                    const std::string& after = "") {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("civicdesk-integrity-" + std::to_string(::getpid()) + ".bin"))
                               .string();
  std::ofstream(path, std::ios::binary) << bytes;
  std::string output;
  if (FILE* pipe = ::popen((command + " " + path + after + " 2>/dev/null").c_str(), "r")) {
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0;) output.append(buffer, n);
    ::pclose(pipe);
  }
  std::filesystem::remove(path);
  return output;
}

class PublicationIntegrityTest : public ::testing::TestWithParam<std::string> {
 protected:
  PublicationIntegrityTest()
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
  }

  // A consultation whose period closed yesterday, or (`open`) runs until ten days from now.
  int64_t NewConsultation(bool open) {
    Result<int64_t> id = CreateConsultation(site_.database(),
                                            {"港区公表確認計画（素案）",
                                             "公表確認計画",
                                             DaysFromToday(-40),
                                             DaysFromToday(open ? 10 : -1),
                                             {"基本目標1 安全なまち", "基本目標2 緑のまち"}},
                                            Settings{});
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }

  // An opinion received by post and entered by staff; its one item's id.
  int64_t Enter(int64_t consultation, const std::string& text) {
    NewSubmission submission;
    submission.text = text;
    submission.channel = "郵送";
    Result<Receipt> receipt =
        Submit(site_.database(), consultation, submission, Settings{}, Actor{0, "test"}, true);
    EXPECT_TRUE(receipt.ok()) << receipt.status().message();
    Result<storage::QueryResult> item = site_.database().Query(
        "SELECT id FROM consultation_item WHERE submission_id = ? AND active = 1",
        {receipt.ok() ? receipt->submission_id : 0});
    EXPECT_TRUE(item.ok() && item->size() == 1);
    return item.ok() && !item->empty() ? storage::AsInt(item->rows[0][0]) : 0;
  }

  // Classified, routed and answered, as staff do before approval.
  void Answer(int64_t item, const SectionRef& section, const std::string& response, int status,
              int field = 0) {
    Result<Item> found = GetItem(site_.database(), item);
    ASSERT_TRUE(found.ok());
    Result<std::vector<FieldOption>> fields = ListFields(site_.database(), found->consultation_id);
    ASSERT_TRUE(fields.ok());
    ItemUpdate update;
    update.field_ids = std::vector<int64_t>{(*fields)[field].id};
    update.sections = std::vector<SectionRef>{section};
    update.response_text = response;
    update.status = status;
    ASSERT_TRUE(UpdateItem(site_.database(), item, update, Actor{0, "test"}).ok());
  }

  void Approve(int64_t item) {
    ASSERT_TRUE(ApproveItem(site_.database(), item, Actor{0, "test"}).ok());
  }

  // A published consultation of two approved items: 環境課's (No 1) and 防災課's (No 2).
  int64_t Published(int64_t& green, int64_t& noise) {
    const int64_t id = NewConsultation(false);
    green = Enter(id, "公園の緑を増やしてほしい。");
    noise = Enter(id, "夜間の工事騒音を減らしてほしい。");
    Answer(green, kKankyo, "区立公園の植栽を計画的に増やします。", 2, 1);
    Answer(noise, kBousai, "工事事業者に夜間作業の配慮を求めます。", 3, 1);
    Approve(green);
    Approve(noise);
    EXPECT_TRUE(Publish(site_.database(), id, Actor{0, "test"}).ok());
    return id;
  }

  Browser SignedIn(const std::string& login) {
    Browser browser(site_.port());
    std::string token = CsrfTokenIn(browser.Get("/login").body);
    ClientResponse response = browser.PostForm(
        "/login", {{"login", login}, {"password", kPassword}, {"csrf_token", token}});
    EXPECT_EQ(response.status, 303) << login;
    return browser;
  }

  // A public GET as a visitor would make it, never answered from the page cache.
  ClientResponse Public(const std::string& target) {
    return Send(site_.port(), "GET",
                target + (Has(target, "?") ? "&" : "?") + "fresh=" + std::to_string(++fresh_));
  }

  // The open-data dataset of a result: its columns, then its rows.
  std::vector<std::vector<std::string>> Dataset(int64_t consultation) {
    std::vector<std::vector<std::string>> table;
    Result<std::vector<http::PublicDataset>> datasets = site_.app().PublicDatasets();
    EXPECT_TRUE(datasets.ok());
    for (const http::PublicDataset& dataset : *datasets) {
      if (dataset.id != "consultation-" + std::to_string(consultation) + "-result") continue;
      table.push_back(dataset.columns);
      EXPECT_TRUE(dataset
                      .rows(site_.app(),
                            [&](const std::vector<std::string>& cells) {
                              table.push_back(cells);
                              return Status::Ok();
                            })
                      .ok());
    }
    return table;
  }

  std::vector<std::string> Audit(const std::string& action, int64_t item) {
    Result<storage::QueryResult> rows = site_.database().Query(
        "SELECT before_value, after_value FROM consultation_audit WHERE action = ? AND entity = "
        "'item' AND entity_id = ? ORDER BY id",
        {action, item});
    std::vector<std::string> values;
    for (const auto& row : rows->rows) {
      values.push_back(storage::AsText(row[0]));
      values.push_back(storage::AsText(row[1]));
    }
    return values;
  }

  TestSite site_;
  int fresh_ = 0;
};

// The review: a publisher published a consultation with no item approved while the page said
// 「マスクしてください」. Now the refusal names the items, and nothing is published.
TEST_P(PublicationIntegrityTest, PublishRefusesUnapprovedItemsAndOpenPersonalDataNamingThem) {
  const int64_t id = NewConsultation(false);
  const int64_t green = Enter(id, "公園の緑を増やしてほしい。");
  const int64_t noise = Enter(id, "工事の騒音がひどい。連絡先は03-1234-5678です。");
  Answer(green, kKankyo, "区立公園の植栽を計画的に増やします。", 2);
  Answer(noise, kBousai, "工事事業者に配慮を求めます。", 5);
  const std::string publish = "/staff/consultations/" + std::to_string(id) + "/publish";
  const std::string result = "/consultations/" + std::to_string(id) + "/result";

  Browser publisher = SignedIn("publisher");
  ClientResponse page = publisher.Get(publish);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page.body, "マスクしてください"));
  EXPECT_TRUE(Has(page.body, "未承認"));
  const std::string token = CsrfTokenIn(page.body);
  ClientResponse refused = publisher.PostForm(publish, {{"csrf_token", token}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Has(refused.body, "No 1, No 2")) << refused.body;
  EXPECT_TRUE(Has(refused.body, "未承認"));
  EXPECT_TRUE(Has(refused.body, "個人情報と思われる記載があります（電話番号）"));
  EXPECT_EQ(Public(result).status, 404);
  EXPECT_EQ(GetConsultation(site_.database(), id)->state, "open");

  // Both approved: the phone number still stops it, and only No 2 is named.
  for (int64_t item : {green, noise}) {
    ASSERT_EQ(
        publisher
            .PostForm("/staff/items/" + std::to_string(item) + "/approve", {{"csrf_token", token}})
            .status,
        303);
  }
  refused = publisher.PostForm(publish, {{"csrf_token", token}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Has(refused.body, "（直す必要がある項目 1 件: No 2）")) << refused.body;
  EXPECT_EQ(Public(result).status, 404);

  ASSERT_EQ(
      publisher.PostForm("/staff/items/" + std::to_string(noise) + "/mask", {{"csrf_token", token}})
          .status,
      303);
  ClientResponse published = publisher.PostForm(publish, {{"csrf_token", token}});
  ASSERT_EQ(published.status, 303) << published.body;
  ClientResponse shown = Public(result);
  ASSERT_EQ(shown.status, 200);
  EXPECT_TRUE(Has(shown.body, "公園の緑を増やしてほしい。"));
  EXPECT_FALSE(Has(shown.body, "03-1234-5678"));
  EXPECT_FALSE(Has(Public(result + ".csv").body, "03-1234-5678"));

  // Published once: publishing again is refused (its changes are corrections).
  EXPECT_EQ(publisher.PostForm(publish, {{"csrf_token", token}}).status, 409);
}

// What was approved is a response and a status: changing either takes the approval away, so an
// approved item cannot be given another status unseen before publication.
TEST_P(PublicationIntegrityTest, ChangingAnApprovedStatusTakesTheApprovalAway) {
  const int64_t id = NewConsultation(false);
  const int64_t green = Enter(id, "公園の緑を増やしてほしい。");
  Answer(green, kKankyo, "区立公園の植栽を計画的に増やします。", 2);
  Approve(green);
  ItemUpdate status;
  status.status = 1;
  ASSERT_TRUE(UpdateItem(site_.database(), green, status, Actor{0, "kankyo"}).ok());
  EXPECT_FALSE(GetItem(site_.database(), green)->approved);
  Status refused = Publish(site_.database(), id, Actor{0, "test"});
  EXPECT_EQ(refused.message_id(), "consultation.publish_blocked");
}

// Issue 25: publishing closed a consultation whose 募集期間 ran two more months. Now it is refused
// before the close unless the publisher closes early with the new date, which the consultation's
// page then shows beside the date first announced.
TEST_P(PublicationIntegrityTest, PublishingBeforeTheCloseNeedsAnExplicitEarlyClose) {
  const int64_t id = NewConsultation(true);
  const std::string announced = DaysFromToday(10);
  const int64_t green = Enter(id, "公園の緑を増やしてほしい。");
  Answer(green, kKankyo, "区立公園の植栽を計画的に増やします。", 2);
  Approve(green);
  const std::string publish = "/staff/consultations/" + std::to_string(id) + "/publish";

  Browser publisher = SignedIn("publisher");
  ClientResponse page = publisher.Get(publish);
  EXPECT_TRUE(Has(page.body, "name=\"close_early_on\""));
  const std::string token = CsrfTokenIn(page.body);
  ClientResponse open = publisher.PostForm(publish, {{"csrf_token", token}});
  EXPECT_EQ(open.status, 409);
  EXPECT_TRUE(Has(open.body, "募集期間中")) << open.body;
  ClientResponse no_date =
      publisher.PostForm(publish, {{"close_early", "1"}, {"csrf_token", token}});
  EXPECT_EQ(no_date.status, 400);
  ClientResponse future = publisher.PostForm(
      publish, {{"close_early", "1"}, {"close_early_on", DaysFromToday(3)}, {"csrf_token", token}});
  EXPECT_EQ(future.status, 400);
  EXPECT_TRUE(Has(future.body, "新しい締切日は")) << future.body;
  // A date without the box ticked is not a decision to close early.
  EXPECT_EQ(
      publisher.PostForm(publish, {{"close_early_on", DaysFromToday(0)}, {"csrf_token", token}})
          .status,
      409);
  EXPECT_EQ(GetConsultation(site_.database(), id)->state, "open");
  EXPECT_EQ(Publish(site_.database(), id, Actor{0, "cli"}).message_id(),
            "consultation.publish_before_close");

  ClientResponse closed = publisher.PostForm(
      publish, {{"close_early", "1"}, {"close_early_on", DaysFromToday(0)}, {"csrf_token", token}});
  ASSERT_EQ(closed.status, 303) << closed.body;
  Result<Consultation> consultation = GetConsultation(site_.database(), id);
  EXPECT_EQ(consultation->state, "published");
  EXPECT_EQ(consultation->closes_on, DaysFromToday(0));
  EXPECT_EQ(consultation->original_closes_on, announced);
  const std::string shown = Public("/consultations/" + std::to_string(id)).body;
  EXPECT_TRUE(Has(shown, "当初の締切: " + WarekiOf(announced))) << shown;
  EXPECT_TRUE(Has(shown, "〜" + WarekiOf(DaysFromToday(0))));
  EXPECT_TRUE(Has(shown, "早期終了: " + WarekiOf(DaysFromToday(0))));
  Result<storage::QueryResult> audit = site_.database().Query(
      "SELECT before_value, after_value FROM consultation_audit WHERE action = 'close_early'");
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ(storage::AsText(audit->rows[0][0]), announced);
}

// Issue 25: entries added after publication went public unanswered. Now they are a follow-up:
// the published table, its counts, its open data and public search stay as published; staff see
// them as 「公表後に届いた意見」.
TEST_P(PublicationIntegrityTest, EntriesAfterPublicationAreAFollowUpNotPartOfTheResult) {
  int64_t green = 0, noise = 0;
  const int64_t id = Published(green, noise);
  const std::string result = "/consultations/" + std::to_string(id) + "/result";
  const std::string csv = Public(result + ".csv").body;
  ASSERT_TRUE(Has(csv, "公園の緑を増やしてほしい。"));

  Browser publisher = SignedIn("publisher");
  const std::string queue = "/staff/consultations/" + std::to_string(id);
  ClientResponse entered = publisher.PostForm(
      queue + "/entries", {{"channel", "郵送"},
                           {"text", "締切後に郵送で届いた意見です。"},
                           {"csrf_token", CsrfTokenIn(publisher.Get(queue).body)}});
  ASSERT_EQ(entered.status, 303) << entered.body;
  Result<std::set<int64_t>> late = ItemsAfterPublication(site_.database(), id);
  ASSERT_TRUE(late.ok());
  ASSERT_EQ(late->size(), 1u);
  const int64_t later = *late->begin();
  // Staff may answer it: it is not frozen, and still not published.
  Answer(later, kKankyo, "後日の意見として担当課で検討します。", 5);
  Approve(later);

  EXPECT_EQ(Public(result + ".csv").body, csv);
  ClientResponse page = Public(result);
  EXPECT_FALSE(Has(page.body, "締切後に郵送で届いた意見です。"));
  json summary =
      json::parse(Public("/api/v1/consultations/" + std::to_string(id) + "/summary").body);
  EXPECT_EQ(summary["items"], 2);
  EXPECT_EQ(summary["people_by_channel"]["郵送"], 2);
  EXPECT_EQ(Dataset(id).size(), 3u);  // the columns and the two published rows
  json hits = json::parse(Public("/api/v1/search?q=" + http::PercentEncode("締切後に郵送")).body);
  EXPECT_TRUE(hits["hits"].empty()) << hits.dump();
  json answer_hits =
      json::parse(Public("/api/v1/search?q=" + http::PercentEncode("後日の意見")).body);
  EXPECT_TRUE(answer_hits["hits"].empty()) << answer_hits.dump();

  const std::string staff_queue = publisher.Get(queue).body;
  EXPECT_TRUE(Has(staff_queue, "公表後に届いた意見")) << staff_queue;
  EXPECT_TRUE(Has(staff_queue, "締切後に郵送で届いた意見です。"));
  Result<storage::QueryResult> receipt = site_.database().Query(
      "SELECT s.receipt FROM consultation_submission s JOIN consultation_item i ON i.submission_id "
      "= s.id WHERE i.id = ?",
      {later});
  Result<ReceiptStatus> status =
      FindReceipt(site_.database(), storage::AsText(receipt->rows[0][0]));
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->state, "after_publication");
  // Publishing again would take it in: refused.
  EXPECT_EQ(Publish(site_.database(), id, Actor{0, "test"}).message_id(),
            "consultation.already_published");
}

// The review: after publication, section staff changed an answer and its status with no
// approval, and the public result and the open-data CSV changed at once. Now a published item
// is frozen; a change is a correction with its reason that changes nothing published until a
// publisher approves it, then the result is republished with its 訂正履歴 in every format.
TEST_P(PublicationIntegrityTest, PublishedAnswerChangesOnlyByAnApprovedCorrection) {
  int64_t green = 0, noise = 0;
  const int64_t id = Published(green, noise);
  const std::string result = "/consultations/" + std::to_string(id) + "/result";
  const std::string old_answer = "区立公園の植栽を計画的に増やします。";
  const std::string new_answer = "区立公園と街路の植栽を令和9年度までに倍増します。";
  const std::string item_page = "/staff/items/" + std::to_string(green);
  const std::string page_before = Public(result).body;
  const std::string csv_before = Public(result + ".csv").body;
  const std::string tsv_before = Public(result + ".tsv").body;
  const auto dataset_before = Dataset(id);
  ASSERT_TRUE(Has(page_before, old_answer));
  auto search = [&](const std::string& words) {
    return json::parse(Public("/api/v1/search?q=" + http::PercentEncode(words)).body)["hits"];
  };
  ASSERT_FALSE(search("計画的に増やします").empty());
  EXPECT_TRUE(search("倍増します").empty());

  // The finding replayed: section staff change the answer and the status, no reason given.
  Browser kankyo = SignedIn("kankyo");
  std::string token = CsrfTokenIn(kankyo.Get(item_page).body);
  const std::map<std::string, std::string> change = {
      {"field_" + std::to_string((*ListFields(site_.database(), id))[1].id), "on"},
      {"response", new_answer},
      {"status", "1"},
      {"csrf_token", token}};
  ClientResponse refused = kankyo.PostForm(item_page, change);
  EXPECT_EQ(refused.status, 409);
  EXPECT_TRUE(Has(refused.body, "訂正の理由を入力してください")) << refused.body;
  EXPECT_TRUE(Has(refused.body, new_answer));  // what they typed is kept for them
  EXPECT_EQ(GetItem(site_.database(), green)->response, old_answer);
  // Nor through the API of the same module's other doors: bulk actions, suggestions.
  ItemUpdate direct;
  direct.response_text = new_answer;
  EXPECT_EQ(UpdateItem(site_.database(), green, direct, Actor{0, "kankyo"}).message_id(),
            "consultation.item_published");

  // With a reason: a correction, pending.
  std::map<std::string, std::string> correction = change;
  correction["correction_reason"] = "目標年度の記載が漏れていたため";
  ClientResponse requested = kankyo.PostForm(item_page, correction);
  ASSERT_EQ(requested.status, 303) << requested.body;
  Result<std::vector<Correction>> pending = ListCorrections(site_.database(), id, "pending");
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().changed, (std::vector<std::string>{"response", "status"}));
  EXPECT_EQ(kankyo
                .PostForm("/staff/corrections/" + std::to_string(pending->front().id) + "/approve",
                          {{"csrf_token", token}})
                .status,
            403);  // section staff do not approve their own correction

  // Until approved, nothing published changes: the page, every download, open data, search.
  EXPECT_EQ(Public(result).body.find(new_answer), std::string::npos);
  EXPECT_EQ(Public(result + ".csv").body, csv_before);
  EXPECT_EQ(Public(result + ".tsv").body, tsv_before);
  EXPECT_EQ(Dataset(id), dataset_before);
  EXPECT_TRUE(search("倍増します").empty());
  EXPECT_FALSE(search("計画的に増やします").empty());
  EXPECT_EQ(GetItem(site_.database(), green)->status, 2);

  // The publisher approves: republished with its 訂正履歴.
  Browser publisher = SignedIn("publisher");
  ClientResponse review = publisher.Get(item_page);
  EXPECT_TRUE(Has(review.body, "目標年度の記載が漏れていたため"));
  EXPECT_TRUE(Has(review.body, "/staff/corrections/" + std::to_string(pending->front().id)));
  ClientResponse approved =
      publisher.PostForm("/staff/corrections/" + std::to_string(pending->front().id) + "/approve",
                         {{"csrf_token", CsrfTokenIn(review.body)}});
  ASSERT_EQ(approved.status, 303) << approved.body;
  EXPECT_EQ(publisher
                .PostForm("/staff/corrections/" + std::to_string(pending->front().id) + "/approve",
                          {{"csrf_token", CsrfTokenIn(review.body)}})
                .status,
            409);  // once

  const std::string today = FormatWarekiDate(TodayInJapan());
  const std::string page = Public(result).body;
  EXPECT_TRUE(Has(page, new_answer));
  EXPECT_TRUE(Has(page, "訂正履歴"));
  EXPECT_TRUE(Has(page, today)) << today;
  EXPECT_TRUE(Has(page, "<a href=\"#item-1\">1</a>"));  // the row keeps its No
  EXPECT_TRUE(Has(page, "<article class=\"result-card\" id=\"item-1\""));
  EXPECT_TRUE(Has(page, old_answer));  // 訂正前
  EXPECT_TRUE(Has(page, "目標年度の記載が漏れていたため"));
  const std::string note = today + "訂正：区の考え方（訂正前：「" + old_answer +
                           "」）、対応状況（訂正前：2）。理由：目標年度の記載が漏れていたため";
  const std::string csv = Public(result + ".csv").body;
  EXPECT_EQ(
      csv.rfind("\xEF\xBB\xBFNo,主な該当分野,区民意見,区分,部,課,区の考え方,対応状況,訂正履歴\r\n",
                0),
      0u)
      << csv.substr(0, 200);
  EXPECT_TRUE(Has(csv, new_answer + ",1," + note)) << csv;
  const std::string tsv = Public(result + ".tsv").body;
  EXPECT_TRUE(Has(tsv, new_answer + "\t1\t" + note + "\n")) << tsv;
  EXPECT_TRUE(Has(tsv, "夜間の工事騒音を減らしてほしい。"));
  const auto dataset = Dataset(id);
  ASSERT_EQ(dataset.size(), 3u);
  EXPECT_EQ(dataset[0].back(), "訂正履歴");
  EXPECT_EQ(dataset[1][0], "1");
  EXPECT_EQ(dataset[1][6], new_answer);
  EXPECT_EQ(dataset[1].back(), note);
  EXPECT_EQ(dataset[2].back(), "");
  // XLSX and PDF read back with the tools a clerk's machine has (skipped where missing).
  if (std::filesystem::exists("/usr/bin/unzip")) {
    const std::string xlsx = Through("unzip -p", Public(result + ".xlsx").body);
    EXPECT_TRUE(Has(xlsx, "訂正履歴"));
    EXPECT_TRUE(Has(xlsx, "目標年度の記載が漏れていたため"));
    EXPECT_TRUE(Has(xlsx, new_answer));
  }
  if (std::filesystem::exists("/usr/bin/pdftotext")) {
    const std::string pdf = Through("pdftotext", Public(result + ".pdf").body, " -");
    EXPECT_TRUE(Has(pdf, "訂正履歴")) << pdf.substr(0, 400);
    EXPECT_TRUE(Has(pdf, "目標年度の記載が漏れていたため")) << pdf;
  }
  EXPECT_FALSE(search("倍増します").empty());
  json summary =
      json::parse(Public("/api/v1/consultations/" + std::to_string(id) + "/summary").body);
  EXPECT_EQ(summary["statuses"][0]["items"], 1);  // the corrected status is counted

  // The audit trail keeps both versions.
  const std::vector<std::string> audit = Audit("approve_correction", green);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_TRUE(Has(audit[0], old_answer));
  EXPECT_TRUE(Has(audit[1], new_answer));
  EXPECT_TRUE(Has(audit[1], "目標年度の記載が漏れていたため"));
  EXPECT_EQ(Audit("request_correction", green).size(), 2u);

  // A rejected correction changes nothing.
  Browser bousai = SignedIn("bousai");
  const std::string noise_page = "/staff/items/" + std::to_string(noise);
  ASSERT_EQ(bousai
                .PostForm(noise_page, {{"response", "夜間工事を禁止します。"},
                                       {"status", "1"},
                                       {"correction_reason", "誤記"},
                                       {"csrf_token", CsrfTokenIn(bousai.Get(noise_page).body)}})
                .status,
            303);
  pending = ListCorrections(site_.database(), id, "pending");
  ASSERT_EQ(pending->size(), 1u);
  ASSERT_EQ(publisher
                .PostForm("/staff/corrections/" + std::to_string(pending->front().id) + "/reject",
                          {{"csrf_token", CsrfTokenIn(review.body)}})
                .status,
            303);
  EXPECT_EQ(Public(result + ".csv").body, csv);
  EXPECT_EQ(GetItem(site_.database(), noise)->response, "工事事業者に夜間作業の配慮を求めます。");
}

// A published result keeps its table and counts: its opinions are not split or merged, its
// order (groups) is not saved again, no meeting is added, bulk actions do not change its items.
TEST_P(PublicationIntegrityTest, PublishedResultRefusesSplitMergeRegroupingMeetingsAndBulk) {
  int64_t green = 0, noise = 0;
  const int64_t id = Published(green, noise);
  const std::string csv = Public("/consultations/" + std::to_string(id) + "/result.csv").body;
  const int64_t submission = GetItem(site_.database(), green)->submission_id;
  EXPECT_EQ(SplitSubmission(site_.database(), submission, {"公園の緑を", "増やしてほしい。"},
                            Actor{0, "test"})
                .message_id(),
            "consultation.submission_published");
  EXPECT_EQ(MergeSubmission(site_.database(), submission, Actor{0, "test"}).message_id(),
            "consultation.submission_published");
  Meeting meeting{0, "2024-01-20", "芝", "芝区民センター", 12};
  EXPECT_EQ(AddMeeting(site_.database(), id, meeting, Actor{0, "test"}).status().message_id(),
            "consultation.meetings_published");

  Browser publisher = SignedIn("publisher");
  const std::string queue = "/staff/consultations/" + std::to_string(id);
  const std::string token = CsrfTokenIn(publisher.Get(queue).body);
  EXPECT_EQ(
      publisher.PostForm(queue + "/groups", {{"threshold", "0.45"}, {"csrf_token", token}}).status,
      409);
  EXPECT_EQ(publisher
                .PostForm(queue + "/bulk", {{"item_" + std::to_string(green), "1"},
                                            {"action", "section"},
                                            {"section", "防災危機管理室/防災課"},
                                            {"csrf_token", token}})
                .status,
            409);
  EXPECT_EQ(publisher
                .PostForm("/staff/submissions/" + std::to_string(submission) + "/merge",
                          {{"csrf_token", token}})
                .status,
            409);
  EXPECT_EQ(Public("/consultations/" + std::to_string(id) + "/result.csv").body, csv);
}

// The review: the response editor showed another section's item text under 「似た意見への回答」.
// Section staff are offered answers only from items they may see; publishers from all.
TEST_P(PublicationIntegrityTest, SimilarAnswersComeOnlyFromItemsTheViewerMaySee) {
  const int64_t id = NewConsultation(true);
  const int64_t own = Enter(id, "公園の緑をもっと増やしてほしいです。");
  const int64_t mine = Enter(id, "公園の緑を増やしてほしい。");
  const int64_t theirs = Enter(id, "公園の緑を増やしてほしい。防災倉庫の場所も教えて。");
  Answer(mine, kKankyo, "環境課としての回答です。", 2);
  Answer(theirs, kBousai, "防災課の内部検討中の回答です。", 3);
  ItemUpdate route;
  route.sections = std::vector<SectionRef>{kKankyo};
  ASSERT_TRUE(UpdateItem(site_.database(), own, route, Actor{0, "test"}).ok());

  Browser kankyo = SignedIn("kankyo");
  const std::string page = kankyo.Get("/staff/items/" + std::to_string(own)).body;
  ASSERT_TRUE(Has(page, "似た意見への回答")) << page;
  EXPECT_TRUE(Has(page, "環境課としての回答です。"));
  EXPECT_FALSE(Has(page, "防災倉庫の場所も教えて")) << "another section's opinion shown";
  EXPECT_FALSE(Has(page, "防災課の内部検討中の回答です。")) << "another section's answer shown";
  // Nor can its answer be taken by its id.
  const int64_t their_response = GetItem(site_.database(), theirs)->response_id;
  EXPECT_EQ(kankyo
                .PostForm("/staff/items/" + std::to_string(own),
                          {{"reuse_response", std::to_string(their_response)},
                           {"csrf_token", CsrfTokenIn(page)}})
                .status,
            403);
  EXPECT_EQ(GetItem(site_.database(), own)->response_id, 0);

  Browser publisher = SignedIn("publisher");
  const std::string all = publisher.Get("/staff/items/" + std::to_string(own)).body;
  EXPECT_TRUE(Has(all, "防災課の内部検討中の回答です。"));
}

INSTANTIATE_TEST_SUITE_P(Backends, PublicationIntegrityTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
