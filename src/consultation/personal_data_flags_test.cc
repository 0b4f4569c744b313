// Personal-data flags stored with the opinions (personal_data_flags.h), over HTTP and on both
// backends: a mask survives merge, split, publication, correction and a second import; an
// opinion with an open flag is never in public search.
#include "consultation/personal_data_flags.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "consultation/consultation_module.h"
#include "consultation/corrections.h"
#include "consultation/handlers.h"
#include "consultation/opinions_import.h"
#include "consultation/personal_data.h"
#include "consultation/publishing.h"
#include "consultation/results_import.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "embedded/consultation_data.h"
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
using storage::AsInt;
using storage::AsText;

// An opinion with every kind a ward meets most: a name, an address, a phone, an e-mail.
constexpr char kOpinion[] =
    "山田太郎です。港区芝5-36-4に住んでいます。夜の公園が暗くて怖いので、街灯を増やしてください。"
    "電話090-1234-5678、メール taro.yamada@example.jp まで回答ください。";
constexpr char kFirstPiece[] = "山田太郎です。港区芝5-36-4に住んでいます。";
constexpr char kSecondPiece[] =
    "夜の公園が暗くて怖いので、街灯を増やしてください。電話090-1234-5678、メール "
    "taro.yamada@example.jp まで回答ください。";
const std::vector<std::string> kPersonal = {
    "山田", "太郎", "芝5-36-4", "090-1234-5678", "1234-5678", "taro.yamada", "example.jp"};

class PersonalDataFlagsTest : public ::testing::TestWithParam<std::string> {
 protected:
  PersonalDataFlagsTest()
      : site_(GetParam(), {http::HttpModule(), text::TextModule(), ConsultationModule()}) {}

  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
    ASSERT_TRUE(site_.app()
                    .accounts()
                    .Add({"publisher", "公表 担当", "correct horse battery", http::Role::kPublisher,
                          "", ""})
                    .ok());
    const std::string later =
        FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(40)});
    const std::string earlier =
        FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} - std::chrono::days(1)});
    Result<int64_t> id = CreateConsultation(
        site_.database(),
        {"港区個人情報確認計画（素案）", "確認計画", earlier, later, {"基本目標1"}}, Settings{});
    ASSERT_TRUE(id.ok()) << id.status().message();
    consultation_id_ = *id;
  }

  Browser Publisher() {
    Browser browser(site_.port());
    const std::string token = CsrfTokenIn(browser.Get("/login").body);
    EXPECT_EQ(browser
                  .PostForm("/login", {{"login", "publisher"},
                                       {"password", "correct horse battery"},
                                       {"csrf_token", token}})
                  .status,
              303);
    return browser;
  }

  int64_t SubmitOpinion(const std::string& text) {
    NewSubmission submission;
    submission.text = text;
    Result<Receipt> receipt =
        Submit(site_.database(), consultation_id_, submission, Settings{}, Actor{0, "test"}, false);
    EXPECT_TRUE(receipt.ok()) << receipt.status().message();
    return receipt.ok() ? receipt->submission_id : 0;
  }

  std::vector<Item> Items() {
    Result<std::vector<Item>> items = ListItems(site_.database(), consultation_id_);
    EXPECT_TRUE(items.ok());
    return items.ok() ? *items : std::vector<Item>{};
  }

  // Field, section, answer, status and approval for every item, then publication today.
  void AnswerApproveAndPublish() {
    Result<std::vector<FieldOption>> fields = ListFields(site_.database(), consultation_id_);
    ASSERT_TRUE(fields.ok() && !fields->empty());
    for (const Item& item : Items()) {
      ItemUpdate update;
      update.field_ids = std::vector<int64_t>{fields->front().id};
      update.sections = std::vector<SectionRef>{{"防災危機管理室", "防災課"}};
      update.response_text = "街灯の増設を検討します。";
      update.status = 3;
      ASSERT_TRUE(UpdateItem(site_.database(), item.id, update, Actor{1, "publisher"}).ok());
      ASSERT_TRUE(ApproveItem(site_.database(), item.id, Actor{1, "publisher"}).ok());
    }
    PublishOptions options;
    options.close_early_on = FormatIsoDate(TodayInJapan());
    Status published = Publish(site_.database(), consultation_id_, Actor{1, "publisher"}, options);
    ASSERT_TRUE(published.ok()) << published.message();
  }

  // Everything the public gets of the consultation: the result page, its downloads, the
  // open-data rows and public search.
  std::string EverythingPublic(const std::vector<std::string>& queries) {
    const std::string base = "/consultations/" + std::to_string(consultation_id_) + "/result";
    std::string everything;
    for (const std::string suffix : {"", ".csv", ".tsv"}) {
      ClientResponse response = Send(site_.port(), "GET", base + suffix);
      EXPECT_EQ(response.status, 200) << base + suffix;
      everything += response.body;
    }
    Result<std::vector<http::PublicDataset>> datasets = ConsultationDatasets(site_.app());
    EXPECT_TRUE(datasets.ok());
    bool found = false;
    for (const http::PublicDataset& dataset : *datasets) {
      if (dataset.id != "consultation-" + std::to_string(consultation_id_) + "-result") continue;
      found = true;
      EXPECT_TRUE(dataset
                      .rows(site_.app(),
                            [&](const std::vector<std::string>& cells) {
                              for (const std::string& cell : cells) everything += cell + "\t";
                              return Status::Ok();
                            })
                      .ok());
    }
    EXPECT_TRUE(found) << "no open-data dataset for the result";
    for (const std::string& query : queries) {
      ClientResponse search =
          Send(site_.port(), "GET", "/api/v1/search?kind=opinion&q=" + http::PercentEncode(query));
      EXPECT_EQ(search.status, 200);
      everything += search.body;
    }
    return everything;
  }

  TestSite site_;
  int64_t consultation_id_ = 0;
};

