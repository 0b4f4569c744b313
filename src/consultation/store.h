#ifndef CIVICDESK_CONSULTATION_STORE_H_
#define CIVICDESK_CONSULTATION_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "consultation/model.h"
#include "core/result.h"
#include "http/public_data.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace civicdesk::consultation {

// Tables consultation_* and their migrations.
storage::ModuleMigrations ConsultationMigrations();

struct Consultation {
  int64_t id = 0;
  std::string kind;  // "consultation" or "voice" (the standing 区民の声 desk)
  std::string title;
  std::string draft_title;
  std::string opens_on;  // ISO dates; empty for the voice desk
  std::string closes_on;
  std::string meetings_from;
  std::string meetings_to;
  std::string state;  // "open", "published"
  std::string published_at;
  std::string source;
  // Set when a publisher closed the period early to publish (publishing.h): the closing date
  // first announced (closes_on then holds the new one) and when it was closed.
  std::string original_closes_on;
  std::string closed_early_at;
  // Who routes its new opinions (triage.h): a section of the organisation chart, or publishers
  // when both are empty.
  std::string triage_department;
  std::string triage_section;
  // Whether the classifier's sure suggestions route new opinions as they arrive (triage.h).
  bool auto_route = true;
  // Who publishes it and so the words its pages and exports use (issuer.h): a kind such as
  // "ward" or "city" and the body's own name (empty: the site's own body).
  std::string issuer_kind = "ward";
  std::string issuer_name;
};

struct NewConsultation {
  std::string title;
  std::string draft_title;
  std::string opens_on;
  std::string closes_on;
  std::vector<std::string> fields;  // e.g. 基本目標1..5; 「—」 and 「全般」 are always available
};

struct Settings {
  int minimum_period_days = 30;  // 行政手続法 39条; wards may set their own (DOMAIN.md)
  size_t max_opinion_chars = 10000;
};

// The actor of a change, for the audit log.
struct Actor {
  int64_t user_id = 0;  // 0: a citizen or the system
  std::string login;
};

// InvalidArgument naming the field for a missing title, a bad date, or a period shorter than
// the minimum.
Result<int64_t> CreateConsultation(storage::Database& database, const NewConsultation& input,
                                   const Settings& settings);

Result<Consultation> GetConsultation(storage::Database& database, int64_t id);
Result<std::vector<Consultation>> ListConsultations(storage::Database& database);

// The standing 区民の声 desk, created on first use.
Result<int64_t> VoiceDeskId(storage::Database& database);

struct NewSubmission {
  std::string text;
  std::string channel = "インターネット";
  std::string district;      // required for 区民説明会
  std::string relationship;  // 在住/在勤/在学/その他, optional
  std::string contact_name;  // contact details are never published
  std::string contact_email;
  std::string contact_phone;
  std::string contact_address;
  // The receipt to store it under (the form token's, intake.h: a second send of one form then
  // collides with the first, kConflict); empty: a new random one.
  std::string receipt;
};

struct Receipt {
  int64_t submission_id = 0;
  std::string receipt;
};

// The characters an opinion's text may hold, whichever way it arrives (the form, the API, staff
// entry, `import opinions`): none of the C0 controls but line break and tab. InvalidArgument
// consultation.text_control_characters naming "text"; Ok otherwise.
Status CheckOpinionCharacters(std::string_view text);

// The checks of Submit, without storing anything (the confirmation step of the public form):
// text present, within the limit, valid UTF-8; a known channel; the district for meetings; the
// consultation open on today's date in Japan unless `staff_entry`. Errors name the field: text,
// channel, district, relationship, contact_email, contact.
Status CheckSubmission(storage::Database& database, int64_t consultation_id,
                       const NewSubmission& input, const Settings& settings, bool staff_entry);

// Validates (CheckSubmission) and stores the submission with one item holding its whole text,
// in one durable transaction.
Result<Receipt> Submit(storage::Database& database, int64_t consultation_id,
                       const NewSubmission& input, const Settings& settings, const Actor& actor,
                       bool staff_entry);

struct ReceiptStatus {
  std::string receipt;
  int64_t consultation_id = 0;
  std::string consultation_title;
  std::string received_at;
  std::string state;  // received, in_progress, answered, published, after_publication
  int items = 0;
};

Result<ReceiptStatus> FindReceipt(storage::Database& database, const std::string& receipt);

// The one query behind the published table, with a single '?' for the consultation id, in the
// backend's dialect. Columns: item id, opinion, channel, district, imported field cell, status,
// response, response truncated, fields, departments, sections, group key, first field. Public so
// that benchmarks can hand the very same query to the database's own command-line dump as their
// baseline.
std::string PublishedRowsSql(storage::Backend backend);

