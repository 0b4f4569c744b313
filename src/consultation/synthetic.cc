#include "consultation/synthetic.h"

#include <array>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace civicdesk::consultation {
namespace {

using storage::AsInt;
using storage::Connection;
using storage::QueryResult;
using storage::Value;

constexpr std::array<std::string_view, 6> kFields = {"基本目標1", "基本目標2", "基本目標3",
                                                     "基本目標4", "基本目標5", "全般"};
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kSections = {{
    {"環境リサイクル支援部", "環境課"},
    {"環境リサイクル支援部", "みなとリサイクル清掃事務所"},
    {"街づくり支援部", "都市計画課"},
    {"街づくり支援部", "土木課"},
    {"産業・地域振興支援部", "産業振興課"},
    {"企画経営部", "企画課"},
    {"芝地区総合支所", "協働推進課"},
    {"教育委員会事務局", "教育指導担当"},
}};
constexpr std::array<std::string_view, 4> kChannels = {"インターネット", "郵送", "ファックス",
                                                       "持参"};
constexpr std::array<std::string_view, 10> kSubjects = {
    "公園の緑",     "歩道の段差", "ごみの分別", "騒音",           "防災訓練",
    "自転車の駐輪", "街路樹",     "運河の水質", "子どもの遊び場", "省エネルギーの支援"};
constexpr std::array<std::string_view, 8> kOpinions = {
    "について、区としての取組を強化してほしいと考えます。",
    "が以前より悪くなっていると感じます。早急な対策をお願いします。",
    "に関する情報を、もっと分かりやすく発信してください。",
    "について、地域の住民と一緒に考える場を設けてほしいです。",
    "の目標値が低すぎるのではないでしょうか。",
    "は大変良い取組だと思いますので、継続してください。",
    "について、外国人住民にも伝わるよう多言語で案内してほしい。",
    "に関して、事業者への働きかけも必要だと思います。"};
constexpr std::array<std::string_view, 5> kResponses = {
    "いただいたご意見は、計画の推進に当たって参考にさせていただきます。",
    "ご意見の趣旨は、既に計画案に記載しています。", "ご意見を踏まえ、計画案の記載を修正します。",
    "今後の取組の参考とさせていただきます。", "ご意見として承ります。"};

constexpr int64_t kBatch = 500;
constexpr int64_t kResponsesPerConsultation = 1000;

Status Run(Connection& connection, const std::string& sql, const std::vector<Value>& params) {
  Result<QueryResult> result = connection.Query(sql, params);
  return result.ok() ? Status::Ok() : result.status();
}

std::string Placeholders(int64_t rows, int columns) {
  std::string row = "(";
  for (int c = 0; c < columns; ++c) row += c == 0 ? "?" : ", ?";
  row += ")";
  std::string all;
  for (int64_t r = 0; r < rows; ++r) all += (r == 0 ? "" : ", ") + row;
  return all;
}

}  // namespace

