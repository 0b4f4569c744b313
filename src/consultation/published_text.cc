#include "consultation/published_text.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "consultation/personal_data.h"
#include "consultation/personal_data_digest.h"
#include "consultation/personal_data_flags.h"
#include "consultation/publishing.h"
#include "consultation/search_documents.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "text/search_index.h"

namespace civicdesk::consultation {

const char kPublishedTextMigrationSql[] =
    "CREATE TABLE consultation_text_edit (id {{id}}, consultation_id BIGINT NOT NULL REFERENCES"
    " consultation (id), anchor_kind TEXT NOT NULL, anchor_id BIGINT NOT NULL, start_offset"
    " BIGINT NOT NULL, end_offset BIGINT NOT NULL, replacement TEXT NOT NULL, digest TEXT NOT"
    " NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE INDEX consultation_text_edit_anchor ON consultation_text_edit (anchor_kind,"
    " anchor_id);"
    "CREATE INDEX consultation_text_edit_consultation ON consultation_text_edit"
    " (consultation_id);"
    "ALTER TABLE consultation ADD COLUMN personal_data_purged_at TEXT";

namespace {

using nlohmann::json;
using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;
using storage::Value;

// Beyond this many differences the change is kept as one edit (the stretch between the first
// and the last difference).
constexpr int kMaxDiffSteps = 1500;

size_t CodePoints(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

// The byte offset of each code point's start, and the text's size last.
std::vector<size_t> Boundaries(std::string_view text) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(text.size());
  return starts;
}

// The code points of `text` as their byte strings' views, for comparison.
std::vector<std::string_view> Units(std::string_view text, const std::vector<size_t>& starts) {
  std::vector<std::string_view> units;
  for (size_t i = 0; i + 1 < starts.size(); ++i)
    units.push_back(text.substr(starts[i], starts[i + 1] - starts[i]));
  return units;
}

// Myers' shortest edit script between a and b: for each step, 'E' (equal), 'D' (a's next
// deleted), 'I' (b's next inserted). Empty optional when it needs more than kMaxDiffSteps.
std::optional<std::string> EditScript(const std::vector<std::string_view>& a,
                                      const std::vector<std::string_view>& b) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int max = n + m;
  std::vector<int> v(2 * static_cast<size_t>(max) + 3, 0);
  const int off = max + 1;
  std::vector<std::vector<int>> trace;
  int found = -1;
  for (int d = 0; d <= max && d <= kMaxDiffSteps && found < 0; ++d) {
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[k - 1 + off] < v[k + 1 + off])) ? v[k + 1 + off]
                                                                       : v[k - 1 + off] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[k + off] = x;
      if (x >= n && y >= m) found = d;
    }
    trace.emplace_back(v.begin() + (off - d), v.begin() + (off + d + 1));
  }
  if (found < 0) return std::nullopt;
  std::string script;
  int x = n;
  int y = m;
  for (int d = found; d > 0; --d) {
    const std::vector<int>& previous = trace[d - 1];
    auto at = [&](int k) { return previous[k + d - 1]; };
    const int k = x - y;
    const bool insertion = k == -d || (k != d && at(k - 1) < at(k + 1));
    const int pk = insertion ? k + 1 : k - 1;
    const int px = at(pk);
    const int py = px - pk;
    const int after_x = insertion ? px : px + 1;
    while (x > after_x) {
      script += 'E';
      --x, --y;
    }
    script += insertion ? 'I' : 'D';
    x = px, y = py;
  }
  while (x > 0) {
    script += 'E';
    --x;
  }
  std::reverse(script.begin(), script.end());
  return script;
}

// The published text's source and the masks and edits over it, read in `connection`.
struct Source {
  int64_t item_id = 0;
  int64_t consultation_id = 0;
  std::string anchor_kind;  // "submission" or "item"
  int64_t anchor_id = 0;
  std::string original;  // the whole original
  int64_t offset = 0;    // the item's piece: [offset, offset + size)
  int64_t size = 0;
  std::string current;  // the item's text column
  bool kept = false;    // an item's original is stored (consultation_personal_data_original)
  std::vector<std::pair<int64_t, int64_t>> masked;
  std::vector<TextEdit> edits;

