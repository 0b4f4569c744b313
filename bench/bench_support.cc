#include "bench/bench_support.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace civicdesk::bench {

ProcessCost RunProcess(const std::vector<std::string>& argv, const std::string& stdout_path) {
  // Through civicdesk_bench_spawn (bench_spawn.cc), which forks the program from a small
  // process: a child forked from this one would count this benchmark's memory as its own peak.
  ProcessCost cost;
  int result[2];
  if (pipe(result) != 0) return cost;
  const std::string result_fd = std::to_string(result[1]);
  std::vector<std::string> spawn = {CIVICDESK_BENCH_SPAWN, result_fd,
                                    stdout_path.empty() ? "-" : stdout_path};
  spawn.insert(spawn.end(), argv.begin(), argv.end());
  std::vector<char*> arguments;
  for (std::string& argument : spawn) arguments.push_back(argument.data());
  arguments.push_back(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    close(result[0]);
    execv(arguments[0], arguments.data());
    _exit(127);
  }
  close(result[1]);
  std::string report;
  char buffer[128];
  for (ssize_t got; (got = read(result[0], buffer, sizeof(buffer))) != 0;) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) break;
    report.append(buffer, static_cast<size_t>(got));
  }
  close(result[0]);
  if (child < 0) return cost;
  int status = 0;
  if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      std::sscanf(report.c_str(), "%d %lf %ld", &cost.exit_code, &cost.seconds,
                  &cost.peak_rss_kib) != 3) {
    std::fprintf(stderr, "bench: %s did not report on %s\n", CIVICDESK_BENCH_SPAWN,
                 argv.empty() ? "" : argv[0].c_str());
    return ProcessCost{};
  }
  return cost;
}

ProcessCost BestOf(int runs, const std::vector<std::string>& argv, const std::string& stdout_path) {
  ProcessCost best;
  long peak = 0;
  for (int run = 0; run < runs; ++run) {
    ProcessCost cost = RunProcess(argv, stdout_path);
    if (cost.exit_code != 0) return cost;
    peak = std::max(peak, cost.peak_rss_kib);
    if (run == 0 || cost.seconds < best.seconds) best = cost;
  }
  best.peak_rss_kib = peak;
  return best;
}

bool PrintBench(std::string_view name, double ours, double baseline, std::string_view unit,
                bool lower_is_better, double goal, bool extra_ok) {
  const double ratio = baseline > 0 ? ours / baseline : 0;
  const bool pass = extra_ok && ratio > 0 && (lower_is_better ? ratio <= goal : ratio >= goal);
  std::printf("BENCH %.*s ours=%.3f%.*s baseline=%.3f%.*s ratio=%.2f goal=%s%g %s\n",
              static_cast<int>(name.size()), name.data(), ours, static_cast<int>(unit.size()),
              unit.data(), baseline, static_cast<int>(unit.size()), unit.data(), ratio,
              lower_is_better ? "<=" : ">=", goal, pass ? "PASS" : "FAIL");
  std::fflush(stdout);
  return pass;
}

TemporaryDirectory::TemporaryDirectory() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "civicdesk-bench-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    std::exit(2);
  }
  path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace civicdesk::bench