TEST_P(PersonalDataFlagsTest, MaskedPersonalDataStaysMaskedThroughMergeSplitAndPublication) {
  const int64_t submission_id = SubmitOpinion(kOpinion);
  Browser publisher = Publisher();
  const std::string publish_page =
      "/staff/consultations/" + std::to_string(consultation_id_) + "/publish";
  ClientResponse check = publisher.Get(publish_page);
  ASSERT_EQ(check.status, 200);
  for (const std::string excerpt :
       {"山田太郎", "港区芝5-36-4", "090-1234-5678", "taro.yamada@example.jp"})
    EXPECT_NE(check.body.find("<mark>" + excerpt + "</mark>"), std::string::npos) << excerpt;
  Result<std::vector<PersonalDataFlag>> open =
      OpenPersonalDataFlags(site_.database(), consultation_id_);
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->size(), 4u);

  // The bulk mask on the publish page.
  ClientResponse masked = publisher.PostForm(
      "/staff/consultations/" + std::to_string(consultation_id_) + "/personal-data/mask",
      {{"csrf_token", CsrfTokenIn(check.body)}});
  ASSERT_EQ(masked.status, 303) << masked.body;
  EXPECT_EQ(Items().at(0).text,
            "（個人情報のため削除）です。（個人情報のため削除）に住んでいます。夜の公園が暗くて怖い"
            "ので、街灯を増やしてください。電話（個人情報のため削除）、メール "
            "（個人情報のため削除） まで回答ください。");

  // Merge, then split: every piece is cut from the original text again, and keeps the masks.
  const std::string submission = "/staff/submissions/" + std::to_string(submission_id);
  const std::string token = CsrfTokenIn(publisher.Get(submission + "/split").body);
  ASSERT_EQ(publisher.PostForm(submission + "/merge", {{"csrf_token", token}}).status, 303);
  ASSERT_EQ(Items().size(), 1u);
  EXPECT_EQ(Items()[0].text.find("山田"), std::string::npos) << Items()[0].text;
  ClientResponse split = publisher.PostForm(
      submission + "/split",
      {{"pieces", std::string(kFirstPiece) + "\n---\n" + kSecondPiece}, {"csrf_token", token}});
  ASSERT_EQ(split.status, 303) << split.body;
  std::vector<Item> pieces = Items();
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].text, "（個人情報のため削除）です。（個人情報のため削除）に住んでいます。");
  for (const Item& piece : pieces) {
    for (const std::string& personal : kPersonal)
      EXPECT_EQ(piece.text.find(personal), std::string::npos) << piece.text;
  }
  open = OpenPersonalDataFlags(site_.database(), consultation_id_);
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty());

  AnswerApproveAndPublish();
  const std::string everything = EverythingPublic({"街灯", "山田太郎", "090-1234-5678", "taro"});
  EXPECT_NE(everything.find("街灯を増やしてください"), std::string::npos);
  EXPECT_NE(everything.find("（個人情報のため削除）"), std::string::npos);
  for (const std::string& personal : kPersonal)
    EXPECT_EQ(everything.find(personal), std::string::npos) << personal;

  // A correction changes the answer, never the opinion: the mask stays.
  ItemUpdate change;
  change.response_text = "街灯を増設します。";
  Result<int64_t> correction = RequestCorrection(site_.database(), pieces[1].id, change,
                                                 "回答の誤り", Actor{1, "publisher"});
  ASSERT_TRUE(correction.ok()) << correction.status().message();
  ASSERT_TRUE(ApproveCorrection(site_.database(), *correction, Actor{1, "publisher"}).ok());
  const std::string corrected = EverythingPublic({"街灯", "山田太郎"});
  EXPECT_NE(corrected.find("街灯を増設します。"), std::string::npos);
  for (const std::string& personal : kPersonal)
    EXPECT_EQ(corrected.find(personal), std::string::npos) << personal;
}

