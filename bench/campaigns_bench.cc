// campaigns (issue 4): exact duplicates, near duplicates and grouping of 1,000,000 opinions
// shaped like a mass-comment docket, against a Python baseline on Debian's python3-sklearn and
// numpy (bench/campaigns_baseline.py), in the same run on the same file.
// The docket: 7 form letters make up 38% of it (55% exact copies, 45% copies with small edits —
// a few characters changed, sometimes a sentence about the sender added — the planted near
// duplicates), 56% are repeated short comments (12,000 texts, Zipf-like counts), 6% one-off
// opinions. Goals: time ≤ 0.1× the baseline (≥ 10× faster), recall of the planted near
// duplicates ≥ 0.95 and ≥ the baseline's, peak RSS ≤ 4 GiB. Ours also builds the similar-opinion
// groups, which the baseline does not.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/bench_support.h"
#include "bench/docket.h"
#include "bench/japanese_corpus.h"
#include "text/analysis.h"

namespace civicdesk::bench {
namespace {

constexpr long kRssLimitKib = 4L * 1024 * 1024;

// The child run: analyse the docket and write id<TAB>campaign for every campaign member.
int RunOurs(const std::string& corpus_path, const std::string& out_path) {
  // Mapped rather than read: no copy of the docket, and the texts are views into the mapping.
  const int descriptor = open(corpus_path.c_str(), O_RDONLY);
  struct stat info {};
  if (descriptor < 0 || fstat(descriptor, &info) != 0 || info.st_size == 0) {
    std::fprintf(stderr, "campaigns: cannot open %s\n", corpus_path.c_str());
    return 2;
  }
  void* mapping =
      mmap(nullptr, static_cast<size_t>(info.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0);
  close(descriptor);
  if (mapping == MAP_FAILED) {
    std::fprintf(stderr, "campaigns: cannot map %s\n", corpus_path.c_str());
    return 2;
  }
  const std::string_view file(static_cast<const char*>(mapping), static_cast<size_t>(info.st_size));
  std::vector<std::string_view> ids;
  std::vector<text::AnalysisInput> inputs;
  for (size_t start = 0; start < file.size();) {
    size_t end = file.find('\n', start);
    if (end == std::string::npos) end = file.size();
    const std::string_view line(file.data() + start, end - start);
    const size_t first = line.find('\t');
    const size_t second = line.find('\t', first + 1);
    ids.push_back(line.substr(0, first));
    inputs.push_back({line.substr(first + 1, second - first - 1), ""});
    start = end + 1;
  }
  text::AnalysisOptions options;
  const auto started = std::chrono::steady_clock::now();
  std::fprintf(stderr, "campaigns (ours): read %zu lines\n", inputs.size());
  if (std::getenv("CIVICDESK_BENCH_STAGES") != nullptr) {
    options.progress = [started](const char* stage, double) {
      std::fprintf(
          stderr, "  %-9s at %.2f s\n", stage,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    };
  }
  Result<text::Analysis> analysis = text::Analyze(inputs, options);
  if (!analysis.ok()) {
    std::fprintf(stderr, "campaigns: %s\n", analysis.status().message().c_str());
    return 2;
  }
  std::string lines;
  for (size_t c = 0; c < analysis->campaigns.size(); ++c) {
    const std::string campaign = "\t" + std::to_string(c) + "\n";
    for (size_t item : analysis->campaigns[c].items) {
      lines.append(ids[item]);
      lines.append(campaign);
    }
  }
  std::ofstream(out_path, std::ios::binary)
      .write(lines.data(), static_cast<std::streamsize>(lines.size()));
  std::fprintf(stderr, "campaigns (ours): %zu campaigns, %zu groups, %zu distinct texts\n",
               analysis->campaigns.size(), analysis->groups.size(), analysis->unique_texts);
  return 0;
}

int Main(int argc, char** argv) {
  // The two halves on their own, for profiling: --write-docket FILE COUNT, --ours FILE OUT.
  if (argc == 4 && std::strcmp(argv[1], "--ours") == 0) return RunOurs(argv[2], argv[3]);
  if (argc == 4 && std::strcmp(argv[1], "--write-docket") == 0) {
    WriteDocket(argv[2], static_cast<size_t>(std::atoll(argv[3])));
    return 0;
  }
  const char* configured = std::getenv("CIVICDESK_BENCH_ITEMS");
  const size_t count =
      configured == nullptr ? 1000000 : std::max<size_t>(10000, std::atoll(configured));
  TemporaryDirectory directory;
  const std::string corpus = directory.path() + "/docket.tsv";
  std::fprintf(stderr, "campaigns: writing a docket of %zu opinions ...\n", count);
  WriteDocket(corpus, count);
  const std::string ours_out = directory.path() + "/ours.tsv";
  const std::string baseline_out = directory.path() + "/baseline.tsv";
  ProcessCost ours = RunProcess({argv[0], "--ours", corpus, ours_out});
  ProcessCost baseline = RunProcess(
      {"/usr/bin/python3", std::string(CIVICDESK_SOURCE_DIR) + "/bench/campaigns_baseline.py",
       corpus, baseline_out});
  if (ours.exit_code != 0 || baseline.exit_code != 0) {
    std::fprintf(stderr,
                 "campaigns: a run failed (ours %d, baseline %d; the baseline needs "
                 "apt-get install python3-sklearn python3-numpy)\n",
                 ours.exit_code, baseline.exit_code);
    PrintBench("campaigns", ours.seconds, baseline.seconds, "s", true, 0.1, false);
    return 1;
  }
  const double ours_recall = Recall(corpus, ours_out);
  const double baseline_recall = Recall(corpus, baseline_out);
  std::fprintf(stderr,
               "campaigns: recall of planted near duplicates ours %.4f, baseline %.4f (goal >= "
               "0.95 and >= baseline); peak RSS ours %.0f MiB (limit 4096), baseline %.0f MiB\n",
               ours_recall, baseline_recall, ours.peak_rss_kib / 1024.0,
               baseline.peak_rss_kib / 1024.0);
  const bool pass = PrintBench(
      "campaigns", ours.seconds, baseline.seconds, "s", true, 0.1,
      ours_recall >= 0.95 && ours_recall >= baseline_recall && ours.peak_rss_kib <= kRssLimitKib);
  return pass ? 0 : 1;
}

}  // namespace
}  // namespace civicdesk::bench

int main(int argc, char** argv) { return civicdesk::bench::Main(argc, argv); }
