// civicdesk_bench_spawn RESULT_FD STDOUT_PATH PROGRAM [ARGUMENT...]
//
// Runs PROGRAM as its own child and writes "<exit code> <seconds> <peak RSS KiB>\n" to the
// descriptor RESULT_FD (bench_support.cc's RunProcess reads it). A process's peak RSS counts the
// memory it had before exec: a child forked straight from a benchmark that holds a million
// generated opinions reports the benchmark's size, whatever it runs. This program is small when
// it forks, so the figure wait4 gives for its child is that child's own. STDOUT_PATH "-" keeps
// standard output as it is.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: civicdesk_bench_spawn RESULT_FD STDOUT_PATH PROGRAM [ARG...]\n");
    return 2;
  }
  const int result_fd = std::atoi(argv[1]);
  const char* stdout_path = argv[2];
  const auto started = std::chrono::steady_clock::now();
  const pid_t child = fork();
  if (child == 0) {
    close(result_fd);
    if (std::strcmp(stdout_path, "-") != 0) {
      const int out = open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out < 0 || dup2(out, STDOUT_FILENO) < 0) _exit(127);
      close(out);
    }
    execvp(argv[3], argv + 3);
    _exit(127);
  }
  int exit_code = 127;
  long peak_rss_kib = 0;
  if (child > 0) {
    int status = 0;
    rusage usage{};
    if (wait4(child, &status, 0, &usage) == child) {
      exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      peak_rss_kib = usage.ru_maxrss;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char line[96];
  const int length =
      std::snprintf(line, sizeof(line), "%d %.6f %ld\n", exit_code, seconds, peak_rss_kib);
  if (write(result_fd, line, static_cast<size_t>(length)) != length) return 2;
  return 0;
}