  std::string_view Piece() const {
    return std::string_view(original).substr(static_cast<size_t>(offset),
                                             static_cast<size_t>(size));
  }
};

Result<Source> LoadSource(Connection& connection, int64_t item_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      connection.Query("SELECT i.consultation_id, i.submission_id, i.source_start, i.source_end,"
                       " i.text, s.text, o.text FROM consultation_item i LEFT JOIN"
                       " consultation_submission s ON s.id = i.submission_id LEFT JOIN"
                       " consultation_personal_data_original o ON o.item_id = i.id WHERE i.id = ?",
                       {item_id}));
  if (rows.empty())
    return Status::NotFound("consultation.item_not_found", {{"id", std::to_string(item_id)}});
  const auto& row = rows.rows[0];
  Source source;
  source.item_id = item_id;
  source.consultation_id = AsInt(row[0]);
  source.current = AsText(row[4]);
  if (!storage::IsNull(row[1]) && !storage::IsNull(row[5])) {
    source.anchor_kind = "submission";
    source.anchor_id = AsInt(row[1]);
    source.original = AsText(row[5]);
    source.offset = AsInt(row[2]);
    source.size = AsInt(row[3]) - source.offset;
    if (source.offset < 0 || source.size < 0 ||
        source.offset + source.size > static_cast<int64_t>(source.original.size())) {
      source.offset = 0;
      source.size = static_cast<int64_t>(source.original.size());
    }
  } else {
    source.anchor_kind = "item";
    source.anchor_id = item_id;
    source.kept = !storage::IsNull(row[6]);
    source.original = source.kept ? AsText(row[6]) : source.current;
    source.size = static_cast<int64_t>(source.original.size());
  }
  CIVICDESK_ASSIGN_OR_RETURN(source.masked,
                             MaskedSpansOf(connection, source.anchor_kind, source.anchor_id));
  CIVICDESK_ASSIGN_OR_RETURN(source.edits,
                             TextEditsOf(connection, source.anchor_kind, source.anchor_id));
  return source;
}

// A changed stretch of the published text and of the edited one.
struct Span {
  size_t pa = 0, pb = 0;  // in the published text
  size_t qa = 0, qb = 0;  // in the edited text
};

// The diff's hunks widened to whole masks and edits (a replacement is changed whole, never in
// part), and insertions to one character of the original, so that each maps to a non-empty
// span of the original.
std::vector<Span> Widen(std::string_view published, const std::vector<Hunk>& hunks,
                        const std::vector<TextSegment>& segments) {
  struct Original {
    size_t pa, pb;
    std::ptrdiff_t delta;  // edited length - published length
  };
  std::vector<Original> originals;
  for (const Hunk& hunk : hunks) {
    originals.push_back({hunk.start, hunk.end,
                         static_cast<std::ptrdiff_t>(hunk.replacement.size()) -
                             static_cast<std::ptrdiff_t>(hunk.end - hunk.start)});
  }
  const std::vector<size_t> starts = Boundaries(published);
  auto zero_width_at = [&](size_t at) {
    return std::any_of(segments.begin(), segments.end(), [&](const TextSegment& s) {
      return !s.copied && s.published_start == at && s.published_end == at;
    });
  };
  std::vector<std::pair<size_t, size_t>> ranges;
  for (const Original& hunk : originals) {
    size_t pa = hunk.pa, pb = hunk.pb;
    for (bool changed = true; changed;) {
      changed = false;
      if (pa == pb && !zero_width_at(pa)) {
        auto at = std::lower_bound(starts.begin(), starts.end(), pa);
        if (pa > 0) {
          pa = *(at - 1);
        } else if (pb < published.size()) {
          pb = *(at + 1);
        }
        changed = pa != pb;
      }
      for (const TextSegment& s : segments) {
        if (s.copied) continue;
        const bool touches = (s.published_start < pb && s.published_end > pa) ||
                             (s.published_start == s.published_end && pa <= s.published_start &&
                              s.published_start <= pb) ||
                             (pa == pb && s.published_start < pa && pa < s.published_end);
        if (!touches) continue;
        if (s.published_start < pa) pa = s.published_start, changed = true;
        if (s.published_end > pb) pb = s.published_end, changed = true;
      }
      for (const Original& other : originals) {
        if (other.pa <= pb && other.pb >= pa) {
          if (other.pa < pa) pa = other.pa, changed = true;
          if (other.pb > pb) pb = other.pb, changed = true;
        }
      }
    }
    ranges.emplace_back(pa, pb);
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<size_t, size_t>> merged;
  for (const auto& range : ranges) {
    if (!merged.empty() && range.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, range.second);
    } else {
      merged.push_back(range);
    }
  }
  std::vector<Span> spans;
  for (const auto& [pa, pb] : merged) {
    std::ptrdiff_t before = 0, inside = 0;
    for (const Original& hunk : originals) {
      if (hunk.pb < pa) {
        before += hunk.delta;
      } else if (hunk.pa >= pa && hunk.pb <= pb) {
        inside += hunk.delta;
      }
    }
    spans.push_back({pa, pb, static_cast<size_t>(static_cast<std::ptrdiff_t>(pa) + before),
                     static_cast<size_t>(static_cast<std::ptrdiff_t>(pb) + before + inside)});
  }
  return spans;
}