TEST_P(PersonalDataFlagsTest, SplitThroughAMaskedNameMasksBothHalves) {
  const int64_t submission_id = SubmitOpinion("山田太郎さんが公園の遊具でけがをしました。");
  ASSERT_TRUE(MaskOpenPersonalData(site_.database(), consultation_id_, Actor{1, "p"}).ok());
  ASSERT_TRUE(SplitSubmission(site_.database(), submission_id,
                              {"山田", "太郎さんが公園の遊具でけがをしました。"}, Actor{1, "p"})
                  .ok());
  std::vector<Item> pieces = Items();
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].text, "（個人情報のため削除）");
  EXPECT_EQ(pieces[1].text, "（個人情報のため削除）が公園の遊具でけがをしました。");
}

TEST_P(PersonalDataFlagsTest, OneClickMaskAndDismissPerFlag) {
  SubmitOpinion("担当の佐藤さんに電話03-3578-2111で相談しました。芝浦の運河沿いが暗いです。");
  Result<std::vector<PersonalDataFlag>> open =
      OpenPersonalDataFlags(site_.database(), consultation_id_);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ(open->at(0).kind, "name");
  EXPECT_EQ(open->at(0).excerpt, "佐藤さん");
  EXPECT_EQ(open->at(1).kind, "phone");
  Browser publisher = Publisher();
  const std::string token = CsrfTokenIn(
      publisher.Get("/staff/consultations/" + std::to_string(consultation_id_) + "/publish").body);
  // The item's page shows each flag over it with its one-click mask.
  const std::string item_page =
      publisher.Get("/staff/items/" + std::to_string(open->at(0).item_id)).body;
  EXPECT_NE(item_page.find("<mark>佐藤さん</mark>"), std::string::npos);
  EXPECT_NE(item_page.find("/staff/personal-data/" + std::to_string(open->at(1).id) + "/mask"),
            std::string::npos);
  // The name is the ward's own staff member: staff decide it is not personal data to hide.
  ClientResponse dismissed =
      publisher.PostForm("/staff/personal-data/" + std::to_string(open->at(0).id) + "/dismiss",
                         {{"csrf_token", token}});
  EXPECT_EQ(dismissed.status, 303);
  ClientResponse masked =
      publisher.PostForm("/staff/personal-data/" + std::to_string(open->at(1).id) + "/mask",
                         {{"csrf_token", token}, {"item", std::to_string(open->at(1).item_id)}});
  EXPECT_EQ(masked.status, 303);
  EXPECT_EQ(masked.headers["location"],
            "/staff/items/" + std::to_string(open->at(1).item_id) + "#personal-data");
  EXPECT_EQ(Items().at(0).text,
            "担当の佐藤さんに電話（個人情報のため削除）で相談しました。芝浦の運河沿いが暗いです。");
  open = OpenPersonalDataFlags(site_.database(), consultation_id_);
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty());
  Result<std::vector<PersonalDataFlag>> all =
      PersonalDataFlagsOfItem(site_.database(), Items().at(0).id);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(0).state, "dismissed");
  EXPECT_EQ(all->at(1).state, "masked");
  EXPECT_EQ(publisher.PostForm("/staff/personal-data/999999/mask", {{"csrf_token", token}}).status,
            404);
}

