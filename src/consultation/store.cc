#include "consultation/store.h"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "consultation/corrections.h"
#include "consultation/intake.h"
#include "consultation/notifications.h"
#include "consultation/personal_data_digest.h"
#include "consultation/personal_data_flags.h"
#include "consultation/published_text.h"
#include "consultation/search_documents.h"
#include "core/date.h"
#include "core/number_format.h"
#include "core/text_normalize.h"
#include "mail/address.h"
#include "text/search_index.h"

namespace civicdesk::consultation {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;
using storage::Value;

// 12 random characters of Crockford's base32 (no I, L, O, U), shown as CD-XXXX-XXXX-XXXX:
// short enough to read over the phone, long enough (60 bits) not to be guessed.
std::string NewReceipt() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  // 60 random bits, five a character, from one call (one getrandom system call, not twelve).
  uint64_t bits = 0;
  randombytes_buf(&bits, sizeof(bits));
  std::string receipt = "CD";
  for (int i = 0; i < 12; ++i) {
    if (i % 4 == 0) receipt += "-";
    receipt += kAlphabet[(bits >> (5 * i)) & 31];
  }
  return receipt;
}

size_t CountCharacters(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

Consultation ConsultationFromRow(const std::vector<Value>& row) {
  return {AsInt(row[0]),       AsText(row[1]),  AsText(row[2]),  AsText(row[3]),  AsText(row[4]),
          AsText(row[5]),      AsText(row[6]),  AsText(row[7]),  AsText(row[8]),  AsText(row[9]),
          AsText(row[10]),     AsText(row[11]), AsText(row[12]), AsText(row[13]), AsText(row[14]),
          AsInt(row[15]) != 0, AsText(row[16]), AsText(row[17])};
}

constexpr char kConsultationColumns[] =
    "id, kind, title, draft_title, opens_on, closes_on, meetings_from, meetings_to, state, "
    "published_at, source, original_closes_on, closed_early_at, triage_department, triage_section, "
    "auto_route, issuer_kind, issuer_name";

}  // namespace

