#include "consultation/notifications.h"

#include <map>
#include <set>

#include "consultation/setup.h"
#include "consultation/store.h"
#include "core/date.h"
#include "core/digest.h"
#include "core/fiscal_year.h"
#include "core/wareki.h"
#include "mail/address.h"
#include "mail/announcements.h"
#include "mail/outbox.h"

namespace civicdesk::consultation {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;

const Actor kResident{0, "resident"};
const Actor kSystem{0, "system"};

// The outbox references of one subscription's mails (mail::Forget takes them all).
std::string ReferencePrefix(int64_t id) {
  return "consultation.notify." + std::to_string(id) + ".";
}

// `text` with each {name} replaced by its value.
std::string Fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string key = "{" + name + "}";
    for (size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  }
  return text;
}

// A new token for the subscription's next mail; only its SHA-256 is kept.
Result<std::string> NewToken(Connection& connection, int64_t id) {
  const std::string token = RandomHex(32);
  CIVICDESK_RETURN_IF_ERROR(
      connection
          .Query("INSERT INTO consultation_notify_token (token_hash, notify_id, created_at)"
                 " VALUES (?, ?, ?)",
                 {Sha256Hex(token), id, NowIso8601Utc()})
          .status());
  return token;
}

struct Recipient {
  int64_t id = 0;
  std::string address;
  std::string language;
};

// Writes the mail of `subject_key` and `body_key` (the consultation's catalog) to `recipient`,
// with `values` and the link that deletes the address, into the outbox under `reference`.
Status EnqueueMail(Connection& connection, const MailSite& site, const Recipient& recipient,
                   const std::string& reference, const std::string& subject_key,
                   const std::string& body_key, std::map<std::string, std::string> values) {
  CIVICDESK_ASSIGN_OR_RETURN(std::string token, NewToken(connection, recipient.id));
  const std::string language = recipient.language == "en" ? "en" : "ja";
  values["unsubscribe"] = site.public_url + "/notifications/" + token;
  mail::OutgoingMail outgoing;
  outgoing.reference = reference;
  outgoing.mail.to = recipient.address;
  outgoing.mail.subject = Fill(site.catalog->Get(language, subject_key), values);
  outgoing.mail.body = Fill(site.catalog->Get(language, body_key), values);
  outgoing.mail.unsubscribe_url = values["unsubscribe"];
  return mail::Enqueue(connection, outgoing).status();
}

// True when `code` is `policy` or one of its measures or indicators ("24", "24-1", "24-1-1").
bool UnderPolicy(const std::string& code, const std::string& policy) {
  return code == policy || code.rfind(policy + "-", 0) == 0;
}

}  // namespace

Status Subscribe(Connection& connection, int64_t consultation_id, int64_t submission_id,
                 const std::string& address, const std::string& language) {
  CIVICDESK_RETURN_IF_ERROR(
      connection
          .Query("INSERT INTO consultation_notify (consultation_id, submission_id, address,"
                 " language, created_at) VALUES (?, ?, ?, ?, ?)",
                 {consultation_id, submission_id, address, language == "en" ? "en" : "ja",
                  NowIso8601Utc()})
          .status());
  return Audit(connection, kResident, "notify_subscribe", "submission", submission_id, "",
               mail::MaskAddress(address));
}

Result<std::optional<std::string>> MaskedSubscriptionOf(storage::Database& database,
                                                        const std::string& receipt) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query("SELECT n.address FROM consultation_notify n JOIN consultation_submission s"
                     " ON s.id = n.submission_id WHERE s.receipt = ?",
                     {receipt}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(mail::MaskAddress(AsText(rows.rows[0][0])));
}

Result<std::optional<std::string>> MaskedSubscriptionOfSubmission(storage::Database& database,
                                                                  int64_t submission_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query("SELECT address FROM consultation_notify WHERE submission_id = ?",
                     {submission_id}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(mail::MaskAddress(AsText(rows.rows[0][0])));
}

Result<TokenSubscription> SubscriptionOfToken(storage::Database& database,
                                              const std::string& token) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query("SELECT n.id, n.address, c.title FROM consultation_notify_token t"
                     " JOIN consultation_notify n ON n.id = t.notify_id"
                     " JOIN consultation c ON c.id = n.consultation_id WHERE t.token_hash = ?",
                     {Sha256Hex(token)}));
  if (rows.empty()) return Status::NotFound("consultation.notify_token_unknown");
  return TokenSubscription{AsInt(rows.rows[0][0]), mail::MaskAddress(AsText(rows.rows[0][1])),
                           AsText(rows.rows[0][2])};
}

Status DeleteSubscription(storage::Database& database, int64_t id, const std::string& reason) {
  return database.Transaction([&](Connection& connection) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult rows,
        connection.Query("SELECT submission_id, address FROM consultation_notify WHERE id = ?",
                         {id}));
    if (rows.empty()) return Status::NotFound("consultation.notify_token_unknown");
    CIVICDESK_RETURN_IF_ERROR(
        connection.Query("DELETE FROM consultation_notify_token WHERE notify_id = ?", {id})
            .status());
    CIVICDESK_RETURN_IF_ERROR(
        connection.Query("DELETE FROM consultation_notify WHERE id = ?", {id}).status());
    CIVICDESK_RETURN_IF_ERROR(mail::Forget(connection, ReferencePrefix(id)));
    return Audit(connection, reason == "expired" ? kSystem : kResident, "notify_delete",
                 "submission", AsInt(rows.rows[0][0]), mail::MaskAddress(AsText(rows.rows[0][1])),
                 reason);
  });
}

