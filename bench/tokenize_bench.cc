// tokenize_1t and tokenize_2t (issue 4): the text engine's in-process MeCab tokenisation
// against Debian's `mecab -Owakati` on the same corpus in the same run. Goals: throughput
// ≥ 0.9× the command single-threaded, and ≥ 1.8× with two threads.
//
// The corpus is the Minato opinions and responses of seed 000 (data/minato), repeated to
// about 16 MiB, one text per line.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "text/tokenizer.h"

namespace civicdesk::bench {
namespace {

constexpr size_t kCorpusBytes = 16u << 20;

std::vector<std::string> CorpusLines() {
  std::ifstream file(std::string(CIVICDESK_SOURCE_DIR) +
                     "/data/minato/consultations/kankyo-kihon-keikaku-soan.txt");
  std::vector<std::string> texts;
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, '\t')) {
      if (cell.size() > 60) texts.push_back(cell);  // opinions and responses, not labels
    }
  }
  std::vector<std::string> lines;
  size_t bytes = 0;
  for (size_t i = 0; bytes < kCorpusBytes && !texts.empty(); ++i) {
    lines.push_back(texts[i % texts.size()]);
    bytes += lines.back().size() + 1;
  }
  return lines;
}

// Seconds to tokenise every line on `threads` threads (lines dealt round-robin).
double TokenizeSeconds(const text::Tokenizer& tokenizer, const std::vector<std::string>& lines,
                       unsigned threads, size_t& tokens) {
  std::atomic<size_t> total{0};
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<std::string_view> surfaces;
      size_t count = 0;
      for (size_t i = t; i < lines.size(); i += threads) {
        tokenizer.Surfaces(lines[i], surfaces);
        count += surfaces.size();
      }
      total += count;
    });
  }
  for (std::thread& worker : workers) worker.join();
  tokens = total;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

int Main() {
  Result<text::Tokenizer*> tokenizer = text::Tokenizer::Shared();
  if (!tokenizer.ok()) {
    std::fprintf(stderr, "tokenize bench: %s\n", tokenizer.status().message().c_str());
    return 2;
  }
  const std::vector<std::string> lines = CorpusLines();
  if (lines.empty()) {
    std::fprintf(stderr, "tokenize bench: no corpus\n");
    return 2;
  }
  TemporaryDirectory directory;
  const std::string corpus = directory.path() + "/corpus.txt";
  double megabytes = 0;
  {
    std::ofstream out(corpus, std::ios::binary);
    for (const std::string& line : lines) {
      out << line << '\n';
      megabytes += (line.size() + 1) / 1048576.0;
    }
  }
  const std::vector<std::string> command = {
      "mecab", "-Owakati", "-d", text::kIpadicUtf8Directory, corpus, "-o", "/dev/null"};
  if (RunProcess(command).exit_code != 0) {
    std::fprintf(stderr, "tokenize bench: `mecab` failed or is missing (apt-get install mecab)\n");
    return 2;
  }
  size_t tokens = 0;
  (void)TokenizeSeconds(**tokenizer, lines, 1, tokens);  // warm the dictionary pages
  bool all_pass = true;
  for (unsigned threads : {1U, 2U}) {
    double best_ours = 1e9, best_baseline = 1e9;
    for (int run = 0; run < 3; ++run) {
      best_baseline = std::min(best_baseline, RunProcess(command).seconds);
      best_ours = std::min(best_ours, TokenizeSeconds(**tokenizer, lines, threads, tokens));
    }
    std::fprintf(stderr, "tokenize_%ut: %.1f MiB, %zu tokens\n", threads, megabytes, tokens);
    all_pass &= PrintBench("tokenize_" + std::to_string(threads) + "t", megabytes / best_ours,
                           megabytes / best_baseline, "MiB/s", false, threads == 1 ? 0.9 : 1.8);
  }
  return all_pass ? 0 : 1;
}

}  // namespace
}  // namespace civicdesk::bench

int main() { return civicdesk::bench::Main(); }
