#include "consultation/search_documents.h"

#include <gtest/gtest.h>

#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "storage/testing.h"
#include "text/search_index.h"

namespace civicdesk::consultation {
namespace {

std::string DaysFromToday(int days) {
  return FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(days)});
}

// Issue 18: a search document is written in the transaction of the change that owns it, so an
// opinion is never acknowledged without it (a crash between the two used to leave an
// acknowledged opinion unsearchable until it changed again).
class SearchDocumentsTest : public ::testing::TestWithParam<std::string> {
 protected:
  SearchDocumentsTest() : database_(GetParam()) {}
  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(database_);
    ASSERT_TRUE(
        storage::Migrate(*database_, {text::SearchIndex::Migrations(), ConsultationMigrations()})
            .ok());
    Result<int64_t> id = CreateConsultation(*database_,
                                            {"港区検索確認計画（素案）",
                                             "検索確認計画",
                                             DaysFromToday(-5),
                                             DaysFromToday(40),
                                             {"基本目標1 安全なまち"}},
                                            Settings{});
    ASSERT_TRUE(id.ok()) << id.status().message();
    id_ = *id;
  }
  Result<Receipt> SubmitText(const std::string& text) {
    NewSubmission submission;
    submission.text = text;
    return Submit(*database_, id_, submission, Settings{}, Actor{0, "test"}, false);
  }
  int64_t Count(const std::string& sql) {
    Result<storage::QueryResult> rows = database_->Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    return rows.ok() ? storage::AsInt(rows->rows[0][0]) : -1;
  }
  // The opinions staff find for `query` on a server started now (its own index).
  static std::vector<int64_t> StaffFind(storage::Database& database, const std::string& query) {
    text::SearchIndex server(database);
    Result<std::vector<text::SearchHit>> hits = server.Search(
        {query, std::string("opinion"), {text::SearchScope::Audience::kAllStaff, ""}, 20});
    EXPECT_TRUE(hits.ok()) << hits.status().message();
    std::vector<int64_t> ids;
    if (hits.ok())
      for (const text::SearchHit& hit : *hits) ids.push_back(hit.ref_id);
    return ids;
  }
  storage::testing::TestDatabase database_;
  int64_t id_ = 0;
};

TEST_P(SearchDocumentsTest, AnOpinionIsAcknowledgedOnlyWithItsSearchDocument) {
  // The document cannot be written: the submission is refused and nothing of it stays.
  ASSERT_TRUE(database_->Query("ALTER TABLE text_document RENAME TO text_document_away").ok());
  Result<Receipt> refused = SubmitText("駅前の駐輪場を広げてください。");
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM consultation_submission"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM consultation_item"), 0);
  ASSERT_TRUE(database_->Query("ALTER TABLE text_document_away RENAME TO text_document").ok());

  Result<Receipt> receipt = SubmitText("駅前の駐輪場を広げてください。");
  ASSERT_TRUE(receipt.ok()) << receipt.status().message();
  Result<storage::QueryResult> item = database_->Query(
      "SELECT id FROM consultation_item WHERE submission_id = ?", {receipt->submission_id});
  ASSERT_TRUE(item.ok());
  ASSERT_EQ(item->size(), 1u);
  EXPECT_EQ(StaffFind(*database_, "駐輪場"),
            (std::vector<int64_t>{storage::AsInt(item->rows[0][0])}));
}

TEST_P(SearchDocumentsTest, ASplitReplacesTheDocumentsWithItsPiecesOrChangesNothing) {
  Result<Receipt> receipt = SubmitText("公園の緑を増やしてほしい。夜道の街灯も明るくしてほしい。");
  ASSERT_TRUE(receipt.ok()) << receipt.status().message();
  const std::vector<std::string> pieces = {"公園の緑を増やしてほしい。",
                                           "夜道の街灯も明るくしてほしい。"};

  ASSERT_TRUE(database_->Query("ALTER TABLE text_document RENAME TO text_document_away").ok());
  EXPECT_FALSE(SplitSubmission(*database_, receipt->submission_id, pieces, Actor{1, "staff"}).ok());
  ASSERT_TRUE(database_->Query("ALTER TABLE text_document_away RENAME TO text_document").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM consultation_item WHERE active = 1"), 1);
  EXPECT_EQ(StaffFind(*database_, "。夜道").size(), 1u);  // the whole text, unsplit

  ASSERT_TRUE(SplitSubmission(*database_, receipt->submission_id, pieces, Actor{1, "staff"}).ok());
  Result<storage::QueryResult> items =
      database_->Query("SELECT id FROM consultation_item WHERE active = 1 ORDER BY source_start");
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 2u);
  EXPECT_TRUE(StaffFind(*database_, "。夜道").empty());  // no document holds the whole text
  EXPECT_EQ(StaffFind(*database_, "公園の緑"),
            (std::vector<int64_t>{storage::AsInt(items->rows[0][0])}));
  EXPECT_EQ(StaffFind(*database_, "夜道の街灯"),
            (std::vector<int64_t>{storage::AsInt(items->rows[1][0])}));
}

INSTANTIATE_TEST_SUITE_P(Backends, SearchDocumentsTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
