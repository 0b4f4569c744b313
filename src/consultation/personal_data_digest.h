#ifndef CIVICDESK_CONSULTATION_PERSONAL_DATA_DIGEST_H_
#define CIVICDESK_CONSULTATION_PERSONAL_DATA_DIGEST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

// How the consultation module points at personal data without keeping it (issue 25 #4).
//
// A personal-data flag, a staff edit of the published text and the audit of either record a span
// of the citizen's text by position, length and digest; the intake's line-ending record keeps a
// digest of the bytes received. An unsalted SHA-256 of a short span (a phone number, a
// four-character name) is found again by trying every candidate, so since migration 8 each
// digest is an HMAC-SHA-256 under a random key of the span's consultation
// (table consultation_digest_key, made on first use). Staff code can still tell whether a text
// is the one a digest was made of (a mask remembered across imports) while the key exists.
// PurgePersonalData deletes the key with the rest of the consultation's personal data: the
// digests stay in the audit, and nothing can link them to any text any more (crypto-shredding).
//
// Digests stored before migration 8 are unkeyed SHA-256 and stay as they were (the audit is
// append-only); DigestsOfEveryKey still matches them.
namespace civicdesk::consultation {

// The migration that creates consultation_digest_key (consultation version 8).
extern const char kDigestKeyMigrationSql[];

// The digest of `text` under `consultation_id`'s key: 64 hex digits. The key is made when the
// consultation has none (concurrent callers agree on one). A consultation whose personal data
// was purged gets no stored key again: its digest is made under a key thrown away at once, so it
// links to nothing. REQUIRES: inside a transaction on `connection`.
Result<std::string> PersonalDataDigest(storage::Connection& connection, int64_t consultation_id,
                                       std::string_view text);

// Every digest `text` may be stored under today: one per consultation key that still exists and
// the unkeyed SHA-256 of digests stored before migration 8. `keys` caches the keys between calls
// in one transaction (empty on the first call).
Result<std::vector<std::string>> DigestsOfEveryKey(storage::Connection& connection,
                                                   std::vector<std::string>& keys,
                                                   std::string_view text);

// Deletes `consultation_id`'s key (part of PurgePersonalData's transaction).
Status ForgetDigestKey(storage::Connection& connection, int64_t consultation_id);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_PERSONAL_DATA_DIGEST_H_
