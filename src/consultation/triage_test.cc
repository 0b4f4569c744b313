// Issue 25 #1, #2 and #6: intake that flows. Who triages a consultation, the triage queue with its
// counts and suggestions chosen in advance, section staff splitting their own opinions and
// sending one back with a reason, why a section's queue is empty; splitting that keeps routing
// and fields, line endings normalised on every intake path with the original in the audit, a
// refused split that keeps the staff's marks; and what publication leaves to a follow-up.
#include "consultation/triage.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "consultation/consultation_module.h"
#include "consultation/intake.h"
#include "consultation/opinions_import.h"
#include "consultation/publishing.h"
#include "consultation/store.h"
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

class TriageTest : public ::testing::TestWithParam<std::string> {
 protected:
  TriageTest()
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
    Result<int64_t> id = CreateConsultation(site_.database(),
                                            {"港区振り分け確認計画（素案）",
                                             "振り分け確認計画",
                                             DaysFromToday(-5),
                                             DaysFromToday(40),
                                             {"基本目標1 安全なまち", "基本目標2 緑のまち"}},
                                            Settings{});
    ASSERT_TRUE(id.ok()) << id.status().message();
    id_ = *id;
  }

  std::string Queue() const { return "/staff/consultations/" + std::to_string(id_); }
  std::string TriagePage() const { return Queue() + "/triage"; }

  // An opinion received by post and entered by staff; its submission id.
  int64_t Enter(const std::string& text) {
    NewSubmission submission;
    submission.text = text;
    submission.channel = "郵送";
    Result<Receipt> receipt =
        Submit(site_.database(), id_, submission, Settings{}, Actor{0, "test"}, true);
    EXPECT_TRUE(receipt.ok()) << receipt.status().message();
    return receipt.ok() ? receipt->submission_id : 0;
  }

  std::vector<Item> ItemsOf(int64_t submission) {
    Result<std::vector<Item>> items = ListItems(site_.database(), id_);
    EXPECT_TRUE(items.ok());
    std::vector<Item> found;
    for (const Item& item : *items)
      if (item.submission_id == submission) found.push_back(item);
    return found;
  }

  int64_t OnlyItem(int64_t submission) {
    std::vector<Item> items = ItemsOf(submission);
    EXPECT_EQ(items.size(), 1u);
    return items.empty() ? 0 : items.front().id;
  }

  void Route(int64_t item, std::vector<SectionRef> sections, std::vector<int64_t> fields = {}) {
    ItemUpdate update;
    update.sections = std::move(sections);
    if (!fields.empty()) update.field_ids = std::move(fields);
    ASSERT_TRUE(UpdateItem(site_.database(), item, update, Actor{0, "test"}).ok());
  }

  int64_t FieldId(int position) {
    Result<std::vector<FieldOption>> fields = ListFields(site_.database(), id_);
    EXPECT_TRUE(fields.ok() && fields->size() > static_cast<size_t>(position));
    return (*fields)[position].id;
  }

  Browser SignedIn(const std::string& login) {
    Browser browser(site_.port());
    std::string token = CsrfTokenIn(browser.Get("/login").body);
    ClientResponse response = browser.PostForm(
        "/login", {{"login", login}, {"password", kPassword}, {"csrf_token", token}});
    EXPECT_EQ(response.status, 303) << login;
    return browser;
  }

  ClientResponse PostOn(Browser& browser, const std::string& page, const std::string& action,
                        std::map<std::string, std::string> fields) {
    fields["csrf_token"] = CsrfTokenIn(browser.Get(page).body);
    return browser.PostForm(action, fields);
  }

  std::vector<std::pair<std::string, std::string>> AuditOf(const std::string& action,
                                                           int64_t entity_id) {
    Result<storage::QueryResult> rows = site_.database().Query(
        "SELECT before_value, after_value FROM consultation_audit WHERE action = ? AND entity_id"
        " = ? ORDER BY id",
        {action, entity_id});
    EXPECT_TRUE(rows.ok());
    std::vector<std::pair<std::string, std::string>> values;
    for (const auto& row : rows->rows)
      values.emplace_back(storage::AsText(row[0]), storage::AsText(row[1]));
    return values;
  }

  std::string StoredText(int64_t submission) {
    Result<Submission> found = GetSubmission(site_.database(), submission);
    EXPECT_TRUE(found.ok());
    return found.ok() ? found->text : std::string();
  }

  // The original bytes, from the stored text and the audit's record of its line endings.
  std::string Restored(int64_t submission) {
    auto audit = AuditOf("normalise_line_endings", submission);
    EXPECT_EQ(audit.size(), 1u);
    if (audit.empty()) return "";
    json record = json::parse(audit.front().first);
    return RestoreLineEndings(StoredText(submission), record["crlf"].get<std::vector<int64_t>>(),
                              record["cr"].get<std::vector<int64_t>>());
  }

  // Staff routed opinions about park greenery to 環境課 and about shelters to 防災課 (the
  // shipped seed routes many more to other sections).
  void TeachRouting() {
    for (const char* text :
         {"公園の緑をもっと増やしてほしい。公園の緑は大切です。",
          "公園の緑をもっと増やしてほしいです。", "公園の緑をもっと増やしてください。",
          "近所の公園の緑をもっと増やしてほしい。",
          "公園の緑をもっと増やしてほしい。木陰がほしい。", "公園の緑と花をもっと増やしてほしい。",
          "街路樹の緑を大切にしてほしい。", "公園の花壇の花を増やしてください。",
          "公園の木を切らないでほしい。緑が減っています。", "屋上の緑化を進めてほしい。",
          "公園の芝生と緑を守ってください。", "緑の多い公園を近所につくってほしい。"}) {
      Route(OnlyItem(Enter(text)), {kKankyo});
    }
    for (const char* text :
         {"避難所の備蓄を増やしてほしい。", "地震の避難訓練を増やしてほしい。",
          "防災無線が聞こえにくい。", "避難所の案内を分かりやすく。",
          "地震のときの避難所が分からない。", "避難訓練に参加しやすくしてほしい。",
          "防災倉庫の備蓄品を見直してほしい。", "津波の避難場所の案内板を増やして。",
          "地震に備えて防災無線を聞こえやすく。", "避難所の備蓄の水を増やしてほしい。"}) {
      Route(OnlyItem(Enter(text)), {kBousai});
    }
  }

  TestSite site_;
  int64_t id_ = 0;
};