TEST_P(PersonalDataFlagsTest, TheAuditKeepsPositionAndHashNeverTheText) {
  SubmitOpinion("連絡先は090-8765-4321、鈴木一郎です。");
  ASSERT_TRUE(MaskOpenPersonalData(site_.database(), consultation_id_, Actor{1, "p"}).ok());
  Result<storage::QueryResult> audit = site_.database().Query(
      "SELECT before_value, after_value FROM consultation_audit WHERE action = 'mask'");
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  for (const auto& row : audit->rows) {
    const std::string entry = AsText(row[0]) + AsText(row[1]);
    // The whole number: three digits alone turn up in a random 64-digit hex digest by chance.
    EXPECT_EQ(entry.find("090-8765"), std::string::npos) << entry;
    EXPECT_EQ(entry.find("8765-4321"), std::string::npos) << entry;
    EXPECT_EQ(entry.find("鈴木"), std::string::npos) << entry;
    json after = json::parse(AsText(row[1]));
    EXPECT_EQ(after["hmac_sha256"].get<std::string>().size(), 64u);
    EXPECT_TRUE(after.contains("start"));
  }
}

// Issue 17: before masking, an opinion of a published result was in public search. A result
// imported from an earlier publication is published without the checks: its opinion with a
// name and a phone stays out of public search until masked, and then is found masked.
TEST_P(PersonalDataFlagsTest, AnOpinionWithOpenFlagsIsNotInPublicSearch) {
  std::string file(
      *consultation_data::FindEmbeddedFile("consultations/kankyo-kihon-keikaku-soan.txt"));
  const std::string plain = "羽田空港周辺の飛行機の騒音が気になっている。";
  ASSERT_NE(file.find(plain), std::string::npos);
  file.replace(file.find(plain), plain.size(),
               "羽田空港周辺の飛行機の騒音が気になっている。連絡は佐藤花子（090-2468-1357）まで。");
  Result<ImportReport> imported = ImportResults(site_.database(), file, Actor{0, "test"});
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  PublishOptions earlier;
  earlier.imported = true;
  ASSERT_TRUE(Publish(site_.database(), imported->consultation_id, Actor{0, "test"}, earlier).ok());
  Result<storage::QueryResult> item = site_.database().Query(
      "SELECT id FROM consultation_item WHERE consultation_id = ? AND text LIKE ?",
      {imported->consultation_id, std::string("%佐藤花子%")});
  ASSERT_TRUE(item.ok());
  ASSERT_EQ(item->size(), 1u);
  const int64_t item_id = AsInt(item->rows[0][0]);

  auto public_hits = [&](const std::string& query) {
    ClientResponse response =
        Send(site_.port(), "GET", "/api/v1/search?kind=opinion&q=" + http::PercentEncode(query));
    EXPECT_EQ(response.status, 200);
    return json::parse(response.body)["hits"];
  };
  auto has_item = [&](const json& hits) {
    for (const json& hit : hits)
      if (hit["id"] == item_id) return true;
    return false;
  };
  EXPECT_FALSE(has_item(public_hits("飛行機")));
  EXPECT_TRUE(public_hits("佐藤花子").empty());
  EXPECT_EQ(public_hits("090-2468-1357").dump().find("2468"), std::string::npos);
  // Staff still find it, to mask it.
  json staff =
      json::parse(Publisher().Get("/api/v1/search?q=" + http::PercentEncode("佐藤花子")).body);
  EXPECT_FALSE(staff["hits"].empty());

  ASSERT_TRUE(
      MaskOpenPersonalData(site_.database(), imported->consultation_id, Actor{1, "p"}).ok());
  json hits = public_hits("飛行機");
  EXPECT_TRUE(has_item(hits)) << hits.dump();
  EXPECT_EQ(hits.dump().find("佐藤"), std::string::npos);
  EXPECT_TRUE(public_hits("佐藤花子").empty());
  Result<storage::QueryResult> original = site_.database().Query(
      "SELECT text FROM consultation_personal_data_original WHERE item_id = ?", {item_id});
  ASSERT_TRUE(original.ok());
  ASSERT_EQ(original->size(), 1u);  // kept for staff, never published
  EXPECT_NE(AsText(original->rows[0][0]).find("佐藤花子"), std::string::npos);
}

