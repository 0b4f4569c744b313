#include "consultation/personal_data_flags.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "consultation/personal_data.h"
#include "consultation/personal_data_digest.h"
#include "consultation/published_text.h"
#include "consultation/search_documents.h"
#include "core/date.h"

namespace civicdesk::consultation {

const char kPersonalDataMigrationSql[] =
    "CREATE TABLE consultation_personal_data (id {{id}}, consultation_id BIGINT NOT NULL"
    " REFERENCES consultation (id), anchor_kind TEXT NOT NULL, anchor_id BIGINT NOT NULL,"
    " start_offset BIGINT NOT NULL, end_offset BIGINT NOT NULL, kind TEXT NOT NULL,"
    " digest TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'open', created_at TEXT NOT NULL,"
    " decided_by TEXT, decided_at TEXT,"
    " UNIQUE (anchor_kind, anchor_id, start_offset, end_offset));"
    "CREATE INDEX consultation_personal_data_state ON consultation_personal_data"
    " (consultation_id, state);"
    "CREATE INDEX consultation_personal_data_digest ON consultation_personal_data (digest, state);"
    "CREATE TABLE consultation_personal_data_scan (anchor_kind TEXT NOT NULL, anchor_id BIGINT"
    " NOT NULL, version BIGINT NOT NULL, PRIMARY KEY (anchor_kind, anchor_id));"
    "CREATE TABLE consultation_personal_data_original (item_id BIGINT NOT NULL PRIMARY KEY"
    " REFERENCES consultation_item (id), text TEXT NOT NULL)";

namespace {

using nlohmann::json;
using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;
using storage::Value;

constexpr size_t kBatch = 500;
constexpr size_t kContextCharacters = 20;
constexpr char kSubmissionAnchor[] = "submission";
constexpr char kItemAnchor[] = "item";

// The text a flag points into: a submission's, or an item's original (no submission).
struct Anchor {
  std::string kind;
  int64_t id = 0;
  int64_t consultation_id = 0;
  std::string text;
};

using AnchorKey = std::pair<std::string, int64_t>;

// Detection results by text within one check: form letters repeat the same text many times.
// Bounded by the bytes of the texts it keeps (kMemoBytes), not by their count: a consultation
// of long opinions must not hold thousands of them.
struct Memo {
  std::unordered_map<std::string, std::vector<PersonalDataFinding>> findings;
  size_t bytes = 0;
};
constexpr size_t kMemoBytes = size_t{2} << 20;

struct StoredFlag {
  int64_t id = 0;
  int64_t consultation_id = 0;
  std::string anchor_kind;
  int64_t anchor_id = 0;
  int64_t start = 0;
  int64_t end = 0;
  std::string kind;
  std::string digest;
  std::string state;
  int64_t item_id = 0;
};

constexpr char kFlagColumns[] =
    "f.id, f.consultation_id, f.anchor_kind, f.anchor_id, f.start_offset, f.end_offset, f.kind,"
    " f.digest, f.state";

StoredFlag FlagFromRow(const std::vector<Value>& row) {
  return {AsInt(row[0]),  AsInt(row[1]),
          AsText(row[2]), AsInt(row[3]),
          AsInt(row[4]),  AsInt(row[5]),
          AsText(row[6]), AsText(row[7]),
          AsText(row[8]), row.size() > 9 ? AsInt(row[9]) : 0};
}

std::string Placeholders(size_t count) {
  std::string list;
  for (size_t i = 0; i < count; ++i) list += i == 0 ? "?" : ", ?";
  return list;
}

Status Run(Connection& connection, std::string_view sql, const std::vector<Value>& params) {
  Result<QueryResult> result = connection.Query(sql, params);
  return result.ok() ? Status::Ok() : result.status();
}

// The findings of each text, in order: texts seen before in this check come from `memo`, the
// others are detected on a few threads at once (MeCab keeps one tagger per thread).
std::vector<std::vector<PersonalDataFinding>> DetectAll(const std::vector<Anchor>& anchors,
                                                        Memo& memo) {
  std::vector<std::vector<PersonalDataFinding>> findings(anchors.size());
  std::vector<size_t> missing;  // the first anchor of each text not in the memo
  std::unordered_map<std::string_view, size_t> first_of;
  for (size_t i = 0; i < anchors.size(); ++i) {
    auto known = memo.findings.find(anchors[i].text);
    if (known != memo.findings.end()) {
      findings[i] = known->second;
    } else if (first_of.emplace(anchors[i].text, i).second) {
      missing.push_back(i);
    }
  }
  const size_t threads = std::min<size_t>(
      {std::max(1u, std::thread::hardware_concurrency()), 4, missing.size() / 64 + 1});
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (size_t k = t; k < missing.size(); k += threads)
        findings[missing[k]] = FindPersonalData(anchors[missing[k]].text);
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (size_t i : missing) {
    const size_t bytes = anchors[i].text.size() + sizeof(PersonalDataFinding) * findings[i].size();
    if (bytes > kMemoBytes / 4) continue;  // one text that would crowd out the others
    if (memo.bytes + bytes > kMemoBytes) {
      memo.findings.clear();
      memo.bytes = 0;
    }
    memo.findings.emplace(anchors[i].text, findings[i]);
    memo.bytes += bytes;
  }
  for (size_t i = 0; i < anchors.size(); ++i) {
    auto first = first_of.find(anchors[i].text);
    if (first != first_of.end() && first->second != i) findings[i] = findings[first->second];
  }
  return findings;
}

Result<std::vector<std::pair<int64_t, int64_t>>> MaskedSpans(Connection& connection,
                                                             const std::string& anchor_kind,
                                                             int64_t anchor_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      connection.Query("SELECT start_offset, end_offset FROM consultation_personal_data WHERE"
                       " anchor_kind = ? AND anchor_id = ? AND state = 'masked' ORDER BY"
                       " start_offset, end_offset DESC",
                       {anchor_kind, anchor_id}));
  std::vector<std::pair<int64_t, int64_t>> spans;
  for (const auto& row : rows.rows) {
    const int64_t start = AsInt(row[0]);
    const int64_t end = AsInt(row[1]);
    if (!spans.empty() && start < spans.back().second) {
      spans.back().second = std::max(spans.back().second, end);  // merge overlaps
    } else {
      spans.emplace_back(start, end);
    }
  }
  return spans;
}

// An item without a submission: its text is its original with the masks; the original is kept
// (consultation_personal_data_original) from the first time it is masked.
Status ReapplyItemMasks(Connection& connection, int64_t item_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      connection.Query("SELECT i.text, o.text FROM consultation_item i LEFT JOIN"
                       " consultation_personal_data_original o ON o.item_id = i.id WHERE i.id = ?",
                       {item_id}));
  if (rows.empty()) return Status::Ok();
  const std::string current = AsText(rows.rows[0][0]);
  std::string original = current;
  if (!storage::IsNull(rows.rows[0][1])) {
    original = AsText(rows.rows[0][1]);
  } else {
    CIVICDESK_RETURN_IF_ERROR(Run(
        connection, "INSERT INTO consultation_personal_data_original (item_id, text) VALUES (?, ?)",
        {item_id, original}));
  }
  CIVICDESK_ASSIGN_OR_RETURN(auto spans, MaskedSpans(connection, kItemAnchor, item_id));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<TextEdit> edits,
                             TextEditsOf(connection, kItemAnchor, item_id));
  const std::string masked = RenderPublishedText(original, 0, spans, edits);
  if (masked == current) return Status::Ok();
  return Run(connection, "UPDATE consultation_item SET text = ? WHERE id = ?", {masked, item_id});
}