storage::ModuleMigrations ConsultationMigrations() {
  return {
      "consultation",
      {
          {1, "consultations, submissions, items, responses, routing, audit",
           "CREATE TABLE consultation (id {{id}}, kind TEXT NOT NULL, title TEXT NOT NULL,"
           " draft_title TEXT NOT NULL DEFAULT '', opens_on TEXT, closes_on TEXT, meetings_from "
           "TEXT,"
           " meetings_to TEXT, state TEXT NOT NULL DEFAULT 'open', published_at TEXT, source TEXT "
           "NOT NULL"
           " DEFAULT '', created_at TEXT NOT NULL);"
           "CREATE TABLE consultation_field (id {{id}}, consultation_id BIGINT NOT NULL REFERENCES "
           "consultation"
           " (id), position BIGINT NOT NULL, label TEXT NOT NULL, plan_ref TEXT NOT NULL DEFAULT "
           "'',"
           " UNIQUE (consultation_id, label));"
           "CREATE TABLE consultation_meeting (id {{id}}, consultation_id BIGINT NOT NULL "
           "REFERENCES"
           " consultation (id), held_on TEXT NOT NULL, district TEXT NOT NULL, venue TEXT NOT NULL "
           "DEFAULT '',"
           " attendees BIGINT NOT NULL DEFAULT 0);"
           "CREATE TABLE consultation_declared_count (consultation_id BIGINT NOT NULL REFERENCES "
           "consultation"
           " (id), kind TEXT NOT NULL, name TEXT NOT NULL, value BIGINT NOT NULL,"
           " PRIMARY KEY (consultation_id, kind, name));"
           "CREATE TABLE consultation_submission (id {{id}}, consultation_id BIGINT NOT NULL "
           "REFERENCES"
           " consultation (id), receipt TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, district TEXT "
           "NOT NULL"
           " DEFAULT '', relationship TEXT NOT NULL DEFAULT '', contact_name TEXT NOT NULL DEFAULT "
           "'',"
           " contact_email TEXT NOT NULL DEFAULT '', contact_phone TEXT NOT NULL DEFAULT '', "
           "contact_address"
           " TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, received_at TEXT NOT NULL, entered_by "
           "BIGINT);"
           "CREATE INDEX consultation_submission_consultation ON consultation_submission "
           "(consultation_id);"
           "CREATE TABLE consultation_response (id {{id}}, consultation_id BIGINT NOT NULL "
           "REFERENCES"
           " consultation (id), text TEXT NOT NULL, truncated BIGINT NOT NULL DEFAULT 0, "
           "updated_at TEXT NOT"
           " NULL);"
           "CREATE TABLE consultation_item (id {{id}}, consultation_id BIGINT NOT NULL REFERENCES "
           "consultation"
           " (id), submission_id BIGINT REFERENCES consultation_submission (id), source_start "
           "BIGINT,"
           " source_end BIGINT, text TEXT NOT NULL, channel TEXT NOT NULL, district TEXT NOT NULL "
           "DEFAULT '',"
           " field_display TEXT, status BIGINT, response_id BIGINT REFERENCES "
           "consultation_response (id),"
           " publication_position BIGINT, group_key TEXT NOT NULL DEFAULT '', approved BIGINT NOT "
           "NULL"
           " DEFAULT 0, active BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL);"
           "CREATE INDEX consultation_item_consultation ON consultation_item (consultation_id, "
           "active);"
           "CREATE INDEX consultation_item_submission ON consultation_item (submission_id);"
           "CREATE TABLE consultation_item_field (item_id BIGINT NOT NULL REFERENCES "
           "consultation_item (id),"
           " field_id BIGINT NOT NULL REFERENCES consultation_field (id), PRIMARY KEY (item_id, "
           "field_id));"
           "CREATE TABLE consultation_item_section (item_id BIGINT NOT NULL REFERENCES "
           "consultation_item (id),"
           " position BIGINT NOT NULL, department TEXT NOT NULL, section TEXT NOT NULL,"
           " PRIMARY KEY (item_id, position));"
           "CREATE INDEX consultation_item_section_section ON consultation_item_section "
           "(department, section);"
           "CREATE TABLE consultation_org_unit (id {{id}}, department TEXT NOT NULL, section TEXT "
           "NOT NULL,"
           " UNIQUE (department, section));"
           "CREATE TABLE consultation_audit (id {{id}}, at TEXT NOT NULL, user_id BIGINT NOT NULL,"
           " user_login TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL, entity_id "
           "BIGINT NOT NULL,"
           " before_value TEXT NOT NULL, after_value TEXT NOT NULL);"
           "CREATE INDEX consultation_audit_entity ON consultation_audit (entity, entity_id)"},
          {2, "items keep the id they had in an imported file",
           "ALTER TABLE consultation_item ADD COLUMN external_id TEXT NOT NULL DEFAULT ''"},
          {3,
           "published results are frozen: the items in the result, an early close of the period, "
           "corrections (訂正) approved before they are republished",
           "ALTER TABLE consultation_item ADD COLUMN in_result BIGINT NOT NULL DEFAULT 0;"
           "UPDATE consultation_item SET in_result = 1 WHERE active = 1 AND consultation_id IN"
           " (SELECT id FROM consultation WHERE state = 'published');"
           "ALTER TABLE consultation ADD COLUMN original_closes_on TEXT;"
           "ALTER TABLE consultation ADD COLUMN closed_early_at TEXT;"
           "CREATE TABLE consultation_correction (id {{id}}, consultation_id BIGINT NOT NULL"
           " REFERENCES consultation (id), item_id BIGINT NOT NULL REFERENCES consultation_item"
           " (id), state TEXT NOT NULL, reason TEXT NOT NULL, change_value TEXT NOT NULL,"
           " requested_by BIGINT NOT NULL, requested_login TEXT NOT NULL, requested_at TEXT NOT"
           " NULL, decided_by BIGINT, decided_login TEXT, decided_at TEXT, before_value TEXT NOT"
           " NULL DEFAULT '', after_value TEXT NOT NULL DEFAULT '');"
           "CREATE INDEX consultation_correction_item ON consultation_correction (item_id, state);"
           "CREATE INDEX consultation_correction_consultation ON consultation_correction"
           " (consultation_id, state);"
           "CREATE INDEX consultation_item_response ON consultation_item (response_id)"},
          {4, "personal-data flags stored with the opinions they point into",
           kPersonalDataMigrationSql},
          {5, "published text as staff edit it: edits of the original; personal data purged",
           kPublishedTextMigrationSql},
          {6, "who triages a consultation's new opinions; why an item went back to triage",
           "ALTER TABLE consultation ADD COLUMN triage_department TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE consultation ADD COLUMN triage_section TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE consultation_item ADD COLUMN triage_note TEXT NOT NULL DEFAULT ''"},
          {7, "new opinions routed by the classifier's sure suggestions; what it decided per item",
           "ALTER TABLE consultation ADD COLUMN auto_route BIGINT NOT NULL DEFAULT 1;"
           "CREATE TABLE consultation_auto_route (item_id BIGINT PRIMARY KEY REFERENCES"
           " consultation_item (id), department TEXT NOT NULL, section TEXT NOT NULL, percent"
           " BIGINT NOT NULL, routed BIGINT NOT NULL, decided_at TEXT NOT NULL)"},
          {8,
           "a random key per consultation for the digests of personal data (HMAC-SHA-256), deleted"
           " by the purge; digests stored before stay unkeyed SHA-256",
           kDigestKeyMigrationSql},
          {9, "who publishes a consultation: the body's kind (区, 市, 県, 国 …) and name",
           "ALTER TABLE consultation ADD COLUMN issuer_kind TEXT NOT NULL DEFAULT 'ward';"
           "ALTER TABLE consultation ADD COLUMN issuer_name TEXT NOT NULL DEFAULT ''"},
          {10,
           "files uploaded on the staff import page, kept between upload, mapping and"
           " confirmation",
           "CREATE TABLE consultation_import_upload (token_hash TEXT PRIMARY KEY, user_id BIGINT"
           " NOT NULL, kind TEXT NOT NULL, consultation_id BIGINT NOT NULL, filename TEXT NOT"
           " NULL, content TEXT NOT NULL, state TEXT NOT NULL, imported_consultation_id BIGINT"
           " NOT NULL DEFAULT 0, rows_written BIGINT NOT NULL DEFAULT 0, created_at TEXT NOT"
           " NULL, expires_at TEXT NOT NULL)"},
          {11, "addresses residents leave to hear back, and the tokens of their mails",
           kNotifyMigrationSql},
      }};
}

