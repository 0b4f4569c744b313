// Issue 9: facilities_projection (10,000 facilities over 100 years) and facilities_levelling
// (1,000 facilities over 40 years, the heuristic) against the plain-Python implementation of the
// same rules in bench/facilities_baseline.py, on the same registry file, in the same run. Each
// side times its own computation (best of seven; reading the file excluded) and reports a
// checksum, which must agree: the two compute the same thing.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "bench/bench_support.h"
#include "facilities/levelling.h"
#include "facilities/registry_io.h"
#include "facilities/report.h"

namespace civicdesk::bench {
namespace {

using facilities::Facility;

// A deterministic, plausible registry: every category, built 1950–2024, some with a recorded
// renovation, some with their own service life.
void WriteRegistry(const std::string& path, int count) {
  std::ofstream file(path);
  file << "id,name,category,district,floor_area_sqm,year_built,structure,section,works,"
          "rebuild_age,rebuild_yen_per_sqm\n";
  const char* districts[] = {"芝", "麻布", "赤坂", "高輪", "芝浦港南"};
  uint64_t state = 131032;
  auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  for (int i = 0; i < count; ++i) {
    const auto category = facilities::kAllCategories[next(facilities::kCategoryCount)];
    const int built = 1950 + static_cast<int>(next(75));
    const int area = 100 + static_cast<int>(next(20000));
    std::string works;
    if (built + 30 <= 2024 && next(3) == 0) {
      works = std::to_string(built + 28 + static_cast<int>(next(std::min(8, 2024 - built - 27)))) +
              ":大規模改修";
    }
    const std::string rebuild_age = next(10) == 0 ? "70" : "";
    file << "B" << i << ",施設" << i << "," << facilities::CategoryName(category) << ","
         << districts[i % 5] << "," << area << "," << built << ",RC,," << works << ","
         << rebuild_age << ",\n";
  }
}

Result<std::vector<Facility>> Read(const std::string& path) {
  std::ifstream file(path);
  return facilities::ReadFacilitiesCsv(file, 2026);
}

template <typename Work>
double BestOfSeven(Work&& work) {
  double best = 1e300;
  for (int run = 0; run < 7; ++run) {
    const auto began = std::chrono::steady_clock::now();
    work();
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
  }
  return best;
}

int RunOurs(const std::string& mode, const std::string& path, int from, int years) {
  Result<std::vector<Facility>> registry = Read(path);
  if (!registry.ok()) {
    std::fprintf(stderr, "%s\n", registry.status().ToString().c_str());
    return 1;
  }
  const facilities::LifecyclePolicy policy = facilities::SoumuPolicy();
  const facilities::ProjectionOptions options{from, years};
  facilities::GroupedCosts costs;
  facilities::LevellingResult levelled;
  const double seconds = BestOfSeven([&] {
    const auto works = facilities::ScheduleWorks(*registry, policy, options);
    const auto rows = facilities::CostByFacilityAndYear(*registry, works, policy, options);
    if (mode == "projection") {
      costs = facilities::GroupCosts(*registry, rows, facilities::Grouping::kCategory, options);
    } else {
      facilities::LevellingOptions levelling;
      levelling.allow_exact = false;
      levelled = facilities::LevelWorks(works, rows, policy, options, levelling);
    }
  });
  if (mode == "projection") {
    long long checksum = 0;
    for (const auto& series : costs.series) {
      for (size_t y = 0; y < series.size(); ++y)
        checksum += static_cast<long long>(y + 1) * series[y];
    }
    std::printf("%.6f %lld\n", seconds, checksum);
  } else {
    std::printf("%.6f %lld %lld\n", seconds, static_cast<long long>(levelled.peak_before),
                static_cast<long long>(levelled.peak_after));
  }
  return 0;
}

// "seconds checksum..." from a run's output file.
std::vector<std::string> Words(const std::string& path) {
  std::ifstream file(path);
  std::vector<std::string> words;
  for (std::string word; file >> word;) words.push_back(word);
  return words;
}

bool Compare(const char* name, const std::string& self, const std::string& registry, int from,
             int years, double work_units, const std::string& directory) {
  const std::string ours_out = directory + "/" + name + "-ours.txt";
  const std::string baseline_out = directory + "/" + name + "-baseline.txt";
  const std::string mode =
      std::strcmp(name, "facilities_projection") == 0 ? "projection" : "levelling";
  ProcessCost ours = RunProcess(
      {self, "--ours", mode, registry, std::to_string(from), std::to_string(years)}, ours_out);
  ProcessCost baseline = RunProcess(
      {"/usr/bin/python3", std::string(CIVICDESK_SOURCE_DIR) + "/bench/facilities_baseline.py",
       mode, registry, std::to_string(from), std::to_string(years)},
      baseline_out);
  const std::vector<std::string> a = Words(ours_out);
  const std::vector<std::string> b = Words(baseline_out);
  if (ours.exit_code != 0 || baseline.exit_code != 0 || a.size() < 2 || b.size() < 2) {
    std::fprintf(stderr, "%s: a run failed (ours %d, baseline %d)\n", name, ours.exit_code,
                 baseline.exit_code);
    return PrintBench(name, 0, 1, "", false, 50, false);
  }
  bool same = true;
  if (mode == "projection") {
    same = a[1] == b[1];
    std::fprintf(stderr, "%s: checksum ours %s, baseline %s\n", name, a[1].c_str(), b[1].c_str());
  } else {
    // The same peak before; ours levelled at least as flat.
    same = a.size() == 3 && b.size() == 3 && a[1] == b[1] &&
           std::atoll(a[2].c_str()) <= std::atoll(b[2].c_str());
    std::fprintf(stderr, "%s: peak before %s / %s, after ours %s, baseline %s\n", name,
                 a[1].c_str(), b[1].c_str(), a[2].c_str(), b[2].c_str());
  }
  const double ours_seconds = std::atof(a[0].c_str());
  const double baseline_seconds = std::atof(b[0].c_str());
  std::fprintf(stderr, "%s: compute ours %.4f s, baseline %.4f s\n", name, ours_seconds,
               baseline_seconds);
  // Throughput (work per second), so that the ratio reads as "times faster".
  return PrintBench(name, work_units / std::max(ours_seconds, 1e-9),
                    work_units / std::max(baseline_seconds, 1e-9), "per_s", false, 50, same);
}

int Main(int argc, char** argv) {
  if (argc == 6 && std::strcmp(argv[1], "--ours") == 0) {
    return RunOurs(argv[2], argv[3], std::atoi(argv[4]), std::atoi(argv[5]));
  }
  TemporaryDirectory directory;
  const std::string large = directory.path() + "/registry-10000.csv";
  const std::string small = directory.path() + "/registry-1000.csv";
  WriteRegistry(large, 10000);
  WriteRegistry(small, 1000);
  bool pass =
      Compare("facilities_projection", argv[0], large, 2025, 100, 10000.0 * 100, directory.path());
  pass = Compare("facilities_levelling", argv[0], small, 2025, 40, 1, directory.path()) && pass;
  return pass ? 0 : 1;
}

}  // namespace
}  // namespace civicdesk::bench

int main(int argc, char** argv) { return civicdesk::bench::Main(argc, argv); }
