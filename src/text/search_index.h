#ifndef CIVICDESK_TEXT_SEARCH_INDEX_H_
#define CIVICDESK_TEXT_SEARCH_INDEX_H_

#include <atomic>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace civicdesk::text {

// What a module hands the index: one searchable text and who may see it.
struct SearchDocument {
  std::string kind;    // "opinion", "response", "plan", ...
  int64_t ref_id = 0;  // the owning module's id
  std::string title;
  std::string body;
  std::string url;
  bool is_public = false;  // shown on the public site
  // Sections ("部/課") whose staff may see a non-public document; admins and publishers see
  // every document.
  std::vector<std::string> sections;
};

// Who is searching.
struct SearchScope {
  enum class Audience { kPublic, kAllStaff, kSection };
  Audience audience = Audience::kPublic;
  std::string section;  // "部/課" for kSection
};

struct SearchHit {
  std::string kind;
  int64_t ref_id = 0;
  std::string title;
  std::string url;
  std::string snippet_html;  // escaped text with <mark>…</mark> around the matches
  double score = 0;
};

struct SearchRequest {
  std::string query;
  std::optional<std::string> kind;
  SearchScope scope;
  size_t limit = 20;
};

// Full-text search built for Japanese, the same on SQLite and PostgreSQL because the index is
// ours: every document's folded text (FoldForMatching) is indexed by character bigrams with
// positions (the last character pairs with an end mark), so any substring can be found — a
// 1-character query (緑) from the lists of the bigrams it starts, a 2-character one (防災)
// from one list, longer ones by intersecting lists and checking that the positions line up. Terms
// separated by spaces must all match; "double quotes" keep a phrase with its spaces. Hits are
// ranked by BM25 over the matched terms.
//
// Documents live in the table text_document, an append-only log (a newer row for the same
// kind and ref_id replaces the older; a row with deleted = 1 removes it). A module writes its
// documents with Write/WriteRemoval inside the transaction of the change that owns them (an
// outbox): the document commits with the change or not at all. Each process keeps the postings
// in memory and catches up with rows written by any process before a search (at most every
// 200 ms, at once after a write of its own), so several app servers can share one PostgreSQL.
//
// Catch-up never skips a row that commits late. Row ids come from a sequence, so on PostgreSQL
// a smaller id can commit after a larger one was read. An id below the highest seen that has
// not been seen is a gap, re-read at every catch-up until its row appears or the gap is known
// final: every writer takes a transaction id before its row id (Write does so), the catch-up
// that finds a gap notes a transaction id taken after the read, and once no transaction older
// than that one is running (the snapshot's xmin) a gap still empty belongs to a transaction that
// rolled back, or to a row deleted since. On SQLite writers are serialised, so ids commit in
// order and a gap is final at once; the code path is the same. Thread-safe.
class SearchIndex {
 public:
  static storage::ModuleMigrations Migrations();

  // The index of `database`, kept with it (Database::Attached): created on first use, destroyed
  // with the database.
  static SearchIndex& For(storage::Database& database);

  explicit SearchIndex(storage::Database& database);
  ~SearchIndex();

  // Adds or replaces documents (by kind and ref_id) inside the caller's open transaction on
  // `connection` (of this index's database): they become searchable when it commits, and are
  // never written when it rolls back. The next search of this process catches up at once.
  Status Write(storage::Connection& connection, const std::vector<SearchDocument>& documents);
  // Removes documents by kind and ref_id inside the caller's transaction; unknown ones are
  // ignored.
  Status WriteRemoval(storage::Connection& connection, std::string_view kind,
                      const std::vector<int64_t>& ref_ids);

  // Write / WriteRemoval in a transaction of their own, then a catch-up.
  Status Put(const std::vector<SearchDocument>& documents);
  Status Remove(std::string_view kind, const std::vector<int64_t>& ref_ids);

  // Reads every row committed since the last catch-up, and the gaps (see above), into memory.
  Status CatchUp();
  // Ids below the highest read that are still awaited (for tests).
  size_t open_gaps();
  // Deletes the log's older versions of every document of `kind` (only the newest row of each
  // kind and ref_id stays): a text changed to take personal data out leaves no copy behind.
  // The index itself is unchanged. Returns how many rows went.
  Result<int64_t> ForgetOlderVersions(std::string_view kind);

  // InvalidArgument naming `q` for an empty, non-UTF-8 or over-long query (200 characters).
  Result<std::vector<SearchHit>> Search(const SearchRequest& request);

  size_t live_documents();
  // The title and body of a live document ("" when absent), for modules that learn from other
  // modules' published texts (classification learns from the plan).
  Result<std::string> DocumentText(std::string_view kind, int64_t ref_id);
  // True when at least one live document of `kind` is indexed.
  bool HasKind(std::string_view kind);
  // Bytes held by the postings (the index size benchmarks compare).
  size_t index_bytes();

 private:
  struct Postings;
  struct Slot;
  Status BeforeRowIds(storage::Connection& connection);
  void IndexRow(int64_t row_id, const std::string& kind, int64_t ref_id, const std::string& title,
                const std::string& body, const std::string& url, bool is_public,
                const std::string& sections, bool deleted);

  storage::Database& database_;
  std::shared_mutex mutex_;
  int64_t last_row_ = 0;
  // Ids below last_row_ not read yet, as ranges: first id → last id and the transaction id
  // noted when the gap was found (0 on SQLite); a gap is final once no transaction older than
  // that one is running.
  struct Gap {
    int64_t last = 0;
    int64_t noted = 0;
  };
  std::map<int64_t, Gap> gaps_;
  std::vector<Slot> slots_;
  // Per slot, compact for the hot loop: alive/public bits, kind id, length in characters.
  std::vector<uint8_t> slot_flags_;
  std::vector<uint8_t> slot_kind_;
  std::vector<uint32_t> slot_length_;
  std::unordered_map<std::string, uint8_t> kind_ids_;
  // The distinct "\n"-separated 部/課 lists documents carry (few), each kept once.
  std::unordered_map<std::string, uint32_t> section_list_ids_;
  std::vector<std::string> section_lists_;
  // (ref_id << 8 | kind id) → its newest row read and the slot it holds (kNoSlot once removed).
  struct KeyState {
    uint32_t slot = 0;
    int64_t row_id = 0;
  };
  std::unordered_map<uint64_t, KeyState> slot_of_key_;
  std::unique_ptr<Postings> postings_;
  size_t live_ = 0;
  uint64_t total_length_ = 0;
  // When this process last read rows other processes wrote (steady clock ticks); searches
  // catch up at most every 200 ms, writes of this process apply at once.
  std::atomic<int64_t> last_catch_up_{std::numeric_limits<int64_t>::min() / 2};
  // Set by Write/WriteRemoval: the next search catches up without waiting for the interval.
  std::atomic<bool> written_{false};
};

// Builds the snippet for `body` around the first match of any of `terms` (folded), escaped for
// HTML with <mark> around each match. About `context` characters either side.
std::string Snippet(std::string_view body, const std::vector<std::string>& folded_terms,
                    size_t context = 40);

// Splits a folded query into terms: runs of non-space characters, or "quoted phrases".
std::vector<std::string> QueryTerms(std::string_view folded_query);

}  // namespace civicdesk::text

#endif  // CIVICDESK_TEXT_SEARCH_INDEX_H_