Status ReapplyMasks(Connection& connection, const AnchorKey& anchor) {
  return anchor.first == kSubmissionAnchor ? ReapplyPersonalDataMasks(connection, anchor.second)
                                           : ReapplyItemMasks(connection, anchor.second);
}

// Re-indexes the active items showing the anchor's text, after a change committed.
void ReindexAnchors(storage::Database& database, const std::vector<AnchorKey>& anchors) {
  std::vector<int64_t> item_ids;
  for (const auto& [kind, id] : anchors) {
    if (kind == kItemAnchor) {
      item_ids.push_back(id);
      continue;
    }
    Result<QueryResult> items = database.Query(
        "SELECT id FROM consultation_item WHERE submission_id = ? AND active = 1", {id});
    if (!items.ok()) continue;
    for (const auto& row : items->rows) item_ids.push_back(AsInt(row[0]));
  }
  if (!item_ids.empty()) IndexItems(database, item_ids);
}

json DecisionJson(const StoredFlag& flag, std::string_view state) {
  // Position, kind and hash: never the text (issue 25 #4).
  return {{"state", state},
          {"kind", flag.kind},
          {"anchor", flag.anchor_kind + " " + std::to_string(flag.anchor_id)},
          {"start", flag.start},
          {"end", flag.end},
          {"hmac_sha256", flag.digest}};
}