Status Audit(Connection& connection, const Actor& actor, std::string_view action,
             std::string_view entity, int64_t entity_id, const std::string& before,
             const std::string& after) {
  Result<QueryResult> inserted = connection.Query(
      "INSERT INTO consultation_audit (at, user_id, user_login, action, entity, entity_id, "
      "before_value,"
      " after_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {NowIso8601Utc(), actor.user_id, actor.login.empty() ? std::string("system") : actor.login,
       std::string(action), std::string(entity), entity_id, before, after});
  return inserted.ok() ? Status::Ok() : inserted.status();
}

Result<std::vector<http::AuditEntry>> ConsultationAuditTrail(storage::Database& database,
                                                             const http::AuditQuery& query) {
  const auto [sql, params] = http::AuditTrailStatement(
      "SELECT at, user_login, action, entity, entity_id, before_value, after_value, id FROM"
      " consultation_audit",
      query);
  CIVICDESK_ASSIGN_OR_RETURN(QueryResult rows, database.Query(sql, params));
  std::vector<http::AuditEntry> entries;
  for (const auto& row : rows.rows) {
    entries.push_back({AsText(row[0]), AsText(row[1]), "consultation", AsText(row[2]),
                       AsText(row[3]) + " " + std::to_string(AsInt(row[4])), AsText(row[5]),
                       AsText(row[6]), AsInt(row[7])});
  }
  return entries;
}

Result<int64_t> CreateConsultation(storage::Database& database, const NewConsultation& input,
                                   const Settings& settings) {
  if (input.title.empty() || input.title.size() > 1000 || !IsValidUtf8(input.title)) {
    return Status::InvalidArgument("consultation.title_required", "title");
  }
  Result<Date> opens = ParseIsoDate(input.opens_on);
  if (!opens.ok()) return opens.status().WithField("opens");
  Result<Date> closes = ParseIsoDate(input.closes_on);
  if (!closes.ok()) return closes.status().WithField("closes");
  auto days = (std::chrono::sys_days{*closes} - std::chrono::sys_days{*opens}).count() + 1;
  if (days < settings.minimum_period_days) {
    return Status::InvalidArgument(
        "consultation.period_too_short",
        {{"minimum", std::to_string(settings.minimum_period_days)}, {"days", std::to_string(days)}},
        "closes");
  }
  int64_t id = 0;
  Actor system;
  Status stored = database.Transaction([&](Connection& connection) -> Status {
    Result<QueryResult> inserted = connection.Query(
        "INSERT INTO consultation (kind, title, draft_title, opens_on, closes_on, state, "
        "created_at)"
        " VALUES ('consultation', ?, ?, ?, ?, 'open', ?) RETURNING id",
        {input.title, input.draft_title, input.opens_on, input.closes_on, NowIso8601Utc()});
    if (!inserted.ok()) return inserted.status();
    id = AsInt(inserted->rows[0][0]);
    std::vector<std::string> fields = input.fields;
    for (std::string_view fixed : {kNoField, kGeneralField}) {
      if (std::find(fields.begin(), fields.end(), fixed) == fields.end())
        fields.emplace_back(fixed);
    }
    int64_t position = 0;
    for (const std::string& label : fields) {
      Result<QueryResult> field = connection.Query(
          "INSERT INTO consultation_field (consultation_id, position, label) VALUES (?, ?, ?)",
          {id, ++position, label});
      if (!field.ok()) return field.status();
    }
    return Audit(connection, system, "create", "consultation", id, "", input.title);
  });
  if (!stored.ok()) return stored;
  return id;
}

