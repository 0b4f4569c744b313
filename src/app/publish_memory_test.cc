// Issue 23 #2: the first `publish` of a consultation (completeness and personal-data checks,
// the frozen numbering, the search documents, then the export) grew with the consultation
// (55 MiB at 20,000 items, 100 MiB at 60,000) where the re-export streamed. The command runs
// here as a child of civicdesk_bench_spawn, which reads that child's own peak RSS with wait4
// (a child forked from this test would count the test's memory as its own).

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "app/cli.h"
#include "bench/bench_support.h"
#include "consultation/synthetic.h"
#include "storage/testing.h"

namespace civicdesk::app {
namespace {

constexpr int64_t kSmall = 5000;
constexpr int64_t kLarge = 40000;
// What the first publish may grow from kSmall to kLarge items: the database's own page caches
// and allocator slack. Holding 8 bytes more per item would already be 280 KiB; the memo of
// detected texts and the numbering map the fix took out held over 3 MiB more at kLarge.
constexpr long kMarginKib = 2 * 1024;

class PublishMemoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  PublishMemoryTest() : database_(GetParam()) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(database_); }

  // The peak RSS in KiB of the first `civicdesk publish` of a new consultation of `items`.
  long FirstPublishPeakKib(int64_t items) {
    Result<int64_t> id = consultation::CreateSyntheticConsultation(*database_, items);
    EXPECT_TRUE(id.ok()) << id.status().message();
    if (!id.ok()) return -1;
    const bench::ProcessCost cost =
        bench::RunProcess({CIVICDESK_BINARY, "publish", std::to_string(*id), "--format", "csv",
                           "--output", "/dev/null", "--db", database_.url()},
                          "/dev/null");
    EXPECT_EQ(cost.exit_code, 0) << items << " items";
    return cost.peak_rss_kib;
  }

  storage::testing::TestDatabase database_;
};

TEST_P(PublishMemoryTest, TheFirstPublishNoLongerGrowsWithTheConsultation) {
  std::istringstream in;
  std::ostringstream out, err;
  ASSERT_EQ(RunCli({"db", "migrate", "--db", database_.url()}, in, out, err), 0) << err.str();
  const long small = FirstPublishPeakKib(kSmall);
  const long large = FirstPublishPeakKib(kLarge);
  ASSERT_GT(small, 0);
  ASSERT_GT(large, 0);
  RecordProperty("peak_rss_kib_small", std::to_string(small));
  RecordProperty("peak_rss_kib_large", std::to_string(large));
  EXPECT_LE(large, small + kMarginKib)
      << "first publish: " << small / 1024.0 << " MiB at " << kSmall << " items, " << large / 1024.0
      << " MiB at " << kLarge;
}

INSTANTIATE_TEST_SUITE_P(Backends, PublishMemoryTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::app