// Records the findings in `anchors`, texts not yet checked by this detector version, in one
// transaction. A finding over a span already flagged (an earlier version) is skipped; one whose
// text was masked before anywhere starts masked. Returns the anchors whose items changed.
Result<std::vector<AnchorKey>> ScanAnchors(storage::Database& database,
                                           const std::vector<Anchor>& anchors, Memo& memo) {
  std::vector<AnchorKey> remasked;
  if (anchors.empty()) return remasked;
  const std::vector<std::vector<PersonalDataFinding>> detected = DetectAll(anchors, memo);
  Status stored = database.Transaction([&](Connection& connection) -> Status {
    remasked.clear();
    const std::string now = NowIso8601Utc();
    std::vector<std::string> keys;  // every consultation's digest key, read once
    for (size_t a = 0; a < anchors.size(); ++a) {
      const Anchor& anchor = anchors[a];
      const std::vector<PersonalDataFinding>& findings = detected[a];
      if (findings.empty()) continue;
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult existing,
          connection.Query("SELECT start_offset, end_offset FROM consultation_personal_data"
                           " WHERE anchor_kind = ? AND anchor_id = ?",
                           {anchor.kind, anchor.id}));
      bool masked_any = false;
      for (const PersonalDataFinding& finding : findings) {
        const auto start = static_cast<int64_t>(finding.start);
        const auto end = static_cast<int64_t>(finding.end);
        const bool overlaps = std::any_of(
            existing.rows.begin(), existing.rows.end(),
            [&](const auto& row) { return AsInt(row[0]) < end && AsInt(row[1]) > start; });
        if (overlaps) continue;
        CIVICDESK_ASSIGN_OR_RETURN(
            std::string digest,
            PersonalDataDigest(connection, anchor.consultation_id, finding.excerpt));
        StoredFlag flag{0,   anchor.consultation_id, anchor.kind,       anchor.id, start,
                        end, finding.kind,           std::move(digest), "open"};
        // Masked before anywhere: the same text's digest under any consultation's key.
        CIVICDESK_ASSIGN_OR_RETURN(std::vector<std::string> digests,
                                   DigestsOfEveryKey(connection, keys, finding.excerpt));
        std::vector<Value> params(digests.begin(), digests.end());
        CIVICDESK_ASSIGN_OR_RETURN(
            QueryResult before,
            connection.Query("SELECT 1 FROM consultation_personal_data WHERE digest IN (" +
                                 Placeholders(params.size()) + ") AND state = 'masked' LIMIT 1",
                             params));
        if (!before.empty()) flag.state = "masked";
        CIVICDESK_ASSIGN_OR_RETURN(
            QueryResult inserted,
            connection.Query(
                "INSERT INTO consultation_personal_data (consultation_id, anchor_kind, anchor_id,"
                " start_offset, end_offset, kind, digest, state, created_at, decided_by,"
                " decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (anchor_kind,"
                " anchor_id, start_offset, end_offset) DO NOTHING RETURNING id",
                {flag.consultation_id, flag.anchor_kind, flag.anchor_id, start, end, flag.kind,
                 flag.digest, flag.state, now,
                 flag.state == "masked" ? Value(std::string("system")) : storage::Null(),
                 flag.state == "masked" ? Value(now) : storage::Null()}));
        if (inserted.empty() || flag.state != "masked") continue;
        flag.id = AsInt(inserted.rows[0][0]);
        masked_any = true;
        json after = DecisionJson(flag, "masked");
        after["reason"] = "masked_before";
        CIVICDESK_RETURN_IF_ERROR(Audit(connection, Actor{}, "mask", "personal_data", flag.id,
                                        json{{"state", "open"}}.dump(), after.dump()));
      }
      if (masked_any) {
        remasked.emplace_back(anchor.kind, anchor.id);
        CIVICDESK_RETURN_IF_ERROR(ReapplyMasks(connection, remasked.back()));
      }
    }
    std::string values;
    std::vector<Value> params;
    for (const Anchor& anchor : anchors) {
      values += values.empty() ? "(?, ?, ?)" : ", (?, ?, ?)";
      params.insert(params.end(), {anchor.kind, anchor.id, int64_t{kPersonalDataDetectorVersion}});
    }
    return Run(connection,
               "INSERT INTO consultation_personal_data_scan (anchor_kind, anchor_id, version)"
               " VALUES " +
                   values +
                   " ON CONFLICT (anchor_kind, anchor_id) DO UPDATE SET version = excluded.version",
               params);
  });
  if (!stored.ok()) return stored;
  return remasked;
}

