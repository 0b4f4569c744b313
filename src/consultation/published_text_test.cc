// The published text as staff edit it (published_text.h), on both backends and over HTTP: the
// original is never published, the difference is shown and audited by position and hash, an
// edit holds through split and merge, a published item changes only by a correction, and
// personal data is deleted on the ward's schedule.
#include "consultation/published_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "consultation/consultation_module.h"
#include "consultation/corrections.h"
#include "consultation/handlers.h"
#include "consultation/personal_data.h"
#include "consultation/personal_data_digest.h"
#include "consultation/personal_data_flags.h"
#include "consultation/publishing.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "core/digest.h"
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
using storage::AsText;

constexpr char kPassword[] = "correct horse battery";
constexpr char kOpinion[] =
    "昨日、山田太郎が港区芝5-36-4の前の歩道で転びました。段差を直してください。";
constexpr char kEdited[] = "昨日、○○が前の歩道で転びました。段差を直してください。";
const std::vector<std::string> kPersonal = {"山田", "太郎", "芝5-36-4"};

TEST(DiffTexts, GivesTheSmallestChangedSpans) {
  std::vector<Hunk> hunks = DiffTexts("山田太郎です。芝5-36-4に住む", "○○です。に住む");
  ASSERT_EQ(hunks.size(), 2u);
  EXPECT_EQ(std::string("山田太郎です。芝5-36-4に住む").substr(hunks[0].start, hunks[0].end),
            "山田太郎");
  EXPECT_EQ(hunks[0].replacement, "○○");
  EXPECT_EQ(hunks[1].replacement, "");
  EXPECT_TRUE(DiffTexts("同じ文章", "同じ文章").empty());
  hunks = DiffTexts("公園", "公園です");
  ASSERT_EQ(hunks.size(), 1u);
  EXPECT_EQ(hunks[0].start, hunks[0].end);
  EXPECT_EQ(hunks[0].replacement, "です");
}

TEST(RenderPublishedText, AnEditWinsOverAMaskUnderIt) {
  const std::string original = "山田太郎です";
  std::vector<TextSegment> segments;
  EXPECT_EQ(RenderPublishedText(original, 0, {{0, 12}}, {}, &segments),
            std::string(kPersonalDataMask) + "です");
  EXPECT_EQ(RenderPublishedText(original, 0, {{0, 12}}, {{1, 0, 12, "○○"}}), "○○です");
  // A split through an edit: the second piece hides what the edit covers, once.
  EXPECT_EQ(RenderPublishedText(std::string_view(original).substr(6), 6, {}, {{1, 0, 12, "○○"}}),
            "です");
}

// Staff replace a flagged name and leave its honorific (山田太郎さん → ○○さん): the honorific is
// shown as written, never masked after the replacement; anything more than an honorific stays
// masked.
TEST(RenderPublishedText, AnHonorificLeftByAnEditIsNotMasked) {
  const std::string original = "山田太郎さんです";  // the flag: 山田太郎さん (0, 18)
  EXPECT_EQ(RenderPublishedText(original, 0, {{0, 18}}, {{1, 0, 12, "○○"}}), "○○さんです");
  EXPECT_EQ(RenderPublishedText(original, 0, {{0, 18}}, {{1, 0, 6, "○○"}}),
            "○○" + std::string(kPersonalDataMask) + "です");
  EXPECT_EQ(NameSuffixBytes("山田太郎さん"), 6u);
  EXPECT_EQ(NameSuffixBytes("田中部長"), 6u);
  EXPECT_EQ(NameSuffixBytes("山田太郎"), 0u);
  EXPECT_EQ(NameSuffixBytes("さん"), 0u);
}