// Issue 25: splitting dropped the routing; the pieces became 未回付 and left the section's queue.
TEST_P(TriageTest, SplitKeepsRoutingOnEveryPiece) {
  const int64_t submission =
      Enter("公園の緑を増やしてほしい。\nごみの分別を分かりやすくしてほしい。");
  Route(OnlyItem(submission), {kKankyo, kBousai}, {FieldId(1)});
  Browser kankyo = SignedIn("kankyo");
  const std::string split = "/staff/submissions/" + std::to_string(submission) + "/split";
  ClientResponse done = PostOn(
      kankyo, split, split,
      {{"pieces", "公園の緑を増やしてほしい。\r\n---\r\nごみの分別を分かりやすくしてほしい。"}});
  ASSERT_EQ(done.status, 303) << done.body;
  std::vector<Item> pieces = ItemsOf(submission);
  ASSERT_EQ(pieces.size(), 2u);
  for (const Item& piece : pieces) {
    EXPECT_EQ(piece.sections, (std::vector<SectionRef>{kKankyo, kBousai})) << piece.text;
    EXPECT_EQ(piece.field_ids, (std::vector<int64_t>{FieldId(1)})) << piece.text;
  }
  const std::string queue = kankyo.Get(Queue()).body;
  EXPECT_TRUE(Has(queue, "公園の緑を増やしてほしい。"));
  EXPECT_TRUE(Has(queue, "ごみの分別を分かりやすくしてほしい。"));
  // A later split of one piece keeps what that piece has, not its neighbour's.
  Route(pieces[1].id, {kBousai});
  ASSERT_EQ(PostOn(kankyo, split, split,
                   {{"pieces",
                     "公園の緑を\n---\n増やしてほしい。\n---\nごみの分別を分かりやすく"
                     "してほしい。"}})
                .status,
            403)
      << "no longer all routed to 環境課";
  Browser bousai = SignedIn("bousai");
  ASSERT_EQ(PostOn(bousai, split, split,
                   {{"pieces",
                     "公園の緑を\n---\n増やしてほしい。\n---\nごみの分別を分かりやすく"
                     "してほしい。"}})
                .status,
            303);
  pieces = ItemsOf(submission);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0].sections, (std::vector<SectionRef>{kKankyo, kBousai}));
  EXPECT_EQ(pieces[1].sections, (std::vector<SectionRef>{kKankyo, kBousai}));
  EXPECT_EQ(pieces[2].sections, (std::vector<SectionRef>{kBousai}));
  EXPECT_EQ(pieces[2].field_ids, (std::vector<int64_t>{FieldId(1)}));
}