Result<Consultation> GetConsultation(storage::Database& database, int64_t id) {
  Result<QueryResult> rows = database.Query(
      std::string("SELECT ") + kConsultationColumns + " FROM consultation WHERE id = ?", {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return Status::NotFound("consultation.not_found", {{"id", std::to_string(id)}});
  }
  return ConsultationFromRow(rows->rows[0]);
}

Result<std::vector<Consultation>> ListConsultations(storage::Database& database) {
  Result<QueryResult> rows =
      database.Query(std::string("SELECT ") + kConsultationColumns +
                     " FROM consultation WHERE kind = 'consultation' ORDER BY id DESC");
  if (!rows.ok()) return rows.status();
  std::vector<Consultation> consultations;
  for (const auto& row : rows->rows) consultations.push_back(ConsultationFromRow(row));
  return consultations;
}

Result<int64_t> VoiceDeskId(storage::Database& database) {
  // Every submission to the desk asks: a plain read, so that intake never queues for the write
  // lock here; the desk is created (under that lock) only the first time.
  Result<QueryResult> known =
      database.Query("SELECT id FROM consultation WHERE kind = 'voice' ORDER BY id LIMIT 1");
  if (!known.ok()) return known.status();
  if (!known->empty()) return AsInt(known->rows[0][0]);
  int64_t id = 0;
  Status found = database.Transaction([&](Connection& connection) -> Status {
    Result<QueryResult> existing =
        connection.Query("SELECT id FROM consultation WHERE kind = 'voice' ORDER BY id");
    if (!existing.ok()) return existing.status();
    if (!existing->empty()) {
      id = AsInt(existing->rows[0][0]);
      return Status::Ok();
    }
    Result<QueryResult> inserted = connection.Query(
        "INSERT INTO consultation (kind, title, state, created_at) VALUES ('voice', '区民の声', "
        "'open', ?) RETURNING id",
        {NowIso8601Utc()});
    if (!inserted.ok()) return inserted.status();
    id = AsInt(inserted->rows[0][0]);
    for (std::string_view label : {kNoField, kGeneralField}) {
      Result<QueryResult> field = connection.Query(
          "INSERT INTO consultation_field (consultation_id, position, label) VALUES (?, ?, ?)",
          {id, int64_t{label == kNoField ? 1 : 2}, std::string(label)});
      if (!field.ok()) return field.status();
    }
    return Status::Ok();
  });
  if (!found.ok()) return found;
  return id;
}

Status CheckOpinionCharacters(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
      return Status::InvalidArgument("consultation.text_control_characters", "text");
    }
  }
  return Status::Ok();
}

namespace {

// CheckSubmission's checks; the consultation, once they pass.
Result<Consultation> CheckedConsultation(storage::Database& database, int64_t consultation_id,
                                         const NewSubmission& input, const Settings& settings,
                                         bool staff_entry) {
  if (!IsValidUtf8(input.text)) {
    return Status::InvalidArgument("consultation.text_not_utf8", "text");
  }
  // Counted as stored: a CRLF is one line break (NormalizeLineEndings).
  std::string text = NormalizeLineEndings(TrimSpaces(input.text)).text;
  if (text.empty()) return Status::InvalidArgument("consultation.text_empty", "text");
  size_t characters = CountCharacters(text);
  if (characters > settings.max_opinion_chars) {
    return Status::InvalidArgument(
        "consultation.text_too_long",
        {{"maximum", GroupThousands(static_cast<int64_t>(settings.max_opinion_chars))},
         {"characters", GroupThousands(static_cast<int64_t>(characters))}},
        "text");
  }
  CIVICDESK_RETURN_IF_ERROR(CheckOpinionCharacters(text));
  Result<Consultation> consultation = GetConsultation(database, consultation_id);
  if (!consultation.ok()) return consultation.status();
  bool voice = consultation->kind == "voice";
  bool known_channel = voice ? std::find(kVoiceChannels.begin(), kVoiceChannels.end(),
                                         input.channel) != kVoiceChannels.end()
                             : RouteOfChannel(input.channel).has_value();
  if (!known_channel) {
    return Status::InvalidArgument("consultation.channel_unknown", {{"channel", input.channel}},
                                   "channel");
  }
  if (input.channel == kMeetingChannel && !IsDistrict(input.district)) {
    return Status::InvalidArgument("consultation.meeting_district_required", "district");
  }
  if (input.channel != kMeetingChannel && !input.district.empty() && !IsDistrict(input.district)) {
    return Status::InvalidArgument("consultation.district_unknown", "district");
  }
  if (!input.relationship.empty() && std::find(kRelationships.begin(), kRelationships.end(),
                                               input.relationship) == kRelationships.end()) {
    return Status::InvalidArgument("consultation.relationship_invalid", "relationship");
  }
  if (!input.contact_email.empty() &&
      (input.contact_email.find('@') == std::string::npos || input.contact_email.size() > 254)) {
    return Status::InvalidArgument("consultation.email_invalid", "contact_email");
  }
  for (const std::string* contact :
       {&input.contact_name, &input.contact_phone, &input.contact_address}) {
    if (contact->size() > 1000 || !IsValidUtf8(*contact)) {
      return Status::InvalidArgument("consultation.contact_invalid", "contact");
    }
  }
  if (!staff_entry && !voice) {
    std::string today = FormatIsoDate(TodayInJapan());
    if (consultation->state != "open" || today < consultation->opens_on ||
        today > consultation->closes_on) {
      return Status::Conflict("consultation.not_open");
    }
  }
  return consultation;
}

}  // namespace