// A text masked once is masked again when the same opinions come in again.
TEST_P(PersonalDataFlagsTest, ReimportedOpinionsKeepTheirMasks) {
  const std::string csv =
      "id,text\nA-1,\"保育園の件で、高橋健一（080-1111-2222）に連絡をください。\"\n"
      "A-2,公園の砂場をきれいにしてください。\n";
  std::istringstream first(csv);
  Result<OpinionsImportReport> one =
      ImportOpinionsCsv(site_.database(), first, "一回目", Actor{1, "p"});
  ASSERT_TRUE(one.ok()) << one.status().message();
  Result<std::vector<PersonalDataFlag>> open =
      OpenPersonalDataFlags(site_.database(), one->consultation_id);
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->size(), 2u);
  ASSERT_TRUE(MaskOpenPersonalData(site_.database(), one->consultation_id, Actor{1, "p"}).ok());

  std::istringstream second(csv);
  Result<OpinionsImportReport> two =
      ImportOpinionsCsv(site_.database(), second, "二回目", Actor{1, "p"});
  ASSERT_TRUE(two.ok()) << two.status().message();
  open = OpenPersonalDataFlags(site_.database(), two->consultation_id);
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty());
  Result<std::vector<Item>> items = ListItems(site_.database(), two->consultation_id);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ(items->at(0).text,
            "保育園の件で、（個人情報のため削除）（（個人情報のため削除））に連絡をください。");
}

// Issue 23 #4: a bare name (山田太郎) was not flagged, only the phone.
TEST_P(PersonalDataFlagsTest, ABareNameIsFlaggedBeforePublication) {
  SubmitOpinion("山田太郎 03-1234-5678 公園のベンチが壊れています。");
  Result<std::vector<PersonalDataFlag>> open =
      OpenPersonalDataFlags(site_.database(), consultation_id_);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ(open->at(0).kind, "name");
  EXPECT_EQ(open->at(0).excerpt, "山田太郎");
}

// Issue 23 #4: a kana given name after a kanji surname, and a katakana full name, were not
// flagged (only the phone was).
TEST_P(PersonalDataFlagsTest, KanaAndKatakanaNamesAreFlaggedBeforePublication) {
  SubmitOpinion("中村さくら 03-1234-5678 公園のベンチが壊れています。");
  SubmitOpinion("ヤマダタロウ コミュニティバスのサービスを増やしてください。");
  Result<std::vector<PersonalDataFlag>> open =
      OpenPersonalDataFlags(site_.database(), consultation_id_);
  ASSERT_TRUE(open.ok());
  std::vector<std::string> flagged;
  for (const PersonalDataFlag& flag : *open) flagged.push_back(flag.kind + ":" + flag.excerpt);
  EXPECT_EQ(flagged, (std::vector<std::string>{"name:中村さくら", "phone:03-1234-5678",
                                               "name:ヤマダタロウ"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, PersonalDataFlagsTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