// Issue 25: a piece spanning a line break was refused (「…元の文章に順番どおりに見つかりません」):
// the citizen's CRLF text was rejoined with LF.
TEST_P(TriageTest, SplitAcrossCrlfLineBreak) {
  const std::string original =
      "一行目の意見です。\r\n二行目も同じ意見です。\r\n三行目は別の意見です。";
  ClientResponse sent =
      Send(site_.port(), "POST", "/api/v1/consultations/" + std::to_string(id_) + "/opinions",
           json{{"text", original}}.dump(), {{"Content-Type", "application/json"}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  Result<std::vector<Submission>> submissions = ListSubmissions(site_.database(), id_);
  ASSERT_TRUE(submissions.ok() && submissions->size() == 1u);
  const int64_t submission = submissions->front().id;
  Route(OnlyItem(submission), {kKankyo});
  Browser kankyo = SignedIn("kankyo");
  const std::string split = "/staff/submissions/" + std::to_string(submission) + "/split";
  ClientResponse done = PostOn(kankyo, split, split,
                               {{"pieces",
                                 "一行目の意見です。\r\n二行目も同じ意見です。\r\n---\r\n三行目は別"
                                 "の意見です。"}});
  ASSERT_EQ(done.status, 303) << done.body;
  std::vector<Item> pieces = ItemsOf(submission);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].text, "一行目の意見です。\n二行目も同じ意見です。");
  EXPECT_EQ(pieces[1].text, "三行目は別の意見です。");

  // A text stored with CRLF before intake normalised it still splits across its line break.
  const int64_t legacy = Enter("まえの行です。あとの行です。");
  ASSERT_TRUE(
      site_.database()
          .Query("UPDATE consultation_submission SET text = ? WHERE id = ?",
                 {std::string("まえの行です。\r\nつぎの行です。\r\nあとの行です。"), legacy})
          .ok());
  ASSERT_TRUE(SplitSubmission(site_.database(), legacy,
                              {"まえの行です。\nつぎの行です。", "あとの行です。"},
                              Actor{0, "test"})
                  .ok());
  std::vector<Item> old = ItemsOf(legacy);
  ASSERT_EQ(old.size(), 2u);
  const std::string stored = StoredText(legacy);
  EXPECT_EQ(old[0].text, "まえの行です。\r\nつぎの行です。");
  EXPECT_EQ(stored.substr(old[0].source_start, old[0].source_end - old[0].source_start),
            old[0].text);
  EXPECT_EQ(stored.substr(old[1].source_start, old[1].source_end - old[1].source_start),
            "あとの行です。");
}

// Every intake path (web form, API, staff entry, CLI import) stores LF; the audit keeps what
// gives back the bytes received, and their SHA-256, never a copy of the text.
TEST_P(TriageTest, LineEndingsAreNormalisedOnEveryIntakePathWithTheOriginalInTheAudit) {
  const std::string api_text = "APIの一行目\r\nAPIの二行目\rAPIの三行目";
  ASSERT_EQ(Send(site_.port(), "POST", "/api/v1/consultations/" + std::to_string(id_) + "/opinions",
                 json{{"text", api_text}}.dump(), {{"Content-Type", "application/json"}})
                .status,
            201);
  Browser publisher = SignedIn("publisher");
  ASSERT_EQ(PostOn(publisher, Queue(), Queue() + "/entries",
                   {{"channel", "郵送"}, {"text", "郵送の一行目\r\n郵送の二行目"}})
                .status,
            303);
  // The public form: form, confirm, send, as a browser sends a textarea (CRLF).
  Browser citizen(site_.port());
  const std::string page = "/consultations/" + std::to_string(id_);
  ClientResponse form = citizen.Get(page);
  std::smatch token;
  ASSERT_TRUE(std::regex_search(form.body, token,
                                std::regex("name=\"form_token\" value=\"([0-9a-f]{64})\"")));
  std::map<std::string, std::string> fields = {{"csrf_token", CsrfTokenIn(form.body)},
                                               {"form_token", token[1].str()},
                                               {"text", "フォームの一行目\r\nフォームの二行目"}};
  ClientResponse confirm = citizen.PostForm(page + "/opinions/confirm", fields);
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  fields["csrf_token"] = CsrfTokenIn(confirm.body);
  ClientResponse stored = citizen.PostForm(page + "/opinions", fields);
  ASSERT_EQ(stored.status, 303) << stored.body;
  // Sent again by the browser (CRLF again): the same receipt, nothing stored twice.
  ClientResponse again = citizen.PostForm(page + "/opinions", fields);
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(again.headers["location"], stored.headers["location"]);

  Result<std::vector<Submission>> submissions = ListSubmissions(site_.database(), id_);
  ASSERT_TRUE(submissions.ok());
  ASSERT_EQ(submissions->size(), 3u);
  const std::vector<std::string> received = {api_text, "郵送の一行目\r\n郵送の二行目",
                                             "フォームの一行目\r\nフォームの二行目"};
  for (size_t i = 0; i < submissions->size(); ++i) {
    const Submission& submission = (*submissions)[i];
    EXPECT_EQ(submission.text.find('\r'), std::string::npos) << submission.text;
    EXPECT_EQ(Restored(submission.id), received[i]);
    const std::string record = AuditOf("normalise_line_endings", submission.id).front().first;
    EXPECT_FALSE(Has(record, "一行目")) << "the audit holds no copy of the text: " << record;
    EXPECT_TRUE(Has(record, "original_hmac_sha256"));
  }
  EXPECT_EQ((*submissions)[0].text, "APIの一行目\nAPIの二行目\nAPIの三行目");

  // The command line's import.
  std::istringstream csv("id,text\r\n1,\"インポートの一行目\r\nインポートの二行目\"\r\n");
  Result<OpinionsImportReport> imported =
      ImportOpinionsCsv(site_.database(), csv, "取込確認", Actor{1, "cli"});
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  Result<std::vector<Submission>> rows =
      ListSubmissions(site_.database(), imported->consultation_id);
  ASSERT_TRUE(rows.ok() && rows->size() == 1u);
  EXPECT_EQ(rows->front().text, "インポートの一行目\nインポートの二行目");
  EXPECT_EQ(Restored(rows->front().id), "インポートの一行目\r\nインポートの二行目");
  // A text without CR leaves no record.
  const int64_t plain = Enter("改行のない意見です。");
  EXPECT_TRUE(AuditOf("normalise_line_endings", plain).empty());
}