class PublishedTextTest : public ::testing::TestWithParam<std::string> {
 protected:
  PublishedTextTest()
      : site_(GetParam(), {http::HttpModule(), text::TextModule(), ConsultationModule()}) {}

  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
    http::Accounts& accounts = site_.app().accounts();
    ASSERT_TRUE(
        accounts.Add({"publisher", "公表 担当", kPassword, http::Role::kPublisher, "", ""}).ok());
    ASSERT_TRUE(accounts.Add({"admin", "管理 者", kPassword, http::Role::kAdmin, "", ""}).ok());
    ASSERT_TRUE(accounts
                    .Add({"kankyo", "環境 課員", kPassword, http::Role::kSectionStaff,
                          "環境リサイクル支援部", "環境課"})
                    .ok());
    const std::string later =
        FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(40)});
    const std::string earlier =
        FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} - std::chrono::days(1)});
    Result<int64_t> id = CreateConsultation(
        site_.database(), {"港区歩道計画（素案）", "歩道計画", earlier, later, {"基本目標1"}},
        Settings{});
    ASSERT_TRUE(id.ok()) << id.status().message();
    consultation_id_ = *id;
    NewSubmission submission;
    submission.text = kOpinion;
    submission.contact_name = "山田太郎";
    submission.contact_email = "taro@example.jp";
    Result<Receipt> receipt =
        Submit(site_.database(), consultation_id_, submission, Settings{}, Actor{0, "test"}, false);
    ASSERT_TRUE(receipt.ok()) << receipt.status().message();
    submission_id_ = receipt->submission_id;
    item_id_ = Items().at(0).id;
  }

  Browser SignIn(const std::string& login) {
    Browser browser(site_.port());
    const std::string token = CsrfTokenIn(browser.Get("/login").body);
    EXPECT_EQ(
        browser
            .PostForm("/login", {{"login", login}, {"password", kPassword}, {"csrf_token", token}})
            .status,
        303);
    return browser;
  }

  std::vector<Item> Items() {
    Result<std::vector<Item>> items = ListItems(site_.database(), consultation_id_);
    EXPECT_TRUE(items.ok());
    return items.ok() ? *items : std::vector<Item>{};
  }

  // With `mask` false every flag is dismissed: the name is published, as it was in issue 25.
  void AnswerApproveAndPublish(bool mask = true) {
    Result<std::vector<FieldOption>> fields = ListFields(site_.database(), consultation_id_);
    ASSERT_TRUE(fields.ok() && !fields->empty());
    // Whatever detection flagged is decided: the edit covers it.
    Result<std::vector<PersonalDataFlag>> open =
        OpenPersonalDataFlags(site_.database(), consultation_id_);
    ASSERT_TRUE(open.ok());
    for (const PersonalDataFlag& flag : *open) {
      ASSERT_TRUE((mask ? MaskPersonalDataFlag : DismissPersonalDataFlag)(site_.database(), flag.id,
                                                                          Actor{1, "publisher"})
                      .ok());
    }
    for (const Item& item : Items()) {
      ItemUpdate update;
      update.field_ids = std::vector<int64_t>{fields->front().id};
      update.sections = std::vector<SectionRef>{{"防災危機管理室", "防災課"}};
      update.response_text = "段差を解消します。";
      update.status = 2;
      ASSERT_TRUE(UpdateItem(site_.database(), item.id, update, Actor{1, "publisher"}).ok());
      ASSERT_TRUE(ApproveItem(site_.database(), item.id, Actor{1, "publisher"}).ok());
    }
    PublishOptions options;
    options.close_early_on = FormatIsoDate(TodayInJapan());
    Status published = Publish(site_.database(), consultation_id_, Actor{1, "publisher"}, options);
    ASSERT_TRUE(published.ok()) << published.message();
  }

  std::string EverythingPublic() {
    const std::string base = "/consultations/" + std::to_string(consultation_id_) + "/result";
    std::string everything;
    for (const std::string suffix : {"", ".csv", ".tsv"}) {
      ClientResponse response = Send(site_.port(), "GET", base + suffix);
      EXPECT_EQ(response.status, 200) << base + suffix;
      everything += response.body;
    }
    Result<std::vector<http::PublicDataset>> datasets = ConsultationDatasets(site_.app());
    EXPECT_TRUE(datasets.ok());
    for (const http::PublicDataset& dataset : *datasets) {
      if (dataset.id != "consultation-" + std::to_string(consultation_id_) + "-result") continue;
      EXPECT_TRUE(dataset
                      .rows(site_.app(),
                            [&](const std::vector<std::string>& cells) {
                              for (const std::string& cell : cells) everything += cell + "\t";
                              return Status::Ok();
                            })
                      .ok());
    }
    for (const std::string query : {"段差", "山田太郎", "芝"}) {
      everything +=
          Send(site_.port(), "GET", "/api/v1/search?kind=opinion&q=" + http::PercentEncode(query))
              .body;
    }
    everything += Send(site_.port(), "GET",
                       "/api/v1/consultations/" + std::to_string(consultation_id_) + "/summary")
                      .body;
    return everything;
  }

  std::string AuditText() {
    Result<storage::QueryResult> rows =
        site_.database().Query("SELECT before_value, after_value FROM consultation_audit");
    EXPECT_TRUE(rows.ok());
    std::string all;
    for (const auto& row : rows->rows) all += AsText(row[0]) + "\n" + AsText(row[1]) + "\n";
    return all;
  }

  TestSite site_;
  int64_t consultation_id_ = 0;
  int64_t submission_id_ = 0;
  int64_t item_id_ = 0;
};