// Loads the texts of `keys` not yet checked by this detector version.
Result<std::vector<Anchor>> UncheckedAnchors(storage::Database& database,
                                             const std::map<AnchorKey, int64_t>& keys) {
  std::vector<Anchor> anchors;
  for (const char* kind : {kSubmissionAnchor, kItemAnchor}) {
    std::vector<Value> ids;
    for (const auto& [key, consultation_id] : keys) {
      if (key.first == kind) ids.emplace_back(key.second);
    }
    for (size_t from = 0; from < ids.size(); from += kBatch) {
      std::vector<Value> chunk(
          ids.begin() + static_cast<std::ptrdiff_t>(from),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + kBatch)));
      const std::string list = Placeholders(chunk.size());
      std::vector<Value> params = {std::string(kind), int64_t{kPersonalDataDetectorVersion}};
      params.insert(params.end(), chunk.begin(), chunk.end());
      const std::string unchecked =
          " AND NOT EXISTS (SELECT 1 FROM consultation_personal_data_scan x WHERE"
          " x.anchor_kind = ? AND x.anchor_id = ";
      const std::string sql =
          kind == std::string(kSubmissionAnchor)
              ? "SELECT s.id, s.consultation_id, s.text FROM consultation_submission s WHERE 1 = "
                "1" +
                    unchecked + "s.id AND x.version >= ?) AND s.id IN (" + list + ")"
              : "SELECT i.id, i.consultation_id, COALESCE(o.text, i.text) FROM consultation_item i"
                " LEFT JOIN consultation_personal_data_original o ON o.item_id = i.id WHERE 1 = 1" +
                    unchecked + "i.id AND x.version >= ?) AND i.id IN (" + list + ")";
      CIVICDESK_ASSIGN_OR_RETURN(QueryResult rows, database.Query(sql, params));
      for (const auto& row : rows.rows)
        anchors.push_back({kind, AsInt(row[0]), AsInt(row[1]), AsText(row[2])});
    }
  }
  return anchors;
}

// The anchors of `item_ids` (only those in a published consultation with `published_only`).
Result<std::map<AnchorKey, int64_t>> AnchorsOfItems(storage::Database& database,
                                                    const std::vector<int64_t>& item_ids,
                                                    bool published_only) {
  std::map<AnchorKey, int64_t> keys;
  for (size_t from = 0; from < item_ids.size(); from += kBatch) {
    std::vector<Value> params;
    for (size_t i = from; i < std::min(item_ids.size(), from + kBatch); ++i)
      params.emplace_back(item_ids[i]);
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult rows,
        database.Query(
            "SELECT i.id, i.submission_id, i.consultation_id FROM consultation_item i JOIN"
            " consultation c ON c.id = i.consultation_id WHERE i.active = 1" +
                std::string(published_only ? " AND c.state = 'published'" : "") + " AND i.id IN (" +
                Placeholders(params.size()) + ")",
            params));
    for (const auto& row : rows.rows) {
      const bool submission = !storage::IsNull(row[1]);
      keys[{submission ? kSubmissionAnchor : kItemAnchor,
            submission ? AsInt(row[1]) : AsInt(row[0])}] = AsInt(row[2]);
    }
  }
  return keys;
}