// Issue 25: the page of a refused split lost the staff's marks.
TEST_P(TriageTest, RefusedSplitKeepsTheStaffMarksWithTheErrorBesideThem) {
  const int64_t submission = Enter("前半の意見です。後半の意見です。");
  Browser publisher = SignedIn("publisher");
  const std::string split = "/staff/submissions/" + std::to_string(submission) + "/split";
  const std::string typed = "前半の意見です。\r\n---\r\n書き換えた後半です。";
  ClientResponse refused = PostOn(publisher, split, split, {{"pieces", typed}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Has(refused.body, "前半の意見です。\n---\n書き換えた後半です。") ||
              Has(refused.body, "前半の意見です。\r\n---\r\n書き換えた後半です。"))
      << refused.body;
  EXPECT_TRUE(Has(refused.body, "href=\"#pieces\"")) << "the summary links to the field";
  EXPECT_TRUE(Has(refused.body, "id=\"pieces-error\""));
  EXPECT_TRUE(Has(refused.body, "aria-invalid=\"true\""));
  EXPECT_TRUE(Has(refused.body, "2 番目の部分が元の文章に順番どおりに見つかりません"));
  EXPECT_EQ(ItemsOf(submission).size(), 1u) << "nothing split";
}

TEST_P(TriageTest, SectionStaffSplitTheirOwnSubmissionsAndTheTriageSectionTheUnrouted) {
  const int64_t own = Enter("環境課に回付された意見です。");
  const int64_t other = Enter("防災課に回付された意見です。");
  const int64_t unrouted = Enter("まだ回付されていない意見です。");
  Route(OnlyItem(own), {kKankyo});
  Route(OnlyItem(other), {kBousai});
  auto split = [](int64_t submission) {
    return "/staff/submissions/" + std::to_string(submission) + "/split";
  };
  Browser kankyo = SignedIn("kankyo");
  EXPECT_EQ(kankyo.Get(split(own)).status, 200);
  EXPECT_EQ(kankyo.Get(split(other)).status, 403);
  EXPECT_EQ(kankyo.Get(split(unrouted)).status, 403);
  EXPECT_EQ(PostOn(kankyo, split(own), split(other), {{"pieces", "防災課に"}}).status, 403);
  EXPECT_EQ(PostOn(kankyo, split(own), "/staff/submissions/" + std::to_string(other) + "/merge", {})
                .status,
            403);
  EXPECT_EQ(ItemsOf(other).size(), 1u);
  // The item page links to the split of its own submission.
  const std::string item_page = kankyo.Get("/staff/items/" + std::to_string(OnlyItem(own))).body;
  EXPECT_TRUE(Has(item_page, "href=\"" + split(own) + "\"")) << item_page;
  // The triage section splits what nobody has yet, never another section's items (a merge
  // there would drop that section's answers and approvals).
  ASSERT_TRUE(SetTriage(site_.database(), id_, kKankyo, Actor{0, "test"}).ok());
  EXPECT_EQ(kankyo.Get(split(unrouted)).status, 200);
  EXPECT_EQ(kankyo.Get(split(other)).status, 403);
  EXPECT_EQ(
      PostOn(kankyo, split(unrouted), "/staff/submissions/" + std::to_string(other) + "/merge", {})
          .status,
      403);
  EXPECT_EQ(SignedIn("bousai").Get(split(unrouted)).status, 403);
  EXPECT_EQ(Browser(site_.port()).Get(split(own)).status, 303) << "signed out: to sign in";
}

// Issue 25: a section's queue was empty with no word of why or who routes.
TEST_P(TriageTest, SectionStaffSeeWhyTheirQueueIsEmpty) {
  for (const char* text : {"一件目の意見", "二件目の意見", "三件目の意見"}) Enter(text);
  Browser kankyo = SignedIn("kankyo");
  std::string queue = kankyo.Get(Queue()).body;
  EXPECT_TRUE(Has(queue, "貴課に回付されたご意見はまだありません。")) << queue;
  EXPECT_TRUE(Has(queue, "未回付のご意見が3件あります。振り分けは公表担当が行います。")) << queue;
  EXPECT_FALSE(Has(queue, "href=\"" + TriagePage() + "\"")) << "not theirs to triage";

  Browser publisher = SignedIn("publisher");
  ASSERT_EQ(PostOn(publisher, TriagePage(), TriagePage(),
                   {{"triage", kBousai.first + "/" + kBousai.second}})
                .status,
            303);
  queue = kankyo.Get(Queue()).body;
  EXPECT_TRUE(
      Has(queue, "未回付のご意見が3件あります。振り分けは防災危機管理室 防災課が行います。"))
      << queue;
  const std::string english = kankyo.Get(Queue() + "?lang=en").body;
  EXPECT_TRUE(
      Has(english, "3 opinions are not routed yet. Routing is done by 防災危機管理室 防災課."))
      << english;
  // Whoever triages is led to the triage queue from theirs.
  const std::string triager = SignedIn("bousai").Get(Queue()).body;
  EXPECT_TRUE(Has(triager, "href=\"" + TriagePage() + "\"")) << triager;
  EXPECT_TRUE(Has(publisher.Get(Queue()).body, "未回付のご意見が3件あります。"));
}

TEST_P(TriageTest, TheTriageSectionRoutesWhatNobodyHasAndOthersMayNot) {
  const int64_t first = OnlyItem(Enter("公園の植栽を増やしてほしい。"));
  const int64_t second = OnlyItem(Enter("避難所の案内を増やしてほしい。"));
  Browser kankyo = SignedIn("kankyo");
  Browser bousai = SignedIn("bousai");
  Browser publisher = SignedIn("publisher");
  // Until set, publishers triage; section staff may not open the queue or change who triages.
  EXPECT_EQ(bousai.Get(TriagePage()).status, 403);
  EXPECT_EQ(publisher.Get(TriagePage()).status, 200);
  EXPECT_EQ(PostOn(bousai, Queue(), TriagePage(), {{"triage", "防災危機管理室/防災課"}}).status,
            403);
  EXPECT_EQ(PostOn(publisher, TriagePage(), TriagePage(), {{"triage", "存在しない部/課"}}).status,
            400);
  ASSERT_EQ(PostOn(publisher, TriagePage(), TriagePage(),
                   {{"triage", kBousai.first + "/" + kBousai.second}})
                .status,
            303);
  EXPECT_EQ(AuditOf("set_triage", id_).size(), 1u);
  EXPECT_EQ(GetConsultation(site_.database(), id_)->triage_section, "防災課");

  EXPECT_EQ(kankyo.Get(TriagePage()).status, 403);
  ClientResponse page = bousai.Get(TriagePage());
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "未回付: <strong>2</strong>")) << page.body;
  EXPECT_TRUE(Has(page.body, "name=\"route_" + std::to_string(first) + "\""));
  EXPECT_FALSE(Has(page.body, "name=\"triage\"")) << "who triages is the publishers' choice";
  // The triage section opens and routes an unrouted item; another section does not.
  EXPECT_EQ(bousai.Get("/staff/items/" + std::to_string(first)).status, 200);
  EXPECT_EQ(kankyo.Get("/staff/items/" + std::to_string(first)).status, 403);
  EXPECT_EQ(PostOn(kankyo, Queue(), TriagePage() + "/route",
                   {{"route_" + std::to_string(first), "環境リサイクル支援部/環境課"}})
                .status,
            403);
  EXPECT_EQ(PostOn(bousai, TriagePage(), TriagePage() + "/route",
                   {{"route_" + std::to_string(first), "どこかの部/どこかの課"}})
                .status,
            400);
  ClientResponse routed = PostOn(bousai, TriagePage(), TriagePage() + "/route",
                                 {{"route_" + std::to_string(first), "環境リサイクル支援部/環境課"},
                                  {"route_" + std::to_string(second), ""}});
  ASSERT_EQ(routed.status, 303) << routed.body;
  EXPECT_EQ(routed.headers["location"], TriagePage() + "?routed=1");
  EXPECT_EQ(GetItem(site_.database(), first)->sections, (std::vector<SectionRef>{kKankyo}));
  EXPECT_TRUE(GetItem(site_.database(), second)->sections.empty()) << "left for later";
  EXPECT_TRUE(Has(kankyo.Get(Queue()).body, "公園の植栽を増やしてほしい。"));
  // Routed, it is 環境課's: the triage section no longer opens it, and a replay changes nothing.
  EXPECT_EQ(bousai.Get("/staff/items/" + std::to_string(first)).status, 403);
  ClientResponse replay = PostOn(bousai, TriagePage(), TriagePage() + "/route",
                                 {{"route_" + std::to_string(first), "防災危機管理室/防災課"}});
  EXPECT_EQ(replay.headers["location"], TriagePage() + "?routed=0");
  EXPECT_EQ(GetItem(site_.database(), first)->sections, (std::vector<SectionRef>{kKankyo}));
  // An item of another consultation is not routed from this queue.
  Result<std::vector<Item>> seed = ListItems(site_.database(), 1);
  ASSERT_TRUE(seed.ok() && !seed->empty());
  EXPECT_EQ(PostOn(bousai, TriagePage(), TriagePage() + "/route",
                   {{"route_" + std::to_string(seed->front().id), "防災危機管理室/防災課"}})
                .status,
            400);
  EXPECT_EQ(Browser(site_.port()).Get(TriagePage()).status, 303) << "signed out: to sign in";
}