TEST_P(PublishedTextTest, StaffEditThePublishedTextAndTheOriginalStays) {
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_, kEdited, Actor{1, "publisher"}).ok());
  EXPECT_EQ(Items().at(0).text, kEdited);
  Result<PublishedTextView> view = GetPublishedText(site_.database(), item_id_);
  ASSERT_TRUE(view.ok()) << view.status().message();
  EXPECT_EQ(view->original, kOpinion);
  EXPECT_EQ(view->published, kEdited);
  ASSERT_EQ(view->changes, 2);
  std::vector<std::string> removed;
  for (const auto& part : view->parts)
    if (part.changed) removed.push_back(part.text.original);
  EXPECT_EQ(removed, (std::vector<std::string>{"山田太郎", "港区芝5-36-4の"}));
  // The flags the edit took out are decided: nothing blocks publication.
  Result<std::vector<PersonalDataFlag>> open =
      OpenPersonalDataFlags(site_.database(), consultation_id_);
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty()) << open->size();
  // Saving the same text again changes nothing and audits nothing more.
  const std::string audit = AuditText();
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_, kEdited, Actor{1, "publisher"}).ok());
  EXPECT_EQ(AuditText(), audit);
  // A second edit over the first one: the first becomes part of it.
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_,
                               "昨日、ある人が前の歩道で転びました。段差を直してください。",
                               Actor{1, "publisher"})
                  .ok());
  EXPECT_EQ(Items().at(0).text, "昨日、ある人が前の歩道で転びました。段差を直してください。");
  EXPECT_EQ(GetPublishedText(site_.database(), item_id_)->original, kOpinion);
}

// The staff-day browser suite: a section replaced 山田太郎 by ○○ and kept さん; the flag
// (山田太郎さん) stayed open and blocked publication until a publisher masked it, which then
// published 「○○（個人情報のため削除）が」.
TEST_P(PublishedTextTest, ReplacingANameButNotItsHonorificDecidesTheFlag) {
  NewSubmission submission;
  submission.text = "近所の山田太郎さんが毎朝掃除しています。";
  ASSERT_TRUE(
      Submit(site_.database(), consultation_id_, submission, Settings{}, Actor{0, "test"}, false)
          .ok());
  const int64_t item = Items().back().id;
  ASSERT_TRUE(PersonalDataFlagsOfItem(site_.database(), item).ok());
  auto open_on_item = [&] {
    Result<std::vector<PersonalDataFlag>> open =
        OpenPersonalDataFlags(site_.database(), consultation_id_);
    EXPECT_TRUE(open.ok());
    int count = 0;
    for (const PersonalDataFlag& flag : *open) count += flag.item_id == item ? 1 : 0;
    return count;
  };
  ASSERT_EQ(open_on_item(), 1);
  // Replacing only the given name leaves the surname: still open.
  ASSERT_TRUE(SetPublishedText(site_.database(), item, "近所の山田○○さんが毎朝掃除しています。",
                               Actor{2, "kankyo"})
                  .ok());
  EXPECT_EQ(open_on_item(), 1);
  ASSERT_TRUE(SetPublishedText(site_.database(), item, "近所の○○さんが毎朝掃除しています。",
                               Actor{2, "kankyo"})
                  .ok());
  EXPECT_EQ(open_on_item(), 0);
  EXPECT_EQ(Items().back().text, "近所の○○さんが毎朝掃除しています。");
  EXPECT_EQ(GetPublishedText(site_.database(), item)->published,
            "近所の○○さんが毎朝掃除しています。");
}

