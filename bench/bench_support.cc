#include "bench/bench_support.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace civicdesk::bench {

ProcessCost RunProcess(const std::vector<std::string>& argv, const std::string& stdout_path) {
  ProcessCost cost;
  std::vector<char*> arguments;
  for (const std::string& argument : argv) arguments.push_back(const_cast<char*>(argument.data()));
  arguments.push_back(nullptr);
  const auto started = std::chrono::steady_clock::now();
  pid_t child = fork();
  if (child == 0) {
    if (!stdout_path.empty()) {
      int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out < 0 || dup2(out, STDOUT_FILENO) < 0) _exit(127);
      close(out);
    }
    execvp(arguments[0], arguments.data());
    _exit(127);
  }
  if (child < 0) return cost;
  int status = 0;
  rusage usage{};
  if (wait4(child, &status, 0, &usage) < 0) return cost;
  cost.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  cost.peak_rss_kib = usage.ru_maxrss;
  cost.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
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