// The triage queue chooses in advance the section the classifier is sure of (pre-routing), and
// counts what it holds.
TEST_P(TriageTest, SuggestionsPreRouteNewItemsInTheTriageQueue) {
  TeachRouting();
  const int64_t fresh = OnlyItem(Enter("公園の緑をもっと増やしてほしい。"));
  const std::string page = SignedIn("publisher").Get(TriagePage()).body;
  std::smatch row;
  ASSERT_TRUE(std::regex_search(
      page, row, std::regex("name=\"route_" + std::to_string(fresh) + "\"[^>]*>(.*?)</select>")))
      << page;
  const std::string options = row[1].str();
  const size_t suggested = options.find("optgroup label=\"提案\"");
  ASSERT_NE(suggested, std::string::npos) << options;
  EXPECT_EQ(options.find("value=\"環境リサイクル支援部/環境課\"", suggested),
            options.find("value=\"", suggested))
      << "環境課 first: " << options;
  EXPECT_TRUE(Has(options, "value=\"環境リサイクル支援部/環境課\" selected")) << options;
  EXPECT_TRUE(Has(page, "未回付: <strong>1</strong>"));
  EXPECT_TRUE(Has(page, "提案で回付先を選択済み: 1 · 環境リサイクル支援部 環境課 1")) << page;
}

