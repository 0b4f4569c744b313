// import_opinions and docket_cli (issue 18): the user's path on a mass-comment docket, as
// processes, on the same generated FCC-shaped CSV (bench/docket.h; 1,000,000 opinions unless
// CIVICDESK_BENCH_ITEMS says otherwise).
//
//  - import_opinions: `civicdesk import opinions FILE` into a migrated, empty SQLite database
//    (validation, submissions, items, search documents, one transaction) vs `sqlite3` importing
//    the same CSV into a fresh database with `.import` (one table, no checks). Rows per second;
//    the goal is ours >= 200,000 rows/s, printed as goal=ours>=200000; the ratio is shown beside
//    it.
//  - docket_cli: that import plus `civicdesk analyze ID --json` vs the numpy/sklearn baseline of
//    the campaigns benchmark (bench/campaigns_baseline.py) reading the same CSV. Goals: both
//    commands together <= 0.2x the baseline's time and recall of the planted near duplicates
//    >= 0.95 (from the campaigns of the JSON).
// Each child's peak RSS is its own (RunProcess).

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "bench/bench_support.h"
#include "bench/docket.h"

namespace civicdesk::bench {
namespace {

constexpr double kGoalRowsPerSecond = 200000;
constexpr double kGoalRatio = 0.2;
constexpr double kGoalRecall = 0.95;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The campaigns of `analyze --json` as id<TAB>campaign lines (Recall's input).
bool WriteCampaigns(const std::string& json_path, const std::string& out_path) {
  nlohmann::json analysis = nlohmann::json::parse(ReadAll(json_path), nullptr, false);
  if (analysis.is_discarded() || !analysis.contains("campaigns")) return false;
  std::ofstream out(out_path, std::ios::binary);
  size_t number = 0;
  for (const nlohmann::json& campaign : analysis["campaigns"]) {
    for (const nlohmann::json& id : campaign["items"])
      out << (id.is_string() ? id.get<std::string>() : id.dump()) << '\t' << number << '\n';
    ++number;
  }
  return static_cast<bool>(out.flush());
}

int Main() {
  const char* configured = std::getenv("CIVICDESK_BENCH_ITEMS");
  const size_t count =
      configured == nullptr ? 1000000 : std::max<size_t>(10000, std::atoll(configured));
  const std::string binary = CIVICDESK_BINARY;
  TemporaryDirectory directory;
  const std::string docket = directory.path() + "/docket.tsv";
  const std::string csv = directory.path() + "/docket.csv";
  std::fprintf(stderr, "docket bench: writing a docket of %zu opinions ...\n", count);
  const size_t rows = WriteDocket(docket, count);
  if (!WriteDocketCsv(docket, csv)) {
    std::fprintf(stderr, "docket bench: cannot write %s\n", csv.c_str());
    return 2;
  }

  // import_opinions: ours into a migrated database, sqlite3 .import into a fresh one.
  const std::string url = "sqlite:" + directory.path() + "/civicdesk.db";
  if (RunProcess({binary, "db", "migrate", "--db", url}, "/dev/null").exit_code != 0) {
    std::fprintf(stderr, "docket bench: civicdesk db migrate failed\n");
    return 2;
  }
  const std::string id_path = directory.path() + "/consultation_id";
  const ProcessCost import =
      RunProcess({binary, "import", "opinions", csv, "--title", "docket", "--db", url}, id_path);
  const ProcessCost sqlite = RunProcess({"sqlite3", directory.path() + "/sqlite3.db", "-cmd",
                                         ".mode csv", ".import " + csv + " opinions"},
                                        "/dev/null");
  if (import.exit_code != 0 || sqlite.exit_code != 0) {
    std::fprintf(stderr, "docket bench: an import failed (ours %d, sqlite3 %d)\n", import.exit_code,
                 sqlite.exit_code);
    return 2;
  }
  const double ours_rate = static_cast<double>(rows) / import.seconds;
  const double sqlite_rate = static_cast<double>(rows) / sqlite.seconds;
  std::fprintf(stderr,
               "import_opinions: %zu rows, ours %.2f s (%.0f rows/s, peak RSS %.0f MiB), sqlite3 "
               ".import %.2f s (%.0f rows/s, %.0f MiB)\n",
               rows, import.seconds, ours_rate, import.peak_rss_kib / 1024.0, sqlite.seconds,
               sqlite_rate, sqlite.peak_rss_kib / 1024.0);
  const bool import_pass = ours_rate >= kGoalRowsPerSecond;
  std::printf(
      "BENCH import_opinions ours=%.0frows/s baseline=%.0frows/s ratio=%.2f goal=ours>=%.0frows/s "
      "%s\n",
      ours_rate, sqlite_rate, ours_rate / sqlite_rate, kGoalRowsPerSecond,
      import_pass ? "PASS" : "FAIL");
  std::fflush(stdout);

  // docket_cli: analyze the imported consultation; the baseline reads the same CSV.
  std::string consultation_id = ReadAll(id_path);
  while (!consultation_id.empty() && consultation_id.back() == '\n') consultation_id.pop_back();
  const std::string analysis_path = directory.path() + "/analysis.json";
  const ProcessCost analyze =
      RunProcess({binary, "analyze", consultation_id, "--json", "--db", url}, analysis_path);
  const std::string baseline_out = directory.path() + "/baseline.tsv";
  const ProcessCost baseline = RunProcess(
      {"/usr/bin/python3", std::string(CIVICDESK_SOURCE_DIR) + "/bench/campaigns_baseline.py", csv,
       baseline_out});
  const std::string ours_out = directory.path() + "/ours.tsv";
  if (analyze.exit_code != 0 || baseline.exit_code != 0 ||
      !WriteCampaigns(analysis_path, ours_out)) {
    std::fprintf(stderr,
                 "docket bench: a run failed (analyze %d, baseline %d; the baseline needs "
                 "apt-get install python3-sklearn python3-numpy)\n",
                 analyze.exit_code, baseline.exit_code);
    PrintBench("docket_cli", import.seconds + analyze.seconds, baseline.seconds, "s", true,
               kGoalRatio, false);
    return 1;
  }
  const double ours_recall = Recall(docket, ours_out);
  const double baseline_recall = Recall(docket, baseline_out);
  std::fprintf(stderr,
               "docket_cli: import %.2f s + analyze %.2f s (peak RSS %.0f MiB) vs baseline %.2f s "
               "(%.0f MiB); analyze alone is %.3f of the baseline (goal <= 0.1); recall ours %.4f, "
               "baseline %.4f (goal >= %.2f)\n",
               import.seconds, analyze.seconds, analyze.peak_rss_kib / 1024.0, baseline.seconds,
               baseline.peak_rss_kib / 1024.0, analyze.seconds / baseline.seconds, ours_recall,
               baseline_recall, kGoalRecall);
  const bool cli_pass = PrintBench("docket_cli", import.seconds + analyze.seconds, baseline.seconds,
                                   "s", true, kGoalRatio, ours_recall >= kGoalRecall);
  return import_pass && cli_pass ? 0 : 1;
}

}  // namespace
}  // namespace civicdesk::bench

int main() { return civicdesk::bench::Main(); }