// Where a span of the published text starts and ends in the original piece.
std::pair<size_t, size_t> InOriginal(const Span& span, const std::vector<TextSegment>& segments,
                                     size_t piece_size) {
  size_t start = piece_size, end = 0;
  for (const TextSegment& s : segments) {
    if (s.published_end > span.pa ||
        (s.published_start == s.published_end && s.published_start == span.pa)) {
      start = s.copied ? s.original_start + (span.pa - s.published_start) : s.original_start;
      break;
    }
  }
  for (const TextSegment& s : segments) {
    if (s.published_start < span.pb ||
        (s.published_start == s.published_end && s.published_start == span.pb)) {
      end = s.copied ? s.original_start + (span.pb - s.published_start) : s.original_end;
    }
  }
  return {start, std::max(start, end)};
}

json EditAuditJson(const Source& source, int64_t start, int64_t end, std::string_view removed,
                   const std::string& digest) {
  // Position, length and keyed hash of what the original had: never its text (issue 25 #4;
  // personal_data_digest.h).
  return {{"anchor", source.anchor_kind + " " + std::to_string(source.anchor_id)},
          {"start", start},
          {"end", end},
          {"characters", CodePoints(removed)},
          {"hmac_sha256", digest}};
}

Status Run(Connection& connection, std::string_view sql, const std::vector<Value>& params) {
  Result<QueryResult> result = connection.Query(sql, params);
  return result.ok() ? Status::Ok() : result.status();
}

// Same length, so that every stored position still holds: ○ for each three bytes, * for the rest.
std::string Filler(size_t bytes) {
  std::string filler;
  for (size_t i = 0; i < bytes / 3; ++i) filler += "○";
  filler.append(bytes % 3, '*');
  return filler;
}

}  // namespace