// Review of issue 25: an approved item's text could be edited (a masked name typed back in) and
// published without anyone approving it again.
TEST_P(PublishedTextTest, EditingTheTextTakesTheApprovalAway) {
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_, kEdited, Actor{1, "publisher"}).ok());
  ItemUpdate answer;
  answer.response_text = "段差を調べ、直します。";
  answer.status = 1;
  ASSERT_TRUE(UpdateItem(site_.database(), item_id_, answer, Actor{1, "publisher"}).ok());
  ASSERT_TRUE(ApproveItem(site_.database(), item_id_, Actor{1, "publisher"}).ok());
  ASSERT_TRUE(Items().at(0).approved);
  // Saving the same text keeps the approval; a changed text loses it.
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_, kEdited, Actor{2, "staff"}).ok());
  EXPECT_TRUE(Items().at(0).approved);
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_, kOpinion, Actor{2, "staff"}).ok());
  EXPECT_FALSE(Items().at(0).approved);
}

TEST_P(PublishedTextTest, EditsAndMasksHoldThroughSplitAndMerge) {
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_, kEdited, Actor{1, "publisher"}).ok());
  ASSERT_TRUE(MergeSubmission(site_.database(), submission_id_, Actor{1, "publisher"}).ok());
  EXPECT_EQ(Items().at(0).text, kEdited);
  ASSERT_TRUE(SplitSubmission(site_.database(), submission_id_,
                              {"昨日、山田太郎が港区芝5-36-4の前の歩道で転びました。",
                               "段差を直してください。"},
                              Actor{1, "publisher"})
                  .ok());
  std::vector<Item> pieces = Items();
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].text, "昨日、○○が前の歩道で転びました。");
  EXPECT_EQ(pieces[1].text, "段差を直してください。");
}

TEST_P(PublishedTextTest, OriginalTextIsNeverPublished) {
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_, kEdited, Actor{1, "publisher"}).ok());
  AnswerApproveAndPublish();
  const std::string everything = EverythingPublic();
  EXPECT_NE(everything.find("○○が前の歩道で転びました"), std::string::npos);
  for (const std::string& personal : kPersonal)
    EXPECT_EQ(everything.find(personal), std::string::npos) << personal;
  // The PDF and XLSX are written from the same rows (ForEachPublishedRow).
  Result<std::vector<PublishedRow>> rows = PublishedRows(site_.database(), consultation_id_);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0).opinion, kEdited);
}

