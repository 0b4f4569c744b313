#ifndef CIVICDESK_MAIL_OUTBOX_H_
#define CIVICDESK_MAIL_OUTBOX_H_

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>

#include "core/result.h"
#include "mail/message.h"
#include "mail/smtp.h"
#include "storage/database.h"
#include "storage/migrations.h"

// The durable outbox: a module adds a mail inside the transaction that decides it (table
// mail_outbox); `serve --smtp-url` hands what is due to the relay, retrying with backoff, so a
// relay that is down, or a server killed between the two, loses nothing.
namespace civicdesk::mail {

storage::ModuleMigrations MailMigrations();

struct OutgoingMail {
  // What the mail is about, unique: a second mail with the same reference is not added (two
  // servers deciding the same notification). A module's own prefix ("consultation.notify.12.").
  std::string reference;
  Mail mail;
};

// Adds `mail` to the outbox on the caller's transaction, due at once: it goes with that
// transaction or not at all. False when a mail with the same reference is there already.
Result<bool> Enqueue(storage::Connection& connection, const OutgoingMail& mail);

// Forgets the mails whose reference starts with `prefix` (the address was deleted on request):
// those not yet sent are deleted, the record of those sent keeps only the masked address.
Status Forget(storage::Connection& connection, std::string_view prefix);

struct SenderOptions {
  std::string from;                      // the envelope and From: address
  std::chrono::seconds first_retry{60};  // after the first failure; doubled each time
  std::chrono::seconds max_retry{3600};  // the longest wait between two attempts
  // How long a sender holds a mail it is sending before another may take it (a sender killed
  // while sending: the mail goes again after this).
  std::chrono::seconds lease{120};
};

struct SendReport {
  int sent = 0;
  int retried = 0;  // failed this time, tried again later
  int failed = 0;   // refused for good by the relay
};

// Sends every mail due at `now` through `relay`, one at a time, each taken under a lease so
// that several servers on one database send each mail once. A failed attempt is tried again
// after first_retry, doubled per attempt up to max_retry; a permanent refusal ends it
// (failed_at, with the relay's words). A sent mail keeps its record with the address masked and
// no body.
Result<SendReport> SendDue(storage::Database& database, Relay& relay, const SenderOptions& options,
                           std::chrono::sys_seconds now);

struct OutboxCounts {
  int64_t waiting = 0;
  int64_t sent = 0;
  int64_t failed = 0;
};
Result<OutboxCounts> CountOutbox(storage::Database& database);

// Runs SendDue every `poll` until stopped, logging what it sent and why an attempt failed
// (never an address).
std::jthread StartSender(storage::Database& database, std::unique_ptr<Relay> relay,
                         SenderOptions options, std::chrono::seconds poll);

}  // namespace civicdesk::mail

#endif  // CIVICDESK_MAIL_OUTBOX_H_