Status CheckAnchorsOfItems(storage::Database& database, const std::vector<int64_t>& item_ids,
                           bool published_only) {
  CIVICDESK_ASSIGN_OR_RETURN(auto keys, AnchorsOfItems(database, item_ids, published_only));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Anchor> anchors, UncheckedAnchors(database, keys));
  Memo memo;
  for (size_t from = 0; from < anchors.size(); from += kBatch) {
    std::vector<Anchor> batch(
        anchors.begin() + static_cast<std::ptrdiff_t>(from),
        anchors.begin() + static_cast<std::ptrdiff_t>(std::min(anchors.size(), from + kBatch)));
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<AnchorKey> remasked, ScanAnchors(database, batch, memo));
    ReindexAnchors(database, remasked);
  }
  return Status::Ok();
}

// Where a flag's span is in the item's text, for staff: the excerpt and its context from the
// original.
void Describe(const std::string& original, const StoredFlag& stored, PersonalDataFlag& flag) {
  const auto start = static_cast<size_t>(stored.start);
  const auto end = static_cast<size_t>(stored.end);
  if (start > end || end > original.size()) return;
  flag.excerpt = original.substr(start, end - start);
  size_t from = start;
  for (size_t n = 0; n < kContextCharacters && from > 0; ++n) {
    do --from;
    while (from > 0 && (static_cast<unsigned char>(original[from]) & 0xC0) == 0x80);
  }
  size_t to = end;
  for (size_t n = 0; n < kContextCharacters && to < original.size(); ++n) {
    do ++to;
    while (to < original.size() && (static_cast<unsigned char>(original[to]) & 0xC0) == 0x80);
  }
  flag.before = original.substr(from, start - from);
  flag.after = original.substr(end, to - end);
}

// The flags as staff see them, with their text from the originals.
Result<std::vector<PersonalDataFlag>> Described(storage::Database& database,
                                                const std::vector<StoredFlag>& stored) {
  std::map<AnchorKey, int64_t> keys;
  for (const StoredFlag& flag : stored) keys[{flag.anchor_kind, flag.anchor_id}] = 0;
  std::map<AnchorKey, std::string> originals;
  for (const char* kind : {kSubmissionAnchor, kItemAnchor}) {
    std::vector<Value> ids;
    for (const auto& [key, unused] : keys) {
      if (key.first == kind) ids.emplace_back(key.second);
    }
    for (size_t from = 0; from < ids.size(); from += kBatch) {
      std::vector<Value> chunk(
          ids.begin() + static_cast<std::ptrdiff_t>(from),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + kBatch)));
      const std::string sql =
          kind == std::string(kSubmissionAnchor)
              ? "SELECT id, text FROM consultation_submission WHERE id IN (" +
                    Placeholders(chunk.size()) + ")"
              : "SELECT i.id, COALESCE(o.text, i.text) FROM consultation_item i LEFT JOIN"
                " consultation_personal_data_original o ON o.item_id = i.id WHERE i.id IN (" +
                    Placeholders(chunk.size()) + ")";
      CIVICDESK_ASSIGN_OR_RETURN(QueryResult rows, database.Query(sql, chunk));
      for (const auto& row : rows.rows) originals[{kind, AsInt(row[0])}] = AsText(row[1]);
    }
  }
  std::vector<PersonalDataFlag> flags;
  for (const StoredFlag& stored_flag : stored) {
    PersonalDataFlag flag{stored_flag.id,
                          stored_flag.consultation_id,
                          stored_flag.item_id,
                          stored_flag.kind,
                          stored_flag.state,
                          "",
                          "",
                          ""};
    Describe(originals[{stored_flag.anchor_kind, stored_flag.anchor_id}], stored_flag, flag);
    flags.push_back(std::move(flag));
  }
  return flags;
}

