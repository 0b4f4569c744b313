#include "text/search_index.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include "core/date.h"
#include "text/normalize.h"

namespace civicdesk::text {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::Value;

constexpr size_t kMaxQueryCharacters = 200;
constexpr double kBm25K1 = 1.2;
constexpr double kBm25B = 0.75;
constexpr auto kCatchUpInterval = std::chrono::milliseconds(200);
constexpr uint8_t kAlive = 1;
constexpr uint8_t kPublic = 2;
constexpr uint32_t kNoSlot = std::numeric_limits<uint32_t>::max();
// A gap found by a catch-up that failed before it could note a transaction id.
constexpr int64_t kUnnoted = std::numeric_limits<int64_t>::max();
// Gap ranges re-read by one query.
constexpr size_t kGapsPerQuery = 200;
// Pairs with a text's last character; never a character of folded text (a noncharacter).
constexpr UChar32 kEndOfText = 0xFFFF;

std::vector<UChar32> CodePoints(std::string_view utf8) {
  std::vector<UChar32> points;
  points.reserve(utf8.size() / 2);
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  for (int32_t offset = 0; offset < length;) {
    UChar32 c;
    U8_NEXT(bytes, offset, length, c);
    if (c >= 0) points.push_back(c);
  }
  return points;
}

uint64_t BigramKey(UChar32 first, UChar32 second) {
  return (static_cast<uint64_t>(first) << 21) | static_cast<uint64_t>(second);
}

void PutVarint(std::vector<uint8_t>& out, uint32_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

uint32_t GetVarint(const uint8_t*& in);

// Reads a document's header (see IndexRow): advances `slot` and returns the count.
uint32_t NextDocument(const uint8_t*& in, uint32_t& slot) {
  const uint32_t header = GetVarint(in);
  slot += header >> 1;
  return (header & 1) != 0 ? 1 : GetVarint(in);
}

uint32_t GetVarint(const uint8_t*& in) {
  uint32_t value = 0;
  int shift = 0;
  while (*in & 0x80) {
    value |= static_cast<uint32_t>(*in++ & 0x7F) << shift;
    shift += 7;
  }
  return value | (static_cast<uint32_t>(*in++) << shift);
}

void EscapeHtml(std::string_view text, std::string& out) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

// A document's list in one posting: the slot, then (for bigrams) the positions.
struct PostingList {
  std::vector<uint8_t> bytes;
  uint32_t last_slot = 0;
  uint32_t documents = 0;
};

// (slot, occurrences) sorted by slot.
using Matches = std::vector<std::pair<uint32_t, uint32_t>>;

}  // namespace

struct SearchIndex::Postings {
  // first code point → the bigrams it starts (for one-character queries)
  std::unordered_map<uint32_t, std::vector<uint64_t>> bigrams_starting;
  // two code points → [slot delta, count, position deltas...]...
  std::unordered_map<uint64_t, PostingList> bigrams;
  size_t bytes = 0;
};

// What a document's slot keeps beyond the per-slot arrays: the log row it was read from (its
// kind, number, title, url and body are read back from that row for the few hits shown) and the
// sections that may see it when it is not public. Kept small: one per document ever indexed.
struct SearchIndex::Slot {
  int64_t row_id = 0;
  uint32_t sections = 0;  // index into section_lists_
};

storage::ModuleMigrations SearchIndex::Migrations() {
  return {"text",
          {{1, "search documents (append-only log)",
            "CREATE TABLE text_document (id {{id}}, kind TEXT NOT NULL, ref_id BIGINT NOT NULL,"
            " title TEXT NOT NULL, body TEXT NOT NULL, url TEXT NOT NULL, public BIGINT NOT NULL,"
            " sections TEXT NOT NULL, deleted BIGINT NOT NULL, written_at TEXT NOT NULL);"
            "CREATE INDEX text_document_key ON text_document (kind, ref_id)"}}};
}

SearchIndex& SearchIndex::For(storage::Database& database) {
  return database.Attached<SearchIndex>(
      [&database] { return std::make_unique<SearchIndex>(database); });
}

SearchIndex::SearchIndex(storage::Database& database)
    : database_(database), postings_(std::make_unique<Postings>()) {}

SearchIndex::~SearchIndex() = default;

void SearchIndex::IndexRow(int64_t row_id, const std::string& kind, int64_t ref_id,
                           const std::string& title, const std::string& body,
                           const std::string& url, bool is_public, const std::string& sections,
                           bool deleted) {
  last_row_ = std::max(last_row_, row_id);
  const auto kind_entry =
      kind_ids_.try_emplace(kind, static_cast<uint8_t>(std::min<size_t>(kind_ids_.size(), 255)))
          .first;
  // One number per (kind, ref_id): ref_ids are database ids, far below 2^55, and the modules
  // write a handful of kinds, far below 255.
  const uint64_t key = (static_cast<uint64_t>(ref_id) << 8) | kind_entry->second;
  auto [found, first] = slot_of_key_.try_emplace(key, KeyState{kNoSlot, row_id});
  if (!first) {
    // A row that committed late may be older than the one already read: the newer stands.
    if (found->second.row_id > row_id) return;
    found->second.row_id = row_id;
    if (found->second.slot != kNoSlot) {
      const uint32_t old = found->second.slot;
      if ((slot_flags_[old] & kAlive) != 0) {
        slot_flags_[old] = 0;
        --live_;
        total_length_ -= slot_length_[old];
      }
      found->second.slot = kNoSlot;
    }
  }
  if (deleted) return;
  const auto slot = static_cast<uint32_t>(slots_.size());
  const std::vector<UChar32> points = CodePoints(FoldForMatching(title + "\n" + body));
  auto [sections_entry, new_sections] =
      section_list_ids_.try_emplace(sections, static_cast<uint32_t>(section_lists_.size()));
  if (new_sections) section_lists_.push_back(sections);
  slot_flags_.push_back(static_cast<uint8_t>(kAlive | (is_public ? kPublic : 0)));
  slot_kind_.push_back(kind_entry->second);
  slot_length_.push_back(static_cast<uint32_t>(points.size()));
  slots_.push_back({row_id, sections_entry->second});
  found->second.slot = slot;
  ++live_;
  total_length_ += points.size();

  // A document's entry in a list: (slot delta << 1 | occurs once), then the count when it
  // occurs more than once, then the positions as deltas.
  auto start_document = [slot](PostingList& list, uint32_t count) {
    const size_t before = list.bytes.size();
    PutVarint(list.bytes, ((slot - list.last_slot) << 1) | (count == 1 ? 1U : 0U));
    if (count != 1) PutVarint(list.bytes, count);
    list.last_slot = slot;
    ++list.documents;
    return before;
  };
  std::vector<std::pair<uint64_t, uint32_t>> grams;
  grams.reserve(points.size());
  // Every character starts exactly one bigram: the last one pairs with kEndOfText. So a
  // character's occurrences are those of the bigrams it starts, and no unigram lists are kept.
  for (size_t p = 0; p < points.size(); ++p) {
    const UChar32 next = p + 1 < points.size() ? points[p + 1] : kEndOfText;
    grams.emplace_back(BigramKey(points[p], next), static_cast<uint32_t>(p));
  }
  std::sort(grams.begin(), grams.end());
  for (size_t i = 0; i < grams.size();) {
    size_t j = i;
    while (j < grams.size() && grams[j].first == grams[i].first) ++j;
    auto [found, created] = postings_->bigrams.try_emplace(grams[i].first);
    if (created)
      postings_->bigrams_starting[static_cast<uint32_t>(grams[i].first >> 21)].push_back(
          grams[i].first);
    PostingList& list = found->second;
    const size_t before = start_document(list, static_cast<uint32_t>(j - i));
    uint32_t previous = 0;
    for (size_t k = i; k < j; ++k) {
      PutVarint(list.bytes, grams[k].second - previous);
      previous = grams[k].second;
    }
    postings_->bytes += list.bytes.size() - before;
    i = j;
  }
}

Status SearchIndex::CatchUp() {
  const bool postgres = database_.backend() == storage::Backend::kPostgres;
  std::unique_lock lock(mutex_);
  // Cleared before reading: a write committing during the read makes the next search read again.
  written_ = false;
  const int64_t after = last_row_;
  std::map<int64_t, Gap> awaited = gaps_;
  // Transactions older than `horizon` have all finished; on SQLite (one writer at a time, ids
  // committed in order) every gap already read again is final.
  int64_t horizon = std::numeric_limits<int64_t>::max();
  int64_t noted = 0;
  std::vector<int64_t> found_in_gaps;
  std::map<int64_t, Gap> found_gaps;
  auto apply = [this](const std::vector<Value>& row) {
    IndexRow(AsInt(row[0]), AsText(row[1]), AsInt(row[2]), AsText(row[3]), AsText(row[4]),
             AsText(row[5]), AsInt(row[6]) != 0, AsText(row[7]), AsInt(row[8]) != 0);
  };
  constexpr std::string_view kColumns =
      "SELECT id, kind, ref_id, title, body, url, public, sections, deleted FROM text_document ";
  // Runs on a Connection inside a transaction (PostgreSQL: the horizon, the read and the note
  // must follow each other in this order) or on the Database (SQLite: no write lock taken).
  auto read = [&](auto& source) -> Status {
    if (postgres && !awaited.empty()) {
      // Taken before the rows are read: a gap's writer that finished before this point has
      // its row (if it committed) in the read below, which starts later.
      CIVICDESK_ASSIGN_OR_RETURN(
          storage::QueryResult snapshot,
          source.Query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"));
      horizon = AsInt(snapshot.rows[0][0]);
    }
    for (auto gap = awaited.begin(); gap != awaited.end();) {
      std::string sql = std::string(kColumns) + "WHERE ";
      std::vector<Value> params;
      for (size_t n = 0; n < kGapsPerQuery && gap != awaited.end(); ++n, ++gap) {
        sql += n == 0 ? "id BETWEEN ? AND ?" : " OR id BETWEEN ? AND ?";
        params.emplace_back(gap->first);
        params.emplace_back(gap->second.last);
      }
      CIVICDESK_RETURN_IF_ERROR(source.QueryEach(sql, params, [&](const std::vector<Value>& row) {
        found_in_gaps.push_back(AsInt(row[0]));
        apply(row);
        return Status::Ok();
      }));
    }
    int64_t previous = after;
    CIVICDESK_RETURN_IF_ERROR(source.QueryEach(std::string(kColumns) + "WHERE id > ? ORDER BY id",
                                               {after}, [&](const std::vector<Value>& row) {
                                                 const int64_t id = AsInt(row[0]);
                                                 if (id > previous + 1)
                                                   found_gaps[previous + 1] = {id - 1, 0};
                                                 previous = id;
                                                 apply(row);
                                                 return Status::Ok();
                                               }));
    const bool unnoted = std::any_of(awaited.begin(), awaited.end(),
                                     [](const auto& gap) { return gap.second.noted == kUnnoted; });
    if (postgres && (!found_gaps.empty() || unnoted)) {
      // A transaction id taken after the read: every writer of a new gap took its own (before
      // its row id) earlier, so once no transaction older than this one runs, they are done.
      CIVICDESK_ASSIGN_OR_RETURN(storage::QueryResult stamp,
                                 source.Query("SELECT pg_current_xact_id()::text::bigint"));
      noted = AsInt(stamp.rows[0][0]);
    }
    return Status::Ok();
  };
  Status caught =
      postgres
          ? database_.Transaction([&](storage::Connection& connection) { return read(connection); })
          : read(database_);
  if (!caught.ok()) {
    // Rows applied before the failure stay applied (IndexRow keeps the newest); the gaps are
    // those known before, plus any found, so nothing read is lost and nothing awaited forgotten.
    for (auto& [first, gap] : found_gaps) gaps_[first] = {gap.last, kUnnoted};
    return caught;
  }
  // The awaited gaps less the ids found; a gap whose writers have all finished is final.
  std::sort(found_in_gaps.begin(), found_in_gaps.end());
  std::map<int64_t, Gap> still;
  for (const auto& [first, gap] : awaited) {
    if (gap.noted <= horizon) continue;  // its writers have finished: what it holds was read
    const int64_t note = gap.noted == kUnnoted ? noted : gap.noted;
    int64_t from = first;
    for (auto id = std::lower_bound(found_in_gaps.begin(), found_in_gaps.end(), first);
         id != found_in_gaps.end() && *id <= gap.last; ++id) {
      if (*id > from) still[from] = {*id - 1, note};
      from = *id + 1;
    }
    if (from <= gap.last) still[from] = {gap.last, note};
  }
  for (auto& [first, gap] : found_gaps) still[first] = {gap.last, noted};
  gaps_ = std::move(still);
  return Status::Ok();
}

size_t SearchIndex::open_gaps() {
  std::shared_lock lock(mutex_);
  size_t ids = 0;
  for (const auto& [first, gap] : gaps_) ids += static_cast<size_t>(gap.last - first + 1);
  return ids;
}

Status SearchIndex::BeforeRowIds(storage::Connection& connection) {
  if (database_.backend() != storage::Backend::kPostgres) return Status::Ok();
  // The writer's transaction id, taken before its row ids (see CatchUp).
  return connection.Query("SELECT pg_current_xact_id()").status();
}

Status SearchIndex::Write(storage::Connection& connection,
                          const std::vector<SearchDocument>& documents) {
  if (documents.empty()) return Status::Ok();
  CIVICDESK_RETURN_IF_ERROR(BeforeRowIds(connection));
  const std::string now = NowIso8601Utc();
  // Up to kRowsPerInsert documents per statement (an import writes a million), so one statement
  // of each size is prepared and kept; rows keep the documents' order, so ids do too.
  constexpr size_t kRowsPerInsert = 64;
  std::vector<storage::Value> params;
  for (size_t first = 0; first < documents.size(); first += kRowsPerInsert) {
    const size_t count = std::min(kRowsPerInsert, documents.size() - first);
    params.clear();
    params.reserve(count * 8);
    std::string sql =
        "INSERT INTO text_document (kind, ref_id, title, body, url, public, sections, deleted, "
        "written_at) VALUES ";
    for (size_t j = 0; j < count; ++j) {
      const SearchDocument& document = documents[first + j];
      std::string sections;
      for (const std::string& section : document.sections)
        sections.append(sections.empty() ? "" : "\n").append(section);
      sql.append(j > 0 ? ", " : "").append("(?, ?, ?, ?, ?, ?, ?, 0, ?)");
      params.emplace_back(document.kind);
      params.emplace_back(document.ref_id);
      params.emplace_back(document.title);
      params.emplace_back(document.body);
      params.emplace_back(document.url);
      params.emplace_back(int64_t{document.is_public ? 1 : 0});
      params.emplace_back(std::move(sections));
      params.emplace_back(now);
    }
    CIVICDESK_RETURN_IF_ERROR(connection.Query(sql, params).status());
  }
  written_ = true;
  return Status::Ok();
}

Status SearchIndex::WriteRemoval(storage::Connection& connection, std::string_view kind,
                                 const std::vector<int64_t>& ref_ids) {
  if (ref_ids.empty()) return Status::Ok();
  CIVICDESK_RETURN_IF_ERROR(BeforeRowIds(connection));
  const std::string now = NowIso8601Utc();
  for (int64_t ref_id : ref_ids) {
    CIVICDESK_RETURN_IF_ERROR(
        connection
            .Query("INSERT INTO text_document (kind, ref_id, title, body, url, public, sections, "
                   "deleted, written_at) VALUES (?, ?, '', '', '', 0, '', 1, ?)",
                   {std::string(kind), ref_id, now})
            .status());
  }
  written_ = true;
  return Status::Ok();
}

Status SearchIndex::Put(const std::vector<SearchDocument>& documents) {
  CIVICDESK_RETURN_IF_ERROR(database_.Transaction(
      [&](storage::Connection& connection) { return Write(connection, documents); }));
  return CatchUp();
}

Status SearchIndex::Remove(std::string_view kind, const std::vector<int64_t>& ref_ids) {
  CIVICDESK_RETURN_IF_ERROR(database_.Transaction(
      [&](storage::Connection& connection) { return WriteRemoval(connection, kind, ref_ids); }));
  return CatchUp();
}

Result<int64_t> SearchIndex::ForgetOlderVersions(std::string_view kind) {
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult deleted,
      database_.Query("DELETE FROM text_document WHERE kind = ? AND id < (SELECT MAX(d.id) FROM"
                      " text_document d WHERE d.kind = text_document.kind AND d.ref_id ="
                      " text_document.ref_id) RETURNING id",
                      {std::string(kind)}));
  return static_cast<int64_t>(deleted.size());
}

size_t SearchIndex::live_documents() {
  (void)CatchUp();
  std::shared_lock lock(mutex_);
  return live_;
}

Result<std::string> SearchIndex::DocumentText(std::string_view kind, int64_t ref_id) {
  Result<storage::QueryResult> rows = database_.Query(
      "SELECT title, body, deleted FROM text_document WHERE kind = ? AND ref_id = ? ORDER BY id "
      "DESC LIMIT 1",
      {std::string(kind), ref_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty() || AsInt(rows->rows[0][2]) != 0) return std::string();
  return AsText(rows->rows[0][0]) + "\n" + AsText(rows->rows[0][1]);
}

bool SearchIndex::HasKind(std::string_view kind) {
  (void)CatchUp();
  std::shared_lock lock(mutex_);
  auto found = kind_ids_.find(std::string(kind));
  if (found == kind_ids_.end()) return false;
  for (size_t slot = 0; slot < slots_.size(); ++slot)
    if ((slot_flags_[slot] & kAlive) != 0 && slot_kind_[slot] == found->second) return true;
  return false;
}

size_t SearchIndex::index_bytes() {
  std::shared_lock lock(mutex_);
  return postings_->bytes;
}

std::vector<std::string> QueryTerms(std::string_view folded_query) {
  std::vector<std::string> terms;
  for (size_t i = 0; i < folded_query.size();) {
    if (folded_query[i] == ' ') {
      ++i;
      continue;
    }
    if (folded_query[i] == '"') {
      size_t close = folded_query.find('"', i + 1);
      if (close == std::string_view::npos) close = folded_query.size();
      std::string_view phrase = folded_query.substr(i + 1, close - i - 1);
      while (!phrase.empty() && phrase.front() == ' ') phrase.remove_prefix(1);
      while (!phrase.empty() && phrase.back() == ' ') phrase.remove_suffix(1);
      if (!phrase.empty()) terms.emplace_back(phrase);
      i = close + 1;
      continue;
    }
    size_t end = folded_query.find_first_of(" \"", i);
    if (end == std::string_view::npos) end = folded_query.size();
    terms.emplace_back(folded_query.substr(i, end - i));
    i = end;
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

Result<std::vector<SearchHit>> SearchIndex::Search(const SearchRequest& request) {
  Result<std::string> folded = NormalizeInput(request.query, "q");
  if (!folded.ok()) return folded.status();
  if (CodePoints(*folded).size() > kMaxQueryCharacters) {
    return Status::InvalidArgument("text.query_too_long",
                                   {{"max", std::to_string(kMaxQueryCharacters)}}, "q");
  }
  const std::vector<std::string> terms = QueryTerms(*folded);
  if (terms.empty()) return Status::InvalidArgument("text.query_empty", "q");

  const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  if (written_.load() ||
      now - last_catch_up_.load() >
          std::chrono::duration_cast<std::chrono::steady_clock::duration>(kCatchUpInterval)
              .count()) {
    if (Status caught = CatchUp(); !caught.ok()) return caught;
    last_catch_up_ = now;
  }

  std::shared_lock lock(mutex_);
  // Visibility from the compact per-slot arrays; the full Slot is read only for section staff
  // looking at a non-public document.
  int wanted_kind = -1;
  if (request.kind) {
    auto found = kind_ids_.find(*request.kind);
    wanted_kind = found == kind_ids_.end() ? 256 : found->second;
  }
  auto visible = [&](uint32_t index) {
    const uint8_t flags = slot_flags_[index];
    if ((flags & kAlive) == 0) return false;
    if (wanted_kind >= 0 && slot_kind_[index] != wanted_kind) return false;
    switch (request.scope.audience) {
      case SearchScope::Audience::kAllStaff:
        return true;
      case SearchScope::Audience::kPublic:
        return (flags & kPublic) != 0;
      case SearchScope::Audience::kSection: {
        if ((flags & kPublic) != 0) return true;
        const std::string& sections = section_lists_[slots_[index].sections];
        for (size_t start = 0; start <= sections.size();) {
          size_t end = sections.find('\n', start);
          if (end == std::string::npos) end = sections.size();
          if (std::string_view(sections).substr(start, end - start) == request.scope.section)
            return true;
          start = end + 1;
        }
        return false;
      }
    }
    return false;
  };

  // Each term's matching documents with the number of occurrences.
  std::vector<Matches> per_term;
  for (const std::string& term : terms) {
    const std::vector<UChar32> points = CodePoints(term);
    Matches matches;
    if (points.size() == 1) {
      // The union of the lists of every bigram the character starts, occurrences summed.
      auto starting = postings_->bigrams_starting.find(static_cast<uint32_t>(points[0]));
      if (starting != postings_->bigrams_starting.end()) {
        for (uint64_t key : starting->second) {
          const PostingList& list = postings_->bigrams.at(key);
          const uint8_t* in = list.bytes.data();
          const uint8_t* end = in + list.bytes.size();
          uint32_t slot = 0;
          while (in < end) {
            const uint32_t count = NextDocument(in, slot);
            for (uint32_t k = 0; k < count; ++k) (void)GetVarint(in);
            if (visible(slot)) matches.emplace_back(slot, count);
          }
        }
        std::sort(matches.begin(), matches.end());
        size_t kept = 0;
        for (size_t k = 0; k < matches.size(); ++k) {
          if (kept > 0 && matches[kept - 1].first == matches[k].first) {
            matches[kept - 1].second += matches[k].second;
          } else {
            matches[kept++] = matches[k];
          }
        }
        matches.resize(kept);
      }
    } else {
      // The bigram lists of the term, rarest first; candidates are start positions of the
      // term, kept only where every bigram sits at its offset.
      std::vector<std::pair<const PostingList*, uint32_t>> lists;  // list, offset in the term
      bool missing = false;
      for (size_t j = 0; j + 1 < points.size(); ++j) {
        auto found = postings_->bigrams.find(BigramKey(points[j], points[j + 1]));
        if (found == postings_->bigrams.end()) {
          missing = true;
          break;
        }
        lists.emplace_back(&found->second, static_cast<uint32_t>(j));
      }
      if (!missing) {
        std::stable_sort(lists.begin(), lists.end(), [](const auto& a, const auto& b) {
          return a.first->documents < b.first->documents;
        });
        std::vector<std::pair<uint32_t, std::vector<uint32_t>>> candidates;
        {
          const auto& [list, offset] = lists[0];
          const uint8_t* in = list->bytes.data();
          const uint8_t* end = in + list->bytes.size();
          uint32_t slot = 0;
          while (in < end) {
            const uint32_t count = NextDocument(in, slot);
            const bool keep = visible(slot);
            std::vector<uint32_t> starts;
            uint32_t position = 0;
            for (uint32_t k = 0; k < count; ++k) {
              position += GetVarint(in);
              if (keep && position >= offset) starts.push_back(position - offset);
            }
            if (!starts.empty()) candidates.emplace_back(slot, std::move(starts));
          }
        }
        for (size_t l = 1; l < lists.size() && !candidates.empty(); ++l) {
          const auto& [list, offset] = lists[l];
          const uint8_t* in = list->bytes.data();
          const uint8_t* end = in + list->bytes.size();
          uint32_t slot = 0;
          size_t next = 0;
          std::vector<std::pair<uint32_t, std::vector<uint32_t>>> kept;
          std::vector<uint32_t> positions;
          while (in < end && next < candidates.size()) {
            const uint32_t count = NextDocument(in, slot);
            while (next < candidates.size() && candidates[next].first < slot) ++next;
            const bool wanted = next < candidates.size() && candidates[next].first == slot;
            positions.clear();
            uint32_t position = 0;
            for (uint32_t k = 0; k < count; ++k) {
              position += GetVarint(in);
              if (wanted) positions.push_back(position);
            }
            if (!wanted) continue;
            std::vector<uint32_t> starts;
            for (uint32_t start : candidates[next].second) {
              if (std::binary_search(positions.begin(), positions.end(), start + offset))
                starts.push_back(start);
            }
            if (!starts.empty()) kept.emplace_back(slot, std::move(starts));
            ++next;
          }
          candidates.swap(kept);
        }
        for (const auto& [slot, starts] : candidates)
          matches.emplace_back(slot, static_cast<uint32_t>(starts.size()));
      }
    }
    per_term.push_back(std::move(matches));
  }

  // Documents matching every term, scored by BM25.
  std::sort(per_term.begin(), per_term.end(),
            [](const Matches& a, const Matches& b) { return a.size() < b.size(); });
  const double documents = static_cast<double>(std::max<size_t>(live_, 1));
  const double average_length = live_ > 0 ? static_cast<double>(total_length_) / live_ : 1.0;
  std::vector<double> idf;
  for (const Matches& matches : per_term) {
    const double df = static_cast<double>(matches.size());
    idf.push_back(std::log(1.0 + (documents - df + 0.5) / (df + 0.5)));
  }
  auto bm25 = [&](size_t term, uint32_t slot, double tf) {
    const double norm = kBm25K1 * (1 - kBm25B + kBm25B * slot_length_[slot] / average_length);
    return idf[term] * tf * (kBm25K1 + 1) / (tf + norm);
  };
  std::vector<std::pair<double, uint32_t>> scored;
  scored.reserve(per_term[0].size());
  // The rarest term's documents, each looked up in the other terms' lists (cursors only move
  // forward, as every list is sorted by slot).
  std::vector<size_t> cursors(per_term.size(), 0);
  for (const auto& [slot, frequency] : per_term[0]) {
    double score = bm25(0, slot, frequency);
    bool everywhere = true;
    for (size_t t = 1; t < per_term.size(); ++t) {
      const Matches& matches = per_term[t];
      size_t& cursor = cursors[t];
      while (cursor < matches.size() && matches[cursor].first < slot) ++cursor;
      if (cursor == matches.size() || matches[cursor].first != slot) {
        everywhere = false;
        break;
      }
      score += bm25(t, slot, matches[cursor].second);
    }
    if (everywhere) scored.emplace_back(score, slot);
  }
  const size_t limit = std::min(request.limit, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + limit, scored.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  scored.resize(limit);

  std::vector<Value> row_ids;
  std::vector<double> scores;
  for (const auto& [score, slot] : scored) {
    row_ids.emplace_back(slots_[slot].row_id);
    scores.push_back(score);
  }
  lock.unlock();
  std::vector<SearchHit> hits;
  if (row_ids.empty()) return hits;
  // The hits' own words come from the log rows they were indexed from.
  std::string sql = "SELECT id, kind, ref_id, title, url, body FROM text_document WHERE id IN (";
  for (size_t i = 0; i < row_ids.size(); ++i) sql += i == 0 ? "?" : ", ?";
  sql += ")";
  Result<storage::QueryResult> rows = database_.Query(sql, row_ids);
  if (!rows.ok()) return rows.status();
  std::unordered_map<int64_t, size_t> row_of_id;
  for (size_t r = 0; r < rows->rows.size(); ++r) row_of_id[AsInt(rows->rows[r][0])] = r;
  for (size_t i = 0; i < row_ids.size(); ++i) {
    auto found = row_of_id.find(std::get<int64_t>(row_ids[i]));
    if (found == row_of_id.end()) continue;  // replaced and forgotten since it was scored
    const auto& row = rows->rows[found->second];
    hits.push_back({AsText(row[1]), AsInt(row[2]), AsText(row[3]), AsText(row[4]),
                    Snippet(AsText(row[5]), terms), scores[i]});
  }
  return hits;
}

std::string Snippet(std::string_view body, const std::vector<std::string>& folded_terms,
                    size_t context) {
  // Fold the body piece by piece (a character with its combining or voicing marks), keeping
  // where each folded byte came from, so matches found in the folded text map back.
  std::string folded;
  std::vector<size_t> origin;        // folded byte → original byte offset of its piece
  std::vector<size_t> piece_starts;  // original offsets of characters, for the window
  if (FoldForMatching(body) == body) {
    // Folding changes nothing (most Japanese text): offsets map to themselves.
    folded = std::string(body);
    origin.resize(body.size());
    for (size_t i = 0; i < body.size(); ++i) origin[i] = i;
    piece_starts = CharacterBoundaries(body);
    piece_starts.pop_back();
  } else {
    const auto* bytes = reinterpret_cast<const uint8_t*>(body.data());
    const auto length = static_cast<int32_t>(body.size());
    for (int32_t offset = 0; offset < length;) {
      const int32_t start = offset;
      UChar32 c;
      U8_NEXT(bytes, offset, length, c);
      while (offset < length) {
        int32_t peek = offset;
        UChar32 next;
        U8_NEXT(bytes, peek, length, next);
        if (next == 0xFF9E || next == 0xFF9F || (next >= 0 && u_getCombiningClass(next) > 0)) {
          offset = peek;
        } else {
          break;
        }
      }
      piece_starts.push_back(static_cast<size_t>(start));
      std::string_view piece =
          body.substr(static_cast<size_t>(start), static_cast<size_t>(offset - start));
      std::string folded_piece =
          c >= 0 && u_isUWhiteSpace(c) ? std::string(" ") : FoldForMatching(piece);
      if (folded_piece == " " && !folded.empty() && folded.back() == ' ') continue;
      for (size_t k = 0; k < folded_piece.size(); ++k) origin.push_back(static_cast<size_t>(start));
      folded += folded_piece;
    }
  }
  piece_starts.push_back(body.size());
  origin.push_back(body.size());

  auto original_end = [&](size_t folded_end) {
    // The end of the piece holding the last matched byte.
    const size_t last = origin[folded_end - 1];
    auto found = std::upper_bound(piece_starts.begin(), piece_starts.end(), last);
    return found == piece_starts.end() ? body.size() : *found;
  };
  std::vector<std::pair<size_t, size_t>> marks;  // original [start, end)
  for (const std::string& term : folded_terms) {
    if (term.empty()) continue;
    for (size_t at = folded.find(term); at != std::string::npos;
         at = folded.find(term, at + term.size())) {
      marks.emplace_back(origin[at], original_end(at + term.size()));
    }
  }
  std::sort(marks.begin(), marks.end());
  std::vector<std::pair<size_t, size_t>> merged;
  for (const auto& mark : marks) {
    if (!merged.empty() && mark.first < merged.back().second) {
      merged.back().second = std::max(merged.back().second, mark.second);
    } else {
      merged.push_back(mark);
    }
  }
  // The window: `context` characters either side of the first match (or the start).
  auto index_of = [&](size_t offset) {
    return static_cast<size_t>(std::lower_bound(piece_starts.begin(), piece_starts.end(), offset) -
                               piece_starts.begin());
  };
  const size_t pieces = piece_starts.size() - 1;
  size_t first = merged.empty() ? 0 : index_of(merged.front().first);
  size_t window_start = first > context ? first - context : 0;
  size_t last = merged.empty() ? 0 : index_of(merged.front().second);
  size_t window_end = std::min(pieces, std::max(last, first) + context);
  const size_t from = piece_starts[window_start];
  const size_t to = piece_starts[window_end];
  std::string html;
  if (window_start > 0) html += "…";
  size_t cursor = from;
  for (const auto& [start, end] : merged) {
    if (end <= from || start >= to) continue;
    const size_t s = std::max(start, from), e = std::min(end, to);
    EscapeHtml(body.substr(cursor, s - cursor), html);
    html += "<mark>";
    EscapeHtml(body.substr(s, e - s), html);
    html += "</mark>";
    cursor = e;
  }
  EscapeHtml(body.substr(cursor, to - cursor), html);
  if (window_end < pieces) html += "…";
  return html;
}

}  // namespace civicdesk::text