// Issue 25 #3: a name was published and the only choices were to hide the whole opinion or
// leave it. The published text changes by a correction, approved by a publisher.
TEST_P(PublishedTextTest, APublishedItemsTextChangesOnlyByACorrection) {
  AnswerApproveAndPublish(/*mask=*/false);
  const std::string before = Items().at(0).text;
  ASSERT_NE(before.find("山田太郎"), std::string::npos);
  Status refused = SetPublishedText(site_.database(), item_id_, kEdited, Actor{1, "publisher"});
  EXPECT_EQ(refused.code(), StatusCode::kConflict);
  EXPECT_EQ(Items().at(0).text, before);

  Browser publisher = SignIn("publisher");
  const std::string page = "/staff/items/" + std::to_string(item_id_);
  ClientResponse shown = publisher.Get(page);
  ASSERT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("id=\"published_text_reason\""), std::string::npos);
  const std::string token = CsrfTokenIn(shown.body);
  ClientResponse no_reason =
      publisher.PostForm(page + "/text", {{"published_text", kEdited}, {"csrf_token", token}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_NE(no_reason.body.find(kEdited), std::string::npos);  // what was typed is kept
  ClientResponse requested =
      publisher.PostForm(page + "/text", {{"published_text", kEdited},
                                          {"correction_reason", "氏名と住所の削除"},
                                          {"csrf_token", token}});
  ASSERT_EQ(requested.status, 303) << requested.body;
  // Nothing published changes until a publisher approves it.
  EXPECT_EQ(Items().at(0).text, before);
  Result<std::vector<Correction>> corrections = ItemCorrections(site_.database(), item_id_);
  ASSERT_TRUE(corrections.ok());
  ASSERT_EQ(corrections->size(), 1u);
  EXPECT_EQ(corrections->at(0).changed, std::vector<std::string>{"opinion"});
  ASSERT_TRUE(
      ApproveCorrection(site_.database(), corrections->at(0).id, Actor{1, "publisher"}).ok());
  EXPECT_EQ(Items().at(0).text, kEdited);
  const std::string everything = EverythingPublic();
  EXPECT_NE(everything.find("○○が前の歩道で転びました"), std::string::npos);
  EXPECT_NE(everything.find("訂正前の文面は掲載しません"), std::string::npos);
  for (const std::string& personal : kPersonal)
    EXPECT_EQ(everything.find(personal), std::string::npos) << personal;
  // The correction's record and the audit keep the new text, never the old one.
  Result<storage::QueryResult> stored = site_.database().Query(
      "SELECT before_value, after_value, change_value FROM consultation_correction");
  ASSERT_TRUE(stored.ok());
  for (const auto& row : stored->rows)
    for (const auto& cell : row) EXPECT_EQ(AsText(cell).find("山田"), std::string::npos);
  for (const std::string& personal : kPersonal)
    EXPECT_EQ(AuditText().find(personal), std::string::npos) << personal;
}

// Review of issue 25: a correction's published text had no size limit, unlike the editor's.
TEST_P(PublishedTextTest, ACorrectionsOverlongPublishedTextIsRefusedNamingTheField) {
  AnswerApproveAndPublish(/*mask=*/false);
  const std::string before = Items().at(0).text;
  std::string overlong;
  while (overlong.size() <= kMaxPublishedBytes) overlong += "段差を直してください。";
  ItemUpdate change;
  change.published_text = overlong;
  Result<int64_t> refused =
      RequestCorrection(site_.database(), item_id_, change, "長文", Actor{1, "publisher"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "published_text");
  // A text within the limit is still taken.
  change.published_text = overlong.substr(0, kMaxPublishedBytes - kMaxPublishedBytes % 33);
  EXPECT_TRUE(
      RequestCorrection(site_.database(), item_id_, change, "長文", Actor{1, "publisher"}).ok());

  Browser publisher = SignIn("publisher");
  const std::string page = "/staff/items/" + std::to_string(item_id_);
  ClientResponse response =
      publisher.PostForm(page + "/text", {{"published_text", overlong},
                                          {"correction_reason", "長文"},
                                          {"csrf_token", CsrfTokenIn(publisher.Get(page).body)}});
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("公表する文章が長すぎるか"), std::string::npos);
  EXPECT_NE(response.body.find("<code>published_text</code>"), std::string::npos);  // named
  Result<std::vector<Correction>> corrections = ItemCorrections(site_.database(), item_id_);
  ASSERT_TRUE(corrections.ok());
  EXPECT_EQ(corrections->size(), 1u);  // only the one within the limit
  EXPECT_EQ(Items().at(0).text, before);
}

TEST_P(PublishedTextTest, TheItemPageShowsTheDifferenceAndSavesAnEdit) {
  Browser publisher = SignIn("publisher");
  const std::string page = "/staff/items/" + std::to_string(item_id_);
  ClientResponse shown = publisher.Get(page);
  ASSERT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("id=\"published_text\""), std::string::npos);
  const std::string token = CsrfTokenIn(shown.body);
  // An empty text is refused naming the field, and the page keeps the form.
  ClientResponse empty =
      publisher.PostForm(page + "/text", {{"published_text", " "}, {"csrf_token", token}});
  EXPECT_EQ(empty.status, 400);
  EXPECT_NE(empty.body.find("published_text"), std::string::npos);
  ClientResponse saved =
      publisher.PostForm(page + "/text", {{"published_text", kEdited}, {"csrf_token", token}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(Items().at(0).text, kEdited);
  ClientResponse after = publisher.Get(page + "?saved=text");
  EXPECT_NE(after.body.find("<del>"), std::string::npos);
  EXPECT_NE(after.body.find("山田太郎</del>"), std::string::npos);
  EXPECT_NE(after.body.find("○○</ins>"), std::string::npos);
  // Section staff of another section may not edit it; signed out, the sign-in page.
  Browser stranger = SignIn("kankyo");
  ClientResponse refused = stranger.PostForm(
      page + "/text",
      {{"published_text", "書き換え"}, {"csrf_token", CsrfTokenIn(stranger.Get("/staff").body)}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(Items().at(0).text, kEdited);
  EXPECT_EQ(Send(site_.port(), "POST", page + "/text").status / 100, 3);
}

TEST_P(PublishedTextTest, AuditLogHoldsNoPersonalText) {
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_, kEdited, Actor{1, "publisher"}).ok());
  Result<std::vector<PersonalDataFlag>> flags = PersonalDataFlagsOfItem(site_.database(), item_id_);
  ASSERT_TRUE(flags.ok());
  for (const PersonalDataFlag& flag : *flags)
    ASSERT_TRUE(MaskPersonalDataFlag(site_.database(), flag.id, Actor{1, "publisher"}).ok());
  AnswerApproveAndPublish();
  ASSERT_TRUE(PurgePersonalData(site_.database(), 0, NowIso8601Utc(), Actor{0, "system"}).ok());
  const std::string audit = AuditText();
  EXPECT_NE(audit.find("sha256"), std::string::npos);
  for (const std::string& personal : kPersonal)
    EXPECT_EQ(audit.find(personal), std::string::npos) << personal << "\n" << audit;
  EXPECT_EQ(audit.find("taro@example.jp"), std::string::npos);
}

// Review of issue 25: the digests of personal spans were unsalted SHA-256, so a short span (a
// name, a phone number) was found again by trying candidates. Now they are keyed per
// consultation, and the purge deletes the key (crypto-shredding).
TEST_P(PublishedTextTest, PersonalDataDigestsAreKeyedAndUnlinkableAfterThePurge) {
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_, kEdited, Actor{1, "publisher"}).ok());
  auto stored_spans = [&]() {
    Result<storage::QueryResult> rows = site_.database().Query(
        "SELECT start_offset, end_offset, digest FROM consultation_text_edit WHERE"
        " consultation_id = ? UNION ALL SELECT start_offset, end_offset, digest FROM"
        " consultation_personal_data WHERE consultation_id = ?",
        {consultation_id_, consultation_id_});
    EXPECT_TRUE(rows.ok());
    std::vector<std::pair<std::string, std::string>> spans;  // (original span, digest)
    for (const auto& row : rows->rows) {
      const int64_t start = storage::AsInt(row[0]), end = storage::AsInt(row[1]);
      spans.emplace_back(std::string(kOpinion).substr(start, end - start), AsText(row[2]));
    }
    return spans;
  };
  auto digest_now = [&](const std::string& text) {
    std::string digest;
    EXPECT_TRUE(site_.database()
                    .Transaction([&](storage::Connection& connection) -> Status {
                      CIVICDESK_ASSIGN_OR_RETURN(
                          digest, PersonalDataDigest(connection, consultation_id_, text));
                      return Status::Ok();
                    })
                    .ok());
    return digest;
  };
  auto keys = [&]() {
    Result<storage::QueryResult> rows = site_.database().Query(
        "SELECT COUNT(*) FROM consultation_digest_key WHERE consultation_id = ?",
        {consultation_id_});
    EXPECT_TRUE(rows.ok());
    return storage::AsInt(rows->rows[0][0]);
  };
  const auto spans = stored_spans();
  ASSERT_GE(spans.size(), 2u);
  bool name = false;
  const std::string audit = AuditText();
  for (const auto& [text, digest] : spans) {
    name = name || text.find("山田太郎") != std::string::npos;
    EXPECT_EQ(digest.size(), 64u);
    EXPECT_NE(digest, Sha256Hex(text)) << "unkeyed: " << text;
    EXPECT_EQ(audit.find(Sha256Hex(text)), std::string::npos) << text;
    // Before the purge staff code still tells the same text from its digest.
    EXPECT_EQ(digest, digest_now(text)) << text;
    EXPECT_NE(digest_now(text + "。"), digest);
  }
  EXPECT_TRUE(name);
  EXPECT_NE(audit.find("hmac_sha256"), std::string::npos);
  EXPECT_EQ(keys(), 1);

  AnswerApproveAndPublish();
  ASSERT_TRUE(PurgePersonalData(site_.database(), 0, NowIso8601Utc(), Actor{0, "system"}).ok());
  EXPECT_EQ(keys(), 0);
  // The digests stay where they were, and no key links them to the text any more.
  for (const auto& [text, digest] : stored_spans()) {
    EXPECT_EQ(digest.size(), 64u);
    EXPECT_NE(digest, digest_now(text)) << text;
  }
  EXPECT_EQ(keys(), 0) << "a purged consultation got a key again";
}