// Sets the state of `flag_ids`, re-derives the texts they touch and audits each, in one
// transaction; then re-indexes. Returns how many changed.
Result<int64_t> Decide(storage::Database& database, const std::vector<int64_t>& flag_ids,
                       const std::string& state, const Actor& actor) {
  std::vector<AnchorKey> touched;
  int64_t changed = 0;
  Status decided = database.Transaction([&](Connection& connection) -> Status {
    touched.clear();
    changed = 0;
    const std::string now = NowIso8601Utc();
    const std::string login = actor.login.empty() ? std::string("system") : actor.login;
    for (int64_t flag_id : flag_ids) {
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult rows,
          connection.Query(std::string("SELECT ") + kFlagColumns +
                               " FROM consultation_personal_data f WHERE f.id = ?",
                           {flag_id}));
      if (rows.empty()) {
        return Status::NotFound("consultation.personal_data_not_found",
                                {{"id", std::to_string(flag_id)}});
      }
      const StoredFlag flag = FlagFromRow(rows.rows[0]);
      if (flag.state == state) continue;
      CIVICDESK_RETURN_IF_ERROR(Run(connection,
                                    "UPDATE consultation_personal_data SET state = ?, decided_by"
                                    " = ?, decided_at = ? WHERE id = ?",
                                    {state, login, now, flag_id}));
      CIVICDESK_RETURN_IF_ERROR(Audit(connection, actor, state == "masked" ? "mask" : "dismiss",
                                      "personal_data", flag_id, json{{"state", flag.state}}.dump(),
                                      DecisionJson(flag, state).dump()));
      ++changed;
      const AnchorKey key{flag.anchor_kind, flag.anchor_id};
      if (std::find(touched.begin(), touched.end(), key) == touched.end()) touched.push_back(key);
    }
    for (const AnchorKey& key : touched) CIVICDESK_RETURN_IF_ERROR(ReapplyMasks(connection, key));
    return Status::Ok();
  });
  if (!decided.ok()) return decided;
  ReindexAnchors(database, touched);
  return changed;
}

// The flags (in `state`, or all when empty) over the active items of a consultation or of one
// item, with the first item showing each.
Result<std::vector<StoredFlag>> FlagsOnItems(storage::Database& database, const std::string& where,
                                             const Value& id, const std::string& state) {
  const std::string state_filter = state.empty() ? "" : " AND f.state = ?";
  std::vector<Value> params = {id};
  if (!state.empty()) params.emplace_back(state);
  const std::string group =
      " GROUP BY f.id, f.consultation_id, f.anchor_kind, f.anchor_id, f.start_offset,"
      " f.end_offset, f.kind, f.digest, f.state";
  const std::string sql =
      std::string("SELECT ") + kFlagColumns +
      ", MIN(i.id) FROM consultation_personal_data f JOIN consultation_item i ON i.active = 1"
      " AND i.submission_id = f.anchor_id AND i.source_start < f.end_offset AND i.source_end >"
      " f.start_offset WHERE f.anchor_kind = 'submission' AND " +
      where + state_filter + group + " UNION ALL SELECT " + kFlagColumns +
      ", MIN(i.id) FROM consultation_personal_data f JOIN consultation_item i ON i.active = 1"
      " AND i.id = f.anchor_id WHERE f.anchor_kind = 'item' AND " +
      where + state_filter + group;
  const std::vector<Value> once = params;
  params.insert(params.end(), once.begin(), once.end());
  CIVICDESK_ASSIGN_OR_RETURN(QueryResult rows, database.Query(sql, params));
  std::vector<StoredFlag> flags;
  for (const auto& row : rows.rows) flags.push_back(FlagFromRow(row));
  std::sort(flags.begin(), flags.end(), [](const StoredFlag& a, const StoredFlag& b) {
    return std::tie(a.item_id, a.start, a.id) < std::tie(b.item_id, b.start, b.id);
  });
  return flags;
}

}  // namespace