std::string RenderPublishedText(std::string_view piece, int64_t offset,
                                const std::vector<std::pair<int64_t, int64_t>>& masked,
                                const std::vector<TextEdit>& edits,
                                std::vector<TextSegment>* segments) {
  const auto size = static_cast<int64_t>(piece.size());
  std::vector<TextEdit> over;
  for (const TextEdit& edit : edits) {
    if (edit.end - offset > 0 && edit.start - offset < size && edit.end > edit.start)
      over.push_back(edit);
  }
  std::sort(over.begin(), over.end(), [](const TextEdit& a, const TextEdit& b) {
    return a.start != b.start ? a.start < b.start : a.id < b.id;
  });
  std::string text;
  auto segment = [&](int64_t from, int64_t to, size_t published_from, bool copied) {
    if (segments)
      segments->push_back({static_cast<size_t>(from), static_cast<size_t>(to), published_from,
                           text.size(), copied});
  };
  int64_t at = 0;
  size_t next_edit = 0, next_mask = 0;
  while (at < size) {
    while (next_edit < over.size() && over[next_edit].end - offset <= at) ++next_edit;
    while (next_mask < masked.size() && masked[next_mask].second - offset <= at) ++next_mask;
    const int64_t edit_start =
        next_edit < over.size() ? std::max<int64_t>(over[next_edit].start - offset, 0) : size;
    if (edit_start <= at) {
      const TextEdit& edit = over[next_edit++];
      const size_t from = text.size();
      if (edit.start >= offset) text += edit.replacement;
      const int64_t to = std::min(edit.end - offset, size);
      segment(at, to, from, false);
      at = to;
      // A masked name the edit replaced all but its honorific or title (山田太郎さん → ○○さん):
      // what is left is shown as written, not masked.
      while (
          next_mask < masked.size() && masked[next_mask].first - offset < at &&
          masked[next_mask].second - offset > at && masked[next_mask].second - offset <= size &&
          IsNameSuffix(piece.substr(static_cast<size_t>(at),
                                    static_cast<size_t>(masked[next_mask].second - offset - at))))
        ++next_mask;
      continue;
    }
    if (next_mask < masked.size() && masked[next_mask].first - offset <= at) {
      const size_t from = text.size();
      text += kPersonalDataMask;
      const int64_t to = std::min(masked[next_mask].second - offset, edit_start);
      segment(at, to, from, false);
      at = to;
      continue;
    }
    int64_t to = edit_start;
    if (next_mask < masked.size()) to = std::min(to, masked[next_mask].first - offset);
    const size_t from = text.size();
    text += piece.substr(static_cast<size_t>(at), static_cast<size_t>(to - at));
    segment(at, to, from, true);
    at = to;
  }
  return text;
}

Result<std::vector<TextEdit>> TextEditsOf(Connection& connection, const std::string& anchor_kind,
                                          int64_t anchor_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      connection.Query("SELECT id, start_offset, end_offset, replacement FROM"
                       " consultation_text_edit WHERE anchor_kind = ? AND anchor_id = ? ORDER BY"
                       " start_offset, id",
                       {anchor_kind, anchor_id}));
  std::vector<TextEdit> edits;
  for (const auto& row : rows.rows)
    edits.push_back({AsInt(row[0]), AsInt(row[1]), AsInt(row[2]), AsText(row[3])});
  return edits;
}

std::vector<Hunk> DiffTexts(std::string_view published, std::string_view edited) {
  const std::vector<size_t> a_starts = Boundaries(published);
  const std::vector<size_t> b_starts = Boundaries(edited);
  const std::vector<std::string_view> a = Units(published, a_starts);
  const std::vector<std::string_view> b = Units(edited, b_starts);
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  const std::vector<std::string_view> a_middle(a.begin() + static_cast<std::ptrdiff_t>(prefix),
                                               a.end() - static_cast<std::ptrdiff_t>(suffix));
  const std::vector<std::string_view> b_middle(b.begin() + static_cast<std::ptrdiff_t>(prefix),
                                               b.end() - static_cast<std::ptrdiff_t>(suffix));
  if (a_middle.empty() && b_middle.empty()) return {};
  std::optional<std::string> script = EditScript(a_middle, b_middle);
  if (!script) {
    script = std::string(a_middle.size(), 'D') + std::string(b_middle.size(), 'I');
  }
  // Code-point ranges of each change: [i0, i1) of a, [j0, j1) of b.
  struct Change {
    size_t i0, i1, j0, j1;
  };
  std::vector<Change> changes;
  size_t i = prefix, j = prefix;
  for (size_t s = 0; s < script->size();) {
    if ((*script)[s] == 'E') {
      ++i, ++j, ++s;
      continue;
    }
    Change change{i, i, j, j};
    while (s < script->size() && (*script)[s] != 'E') {
      if ((*script)[s] == 'D') ++i;
      if ((*script)[s] == 'I') ++j;
      ++s;
    }
    change.i1 = i, change.j1 = j;
    changes.push_back(change);
  }
  std::vector<Hunk> hunks;
  for (const Change& change : changes) {
    const size_t from = b_starts[change.j0], to = b_starts[change.j1];
    hunks.push_back(
        {a_starts[change.i0], a_starts[change.i1], std::string(edited.substr(from, to - from))});
  }
  return hunks;
}

