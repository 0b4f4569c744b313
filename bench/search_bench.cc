// search_3char and search_2char (issue 4), on 1,000,000 generated opinions, side by side in
// the same run:
// - search_3char: p95 latency of our index for words of 3+ characters against SQLite FTS5 with
//   the trigram tokenizer (ranked by bm25, with a snippet, 20 hits, as ours); goal ≤ 1.0×, and
//   our postings no larger than the FTS5 index (its data and idx b-trees, from dbstat).
// - search_2char: p95 for words of 1–2 characters, which trigrams cannot index, against
//   PostgreSQL pg_trgm with a GIN index and LIKE '%word%' (all matches found and ordered, 20
//   returned, as ours ranks all matches); goal ≤ 0.1×. Needs CIVICDESK_TEST_POSTGRES_URL,
//   which scripts/bench.sh sets by starting a throwaway cluster.

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "bench/japanese_corpus.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "text/search_index.h"

namespace civicdesk::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kHits = 20;
constexpr int kRounds = 3;

size_t ItemCount() {
  const char* configured = std::getenv("CIVICDESK_BENCH_ITEMS");
  return configured == nullptr ? 1000000 : std::max<size_t>(100, std::atoll(configured));
}

double Milliseconds(Clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

double Percentile95(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return samples[std::min(samples.size() - 1, samples.size() * 95 / 100)];
}

bool Check(int code, sqlite3* db, const char* what) {
  if (code == SQLITE_OK || code == SQLITE_DONE || code == SQLITE_ROW) return true;
  std::fprintf(stderr, "search bench: %s: %s\n", what, sqlite3_errmsg(db));
  return false;
}

int Main() {
  const size_t count = ItemCount();
  std::fprintf(stderr, "search bench: generating %zu opinions ...\n", count);
  const std::vector<CorpusOpinion> opinions = GenerateOpinions(count, 7);
  TemporaryDirectory directory;

  // Ours.
  Result<std::unique_ptr<storage::Database>> database =
      storage::Database::Open("sqlite:" + directory.path() + "/ours.db");
  if (!database.ok() || !storage::Migrate(**database, {text::SearchIndex::Migrations()}).ok()) {
    std::fprintf(stderr, "search bench: cannot open our database\n");
    return 2;
  }
  text::SearchIndex index(**database);
  std::vector<text::SearchDocument> batch;
  for (size_t i = 0; i < count; ++i) {
    batch.push_back({"opinion",
                     static_cast<int64_t>(i + 1),
                     "",
                     opinions[i].text,
                     "/o/" + std::to_string(i + 1),
                     true,
                     {}});
    if (batch.size() == 10000 || i + 1 == count) {
      if (Status put = index.Put(batch); !put.ok()) {
        std::fprintf(stderr, "search bench: %s\n", put.message().c_str());
        return 2;
      }
      batch.clear();
    }
  }

  // SQLite FTS5 trigram.
  sqlite3* fts = nullptr;
  sqlite3_open((directory.path() + "/fts.db").c_str(), &fts);
  if (!Check(sqlite3_exec(fts,
                          "PRAGMA journal_mode=WAL; CREATE VIRTUAL TABLE fts USING fts5(body, "
                          "tokenize='trigram'); BEGIN",
                          nullptr, nullptr, nullptr),
             fts, "create fts5")) {
    return 2;
  }
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(fts, "INSERT INTO fts (rowid, body) VALUES (?, ?)", -1, &insert, nullptr);
  for (size_t i = 0; i < count; ++i) {
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(i + 1));
    sqlite3_bind_text(insert, 2, opinions[i].text.data(), static_cast<int>(opinions[i].text.size()),
                      SQLITE_STATIC);
    sqlite3_step(insert);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  sqlite3_exec(fts, "COMMIT; INSERT INTO fts(fts) VALUES('optimize')", nullptr, nullptr, nullptr);
  sqlite3_stmt* size_query = nullptr;
  sqlite3_prepare_v2(fts, "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('fts_data', 'fts_idx')",
                     -1, &size_query, nullptr);
  double fts_bytes = 0;
  if (sqlite3_step(size_query) == SQLITE_ROW) fts_bytes = sqlite3_column_double(size_query, 0);
  sqlite3_finalize(size_query);
  sqlite3_stmt* fts_search = nullptr;
  if (!Check(sqlite3_prepare_v2(fts,
                                "SELECT rowid, snippet(fts, 0, '<mark>', '</mark>', '…', 16) "
                                "FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 20",
                                -1, &fts_search, nullptr),
             fts, "prepare fts5 query")) {
    return 2;
  }

  auto ours_ms = [&](const std::string& word, size_t& hits) {
    const auto started = Clock::now();
    Result<std::vector<text::SearchHit>> found =
        index.Search({word, std::nullopt, {text::SearchScope::Audience::kPublic, ""}, kHits});
    const double ms = Milliseconds(Clock::now() - started);
    hits = found.ok() ? found->size() : 0;
    return ms;
  };
  bool all_pass = true;

  // search_3char.
  {
    std::vector<double> ours, baseline;
    size_t ours_hits = 0, baseline_hits = 0;
    for (int round = 0; round < kRounds; ++round) {
      for (const std::string& word : LongQueryWords()) {
        size_t hits = 0;
        ours.push_back(ours_ms(word, hits));
        ours_hits += hits;
        const std::string phrase = "\"" + word + "\"";
        const auto started = Clock::now();
        sqlite3_bind_text(fts_search, 1, phrase.data(), static_cast<int>(phrase.size()),
                          SQLITE_TRANSIENT);
        while (sqlite3_step(fts_search) == SQLITE_ROW) ++baseline_hits;
        sqlite3_reset(fts_search);
        baseline.push_back(Milliseconds(Clock::now() - started));
      }
    }
    const double ours_bytes = static_cast<double>(index.index_bytes());
    std::fprintf(stderr,
                 "search_3char: %zu documents, %zu queries; hits ours %zu, fts5 %zu; index "
                 "%.1f MiB vs FTS5 trigram %.1f MiB (ratio %.2f, goal <=1)\n",
                 count, ours.size(), ours_hits, baseline_hits, ours_bytes / 1048576,
                 fts_bytes / 1048576, fts_bytes > 0 ? ours_bytes / fts_bytes : 0);
    all_pass &= PrintBench("search_3char", Percentile95(ours), Percentile95(baseline), "ms", true,
                           1.0, ours_bytes <= fts_bytes && ours_hits == baseline_hits);
  }
  sqlite3_finalize(fts_search);
  sqlite3_close(fts);

  // search_2char.
  const char* postgres_url = std::getenv("CIVICDESK_TEST_POSTGRES_URL");
  if (postgres_url == nullptr) {
    std::fprintf(stderr,
                 "search_2char: CIVICDESK_TEST_POSTGRES_URL is not set "
                 "(scripts/bench.sh starts PostgreSQL)\n");
    PrintBench("search_2char", 0, 0, "ms", true, 0.1, false);
    return 1;
  }
  Result<std::unique_ptr<storage::Database>> postgres = storage::Database::Open(postgres_url);
  if (!postgres.ok()) {
    std::fprintf(stderr, "search_2char: %s\n", postgres.status().message().c_str());
    return 2;
  }
  storage::Database& pg = **postgres;
  if (!pg.Query("DROP TABLE IF EXISTS bench_search_documents").ok() ||
      !pg.Query("CREATE EXTENSION IF NOT EXISTS pg_trgm").ok() ||
      !pg.Query("CREATE TABLE bench_search_documents (id BIGINT PRIMARY KEY, body TEXT NOT NULL)")
           .ok()) {
    std::fprintf(stderr, "search_2char: cannot create the PostgreSQL table\n");
    return 2;
  }
  std::fprintf(stderr, "search_2char: loading PostgreSQL ...\n");
  for (size_t start = 0; start < count; start += 1000) {
    std::string sql = "INSERT INTO bench_search_documents (id, body) VALUES ";
    std::vector<storage::Value> params;
    for (size_t i = start; i < std::min(count, start + 1000); ++i) {
      sql += i == start ? "(?, ?)" : ", (?, ?)";
      params.emplace_back(static_cast<int64_t>(i + 1));
      params.emplace_back(opinions[i].text);
    }
    if (!pg.Query(sql, params).ok()) {
      std::fprintf(stderr, "search_2char: insert failed\n");
      return 2;
    }
  }
  (void)pg.Query(
      "CREATE INDEX bench_search_documents_trgm ON bench_search_documents USING gin (body "
      "gin_trgm_ops)");
  (void)pg.Query("ANALYZE bench_search_documents");
  {
    std::vector<double> ours, baseline;
    size_t ours_hits = 0, baseline_hits = 0;
    for (int round = 0; round < kRounds; ++round) {
      for (const std::string& word : ShortQueryWords()) {
        size_t hits = 0;
        ours.push_back(ours_ms(word, hits));
        ours_hits += hits;
        const auto started = Clock::now();
        Result<storage::QueryResult> rows = pg.Query(
            "SELECT id FROM bench_search_documents WHERE body LIKE ? ORDER BY length(body), id "
            "LIMIT 20",
            {"%" + word + "%"});
        baseline.push_back(Milliseconds(Clock::now() - started));
        if (rows.ok()) baseline_hits += rows->size();
      }
    }
    std::fprintf(stderr, "search_2char: %zu queries; hits ours %zu, pg_trgm %zu\n", ours.size(),
                 ours_hits, baseline_hits);
    all_pass &= PrintBench("search_2char", Percentile95(ours), Percentile95(baseline), "ms", true,
                           0.1, ours_hits == baseline_hits);
  }
  (void)pg.Query("DROP TABLE bench_search_documents");
  return all_pass ? 0 : 1;
}

}  // namespace
}  // namespace civicdesk::bench

int main() { return civicdesk::bench::Main(); }
