#ifndef CIVICDESK_BENCH_BENCH_SUPPORT_H_
#define CIVICDESK_BENCH_BENCH_SUPPORT_H_

#include <string>
#include <string_view>
#include <vector>

namespace civicdesk::bench {

// What one child process cost: wall-clock seconds and its peak resident set.
struct ProcessCost {
  double seconds = 0;
  long peak_rss_kib = 0;
  int exit_code = -1;
};

// Runs `argv` as a child (stdout to `stdout_path` unless empty, stderr inherited) and returns its
// wall time and its own peak RSS: the child is forked by civicdesk_bench_spawn, a small process,
// and reaped with wait4 there, so neither this benchmark's memory (which a child forked from it
// would count before its exec) nor another child's (RUSAGE_CHILDREN) is in the figure. A child
// that cannot start exits 127.
ProcessCost RunProcess(const std::vector<std::string>& argv, const std::string& stdout_path = {});

// The best (lowest-time) of `runs` runs, keeping the highest peak RSS seen: repeated runs
// smooth out a noisy machine, and the memory ceiling must hold on every run.
ProcessCost BestOf(int runs, const std::vector<std::string>& argv,
                   const std::string& stdout_path = {});

// Prints the one line every benchmark prints:
//   BENCH <name> ours=<v> baseline=<v> ratio=<r> goal=<op><g> PASS|FAIL
// `lower_is_better` picks the goal operator ("<=" on ours/baseline, else ">=").
// `extra_ok` lets a benchmark fail on a second condition (e.g. a memory ceiling).
bool PrintBench(std::string_view name, double ours, double baseline, std::string_view unit,
                bool lower_is_better, double goal, bool extra_ok = true);

// A fresh temporary directory, removed (with its files) when the object is destroyed.
class TemporaryDirectory {
 public:
  TemporaryDirectory();
  ~TemporaryDirectory();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace civicdesk::bench

#endif  // CIVICDESK_BENCH_BENCH_SUPPORT_H_