// Issue 25 #1: suggestions pre-route new items as they arrive (serve runs AutoRouteNewItems as a
// background task), once per item: staff decisions made before or after are never overridden.
TEST_P(TriageTest, NewOpinionsArriveRoutedWhereTheSuggestionIsSure) {
  // Until staff have routed enough of this consultation for the suggestions to be checked,
  // nothing is routed by itself, however sure the classifier is.
  const int64_t early = OnlyItem(Enter("公園の緑をもっと増やしてほしい。早く。"));
  EXPECT_EQ(*AutoRouteNewItems(site_.database(), id_), 0);
  EXPECT_TRUE(GetItem(site_.database(), early)->sections.empty());
  EXPECT_TRUE(Has(SignedIn("publisher").Get(TriagePage()).body, "自動回付はまだ働きません"));
  Route(early, {kKankyo});
  TeachRouting();
  Result<AutoRouteReadiness> readiness = CheckAutoRouteReadiness(site_.database(), id_);
  ASSERT_TRUE(readiness.ok());
  EXPECT_TRUE(readiness->ready) << readiness->routed_by_staff << " " << readiness->accuracy;
  const int64_t routed_by_staff = OnlyItem(Enter("避難所の毛布を増やしてほしいと思います。"));
  Route(routed_by_staff, {kBousai});
  const int64_t park = OnlyItem(Enter("公園の緑をもっと増やしてほしい。"));
  const int64_t shelter = OnlyItem(Enter("避難所の備蓄をもっと増やしてほしい。"));

  Result<int> routed = AutoRouteNewItems(site_.database(), id_);
  ASSERT_TRUE(routed.ok()) << routed.status().message();
  EXPECT_EQ(*routed, 2);
  EXPECT_EQ(GetItem(site_.database(), park)->sections, (std::vector<SectionRef>{kKankyo}));
  EXPECT_EQ(GetItem(site_.database(), shelter)->sections, (std::vector<SectionRef>{kBousai}));
  EXPECT_EQ(GetItem(site_.database(), routed_by_staff)->sections,
            (std::vector<SectionRef>{kBousai}))
      << "a staff decision stays";
  auto audit = AuditOf("auto_route", park);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_TRUE(Has(audit[0].second, "環境課")) << audit[0].second;
  EXPECT_TRUE(Has(audit[0].second, "\"percent\"")) << audit[0].second;
  Result<std::map<int64_t, int>> marked = AutoRoutedItems(site_.database(), id_);
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(marked->size(), 2u);
  EXPECT_GE(marked->at(park), 50);

  // 環境課 sees it in its queue, marked as routed by a suggestion; the triage page counts it.
  const std::string queue = SignedIn("kankyo").Get(Queue()).body;
  EXPECT_TRUE(Has(queue, "/staff/items/" + std::to_string(park))) << queue;
  EXPECT_TRUE(Has(queue, "提案で自動回付")) << queue;
  const std::string triage = SignedIn("publisher").Get(TriagePage()).body;
  EXPECT_TRUE(Has(triage, "提案で自動回付したもの: <strong>2</strong>")) << triage;
  EXPECT_TRUE(Has(triage, "いま自動回付は働いています")) << triage;

  // Sent back, it stays with triage: each item is decided once.
  ASSERT_TRUE(
      ReturnToTriage(site_.database(), park, kKankyo, "道路の話です", Actor{0, "test"}).ok());
  routed = AutoRouteNewItems(site_.database(), id_);
  ASSERT_TRUE(routed.ok());
  EXPECT_EQ(*routed, 0);
  EXPECT_TRUE(GetItem(site_.database(), park)->sections.empty());
  EXPECT_EQ(AutoRoutedItems(site_.database(), id_)->size(), 1u);

  // Switched off on the triage page (publishers only), new opinions wait for staff.
  Browser publisher = SignedIn("publisher");
  const std::string action = TriagePage() + "/auto-route";
  Browser kankyo = SignedIn("kankyo");
  EXPECT_EQ(PostOn(kankyo, Queue(), action, {{"auto_route", "off"}}).status, 403);
  ClientResponse off = PostOn(publisher, TriagePage(), action, {{"auto_route", "off"}});
  ASSERT_EQ(off.status, 303) << off.body;
  EXPECT_FALSE(GetConsultation(site_.database(), id_)->auto_route);
  const int64_t later = OnlyItem(Enter("公園の緑をもっと増やしてほしい。"));
  EXPECT_EQ(*AutoRouteNewItems(site_.database(), id_), 0);
  EXPECT_TRUE(GetItem(site_.database(), later)->sections.empty());
  EXPECT_EQ(AuditOf("set_auto_route", id_).size(), 1u);
  ASSERT_EQ(PostOn(publisher, TriagePage(), action, {{"auto_route", "on"}}).status, 303);
  routed = AutoRouteOpenConsultations(site_.database());
  ASSERT_TRUE(routed.ok());
  EXPECT_EQ(*routed, 1);
  EXPECT_EQ(GetItem(site_.database(), later)->sections, (std::vector<SectionRef>{kKankyo}));
}