Status CheckSubmission(storage::Database& database, int64_t consultation_id,
                       const NewSubmission& input, const Settings& settings, bool staff_entry) {
  return CheckedConsultation(database, consultation_id, input, settings, staff_entry).status();
}

Result<Receipt> Submit(storage::Database& database, int64_t consultation_id,
                       const NewSubmission& input, const Settings& settings, const Actor& actor,
                       bool staff_entry) {
  return SubmitWithNotice(database, consultation_id, input, settings, actor, staff_entry, "", "ja");
}

Result<Receipt> SubmitWithNotice(storage::Database& database, int64_t consultation_id,
                                 const NewSubmission& input, const Settings& settings,
                                 const Actor& actor, bool staff_entry,
                                 const std::string& notify_email, const std::string& language) {
  CIVICDESK_ASSIGN_OR_RETURN(
      Consultation consultation,
      CheckedConsultation(database, consultation_id, input, settings, staff_entry));
  // Stored with LF line endings; the audit keeps what restores the bytes received.
  const std::string received = TrimSpaces(input.text);
  const NormalizedLineEndings normalized = NormalizeLineEndings(received);
  const std::string& text = normalized.text;
  Receipt receipt;
  std::string notify_address;
  if (!notify_email.empty()) {
    CIVICDESK_ASSIGN_OR_RETURN(notify_address, mail::CheckAddress(notify_email, "notify_email"));
  }
  // Group commit: submissions arriving together share one durable commit (one fsync), each in
  // its own savepoint; the work sets every output afresh, as it may run again alone.
  Status stored = database.GroupTransaction([&](Connection& connection) -> Status {
    receipt.receipt = input.receipt.empty() ? NewReceipt() : input.receipt;
    Result<QueryResult> inserted = connection.Query(
        "INSERT INTO consultation_submission (consultation_id, receipt, channel, district, "
        "relationship,"
        " contact_name, contact_email, contact_phone, contact_address, text, received_at, "
        "entered_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {consultation_id, receipt.receipt, input.channel, input.district, input.relationship,
         input.contact_name, input.contact_email, input.contact_phone, input.contact_address, text,
         NowIso8601Utc(), actor.user_id == 0 ? storage::Null() : Value(actor.user_id)});
    if (!inserted.ok()) return inserted.status();
    receipt.submission_id = AsInt(inserted->rows[0][0]);
    Result<QueryResult> item = connection.Query(
        "INSERT INTO consultation_item (consultation_id, submission_id, source_start, source_end, "
        "text, channel,"
        " district, created_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?) RETURNING id",
        {consultation_id, receipt.submission_id, static_cast<int64_t>(text.size()), text,
         input.channel, input.district, NowIso8601Utc()});
    if (!item.ok()) return item.status();
    // Its search document commits with it: an acknowledged opinion is always searchable. A new
    // item has no response, no routing and is in no published result: a staff document.
    CIVICDESK_RETURN_IF_ERROR(text::SearchIndex::For(database).Write(
        connection, {StaffOpinionDocument(AsInt(item->rows[0][0]), consultation.title, text, {})}));
    if (!notify_address.empty()) {
      CIVICDESK_RETURN_IF_ERROR(
          Subscribe(connection, consultation_id, receipt.submission_id, notify_address, language));
    }
    if (normalized.changed()) {
      CIVICDESK_ASSIGN_OR_RETURN(std::string digest,
                                 PersonalDataDigest(connection, consultation_id, received));
      CIVICDESK_RETURN_IF_ERROR(Audit(connection, actor, "normalise_line_endings", "submission",
                                      receipt.submission_id,
                                      LineEndingsAuditJson(normalized, digest), "LF"));
    }
    return Audit(connection, actor, "submit", "submission", receipt.submission_id, "",
                 receipt.receipt);
  });
  if (!stored.ok()) return stored;
  return receipt;
}