Status ReapplyPersonalDataMasks(Connection& connection, int64_t submission_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult submission,
      connection.Query("SELECT text FROM consultation_submission WHERE id = ?", {submission_id}));
  if (submission.empty()) return Status::Ok();
  const std::string original = AsText(submission.rows[0][0]);
  CIVICDESK_ASSIGN_OR_RETURN(auto spans, MaskedSpans(connection, kSubmissionAnchor, submission_id));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<TextEdit> edits,
                             TextEditsOf(connection, kSubmissionAnchor, submission_id));
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult items,
      connection.Query("SELECT id, source_start, source_end, text FROM consultation_item WHERE"
                       " submission_id = ? AND active = 1",
                       {submission_id}));
  for (const auto& row : items.rows) {
    const int64_t start = AsInt(row[1]);
    const int64_t end = AsInt(row[2]);
    if (start < 0 || end < start || end > static_cast<int64_t>(original.size())) continue;
    const std::string current = AsText(row[3]);
    const bool over = std::any_of(spans.begin(), spans.end(), [&](const auto& span) {
      return span.first < end && span.second > start;
    });
    const bool edited = std::any_of(edits.begin(), edits.end(), [&](const TextEdit& edit) {
      return edit.start < end && edit.end > start;
    });
    // Untouched unless a mask or an edit covers it or one was taken away.
    if (!over && !edited && current.find(kPersonalDataMask) == std::string::npos) continue;
    const std::string masked =
        RenderPublishedText(std::string_view(original).substr(static_cast<size_t>(start),
                                                              static_cast<size_t>(end - start)),
                            start, spans, edits);
    if (masked == current) continue;
    CIVICDESK_RETURN_IF_ERROR(Run(connection, "UPDATE consultation_item SET text = ? WHERE id = ?",
                                  {masked, AsInt(row[0])}));
  }
  return Status::Ok();
}

Status CheckPersonalData(storage::Database& database, int64_t consultation_id) {
  Memo memo;
  const int64_t version = kPersonalDataDetectorVersion;
  for (const char* kind : {kSubmissionAnchor, kItemAnchor}) {
    const bool submissions = kind == std::string(kSubmissionAnchor);
    const std::string sql =
        submissions
            ? "SELECT s.id, s.text FROM consultation_submission s WHERE s.consultation_id = ? AND"
              " s.id > ? AND NOT EXISTS (SELECT 1 FROM consultation_personal_data_scan x WHERE"
              " x.anchor_kind = 'submission' AND x.anchor_id = s.id AND x.version >= ?)"
              " ORDER BY s.id LIMIT 500"
            : "SELECT i.id, COALESCE(o.text, i.text) FROM consultation_item i LEFT JOIN"
              " consultation_personal_data_original o ON o.item_id = i.id WHERE"
              " i.consultation_id = ? AND i.id > ? AND i.submission_id IS NULL AND i.active = 1"
              " AND NOT EXISTS (SELECT 1 FROM consultation_personal_data_scan x WHERE"
              " x.anchor_kind = 'item' AND x.anchor_id = i.id AND x.version >= ?)"
              " ORDER BY i.id LIMIT 500";
    for (int64_t after = 0;;) {
      CIVICDESK_ASSIGN_OR_RETURN(QueryResult rows,
                                 database.Query(sql, {consultation_id, after, version}));
      if (rows.empty()) break;
      std::vector<Anchor> anchors;
      for (const auto& row : rows.rows)
        anchors.push_back({kind, AsInt(row[0]), consultation_id, AsText(row[1])});
      after = anchors.back().id;
      CIVICDESK_ASSIGN_OR_RETURN(std::vector<AnchorKey> remasked,
                                 ScanAnchors(database, anchors, memo));
      ReindexAnchors(database, remasked);
    }
  }
  return Status::Ok();
}

Result<std::vector<PersonalDataFlag>> OpenPersonalDataFlags(storage::Database& database,
                                                            int64_t consultation_id) {
  CIVICDESK_RETURN_IF_ERROR(CheckPersonalData(database, consultation_id));
  CIVICDESK_ASSIGN_OR_RETURN(
      std::vector<StoredFlag> stored,
      FlagsOnItems(database, "f.consultation_id = ?", consultation_id, "open"));
  return Described(database, stored);
}

Result<std::map<int64_t, std::vector<std::string>>> OpenPersonalDataKinds(
    storage::Database& database, int64_t consultation_id) {
  CIVICDESK_RETURN_IF_ERROR(CheckPersonalData(database, consultation_id));
  CIVICDESK_ASSIGN_OR_RETURN(
      std::vector<StoredFlag> stored,
      FlagsOnItems(database, "f.consultation_id = ?", consultation_id, "open"));
  std::map<int64_t, std::vector<std::string>> kinds;
  for (const StoredFlag& flag : stored) {
    std::vector<std::string>& of_item = kinds[flag.item_id];
    if (std::find(of_item.begin(), of_item.end(), flag.kind) == of_item.end())
      of_item.push_back(flag.kind);
  }
  return kinds;
}