Result<PublishedTextView> GetPublishedText(storage::Database& database, int64_t item_id) {
  PublishedTextView view;
  CIVICDESK_RETURN_IF_ERROR(database.Transaction([&](Connection& connection) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(Source source, LoadSource(connection, item_id));
    std::vector<TextSegment> segments;
    view = {};
    view.original = std::string(source.Piece());
    view.published =
        RenderPublishedText(source.Piece(), source.offset, source.masked, source.edits, &segments);
    for (const TextSegment& s : segments) {
      PublishedTextView::Part part;
      part.changed = !s.copied;
      part.text.published =
          view.published.substr(s.published_start, s.published_end - s.published_start);
      if (!s.copied) {
        part.text.original =
            view.original.substr(s.original_start, s.original_end - s.original_start);
        ++view.changes;
      }
      view.parts.push_back(std::move(part));
    }
    return Status::Ok();
  }));
  return view;
}

namespace {

// The open flags of the source that its edits took out of the published text are decided:
// masked by the edits. A flag is out when edits cover every byte of it, a name's honorific or
// title aside (山田太郎さん → ○○さん), whether one edit did it or several.
Status DecideFlagsEditsTookOut(Connection& connection, const Source& source, int64_t item_id,
                               const Actor& actor) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult edits,
      connection.Query("SELECT start_offset, end_offset FROM consultation_text_edit WHERE"
                       " anchor_kind = ? AND anchor_id = ? AND end_offset > start_offset ORDER BY"
                       " start_offset",
                       {source.anchor_kind, source.anchor_id}));
  std::vector<std::pair<int64_t, int64_t>> covered;  // edits joined where they touch
  for (const auto& edit : edits.rows) {
    const int64_t start = AsInt(edit[0]), end = AsInt(edit[1]);
    if (!covered.empty() && start <= covered.back().second) {
      covered.back().second = std::max(covered.back().second, end);
    } else {
      covered.emplace_back(start, end);
    }
  }
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult open,
      connection.Query("SELECT id, start_offset, end_offset, kind FROM consultation_personal_data"
                       " WHERE anchor_kind = ? AND anchor_id = ? AND state = 'open'",
                       {source.anchor_kind, source.anchor_id}));
  const std::string now = NowIso8601Utc();
  const std::string login = actor.login.empty() ? std::string("system") : actor.login;
  for (const auto& flag : open.rows) {
    const int64_t start = AsInt(flag[1]);
    int64_t end = AsInt(flag[2]);
    if (AsText(flag[3]) == "name" && start >= 0 && start < end &&
        end <= static_cast<int64_t>(source.original.size())) {
      end -= static_cast<int64_t>(NameSuffixBytes(
          std::string_view(source.original)
              .substr(static_cast<size_t>(start), static_cast<size_t>(end - start))));
    }
    const bool out = std::any_of(covered.begin(), covered.end(), [&](const auto& edit) {
      return edit.first <= start && end <= edit.second;
    });
    if (!out) continue;
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult decided,
        connection.Query("UPDATE consultation_personal_data SET state = 'masked', decided_by = ?,"
                         " decided_at = ? WHERE id = ? AND state = 'open' RETURNING id, kind,"
                         " start_offset, end_offset, digest",
                         {login, now, AsInt(flag[0])}));
    for (const auto& row : decided.rows) {
      const json after = {{"state", "masked"},
                          {"kind", AsText(row[1])},
                          {"anchor", source.anchor_kind + " " + std::to_string(source.anchor_id)},
                          {"start", AsInt(row[2])},
                          {"end", AsInt(row[3])},
                          {"hmac_sha256", AsText(row[4])},
                          {"reason", "edited"}};
      CIVICDESK_RETURN_IF_ERROR(Audit(connection, actor, "mask", "personal_data", AsInt(row[0]),
                                      json{{"state", "open"}}.dump(), after.dump()));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ApplyPublishedText(Connection& connection, int64_t item_id, const std::string& text,
                          const Actor& actor, bool* changed) {
  CIVICDESK_ASSIGN_OR_RETURN(Source source, LoadSource(connection, item_id));
  std::vector<TextSegment> segments;
  const std::string published =
      RenderPublishedText(source.Piece(), source.offset, source.masked, source.edits, &segments);
  if (published == text) return Status::Ok();
  if (source.anchor_kind == "item" && !source.kept) {
    CIVICDESK_RETURN_IF_ERROR(Run(
        connection, "INSERT INTO consultation_personal_data_original (item_id, text) VALUES (?, ?)",
        {item_id, source.original}));
  }
  const std::string now = NowIso8601Utc();
  const std::string login = actor.login.empty() ? std::string("system") : actor.login;
  for (const Span& span : Widen(published, DiffTexts(published, text), segments)) {
    auto [start, end] = InOriginal(span, segments, static_cast<size_t>(source.size));
    const int64_t from = source.offset + static_cast<int64_t>(start);
    const int64_t to = source.offset + static_cast<int64_t>(end);
    if (to <= from) continue;
    const std::string removed =
        source.original.substr(static_cast<size_t>(from), static_cast<size_t>(to - from));
    const std::string replacement = text.substr(span.qa, span.qb - span.qa);
    CIVICDESK_ASSIGN_OR_RETURN(std::string digest,
                               PersonalDataDigest(connection, source.consultation_id, removed));
    // The edits it covers are part of it now.
    CIVICDESK_RETURN_IF_ERROR(Run(connection,
                                  "DELETE FROM consultation_text_edit WHERE anchor_kind = ? AND"
                                  " anchor_id = ? AND start_offset >= ? AND end_offset <= ?",
                                  {source.anchor_kind, source.anchor_id, from, to}));
    CIVICDESK_RETURN_IF_ERROR(
        Run(connection,
            "INSERT INTO consultation_text_edit (consultation_id, anchor_kind, anchor_id,"
            " start_offset, end_offset, replacement, digest, created_by, created_at) VALUES (?, ?,"
            " ?, ?, ?, ?, ?, ?, ?)",
            {source.consultation_id, source.anchor_kind, source.anchor_id, from, to, replacement,
             digest, login, now}));
    CIVICDESK_RETURN_IF_ERROR(Audit(connection, actor, "edit_text", "item", item_id,
                                    EditAuditJson(source, from, to, removed, digest).dump(),
                                    json{{"published", replacement}}.dump()));
  }
  CIVICDESK_RETURN_IF_ERROR(DecideFlagsEditsTookOut(connection, source, item_id, actor));
  if (changed != nullptr) *changed = true;
  return ReapplyPublishedText(connection, source.anchor_kind, source.anchor_id);
}

Status SetPublishedText(storage::Database& database, int64_t item_id, const std::string& text,
                        const Actor& actor) {
  if (TrimSpaces(text).empty())
    return Status::InvalidArgument("consultation.published_text_required", "published_text");
  if (text.size() > kMaxPublishedBytes || !IsValidUtf8(text))
    return Status::InvalidArgument("consultation.published_text_invalid", "published_text");
  // Detection first, so that the flags an edit takes out are decided with it.
  CIVICDESK_RETURN_IF_ERROR(PersonalDataFlagsOfItem(database, item_id).status());
  Status applied = database.Transaction([&](Connection& connection) -> Status {
    CIVICDESK_RETURN_IF_ERROR(RefuseIfPublished(connection, item_id));
    bool changed = false;
    CIVICDESK_RETURN_IF_ERROR(ApplyPublishedText(connection, item_id, text, actor, &changed));
    // A changed text is a new text: an approval given to the old one no longer holds, so a
    // publisher reads it again (an edit cannot slip a name back past an approved mask).
    if (!changed) return Status::Ok();
    CIVICDESK_RETURN_IF_ERROR(
        Run(connection, "UPDATE consultation_item SET approved = 0 WHERE id = ?", {item_id}));
    return WriteItemDocuments(database, connection, {item_id});
  });
  return applied;
}

Result<PurgeReport> PurgePersonalData(storage::Database& database, int days,
                                      const std::string& now_utc, const Actor& actor) {
  if (days < 0) return Status::InvalidArgument("consultation.purge_days_invalid", "days");
  CIVICDESK_ASSIGN_OR_RETURN(Date today, ParseIsoDate(now_utc.substr(0, 10)));
  const std::string cutoff =
      FormatIsoDate(Date{std::chrono::sys_days{today} - std::chrono::days(days)});
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult due,
      database.Query("SELECT id FROM consultation WHERE state = 'published' AND published_at IS"
                     " NOT NULL AND personal_data_purged_at IS NULL AND substr(published_at, 1,"
                     " 10) <= ? ORDER BY id",
                     {cutoff}));
  PurgeReport report;
  for (const auto& row : due.rows) {
    const int64_t consultation_id = AsInt(row[0]);
    int spans = 0, contacts = 0;
    CIVICDESK_RETURN_IF_ERROR(database.Transaction([&](Connection& connection) -> Status {
      spans = contacts = 0;
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult stretches,
          connection.Query("SELECT anchor_kind, anchor_id, start_offset, end_offset FROM"
                           " consultation_personal_data WHERE consultation_id = ? AND state ="
                           " 'masked' UNION ALL SELECT anchor_kind, anchor_id, start_offset,"
                           " end_offset FROM consultation_text_edit WHERE consultation_id = ?",
                           {consultation_id, consultation_id}));
      for (const auto& stretch : stretches.rows) {
        const std::string kind = AsText(stretch[0]);
        const int64_t anchor = AsInt(stretch[1]);
        const bool submission = kind == "submission";
        CIVICDESK_ASSIGN_OR_RETURN(
            QueryResult original,
            connection.Query(submission
                                 ? "SELECT text FROM consultation_submission WHERE id = ?"
                                 : "SELECT text FROM consultation_personal_data_original WHERE"
                                   " item_id = ?",
                             {anchor}));
        if (original.empty()) continue;
        std::string text = AsText(original.rows[0][0]);
        const int64_t start = AsInt(stretch[2]), end = AsInt(stretch[3]);
        if (start < 0 || end <= start || end > static_cast<int64_t>(text.size())) continue;
        const std::string filler = Filler(static_cast<size_t>(end - start));
        if (text.compare(static_cast<size_t>(start), filler.size(), filler) == 0) continue;
        text.replace(static_cast<size_t>(start), filler.size(), filler);
        CIVICDESK_RETURN_IF_ERROR(
            Run(connection,
                submission ? "UPDATE consultation_submission SET text = ? WHERE id = ?"
                           : "UPDATE consultation_personal_data_original SET text = ? WHERE"
                             " item_id = ?",
                {text, anchor}));
        ++spans;
      }
      // Items a split or merge replaced still hold the citizen's words as they came, masks
      // and edits not applied: after publication nothing reads them, so they are emptied.
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult replaced,
          connection.Query("UPDATE consultation_item SET text = '' WHERE consultation_id = ? AND"
                           " active = 0 AND text <> '' RETURNING id",
                           {consultation_id}));
      spans += static_cast<int>(replaced.size());
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult cleared,
          connection.Query("UPDATE consultation_submission SET contact_name = '', contact_email"
                           " = '', contact_phone = '', contact_address = '' WHERE consultation_id"
                           " = ? AND (contact_name <> '' OR contact_email <> '' OR contact_phone"
                           " <> '' OR contact_address <> '') RETURNING id",
                           {consultation_id}));
      contacts = static_cast<int>(cleared.size());
      CIVICDESK_RETURN_IF_ERROR(
          Run(connection, "UPDATE consultation SET personal_data_purged_at = ? WHERE id = ?",
              {now_utc, consultation_id}));
      // The key of the digests in the flags, the edits and the audit: without it they link to
      // no text any more (personal_data_digest.h).
      CIVICDESK_RETURN_IF_ERROR(ForgetDigestKey(connection, consultation_id));
      return Audit(connection, actor, "purge_personal_data", "consultation", consultation_id, "",
                   json{{"days", days}, {"spans", spans}, {"contacts", contacts}}.dump());
    }));
    ++report.consultations;
    report.spans += spans;
    report.contacts += contacts;
  }
  // The search log's earlier versions of opinions held their text before it was masked.
  if (report.consultations > 0) {
    CIVICDESK_RETURN_IF_ERROR(
        text::SearchIndex::For(database).ForgetOlderVersions("opinion").status());
  }
  return report;
}

}  // namespace civicdesk::consultation