Result<ReceiptStatus> FindReceipt(storage::Database& database, const std::string& receipt) {
  Result<QueryResult> rows = database.Query(
      "SELECT s.receipt, s.consultation_id, c.title, s.received_at, c.state,"
      " (SELECT COUNT(*) FROM consultation_item i WHERE i.submission_id = s.id AND i.active = 1),"
      " (SELECT COUNT(*) FROM consultation_item i WHERE i.submission_id = s.id AND i.active = 1"
      "   AND i.in_result = 1),"
      " (SELECT COUNT(*) FROM consultation_item i WHERE i.submission_id = s.id AND i.active = 1"
      "   AND i.response_id IS NOT NULL AND i.status IS NOT NULL),"
      " (SELECT COUNT(*) FROM consultation_item i WHERE i.submission_id = s.id AND i.active = 1"
      "   AND (i.status IS NOT NULL OR i.response_id IS NOT NULL"
      "        OR EXISTS (SELECT 1 FROM consultation_item_section x WHERE x.item_id = i.id)))"
      " FROM consultation_submission s JOIN consultation c ON c.id = s.consultation_id WHERE "
      "s.receipt = ?",
      {receipt});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("consultation.receipt_not_found");
  const auto& row = rows->rows[0];
  ReceiptStatus status{AsText(row[0]), AsInt(row[1]), AsText(row[2]),
                       AsText(row[3]), "received",    static_cast<int>(AsInt(row[5]))};
  int answered = static_cast<int>(AsInt(row[7]));
  int touched = static_cast<int>(AsInt(row[8]));
  if (AsText(row[4]) == "published") {
    // Received after publication: a follow-up, not part of the published result.
    status.state = AsInt(row[6]) > 0 ? "published" : "after_publication";
  } else if (answered > 0 && answered == status.items) {
    status.state = "answered";
  } else if (touched > 0) {
    status.state = "in_progress";
  }
  return status;
}

namespace {

// The label of an item's first field (by the fields' order), NULL when it has none.
constexpr std::string_view kFirstFieldSql =
    "(SELECT f.label FROM consultation_item_field x JOIN consultation_field f ON f.id ="
    " x.field_id WHERE x.item_id = i.id ORDER BY f.position, f.id LIMIT 1)";

// The rows of the published table and their order, after the select list. Once published, the
// table is the items it was published with (in_result): opinions that arrive afterwards are a
// follow-up, never part of it. Shared by the table and its numbering (PublishedNumbers).
std::string PublishedRowsFrom() {
  return " FROM consultation_item i JOIN consultation c ON c.id = i.consultation_id"
         " LEFT JOIN consultation_response r ON r.id = i.response_id"
         " WHERE i.consultation_id = ? AND i.active = 1"
         " AND (c.state <> 'published' OR i.in_result = 1)"
         " ORDER BY " +
         std::string(kPublishedOrder);
}

}  // namespace

std::string PublishedRowsSql(storage::Backend backend) {
  const std::string fields =
      storage::OrderedJoinSubquery(backend, "f.label", "' '",
                                   "FROM consultation_item_field x JOIN consultation_field f ON "
                                   "f.id = x.field_id WHERE x.item_id = i.id",
                                   "f.position");
  const std::string departments = storage::OrderedJoinSubquery(
      backend, "s.department", "'/'", "FROM consultation_item_section s WHERE s.item_id = i.id",
      "s.position");
  const std::string sections = storage::OrderedJoinSubquery(
      backend, "s.section", "'/'", "FROM consultation_item_section s WHERE s.item_id = i.id",
      "s.position");
  return "SELECT i.id, i.text, i.channel, i.district, i.field_display, i.status, r.text, "
         "r.truncated, " +
         fields + ", " + departments + ", " + sections + ", i.group_key, " +
         std::string(kFirstFieldSql) + PublishedRowsFrom();
}

std::string ResultItemAnchor(int number) { return "item-" + std::to_string(number); }

std::string ResultItemAddress(int64_t consultation_id, int number) {
  std::string address = "/consultations/" + std::to_string(consultation_id) + "/result";
  return number > 0 ? address + "#" + ResultItemAnchor(number) : address;
}

Result<std::map<int64_t, int>> PublishedNumbers(storage::Connection& connection,
                                                int64_t consultation_id,
                                                const std::vector<int64_t>& sorted_item_ids) {
  std::map<int64_t, int> numbers;
  int number = 0;
  CIVICDESK_RETURN_IF_ERROR(connection.QueryEach(
      "SELECT i.id" + PublishedRowsFrom(), {consultation_id}, [&](const std::vector<Value>& row) {
        ++number;
        const int64_t id = AsInt(row[0]);
        if (std::binary_search(sorted_item_ids.begin(), sorted_item_ids.end(), id))
          numbers[id] = number;
        return Status::Ok();
      }));
  return numbers;
}

Status ForEachPublishedRow(storage::Database& database, int64_t consultation_id,
                           const std::function<Status(const PublishedRow&)>& on_row) {
  const std::string sql = PublishedRowsSql(database.backend());
  // The 訂正履歴 of the rows corrected after publication (a few, held in memory).
  CIVICDESK_ASSIGN_OR_RETURN(CorrectionNotes notes,
                             ApprovedCorrectionNotes(database, consultation_id));
  int number = 0;
  PublishedRow published;
  return database.QueryEach(sql, {consultation_id}, [&](const std::vector<Value>& row) {
    published.item_id = AsInt(row[0]);
    published.number = ++number;
    published.opinion = AsText(row[1]);
    published.channel = ChannelDisplay(AsText(row[2]), AsText(row[3]));
    published.fields = storage::IsNull(row[4]) ? AsText(row[8]) : AsText(row[4]);
    published.status.reset();
    if (!storage::IsNull(row[5])) published.status = static_cast<int>(AsInt(row[5]));
    published.response = AsText(row[6]);
    published.response_truncated = AsInt(row[7]) != 0;
    published.departments = AsText(row[9]);
    published.sections = AsText(row[10]);
    published.group_key = AsText(row[11]);
    published.first_field = AsText(row[12]);
    const auto note = notes.find(published.item_id);
    published.corrections = note == notes.end() ? std::string() : note->second;
    return on_row(published);
  });
}

