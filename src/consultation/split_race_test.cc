// Review of issue 25: splitting or merging one submission twice at once (a form sent twice, two
// staff) could both succeed on PostgreSQL and leave two sets of pieces. On both backends.
#include <gtest/gtest.h>

#include <barrier>
#include <thread>

#include "consultation/consultation_module.h"
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
using http::testing::TestSite;

constexpr char kOpinion[] = "公園の街灯を増やしてください。駅前の駐輪場も広げてください。";
const std::vector<std::string> kPieces = {"公園の街灯を増やしてください。",
                                          "駅前の駐輪場も広げてください。"};

class SplitRaceTest : public ::testing::TestWithParam<std::string> {
 protected:
  SplitRaceTest()
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
        site_.database(), {"分割競合確認計画", "分割確認", earlier, later, {"基本目標1"}},
        Settings{});
    ASSERT_TRUE(id.ok()) << id.status().message();
    NewSubmission submission;
    submission.text = kOpinion;
    Result<Receipt> receipt =
        Submit(site_.database(), *id, submission, Settings{}, Actor{0, "test"}, false);
    ASSERT_TRUE(receipt.ok()) << receipt.status().message();
    submission_id_ = receipt->submission_id;
  }

  std::vector<int64_t> Active() {
    Result<std::vector<int64_t>> ids = ActiveItemIds(site_.database(), submission_id_);
    EXPECT_TRUE(ids.ok());
    return ids.ok() ? *ids : std::vector<int64_t>{};
  }

  // Two connections at once, each splitting (or merging) against the items both saw.
  std::vector<Status> TwiceAtOnce(bool merge) {
    const std::vector<int64_t> seen = Active();
    std::barrier start(2);
    std::vector<Status> outcomes(2, Status::Ok());
    auto work = [&](int which) {
      start.arrive_and_wait();
      outcomes[which] =
          merge ? MergeSubmission(site_.database(), submission_id_, Actor{1, "publisher"}, seen)
                : SplitSubmission(site_.database(), submission_id_, kPieces,
                                  Actor{1 + which, "publisher"}, seen);
    };
    std::thread first(work, 0);
    std::thread second(work, 1);
    first.join();
    second.join();
    return outcomes;
  }

  TestSite site_;
  int64_t submission_id_ = 0;
};

TEST_P(SplitRaceTest, SplittingTwiceAtOnceMakesOneSetOfPieces) {
  for (int round = 0; round < 5; ++round) {
    const std::vector<Status> split = TwiceAtOnce(/*merge=*/false);
    EXPECT_EQ(split[0].ok() + split[1].ok(), 1)
        << split[0].message() << " / " << split[1].message();
    for (const Status& status : split) {
      if (!status.ok()) {
        EXPECT_EQ(status.code(), StatusCode::kConflict) << status.message();
      }
    }
    EXPECT_EQ(Active().size(), kPieces.size());
    const std::vector<Status> merged = TwiceAtOnce(/*merge=*/true);
    EXPECT_EQ(merged[0].ok() + merged[1].ok(), 1);
    EXPECT_EQ(Active().size(), 1u);
  }
}

TEST_P(SplitRaceTest, ASplitFormSentTwiceIsAConflictTheSecondTime) {
  Browser publisher(site_.port());
  const std::string login_token = CsrfTokenIn(publisher.Get("/login").body);
  ASSERT_EQ(publisher
                .PostForm("/login", {{"login", "publisher"},
                                     {"password", "correct horse battery"},
                                     {"csrf_token", login_token}})
                .status,
            303);
  const std::string page = "/staff/submissions/" + std::to_string(submission_id_) + "/split";
  ClientResponse shown = publisher.Get(page);
  ASSERT_EQ(shown.status, 200);
  const std::vector<int64_t> before = Active();
  ASSERT_EQ(before.size(), 1u);
  const std::string replaces = std::to_string(before[0]);
  EXPECT_NE(shown.body.find("name=\"replaces\" value=\"" + replaces + "\""), std::string::npos);
  const std::map<std::string, std::string> form = {{"pieces", kPieces[0] + "\n---\n" + kPieces[1]},
                                                   {"replaces", replaces},
                                                   {"csrf_token", CsrfTokenIn(shown.body)}};
  EXPECT_EQ(publisher.PostForm(page, form).status, 303);
  const std::vector<int64_t> pieces = Active();
  EXPECT_EQ(pieces.size(), 2u);
  ClientResponse again = publisher.PostForm(page, form);
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("ほかの操作で先に分割または統合されました"), std::string::npos);
  EXPECT_EQ(Active(), pieces);
  // The merge form of the old page is refused the same way; a bad list names the field.
  ClientResponse merge =
      publisher.PostForm("/staff/submissions/" + std::to_string(submission_id_) + "/merge",
                         {{"replaces", replaces}, {"csrf_token", CsrfTokenIn(shown.body)}});
  EXPECT_EQ(merge.status, 409);
  EXPECT_EQ(Active(), pieces);
  ClientResponse bad = publisher.PostForm(
      page, {{"pieces", kOpinion}, {"replaces", "x"}, {"csrf_token", CsrfTokenIn(shown.body)}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("分割・統合の対象の指定が正しくありません"), std::string::npos);
  EXPECT_EQ(Active(), pieces);
}

INSTANTIATE_TEST_SUITE_P(Backends, SplitRaceTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