// Review of issue 25: two staff routing the same unrouted item at once (or the triage form
// sent twice) — the last write used to win. Now the first route stands and the other is a no-op.
TEST_P(TriageTest, ConcurrentRoutesOfOneItemLeaveTheFirst) {
  for (int round = 0; round < 5; ++round) {
    const int64_t item = OnlyItem(Enter("道路の段差を直してほしい。" + std::to_string(round)));
    std::atomic<int> wins = 0;
    std::vector<std::thread> routers;
    for (const SectionRef& section : {kKankyo, kBousai, kKankyo, kBousai}) {
      routers.emplace_back([&, section] {
        Result<bool> routed = RouteIfUnrouted(site_.database(), item, section, Actor{0, "test"});
        EXPECT_TRUE(routed.ok()) << routed.status().message();
        if (routed.ok() && *routed) ++wins;
      });
    }
    for (std::thread& router : routers) router.join();
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(GetItem(site_.database(), item)->sections.size(), 1u);
    EXPECT_EQ(AuditOf("route", item).size(), 1u);
  }
}

TEST_P(TriageTest, ReturnToTriageNeedsAReasonIsAuditedAndShowsInTheQueue) {
  const int64_t mine = OnlyItem(Enter("この意見は道路の話です。"));
  const int64_t shared = OnlyItem(Enter("公園と避難所の両方の意見です。"));
  Route(mine, {kKankyo});
  Route(shared, {kKankyo, kBousai});
  Browser kankyo = SignedIn("kankyo");
  ASSERT_TRUE(site_.database()
                  .Query("UPDATE consultation_item SET approved = 1 WHERE id = ?", {mine})
                  .ok());
  const std::string item = "/staff/items/" + std::to_string(mine);
  const std::string page = kankyo.Get(item).body;
  EXPECT_TRUE(Has(page, "action=\"" + item + "/return\"")) << page;
  ClientResponse empty = PostOn(kankyo, item, item + "/return", {{"return_reason", "　 "}});
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(Has(empty.body, "id=\"return-reason-error\"")) << empty.body;
  EXPECT_TRUE(Has(empty.body, "戻す理由を入力してください"));
  EXPECT_EQ(GetItem(site_.database(), mine)->sections, (std::vector<SectionRef>{kKankyo}));
  // Another section may not send back 環境課's item.
  Browser bousai = SignedIn("bousai");
  EXPECT_EQ(PostOn(bousai, "/staff", item + "/return", {{"return_reason", "違う"}}).status, 403);

  ClientResponse returned =
      PostOn(kankyo, item, item + "/return", {{"return_reason", "道路管理課の所管です"}});
  ASSERT_EQ(returned.status, 303) << returned.body;
  EXPECT_EQ(returned.headers["location"], Queue());
  EXPECT_TRUE(GetItem(site_.database(), mine)->sections.empty());
  EXPECT_FALSE(GetItem(site_.database(), mine)->approved) << "its approval is withdrawn";
  auto audit = AuditOf("return_to_triage", mine);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_TRUE(Has(audit[0].first, "環境課"));
  EXPECT_TRUE(Has(audit[0].second, "道路管理課の所管です")) << audit[0].second;
  EXPECT_EQ(kankyo.Get(item).status, 403) << "no longer 環境課's";
  const std::string triage = SignedIn("publisher").Get(TriagePage()).body;
  EXPECT_TRUE(Has(triage, "差し戻し</span> 道路管理課の所管です")) << triage;
  EXPECT_TRUE(Has(triage, "担当課から戻されたもの: 1"));
  // Routed again, the reason is answered.
  Route(mine, {kBousai});
  Result<std::vector<UnroutedItem>> unrouted = ListUnrouted(site_.database(), id_);
  ASSERT_TRUE(unrouted.ok());
  EXPECT_TRUE(unrouted->empty());

  // Sent back from two sections, it stays with the other one.
  ASSERT_EQ(PostOn(kankyo, "/staff/items/" + std::to_string(shared),
                   "/staff/items/" + std::to_string(shared) + "/return",
                   {{"return_reason", "防災課だけの所管です"}})
                .status,
            303);
  EXPECT_EQ(GetItem(site_.database(), shared)->sections, (std::vector<SectionRef>{kBousai}));
}