Result<std::vector<PublishedRow>> PublishedRows(storage::Database& database,
                                                int64_t consultation_id) {
  std::vector<PublishedRow> rows;
  Status read = ForEachPublishedRow(database, consultation_id, [&](const PublishedRow& row) {
    rows.push_back(row);
    return Status::Ok();
  });
  if (!read.ok()) return read;
  return rows;
}

RowSource RowsOf(const std::vector<PublishedRow>& rows) {
  return [&rows](const std::function<Status(const PublishedRow&)>& on_row) -> Status {
    for (const PublishedRow& row : rows) {
      if (Status accepted = on_row(row); !accepted.ok()) return accepted;
    }
    return Status::Ok();
  };
}

RowSource CollapseFormLetters(RowSource rows) {
  return [rows = std::move(rows)](const std::function<Status(const PublishedRow&)>& on_row) {
    std::optional<PublishedRow> pending;
    int number = 0;
    auto flush = [&]() -> Status {
      if (!pending) return Status::Ok();
      pending->number = ++number;
      if (pending->form_letter_count > 1) {
        pending->opinion += "（同趣旨のご意見 " + std::to_string(pending->form_letter_count) +
                            "件 / " + std::to_string(pending->form_letter_count) +
                            " opinions to the same effect）";
      }
      Status accepted = on_row(*pending);
      pending.reset();
      return accepted;
    };
    Status read = rows([&](const PublishedRow& row) -> Status {
      const bool form_letter = row.group_key.rfind("C", 0) == 0;
      if (pending && form_letter && pending->group_key == row.group_key &&
          pending->fields == row.fields) {
        ++pending->form_letter_count;
        if (!row.corrections.empty()) {
          if (!pending->corrections.empty()) pending->corrections += kCorrectionSeparator;
          pending->corrections += row.corrections;
        }
        return Status::Ok();
      }
      if (Status flushed = flush(); !flushed.ok()) return flushed;
      pending = row;
      pending->form_letter_count = 1;
      return Status::Ok();
    });
    if (!read.ok()) return read;
    return flush();
  };
}

RowSource PublishedRowSource(storage::Database& database, int64_t consultation_id) {
  return [&database, consultation_id](const std::function<Status(const PublishedRow&)>& on_row) {
    return ForEachPublishedRow(database, consultation_id, on_row);
  };
}