Result<std::vector<PersonalDataFlag>> PersonalDataFlagsOfItem(storage::Database& database,
                                                              int64_t item_id) {
  CIVICDESK_RETURN_IF_ERROR(CheckAnchorsOfItems(database, {item_id}, false));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<StoredFlag> stored,
                             FlagsOnItems(database, "i.id = ?", item_id, ""));
  return Described(database, stored);
}

Status CheckPublishedItems(storage::Database& database, const std::vector<int64_t>& item_ids) {
  return CheckAnchorsOfItems(database, item_ids, true);
}

Result<std::set<int64_t>> ItemsHeldFromPublic(storage::Connection& connection,
                                              const std::vector<int64_t>& item_ids) {
  std::set<int64_t> held;
  for (size_t from = 0; from < item_ids.size(); from += kBatch) {
    std::vector<Value> params = {int64_t{kPersonalDataDetectorVersion}};
    for (size_t i = from; i < std::min(item_ids.size(), from + kBatch); ++i)
      params.emplace_back(item_ids[i]);
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult rows,
        connection.Query(
            "SELECT i.id FROM consultation_item i WHERE (NOT EXISTS (SELECT 1 FROM"
            " consultation_personal_data_scan x WHERE x.version >= ? AND ((i.submission_id IS NOT"
            " NULL AND x.anchor_kind = 'submission' AND x.anchor_id = i.submission_id) OR"
            " (i.submission_id IS NULL AND x.anchor_kind = 'item' AND x.anchor_id = i.id)))"
            " OR EXISTS (SELECT 1 FROM consultation_personal_data f WHERE f.anchor_kind ="
            " 'submission' AND f.anchor_id = i.submission_id AND f.state = 'open' AND"
            " f.start_offset < i.source_end AND f.end_offset > i.source_start) OR EXISTS"
            " (SELECT 1 FROM consultation_personal_data f WHERE f.anchor_kind = 'item' AND"
            " f.anchor_id = i.id AND f.state = 'open')) AND i.id IN (" +
                Placeholders(params.size() - 1) + ")",
            params));
    for (const auto& row : rows.rows) held.insert(AsInt(row[0]));
  }
  return held;
}

Result<int64_t> PersonalDataFlagConsultation(storage::Database& database, int64_t flag_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query("SELECT consultation_id FROM consultation_personal_data WHERE id = ?",
                     {flag_id}));
  if (rows.empty()) {
    return Status::NotFound("consultation.personal_data_not_found",
                            {{"id", std::to_string(flag_id)}});
  }
  return AsInt(rows.rows[0][0]);
}

Status MaskPersonalDataFlag(storage::Database& database, int64_t flag_id, const Actor& actor) {
  return Decide(database, {flag_id}, "masked", actor).status();
}

Status DismissPersonalDataFlag(storage::Database& database, int64_t flag_id, const Actor& actor) {
  return Decide(database, {flag_id}, "dismissed", actor).status();
}

Result<int64_t> MaskOpenPersonalData(storage::Database& database, int64_t consultation_id,
                                     const Actor& actor) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<PersonalDataFlag> open,
                             OpenPersonalDataFlags(database, consultation_id));
  std::vector<int64_t> ids;
  for (const PersonalDataFlag& flag : open) ids.push_back(flag.id);
  return Decide(database, ids, "masked", actor);
}

Result<int64_t> MaskOpenPersonalDataOfItem(storage::Database& database, int64_t item_id,
                                           const Actor& actor) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<PersonalDataFlag> flags,
                             PersonalDataFlagsOfItem(database, item_id));
  std::vector<int64_t> ids;
  for (const PersonalDataFlag& flag : flags) {
    if (flag.state == "open") ids.push_back(flag.id);
  }
  return Decide(database, ids, "masked", actor);
}

Result<std::vector<std::pair<int64_t, int64_t>>> MaskedSpansOf(Connection& connection,
                                                               const std::string& anchor_kind,
                                                               int64_t anchor_id) {
  return MaskedSpans(connection, anchor_kind, anchor_id);
}

Status ReapplyPublishedText(Connection& connection, const std::string& anchor_kind,
                            int64_t anchor_id) {
  return ReapplyMasks(connection, {anchor_kind, anchor_id});
}

}  // namespace civicdesk::consultation
