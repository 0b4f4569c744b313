#include "mail/outbox.h"

#include <condition_variable>
#include <mutex>

#include "core/digest.h"
#include "core/log.h"
#include "mail/address.h"

namespace civicdesk::mail {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;

int64_t Seconds(std::chrono::sys_seconds time) { return time.time_since_epoch().count(); }

int64_t Now() {
  return Seconds(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

// The domain of the From address, for Message-IDs.
std::string DomainOf(const std::string& address) {
  const size_t at = address.rfind('@');
  return at == std::string::npos ? std::string("localhost") : address.substr(at + 1);
}

}  // namespace

storage::ModuleMigrations MailMigrations() {
  return {"mail",
          {{1, "the outbox of outgoing mail, and announcements that modules tell each other",
            "CREATE TABLE mail_outbox (id {{id}}, reference TEXT NOT NULL UNIQUE,"
            " recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,"
            " unsubscribe_url TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL,"
            " attempts BIGINT NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL,"
            " claimed_until BIGINT, sent_at BIGINT, failed_at BIGINT,"
            " last_error TEXT NOT NULL DEFAULT '');"
            "CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, failed_at, next_attempt_at);"
            "CREATE TABLE mail_announcement (id {{id}}, kind TEXT NOT NULL, subject TEXT NOT NULL,"
            " fiscal_year BIGINT NOT NULL, title TEXT NOT NULL, path TEXT NOT NULL,"
            " announced_at TEXT NOT NULL);"
            "CREATE TABLE mail_announcement_cursor (listener TEXT PRIMARY KEY,"
            " last_id BIGINT NOT NULL)"}}};
}

Result<bool> Enqueue(Connection& connection, const OutgoingMail& outgoing) {
  const int64_t now = Now();
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult inserted,
      connection.Query("INSERT INTO mail_outbox (reference, recipient, subject, body,"
                       " unsubscribe_url, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                       " ON CONFLICT (reference) DO NOTHING",
                       {outgoing.reference, outgoing.mail.to, outgoing.mail.subject,
                        outgoing.mail.body, outgoing.mail.unsubscribe_url, now, now}));
  return inserted.affected_rows == 1;
}

Status Forget(Connection& connection, std::string_view prefix) {
  const std::string pattern = std::string(prefix) + "%";
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult unsent,
      connection.Query("DELETE FROM mail_outbox WHERE sent_at IS NULL AND reference LIKE ?",
                       {pattern}));
  (void)unsent;
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult sent,
      connection.Query("SELECT id, recipient FROM mail_outbox WHERE reference LIKE ?", {pattern}));
  for (const auto& row : sent.rows) {
    CIVICDESK_RETURN_IF_ERROR(
        connection
            .Query("UPDATE mail_outbox SET recipient = ?, body = '', unsubscribe_url = ''"
                   " WHERE id = ?",
                   {MaskAddress(AsText(row[1])), AsInt(row[0])})
            .status());
  }
  return Status::Ok();
}

Result<SendReport> SendDue(storage::Database& database, Relay& relay, const SenderOptions& options,
                           std::chrono::sys_seconds now_time) {
  const int64_t now = Seconds(now_time);
  SendReport report;
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult due,
      database.Query("SELECT id FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL"
                     " AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)"
                     " ORDER BY next_attempt_at, id LIMIT 100",
                     {now, now}));
  for (const auto& due_row : due.rows) {
    const int64_t id = AsInt(due_row[0]);
    // Taken under a lease: another sender that read the same row finds it taken.
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult claimed,
        database.Query("UPDATE mail_outbox SET claimed_until = ? WHERE id = ? AND sent_at IS NULL"
                       " AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?)",
                       {now + options.lease.count(), id, now}));
    if (claimed.affected_rows != 1) continue;
    CIVICDESK_ASSIGN_OR_RETURN(
        QueryResult rows,
        database.Query("SELECT recipient, subject, body, unsubscribe_url, attempts, created_at"
                       " FROM mail_outbox WHERE id = ?",
                       {id}));
    if (rows.empty()) continue;  // forgotten meanwhile
    const auto& row = rows.rows[0];
    Mail mail{AsText(row[0]), AsText(row[1]), AsText(row[2]), AsText(row[3])};
    const int64_t attempts = AsInt(row[4]) + 1;
    const std::string message_id = "outbox." + std::to_string(id) + "." +
                                   std::to_string(AsInt(row[5])) + "@" + DomainOf(options.from);
    const Delivery delivery =
        relay.Send(options.from, mail.to, FormatMessage(mail, options.from, message_id, now_time));
    if (delivery.sent) {
      CIVICDESK_RETURN_IF_ERROR(
          database
              .Query("UPDATE mail_outbox SET sent_at = ?, attempts = ?, claimed_until = NULL,"
                     " recipient = ?, body = '', unsubscribe_url = '', last_error = ''"
                     " WHERE id = ?",
                     {now, attempts, MaskAddress(mail.to), id})
              .status());
      ++report.sent;
      continue;
    }
    if (delivery.permanent) {
      CIVICDESK_RETURN_IF_ERROR(
          database
              .Query("UPDATE mail_outbox SET failed_at = ?, attempts = ?, claimed_until = NULL,"
                     " last_error = ? WHERE id = ?",
                     {now, attempts, delivery.error, id})
              .status());
      ++report.failed;
      continue;
    }
    int64_t wait = options.first_retry.count();
    for (int64_t i = 1; i < attempts && wait < options.max_retry.count(); ++i) wait *= 2;
    wait = std::min(wait, static_cast<int64_t>(options.max_retry.count()));
    CIVICDESK_RETURN_IF_ERROR(
        database
            .Query("UPDATE mail_outbox SET attempts = ?, next_attempt_at = ?, claimed_until = NULL,"
                   " last_error = ? WHERE id = ?",
                   {attempts, now + wait, delivery.error, id})
            .status());
    ++report.retried;
  }
  return report;
}

Result<OutboxCounts> CountOutbox(storage::Database& database) {
  CIVICDESK_ASSIGN_OR_RETURN(
      QueryResult rows,
      database.Query("SELECT COUNT(*) - COUNT(sent_at) - COUNT(failed_at), COUNT(sent_at),"
                     " COUNT(failed_at) FROM mail_outbox",
                     {}));
  return OutboxCounts{AsInt(rows.rows[0][0]), AsInt(rows.rows[0][1]), AsInt(rows.rows[0][2])};
}

std::jthread StartSender(storage::Database& database, std::unique_ptr<Relay> relay,
                         SenderOptions options, std::chrono::seconds poll) {
  return std::jthread([&database, relay = std::move(relay), options = std::move(options),
                       poll](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      Result<SendReport> report =
          SendDue(database, *relay, options,
                  std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
      if (!report.ok()) {
        Log(LogLevel::kError, "mail outbox: " + report.status().message());
      } else if (report->sent + report->retried + report->failed > 0) {
        Log(LogLevel::kInfo, "mail outbox: " + std::to_string(report->sent) + " sent, " +
                                 std::to_string(report->retried) + " to retry, " +
                                 std::to_string(report->failed) + " refused");
      }
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, poll, [] { return false; });
    }
  });
}

}  // namespace civicdesk::mail