Result<Summary> Summarize(storage::Database& database, int64_t consultation_id) {
  Result<Consultation> consultation = GetConsultation(database, consultation_id);
  if (!consultation.ok()) return consultation.status();
  Summary summary;
  summary.consultation_id = consultation_id;
  for (std::string_view channel : kPublicCommentChannels)
    summary.people_by_channel[std::string(channel)] = 0;
  for (std::string_view district : kDistricts)
    summary.people_by_district[std::string(district)] = 0;
  for (int status = 1; status <= 5; ++status) summary.statuses.push_back({status, 0, 0, 0});

  // Once published, the counts are the published items' (later opinions are a follow-up).
  const bool published = consultation->state == "published";
  Result<QueryResult> items = database.Query(
      std::string("SELECT channel, status, COUNT(*) FROM consultation_item WHERE consultation_id "
                  "= ? AND active = 1") +
          (published ? " AND in_result = 1" : "") + " GROUP BY channel, status",
      {consultation_id});
  if (!items.ok()) return items.status();
  for (const auto& row : items->rows) {
    int count = static_cast<int>(AsInt(row[2]));
    bool meeting = AsText(row[0]) == kMeetingChannel;
    summary.items += count;
    (meeting ? summary.items_meeting : summary.items_public_comment) += count;
    if (storage::IsNull(row[1])) {
      summary.unclassified += count;
      continue;
    }
    int status = static_cast<int>(AsInt(row[1]));
    if (status < 1 || status > 5) continue;
    StatusCount& counted = summary.statuses[status - 1];
    counted.total += count;
    (meeting ? counted.meeting : counted.public_comment) += count;
  }

  Result<QueryResult> declared = database.Query(
      "SELECT kind, name, value FROM consultation_declared_count WHERE consultation_id = ?",
      {consultation_id});
  if (!declared.ok()) return declared.status();
  if (!declared->empty()) {
    for (const auto& row : declared->rows) {
      std::string kind = AsText(row[0]);
      int value = static_cast<int>(AsInt(row[2]));
      if (kind == "people_channel") summary.people_by_channel[AsText(row[1])] = value;
      if (kind == "people_district") summary.people_by_district[AsText(row[1])] = value;
      if (kind == "meetings") summary.meetings = value;
    }
  } else {
    Result<QueryResult> people = database.Query(
        std::string("SELECT channel, district, COUNT(*) FROM consultation_submission s WHERE"
                    " consultation_id = ?") +
            (published ? " AND EXISTS (SELECT 1 FROM consultation_item i WHERE i.submission_id"
                         " = s.id AND i.in_result = 1)"
                       : "") +
            " GROUP BY channel, district",
        {consultation_id});
    if (!people.ok()) return people.status();
    for (const auto& row : people->rows) {
      int count = static_cast<int>(AsInt(row[2]));
      if (AsText(row[0]) == kMeetingChannel) {
        summary.people_by_district[AsText(row[1])] += count;
      } else {
        summary.people_by_channel[AsText(row[0])] += count;
      }
    }
    // Where meetings are recorded, their attendance is the number of people per district (as
    // 参加者数 in the publication); remarks entered from a meeting are items, not people.
    Result<QueryResult> meetings = database.Query(
        "SELECT district, COUNT(*), SUM(attendees) FROM consultation_meeting WHERE "
        "consultation_id = ? GROUP BY district",
        {consultation_id});
    if (!meetings.ok()) return meetings.status();
    if (!meetings->empty()) {
      for (auto& [district, people] : summary.people_by_district) people = 0;
    }
    for (const auto& row : meetings->rows) {
      summary.meetings += static_cast<int>(AsInt(row[1]));
      summary.people_by_district[AsText(row[0])] = static_cast<int>(AsInt(row[2]));
    }
  }
  for (const auto& [channel, count] : summary.people_by_channel)
    summary.people_public_comment += count;
  for (const auto& [district, count] : summary.people_by_district) summary.people_meeting += count;
  return summary;
}

Result<std::vector<MonthlyCount>> MonthlyCounts(storage::Database& database,
                                                int64_t consultation_id, int fiscal_year) {
  std::vector<MonthlyCount> months;
  char label[8];
  for (int offset = 0; offset < 12; ++offset) {
    int month = (3 + offset) % 12 + 1;
    std::snprintf(label, sizeof(label), "%04d-%02d", fiscal_year + (month < 4 ? 1 : 0), month);
    months.push_back({label, 0, {}, {}});
  }
  // Submissions carry the time in UTC; a ward counts by Japanese dates, 9 hours ahead. The
  // shift is applied in C++ so the SQL stays the same on both backends.
  Result<QueryResult> items = database.Query(
      "SELECT i.id, s.received_at, i.channel FROM consultation_item i JOIN consultation_submission "
      "s ON s.id ="
      " i.submission_id WHERE i.consultation_id = ? AND i.active = 1 AND s.received_at >= ? AND "
      "s.received_at < ?",
      {consultation_id, std::to_string(fiscal_year) + "-03-31T15:00:00Z",
       std::to_string(fiscal_year + 1) + "-03-31T15:00:00Z"});
  if (!items.ok()) return items.status();
  Result<QueryResult> fields = database.Query(
      "SELECT x.item_id, f.label FROM consultation_item_field x JOIN consultation_field f ON f.id "
      "= x.field_id"
      " JOIN consultation_item i ON i.id = x.item_id WHERE i.consultation_id = ? AND i.active = 1",
      {consultation_id});
  if (!fields.ok()) return fields.status();
  std::map<int64_t, std::vector<std::string>> item_fields;
  for (const auto& row : fields->rows) item_fields[AsInt(row[0])].push_back(AsText(row[1]));
  for (const auto& row : items->rows) {
    std::string received = AsText(row[1]);
    Result<Date> day = ParseIsoDate(received.substr(0, 10));
    if (!day.ok()) continue;
    int hour = received.size() >= 13 ? std::atoi(received.substr(11, 2).c_str()) : 0;
    Date japan = hour >= 15 ? Date{std::chrono::sys_days{*day} + std::chrono::days(1)} : *day;
    std::string month = FormatIsoDate(japan).substr(0, 7);
    auto found = std::find_if(months.begin(), months.end(),
                              [&](const MonthlyCount& m) { return m.month == month; });
    if (found == months.end()) continue;
    found->items++;
    found->by_channel[AsText(row[2])]++;
    auto labels = item_fields.find(AsInt(row[0]));
    if (labels == item_fields.end()) {
      found->by_field[std::string(kNoField)]++;
    } else {
      for (const std::string& field : labels->second) found->by_field[field]++;
    }
  }
  return months;
}

}  // namespace civicdesk::consultation
