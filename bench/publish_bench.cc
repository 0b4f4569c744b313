// publish_csv and publish_xlsx (issue 3, issue 23 #2): the first `civicdesk publish` of a
// consultation of 1,000,000 items — the completeness and personal-data checks, the frozen
// numbering, the search documents and the streamed export, all in the measured process — and
// compare its wall time with `sqlite3 -csv` running the export's query on the same file in the
// same run. Each run publishes a fresh copy of the unpublished database. Goals: time ≤ 3× the
// baseline and peak RSS ≤ 256 MiB. A line after each also gives the re-export (the consultation
// already published) for comparison.
//
// CIVICDESK_BENCH_ITEMS overrides the size (for a quick look); the goal applies to 1,000,000.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "bench/bench_support.h"
#include "consultation/store.h"
#include "consultation/synthetic.h"
#include "consultation/workflow.h"
#include "storage/database.h"

namespace civicdesk::bench {
namespace {

constexpr long kRssLimitKib = 256 * 1024;
constexpr double kGoalRatio = 3.0;
constexpr int kRuns = 2;

int64_t ItemCount() {
  const char* configured = std::getenv("CIVICDESK_BENCH_ITEMS");
  if (configured == nullptr) return 1000000;
  return std::max<int64_t>(1, std::atoll(configured));
}

int64_t CountLines(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  int64_t lines = 0;
  std::string line;
  while (std::getline(file, line)) ++lines;
  return lines;
}

int Main() {
  const int64_t items = ItemCount();
  TemporaryDirectory directory;
  // Generated once into `pristine_path`; every measured run publishes a copy of it.
  const std::string pristine_path = directory.path() + "/unpublished.db";
  const std::string database_path = directory.path() + "/publish.db";
  const std::string url = "sqlite:" + database_path;
  const std::string binary = CIVICDESK_BINARY;

  if (RunProcess({binary, "db", "migrate", "--db", "sqlite:" + pristine_path}, "/dev/null")
          .exit_code != 0) {
    std::fprintf(stderr, "publish bench: civicdesk db migrate failed\n");
    return 2;
  }
  int64_t consultation_id = 0;
  {
    Result<std::unique_ptr<storage::Database>> database =
        storage::Database::Open("sqlite:" + pristine_path);
    if (!database.ok()) {
      std::fprintf(stderr, "publish bench: %s\n", database.status().message().c_str());
      return 2;
    }
    std::fprintf(stderr, "publish bench: generating %lld items ...\n",
                 static_cast<long long>(items));
    Result<int64_t> id = consultation::CreateSyntheticConsultation(**database, items);
    if (!id.ok()) {
      std::fprintf(stderr, "publish bench: %s\n", id.status().message().c_str());
      return 2;
    }
    consultation_id = *id;
  }  // closed: the WAL is checkpointed into the file, which is copied whole below
  auto fresh_copy = [&] {
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(database_path + suffix);
    std::filesystem::copy_file(pristine_path, database_path,
                               std::filesystem::copy_options::overwrite_existing);
  };

  std::string query = consultation::PublishedRowsSql(storage::Backend::kSqlite);
  query.replace(query.find('?'), 1, std::to_string(consultation_id));
  const std::vector<std::string> baseline_command = {"sqlite3", "-csv", database_path, query};
  const std::string baseline_output = directory.path() + "/baseline.csv";

  bool all_pass = true;
  for (const std::string format : {"csv", "xlsx"}) {
    const std::string output = directory.path() + "/published." + format;
    const std::vector<std::string> publish = {
        binary, "publish", std::to_string(consultation_id), "--format", format, "--output", output,
        "--db", url};
    // The first publish of a fresh copy, best time of kRuns, the highest peak RSS seen.
    ProcessCost ours;
    for (int run = 0; run < kRuns && ours.exit_code <= 0; ++run) {
      fresh_copy();
      const ProcessCost cost = RunProcess(publish, "/dev/null");
      const long peak = std::max(ours.peak_rss_kib, cost.peak_rss_kib);
      if (run == 0 || cost.exit_code != 0 || cost.seconds < ours.seconds) ours = cost;
      ours.peak_rss_kib = peak;
    }
    // The last copy is published now: the baseline reads its rows, and the re-export is
    // measured on it (the cache warmed for both by the first baseline run).
    ProcessCost baseline = BestOf(kRuns + 1, baseline_command, baseline_output);
    if (baseline.exit_code == 127) {
      std::fprintf(stderr,
                   "publish bench: `sqlite3` failed or is missing (apt-get install sqlite3)\n");
      return 2;
    }
    ProcessCost again = BestOf(kRuns, publish, "/dev/null");
    if (ours.exit_code != 0 || baseline.exit_code != 0 || again.exit_code != 0) {
      std::fprintf(stderr, "publish bench: a command failed (ours %d, baseline %d, again %d)\n",
                   ours.exit_code, baseline.exit_code, again.exit_code);
      all_pass = false;
      continue;
    }
    bool complete = true;
    if (format == "csv") {
      // A header line, then one line per item (the synthetic texts hold no line breaks).
      complete = CountLines(output) == items + 1 && CountLines(baseline_output) == items;
    }
    std::fprintf(stderr,
                 "publish_%s: %lld items, first publish %.1f s, peak RSS %.1f MiB (limit 256 MiB;"
                 " sqlite3 %.1f MiB); re-export %.1f s, %.1f MiB%s\n",
                 format.c_str(), static_cast<long long>(items), ours.seconds,
                 ours.peak_rss_kib / 1024.0, baseline.peak_rss_kib / 1024.0, again.seconds,
                 again.peak_rss_kib / 1024.0, complete ? "" : ", OUTPUT INCOMPLETE");
    all_pass &= PrintBench("publish_" + format, ours.seconds, baseline.seconds, "s", true,
                           kGoalRatio, complete && ours.peak_rss_kib <= kRssLimitKib);
  }
  return all_pass ? 0 : 1;
}

}  // namespace
}  // namespace civicdesk::bench

int main() { return civicdesk::bench::Main(); }