Result<int64_t> CreateSyntheticConsultation(storage::Database& database, int64_t item_count,
                                            uint64_t seed) {
  if (item_count <= 0) return Status::InvalidArgument("item_count must be positive", "items");
  const std::string now = NowIso8601Utc();
  int64_t consultation_id = 0;
  int64_t first_response_id = 0;
  Status created = database.Transaction([&](Connection& connection) -> Status {
    Result<QueryResult> inserted = connection.Query(
        "INSERT INTO consultation (kind, title, draft_title, opens_on, closes_on, state, source, "
        "created_at) VALUES ('consultation', ?, ?, '2026-04-01', '2026-05-31', 'open', "
        "'synthetic', ?) RETURNING id",
        {"合成データによる意見募集（" + std::to_string(item_count) + "件）", "計画（案）", now});
    if (!inserted.ok()) return inserted.status();
    consultation_id = AsInt(inserted->rows[0][0]);
    for (size_t i = 0; i < kFields.size(); ++i) {
      if (Status s = Run(connection,
                         "INSERT INTO consultation_field (consultation_id, position, label) "
                         "VALUES (?, ?, ?)",
                         {consultation_id, static_cast<int64_t>(i + 1), std::string(kFields[i])});
          !s.ok()) {
        return s;
      }
    }
    std::vector<Value> params;
    for (int64_t r = 0; r < kResponsesPerConsultation; ++r) {
      params.insert(params.end(), {consultation_id,
                                   std::string(kResponses[r % kResponses.size()]) + "（" +
                                       std::to_string(r + 1) + "）",
                                   now});
    }
    Result<QueryResult> responses = connection.Query(
        "INSERT INTO consultation_response (consultation_id, text, updated_at) VALUES " +
            Placeholders(kResponsesPerConsultation, 3) + " RETURNING id",
        params);
    if (!responses.ok()) return responses.status();
    int64_t low = INT64_MAX, high = 0;
    for (const auto& row : responses->rows) {
      low = std::min(low, AsInt(row[0]));
      high = std::max(high, AsInt(row[0]));
    }
    if (high - low + 1 != kResponsesPerConsultation) {
      return Status::Internal("synthetic responses did not get consecutive ids");
    }
    first_response_id = low;
    return Status::Ok();
  });
  if (!created.ok()) return created;

  // Submissions in batches; each becomes one item through INSERT ... SELECT, so item ids never
  // have to travel back to the client.
  std::mt19937_64 random(seed);
  for (int64_t done = 0; done < item_count;) {
    const int64_t rows = std::min<int64_t>(kBatch * 20, item_count - done);
    Status batch = database.Transaction([&](Connection& connection) -> Status {
      Result<QueryResult> before =
          connection.Query("SELECT COALESCE(MAX(id), 0) FROM consultation_submission");
      if (!before.ok()) return before.status();
      const int64_t after_id = AsInt(before->rows[0][0]);
      for (int64_t offset = 0; offset < rows; offset += kBatch) {
        const int64_t chunk = std::min(kBatch, rows - offset);
        std::vector<Value> params;
        params.reserve(static_cast<size_t>(chunk) * 5);
        for (int64_t r = 0; r < chunk; ++r) {
          const int64_t number = done + offset + r + 1;
          std::string text;
          const int sentences = 1 + static_cast<int>(random() % 3);
          for (int s = 0; s < sentences; ++s) {
            text += kSubjects[random() % kSubjects.size()];
            text += kOpinions[random() % kOpinions.size()];
          }
          params.insert(
              params.end(),
              {consultation_id,
               "SY-" + std::to_string(consultation_id) + "-" + std::to_string(number),
               std::string(kChannels[random() % kChannels.size()]), std::move(text), now});
        }
        if (Status s = Run(connection,
                           "INSERT INTO consultation_submission (consultation_id, receipt, "
                           "channel, text, received_at) VALUES " +
                               Placeholders(chunk, 5),
                           params);
            !s.ok()) {
          return s;
        }
      }
      return Run(connection,
                 "INSERT INTO consultation_item (consultation_id, submission_id, source_start, "
                 "source_end, text, channel, district, status, response_id, group_key, approved, "
                 "created_at) SELECT consultation_id, id, 0, LENGTH(text), text, channel, "
                 "district, 1 + (id % 5), ? + (id % ?), '', 1, received_at FROM "
                 "consultation_submission WHERE consultation_id = ? AND id > ? ORDER BY id",
                 {first_response_id, kResponsesPerConsultation, consultation_id, after_id});
    });
    if (!batch.ok()) return batch;
    done += rows;
  }

  // Fields and sections by residue of the item id: each item gets one field, and one responding
  // section (every seventh item a second one).
  Status routed = database.Transaction([&](Connection& connection) -> Status {
    const int64_t field_count = static_cast<int64_t>(kFields.size());
    for (int64_t f = 0; f < field_count; ++f) {
      if (Status s = Run(connection,
                         "INSERT INTO consultation_item_field (item_id, field_id) SELECT i.id, "
                         "f.id FROM consultation_item i JOIN consultation_field f ON "
                         "f.consultation_id = i.consultation_id AND f.position = ? WHERE "
                         "i.consultation_id = ? AND i.id % ? = ?",
                         {f + 1, consultation_id, field_count, f});
          !s.ok()) {
        return s;
      }
    }
    const int64_t section_count = static_cast<int64_t>(kSections.size());
    for (int64_t s = 0; s < section_count; ++s) {
      const auto& [department, section] = kSections[s];
      if (Status done = Run(
              connection,
              "INSERT INTO consultation_item_section (item_id, position, "
              "department, section) SELECT id, 1, ?, ? FROM consultation_item "
              "WHERE consultation_id = ? AND id % ? = ?",
              {std::string(department), std::string(section), consultation_id, section_count, s});
          !done.ok()) {
        return done;
      }
    }
    return Run(connection,
               "INSERT INTO consultation_item_section (item_id, position, department, section) "
               "SELECT id, 2, ?, ? FROM consultation_item WHERE consultation_id = ? AND id % 7 = 0 "
               "AND id % ? <> 5",
               {std::string(kSections[5].first), std::string(kSections[5].second), consultation_id,
                section_count});
  });
  if (!routed.ok()) return routed;
  return consultation_id;
}

}  // namespace civicdesk::consultation