TEST_P(PublishedTextTest, PersonalDataIsDeletedOnTheWardsSchedule) {
  // Merged and split first: the replaced items keep the citizen's words until the purge.
  ASSERT_TRUE(SplitSubmission(site_.database(), submission_id_,
                              {"昨日、山田太郎が港区芝5-36-4の前の歩道で転びました。",
                               "段差を直してください。"},
                              Actor{1, "publisher"})
                  .ok());
  ASSERT_TRUE(MergeSubmission(site_.database(), submission_id_, Actor{1, "publisher"}).ok());
  item_id_ = Items().at(0).id;
  Result<storage::QueryResult> kept = site_.database().Query(
      "SELECT COUNT(*) FROM consultation_item WHERE consultation_id = ? AND active = 0 AND text"
      " LIKE '%山田%'",
      {consultation_id_});
  ASSERT_TRUE(kept.ok());
  ASSERT_GT(storage::AsInt(kept->rows[0][0]), 0) << "no replaced item to purge";
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_, kEdited, Actor{1, "publisher"}).ok());
  AnswerApproveAndPublish();
  const std::string published = Items().at(0).text;
  // Days counted in UTC, as published_at is stored.
  auto in_days = [](int days) {
    Result<Date> today = ParseIsoDate(NowIso8601Utc().substr(0, 10));
    return FormatIsoDate(Date{std::chrono::sys_days{*today} + std::chrono::days(days)}) +
           "T12:00:00Z";
  };
  Result<PurgeReport> early = PurgePersonalData(site_.database(), 30, in_days(29), Actor{});
  ASSERT_TRUE(early.ok()) << early.status().message();
  EXPECT_EQ(early->consultations, 0);
  EXPECT_NE(GetPublishedText(site_.database(), item_id_)->original.find("山田太郎"),
            std::string::npos);
  Result<storage::QueryResult> old_versions = site_.database().Query(
      "SELECT COUNT(*) FROM text_document WHERE kind = 'opinion' AND body LIKE '%山田%'");
  ASSERT_TRUE(old_versions.ok());
  EXPECT_GT(storage::AsInt(old_versions->rows[0][0]), 0);

  Result<PurgeReport> due = PurgePersonalData(site_.database(), 30, in_days(31), Actor{});
  ASSERT_TRUE(due.ok()) << due.status().message();
  EXPECT_GE(due->consultations, 1);  // and the shipped seed result, published in 2024
  EXPECT_GE(due->spans, 2);
  EXPECT_EQ(due->contacts, 1);
  Result<storage::QueryResult> stored = site_.database().Query(
      "SELECT text, contact_name, contact_email FROM consultation_submission WHERE id = ?",
      {submission_id_});
  ASSERT_TRUE(stored.ok());
  const std::string original = AsText(stored->rows[0][0]);
  EXPECT_EQ(original.size(), std::string(kOpinion).size());
  for (const std::string& personal : kPersonal)
    EXPECT_EQ(original.find(personal), std::string::npos) << original;
  EXPECT_NE(original.find("段差を直してください"), std::string::npos);
  EXPECT_EQ(AsText(stored->rows[0][1]), "");
  // Review of issue 25: the items the merge replaced held the name after the purge.
  Result<storage::QueryResult> replaced = site_.database().Query(
      "SELECT COUNT(*) FROM consultation_item WHERE consultation_id = ? AND active = 0 AND text"
      " LIKE '%山田%'",
      {consultation_id_});
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(storage::AsInt(replaced->rows[0][0]), 0);
  EXPECT_EQ(AsText(stored->rows[0][2]), "");
  // Nor does the search log keep the opinion as it was before the edit.
  Result<storage::QueryResult> log =
      site_.database().Query("SELECT body FROM text_document WHERE kind = 'opinion'");
  ASSERT_TRUE(log.ok());
  ASSERT_FALSE(log->empty());
  for (const auto& row : log->rows) EXPECT_EQ(AsText(row[0]).find("山田"), std::string::npos);
  // What is published is unchanged; a second run finds nothing to do.
  EXPECT_EQ(Items().at(0).text, published);
  Result<PurgeReport> again = PurgePersonalData(site_.database(), 30, in_days(40), Actor{});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->consultations, 0);
  EXPECT_EQ(PurgePersonalData(site_.database(), -1, in_days(40), Actor{}).status().field(), "days");
}