// Issue 25 #6: the early close is shown on the result page as on the consultation's page, and
// an opinion entered after publication is a follow-up that section staff see as such, while the
// public form and API refuse new opinions once the result is published.
TEST_P(TriageTest, AfterPublicationTheEarlyCloseIsShownAndLateEntriesAreAFollowUp) {
  const int64_t item = OnlyItem(Enter("公園の緑を増やしてほしい。"));
  ItemUpdate answer;
  answer.field_ids = std::vector<int64_t>{FieldId(1)};
  answer.sections = std::vector<SectionRef>{kKankyo};
  answer.response_text = "植栽を増やします。";
  answer.status = 2;
  ASSERT_TRUE(UpdateItem(site_.database(), item, answer, Actor{0, "test"}).ok());
  ASSERT_TRUE(ApproveItem(site_.database(), item, Actor{0, "test"}).ok());
  EXPECT_EQ(Publish(site_.database(), id_, Actor{0, "test"}).message_id(),
            "consultation.publish_before_close");
  PublishOptions early;
  early.close_early_on = DaysFromToday(0);
  ASSERT_TRUE(Publish(site_.database(), id_, Actor{0, "test"}, early).ok());
  const std::string result =
      Send(site_.port(), "GET", "/consultations/" + std::to_string(id_) + "/result?fresh=1").body;
  EXPECT_TRUE(Has(result, "当初の締切: " + FormatWarekiDate(*ParseIsoDate(DaysFromToday(40)))))
      << result;
  EXPECT_TRUE(Has(result, "早期終了: " + FormatWarekiDate(TodayInJapan())));

  EXPECT_EQ(Send(site_.port(), "POST", "/api/v1/consultations/" + std::to_string(id_) + "/opinions",
                 json{{"text", "公表後の意見"}}.dump(), {{"Content-Type", "application/json"}})
                .status,
            409);
  const int64_t late = OnlyItem(Enter("公表後に郵送で届いた意見です。"));
  Route(late, {kKankyo});
  const std::string queue = SignedIn("kankyo").Get(Queue()).body;
  EXPECT_TRUE(Has(queue, "公表後に届いた意見")) << queue;
  EXPECT_TRUE(Has(queue, "公表後に郵送で届いた意見です。"));
  EXPECT_FALSE(
      Has(Send(site_.port(), "GET", "/consultations/" + std::to_string(id_) + "/result.csv?fresh=2")
              .body,
          "公表後に郵送で届いた意見です。"));
}

INSTANTIATE_TEST_SUITE_P(Backends, TriageTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