Result<bool> DeleteSubscriptionOfReceipt(storage::Database& database, const std::string& receipt) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query("SELECT n.id FROM consultation_notify n JOIN consultation_submission s"
                     " ON s.id = n.submission_id WHERE s.receipt = ?",
                     {receipt}));
  if (rows.empty()) return false;
  CIVICDESK_RETURN_IF_ERROR(DeleteSubscription(database, AsInt(rows.rows[0][0]), "requested"));
  return true;
}

Result<int> NotifyPublishedResults(storage::Database& database, const MailSite& site) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult due,
      database.Query("SELECT n.id, n.submission_id, n.consultation_id, n.address, n.language,"
                     " c.title, s.receipt FROM consultation_notify n"
                     " JOIN consultation c ON c.id = n.consultation_id"
                     " JOIN consultation_submission s ON s.id = n.submission_id"
                     " WHERE c.state = 'published' AND n.result_notified_at IS NULL ORDER BY n.id",
                     {}));
  int added = 0;
  for (const auto& row : due.rows) {
    const Recipient recipient{AsInt(row[0]), AsText(row[3]), AsText(row[4])};
    const int64_t submission_id = AsInt(row[1]);
    const int64_t consultation_id = AsInt(row[2]);
    CIVICDESK_RETURN_IF_ERROR(database.Transaction([&](Connection& connection) -> Status {
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult marked,
          connection.Query("UPDATE consultation_notify SET result_notified_at = ? WHERE id = ?"
                           " AND result_notified_at IS NULL",
                           {NowIso8601Utc(), recipient.id}));
      if (marked.affected_rows != 1) return Status::Ok();  // another server decided it
      CIVICDESK_ASSIGN_OR_RETURN(
          QueryResult items,
          connection.Query("SELECT id FROM consultation_item WHERE submission_id = ? AND active = 1"
                           " AND in_result = 1 ORDER BY id",
                           {submission_id}));
      // Received after publication: not in the table, nothing to tell.
      if (items.empty()) return Status::Ok();
      std::vector<int64_t> ids;
      for (const auto& item : items.rows) ids.push_back(AsInt(item[0]));
      CIVICDESK_ASSIGN_OR_RETURN(auto numbers, PublishedNumbers(connection, consultation_id, ids));
      std::string links;
      for (int64_t id : ids) {
        const int number = numbers.count(id) ? numbers[id] : 0;
        links += "No. " + std::to_string(number) + "  " + site.public_url +
                 ResultItemAddress(consultation_id, number) + "\n";
      }
      CIVICDESK_RETURN_IF_ERROR(
          EnqueueMail(connection, site, recipient, ReferencePrefix(recipient.id) + "result",
                      "notify_result_subject", "notify_result_body",
                      {{"title", AsText(row[5])}, {"receipt", AsText(row[6])}, {"items", links}}));
      ++added;
      return Status::Ok();
    }));
  }
  return added;
}

Result<int> NotifyPolicyReports(storage::Database& database, const MailSite& site) {
  int added = 0;
  CIVICDESK_RETURN_IF_ERROR(mail::ForEachNewAnnouncement(
      database, "consultation",
      [&](Connection& connection, const mail::Announcement& announcement) -> Status {
        if (announcement.kind != mail::kPolicyReport) return Status::Ok();
        CIVICDESK_ASSIGN_OR_RETURN(
            QueryResult rows,
            connection.Query("SELECT DISTINCT n.id, n.address, n.language, f.plan_ref"
                             " FROM consultation_notify n"
                             " JOIN consultation_item i ON i.submission_id = n.submission_id"
                             " AND i.active = 1"
                             " JOIN consultation_item_field x ON x.item_id = i.id"
                             " JOIN consultation_field f ON f.id = x.field_id"
                             " WHERE f.plan_ref <> '' ORDER BY n.id",
                             {}));
        std::set<int64_t> told;
        for (const auto& row : rows.rows) {
          const int64_t id = AsInt(row[0]);
          if (told.count(id)) continue;
          Result<std::vector<PlanLink>> links = ParsePlanRefs(AsText(row[3]));
          if (!links.ok()) continue;
          bool under = false;
          for (const PlanLink& link : *links) under |= UnderPolicy(link.code, announcement.subject);
          if (!under) continue;
          told.insert(id);
          const Recipient recipient{id, AsText(row[1]), AsText(row[2])};
          const std::string language = recipient.language == "en" ? "en" : "ja";
          CIVICDESK_RETURN_IF_ERROR(EnqueueMail(
              connection, site, recipient,
              ReferencePrefix(id) + "policy." + std::to_string(announcement.id),
              "notify_policy_subject", "notify_policy_body",
              {{"title", announcement.title},
               {"policy", announcement.subject},
               {"year", FormatFiscalYearIn(language, FiscalYear(announcement.fiscal_year))},
               {"link", site.public_url + announcement.path}}));
          ++added;
        }
        return Status::Ok();
      }));
  return added;
}

Result<int> PurgeSubscriptions(storage::Database& database, int days, const std::string& now_iso) {
  Result<Date> today = ParseIsoDate(now_iso.substr(0, 10));
  if (!today.ok()) return today.status();
  const std::string before =
      FormatIsoDate(Date(std::chrono::sys_days(*today) - std::chrono::days(days)));
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows, database.Query("SELECT n.id FROM consultation_notify n JOIN consultation c"
                                       " ON c.id = n.consultation_id WHERE (c.state = 'published'"
                                       " AND c.published_at IS NOT NULL AND c.published_at < ?)"
                                       " OR (c.kind = 'voice' AND n.created_at < ?)",
                                       {before, before}));
  for (const auto& row : rows.rows) {
    // Another server may have deleted it meanwhile.
    Status deleted = DeleteSubscription(database, AsInt(row[0]), "expired");
    if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) return deleted;
  }
  return static_cast<int>(rows.size());
}

}  // namespace civicdesk::consultation
