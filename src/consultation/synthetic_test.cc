#include "consultation/synthetic.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "consultation/publication.h"
#include "consultation/store.h"
#include "storage/testing.h"
#include "text/search_index.h"

namespace civicdesk::consultation {
namespace {

class SyntheticTest : public ::testing::TestWithParam<std::string> {
 protected:
  SyntheticTest() : database_(GetParam()) {}
  void SetUp() override {
    CIVICDESK_SKIP_IF_UNAVAILABLE(database_);
    ASSERT_TRUE(
        storage::Migrate(*database_, {text::SearchIndex::Migrations(), ConsultationMigrations()})
            .ok());
  }
  storage::testing::TestDatabase database_;
};

// The benchmark's data must be what a real publication looks like: every row complete, so the
// publication check passes, and the counts agree with the rows.
TEST_P(SyntheticTest, ConsultationIsCompleteAndPublishable) {
  constexpr int64_t kItems = 12345;  // more than one batch and one transaction
  Result<int64_t> id = CreateSyntheticConsultation(*database_, kItems, 7);
  ASSERT_TRUE(id.ok()) << id.status().message();

  Result<std::vector<PublicationProblem>> problems = CheckPublication(*database_, *id);
  ASSERT_TRUE(problems.ok()) << problems.status().message();
  EXPECT_TRUE(problems->empty()) << problems->front().problem.message();

  Result<Summary> summary = Summarize(*database_, *id);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->items, kItems);
  EXPECT_EQ(summary->unclassified, 0);

  std::map<int, int> statuses;
  std::set<std::string> sections;
  int64_t rows = 0;
  int two_sections = 0;
  Status read = ForEachPublishedRow(*database_, *id, [&](const PublishedRow& row) {
    EXPECT_EQ(row.number, ++rows);
    EXPECT_FALSE(row.opinion.empty());
    EXPECT_FALSE(row.response.empty());
    ++statuses[row.status.value_or(0)];
    sections.insert(row.sections);
    if (row.sections.find('/') != std::string::npos) ++two_sections;
    return Status::Ok();
  });
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(rows, kItems);
  EXPECT_EQ(statuses.size(), 5u);
  EXPECT_EQ(statuses.count(0), 0u);
  EXPECT_GT(two_sections, 0);
  EXPECT_GT(sections.size(), 8u);
}

TEST_P(SyntheticTest, RefusesAnEmptyConsultation) {
  EXPECT_EQ(CreateSyntheticConsultation(*database_, 0).status().code(),
            StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, SyntheticTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
