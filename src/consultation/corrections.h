#ifndef CIVICDESK_CONSULTATION_CORRECTIONS_H_
#define CIVICDESK_CONSULTATION_CORRECTIONS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/result.h"
#include "storage/database.h"

// Corrections (訂正) of a published result (issue 17 #1). A published item is frozen
// (publishing.h): staff who change it request a correction with its reason; nothing published
// changes until a publisher or admin approves it, as an answer is approved. Approval applies it
// to the item and republishes: the result page, every download (a 訂正履歴 column), the PDF,
// the open-data dataset and search show the corrected row with its 訂正履歴 (date in 和暦 with
// the Western year, what changed, the reason). The audit trail keeps both versions.
// Table consultation_correction.
namespace civicdesk::consultation {

// The cells of a published row that a correction may change.
struct CorrectedCells {
  std::string fields;         // 主な該当分野, as published
  std::string departments;    // 部 (several joined by "/")
  std::string sections;       // 課
  std::string response;       // 区の考え方
  std::optional<int> status;  // 対応状況
  // 区民意見 as the correction publishes it, "" when it leaves the opinion alone. The text
  // before is never kept: it may be what the correction takes out (a name published).
  std::string opinion;
};

struct Correction {
  int64_t id = 0;
  int64_t consultation_id = 0;
  int64_t item_id = 0;
  std::string state;  // pending, approved, rejected, superseded (by a later request)
  std::string reason;
  std::string requested_login;
  std::string requested_at;  // UTC instants, as stored
  std::string decided_login;
  std::string decided_at;
  CorrectedCells before;  // as published (for an approved one: just before it was applied)
  CorrectedCells after;   // as requested (for an approved one: as republished)
  // What it changes, in column order: "fields", "opinion", "sections", "response", "status".
  std::vector<std::string> changed;
};

// Approved notes of a published table by item id, each row's in order, joined by
// kCorrectionSeparator: what PublishedRow::corrections carries.
using CorrectionNotes = std::map<int64_t, std::string>;
inline constexpr std::string_view kCorrectionSeparator = "／";

// Requests a correction of an item of a published result: `change` (as UpdateItem takes it,
// checked as UpdateItem checks it) with its reason, pending until approved; only what differs
// from the published row is kept. A pending request of the same item is superseded. Audited.
// InvalidArgument naming correction_reason (missing, too long), correction (nothing
// differs) or response (a blank response: a published opinion keeps its answer); Conflict
// consultation.correction_not_published for an item not in a published result (it is saved as
// usual).
Result<int64_t> RequestCorrection(storage::Database& database, int64_t item_id,
                                  const ItemUpdate& change, const std::string& reason,
                                  const Actor& actor);

// Applies a pending correction to its item (the item stays approved) and republishes it, in
// one transaction with the correction's state and the audit of both versions. Conflict
// consultation.correction_decided when it is no longer pending.
Status ApproveCorrection(storage::Database& database, int64_t correction_id, const Actor& actor);

// Refuses a pending correction: nothing published changes. Audited.
Status RejectCorrection(storage::Database& database, int64_t correction_id, const Actor& actor);

// NotFound consultation.correction_not_found.
Result<Correction> GetCorrection(storage::Database& database, int64_t correction_id);

// A consultation's corrections (`state` "" for all), oldest first.
Result<std::vector<Correction>> ListCorrections(storage::Database& database,
                                                int64_t consultation_id,
                                                std::string_view state = "");

// One item's corrections, oldest first.
Result<std::vector<Correction>> ItemCorrections(storage::Database& database, int64_t item_id);

// The 訂正履歴 of a consultation's approved corrections, by item.
Result<CorrectionNotes> ApprovedCorrectionNotes(storage::Database& database,
                                                int64_t consultation_id);

// True once a correction of the consultation was approved: its table then carries 訂正履歴.
Result<bool> HasApprovedCorrections(storage::Database& database, int64_t consultation_id);

// When the last correction was approved (a UTC instant), "" when none: the result's
// modification date.
Result<std::string> LastCorrectionAt(storage::Database& database, int64_t consultation_id);

// An approved correction as the published document states it (in Japanese, as the document):
// 「令和8(2026)年12月1日訂正：区の考え方（訂正前：「…」）、対応状況（訂正前：3）。理由：…」.
std::string CorrectionNote(const Correction& correction);

// The date in Japan of a stored UTC instant, in 和暦 with the Western year.
std::string JapaneseDateOf(const std::string& iso_utc);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_CORRECTIONS_H_