// Issue 25 #4: the audit page showed every record as raw JSON on one 48,000 px page.
TEST_P(PublishedTextTest, AuditPageIsPaginated) {
  ASSERT_TRUE(SetPublishedText(site_.database(), item_id_, kEdited, Actor{1, "publisher"}).ok());
  ASSERT_TRUE(site_.database()
                  .Transaction([&](storage::Connection& connection) -> Status {
                    for (int i = 0; i < 230; ++i) {
                      CIVICDESK_RETURN_IF_ERROR(Audit(connection, Actor{1, "publisher"}, "approve",
                                                      "item", 1000 + i, "false", "true"));
                    }
                    return Status::Ok();
                  })
                  .ok());
  Browser admin = SignIn("admin");
  auto rows = [](const std::string& body) {
    size_t count = 0;
    const size_t tbody = body.find("<tbody>");
    for (size_t at = body.find("<tr>", tbody);
         tbody != std::string::npos && at != std::string::npos; at = body.find("<tr>", at + 1))
      ++count;
    return count;
  };
  ClientResponse first = admin.Get("/staff/audit");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(rows(first.body), 100u);
  EXPECT_NE(first.body.find("href=\"/staff/audit?page=2&amp;before="), std::string::npos);
  EXPECT_EQ(first.body.find("rel=\"prev\""), std::string::npos);
  ClientResponse third = admin.Get("/staff/audit?page=3");
  ASSERT_EQ(third.status, 200);
  EXPECT_GE(rows(third.body), 30u);
  EXPECT_LT(rows(third.body), 100u);
  EXPECT_NE(third.body.find("href=\"/staff/audit?page=2&amp;before="), std::string::npos);
  EXPECT_NE(third.body.find("rel=\"prev\""), std::string::npos);
  EXPECT_EQ(third.body.find("rel=\"next\""), std::string::npos);
  // The edit reads as what changed, not as JSON: its hash shortened, no braces.
  ClientResponse edits = admin.Get("/staff/audit?action=edit_text");
  ASSERT_EQ(edits.status, 200);
  EXPECT_EQ(rows(edits.body), 2u);
  EXPECT_NE(edits.body.find("鍵付きハッシュ（HMAC-SHA-256）"), std::string::npos);
  EXPECT_NE(edits.body.find("○○"), std::string::npos);
  const size_t table = edits.body.find("<tbody>");
  EXPECT_EQ(edits.body.find("{&quot;", table), std::string::npos);
  EXPECT_EQ(edits.body.find("{\"", table), std::string::npos);
  // A filtered page keeps its filter in the links.
  ClientResponse approvals = admin.Get("/staff/audit?action=approve");
  EXPECT_NE(approvals.body.find("&amp;action=approve\" rel=\"next\""), std::string::npos);
  for (const std::string bad : {"0", "x", "-1"})
    EXPECT_EQ(admin.Get("/staff/audit?page=" + bad).status, 400) << bad;
}

INSTANTIATE_TEST_SUITE_P(Backends, PublishedTextTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