// The order of the published table, an ORDER BY list over consultation_item aliased i: the
// imported (or, once published, frozen) position first, then field, similar-opinion group,
// status and entry order.
inline constexpr std::string_view kPublishedOrder =
    "COALESCE(i.publication_position, 9223372036854775807),"
    " COALESCE((SELECT MIN(f.position) FROM consultation_item_field x JOIN consultation_field f"
    " ON f.id = x.field_id WHERE x.item_id = i.id), 9223372036854775807),"
    " i.group_key, COALESCE(i.status, 9), i.id";

// Hands each row of the published table to `on_row`, in publication order (kPublishedOrder),
// numbered from 1, streaming from the database: memory stays flat for a million items. Once
// published, only the items published (opinions received later are a follow-up), each with
// its 訂正履歴 when a correction was approved (corrections.h).
Status ForEachPublishedRow(storage::Database& database, int64_t consultation_id,
                           const std::function<Status(const PublishedRow&)>& on_row);

// The No (as ForEachPublishedRow numbers the rows) of each of `sorted_item_ids` (ascending)
// that is a row of the published table of `consultation_id`; the others are left out. One pass
// over the table's ids: what links a search hit to its row (#item-No on the result page).
Result<std::map<int64_t, int>> PublishedNumbers(storage::Connection& connection,
                                                int64_t consultation_id,
                                                const std::vector<int64_t>& sorted_item_ids);

// The anchor of the row numbered `number` on the result page ("item-21"), and the address of
// that row ("/consultations/1/result#item-21"; the page itself when `number` is 0). The one
// scheme the page and the search hits share.
std::string ResultItemAnchor(int number);
std::string ResultItemAddress(int64_t consultation_id, int number);

// All rows at once, for small consultations and pages.
Result<std::vector<PublishedRow>> PublishedRows(storage::Database& database,
                                                int64_t consultation_id);

// Something that calls its argument once per published row, in order: the writers take this,
// so that a table can come from memory or stream from the database.
using RowSource = std::function<Status(const std::function<Status(const PublishedRow&)>&)>;
RowSource RowsOf(const std::vector<PublishedRow>& rows);
RowSource PublishedRowSource(storage::Database& database, int64_t consultation_id);

// One row per form letter, as wards publish campaigns: consecutive rows of the same campaign
// (group key "C…", saved from the analysis) and the same field become the first of them, with
// 「同趣旨のご意見 N件」 added to the opinion; rows are renumbered. Counts are unchanged.
RowSource CollapseFormLetters(RowSource rows);

struct StatusCount {
  int status = 0;
  int total = 0;
  int public_comment = 0;
  int meeting = 0;
};

struct Summary {
  int64_t consultation_id = 0;
  int items = 0;
  int items_public_comment = 0;
  int items_meeting = 0;
  std::map<std::string, int> people_by_channel;  // 郵送, インターネット, ファックス, 持参
  std::map<std::string, int> people_by_district;  // meetings: 芝, 麻布, ...
  int people_public_comment = 0;
  int people_meeting = 0;
  int meetings = 0;
  std::vector<StatusCount> statuses;  // 1..5
  int unclassified = 0;               // items without a status
};

// Block 1 and block 2 of the publication. People are distinct submissions; for an imported
// result, the counts the document declared.
Result<Summary> Summarize(storage::Database& database, int64_t consultation_id);

// One month of the 区民の声 desk (or any consultation): items by channel and by field.
struct MonthlyCount {
  std::string month;  // "2023-04"
  int items = 0;
  std::map<std::string, int> by_channel;
  std::map<std::string, int> by_field;  // items without a field are counted under 「—」
};

// Items received in each month of 年度 `fiscal_year` (April to March), by the date of their
// submission. Months without items are included with zero counts.
Result<std::vector<MonthlyCount>> MonthlyCounts(storage::Database& database,
                                                int64_t consultation_id, int fiscal_year);

// Appends to the audit log (consultation_audit). REQUIRES: inside the change's transaction.
Status Audit(storage::Connection& connection, const Actor& actor, std::string_view action,
             std::string_view entity, int64_t entity_id, const std::string& before,
             const std::string& after);

// The audit log for the admins' audit page as `query` asks (http::AuditTrailStatement).
Result<std::vector<http::AuditEntry>> ConsultationAuditTrail(storage::Database& database,
                                                             const http::AuditQuery& query);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_STORE_H_
