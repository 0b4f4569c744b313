#ifndef CIVICDESK_CONSULTATION_NOTIFICATIONS_H_
#define CIVICDESK_CONSULTATION_NOTIFICATIONS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "consultation/store.h"
#include "core/result.h"
#include "http/templates.h"
#include "storage/database.h"

// Residents who left an address to hear back (table consultation_notify): when the result their
// opinion is in is published (a link to each of their items' answers), and when a policy their
// items are classified to gets its yearly report (mail::Announce, kPolicyReport). The address is
// never published, masked wherever staff see it (mail::MaskAddress), deleted when the resident
// asks (the link in every mail, or the receipt page) and a year after the result is published.
// Each mail carries a fresh random token (only its SHA-256 is stored, table
// consultation_notify_token) that opens the page deleting that one address; deleting it deletes
// its tokens, so a link works once. The mails go through the outbox (mail/outbox.h), decided in
// the transaction that marks them decided.
namespace civicdesk::consultation {

// Migration 11 of the consultation's tables.
inline constexpr char kNotifyMigrationSql[] =
    "CREATE TABLE consultation_notify (id {{id}}, consultation_id BIGINT NOT NULL REFERENCES"
    " consultation (id), submission_id BIGINT NOT NULL UNIQUE REFERENCES consultation_submission"
    " (id), address TEXT NOT NULL, language TEXT NOT NULL, created_at TEXT NOT NULL,"
    " result_notified_at TEXT);"
    "CREATE INDEX consultation_notify_consultation ON consultation_notify (consultation_id);"
    "CREATE TABLE consultation_notify_token (token_hash TEXT PRIMARY KEY, notify_id BIGINT NOT"
    " NULL REFERENCES consultation_notify (id), created_at TEXT NOT NULL);"
    "CREATE INDEX consultation_notify_token_notify ON consultation_notify_token (notify_id)";

// Submit (store.h), with an address to hear back at and the language of the page it was given
// on ("ja", "en"), stored in the submission's transaction; an empty address: Submit. An address
// mail::CheckAddress refuses is InvalidArgument naming notify_email, and nothing is stored.
Result<Receipt> SubmitWithNotice(storage::Database& database, int64_t consultation_id,
                                 const NewSubmission& input, const Settings& settings,
                                 const Actor& actor, bool staff_entry,
                                 const std::string& notify_email, const std::string& language);

// Stores `address` (checked: mail::CheckAddress) for the submission, with the language the
// resident's page was in. REQUIRES: inside the submission's transaction.
Status Subscribe(storage::Connection& connection, int64_t consultation_id, int64_t submission_id,
                 const std::string& address, const std::string& language);

// The address given with the submission of `receipt`, masked; nullopt when none (or deleted).
Result<std::optional<std::string>> MaskedSubscriptionOf(storage::Database& database,
                                                        const std::string& receipt);

// The same for the submission `submission_id` (the staff item page: staff never see more).
Result<std::optional<std::string>> MaskedSubscriptionOfSubmission(storage::Database& database,
                                                                  int64_t submission_id);

// What an unsubscribe link opens: the masked address and the consultation's title.
struct TokenSubscription {
  int64_t id = 0;
  std::string masked;
  std::string consultation_title;
};

// The subscription a token from a mail opens; NotFound consultation.notify_token_unknown for a
// token never issued or whose address is already deleted.
Result<TokenSubscription> SubscriptionOfToken(storage::Database& database,
                                              const std::string& token);

// Deletes the address of subscription `id` with its tokens and the mails not yet sent to it
// (audited with the address masked).
Status DeleteSubscription(storage::Database& database, int64_t id, const std::string& reason);

// Deletes the address given with the submission of `receipt`; false when there was none.
Result<bool> DeleteSubscriptionOfReceipt(storage::Database& database, const std::string& receipt);

// Where the mails' links point and in which words they are written.
struct MailSite {
  const http::MessageCatalog* catalog = nullptr;
  std::string public_url;  // no trailing /
};

// For every published consultation, a mail to each subscription whose items are in the
// published table and which has not had one: the result's title and a link to each item's
// answer. Returns how many were added to the outbox.
Result<int> NotifyPublishedResults(storage::Database& database, const MailSite& site);

// For every policy report announced since the last call, a mail to each subscription whose items
// are classified to a field referring to that policy (or to one of its measures or indicators).
Result<int> NotifyPolicyReports(storage::Database& database, const MailSite& site);

// Deletes the addresses of results published more than `days` days before `now_iso` (a year:
// 365), and those given to the 区民の声 desk (which publishes no result) as long ago. Returns how
// many were deleted.
Result<int> PurgeSubscriptions(storage::Database& database, int days, const std::string& now_iso);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_NOTIFICATIONS_H_
