#ifndef CIVICDESK_CONSULTATION_INTAKE_H_
#define CIVICDESK_CONSULTATION_INTAKE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

// What the public opinion form needs beside Submit (store.h): one-time form tokens, receipt
// numbers as residents type them, and the copy of what was sent.
namespace civicdesk::consultation {

// A new form token: 32 random bytes in hex, issued with each empty form and carried through
// the confirmation page to the send.
std::string NewFormToken();

// True for what NewFormToken gives (64 lower-case hex digits).
bool IsFormToken(std::string_view token);

// The receipt a form token's opinion is stored under: CD-XXXX-XXXX-XXXX from BLAKE2b of the
// token. A form sent twice (back and resend, a reload of the POST) collides with its first
// receipt, which is unique in the table, so nothing is stored twice. Nobody can aim at
// another's receipt without that person's token.
std::string ReceiptForFormToken(std::string_view token);

// A receipt number as a resident may type it: full-width or half-width (NFKC), lower or upper
// case, with spaces, hyphens or long-vowel marks anywhere, with or without the CD prefix, with
// O, I and L read as 0, 1 and 1 (Crockford's base32 has none of them). The canonical
// CD-XXXX-XXXX-XXXX when the text holds exactly a receipt's characters; otherwise the text
// NFKC'd, trimmed and upper-cased (which then matches no receipt).
std::string NormalizeReceiptNumber(std::string_view typed);

// What a resident sent, for the copy on the receipt page. Contact details are not shown there
// (anyone holding the number reads the page): only which of them were given.
struct SubmissionCopy {
  std::string receipt;
  int64_t consultation_id = 0;
  std::string consultation_kind;  // "consultation" or "voice"
  std::string text;
  std::string relationship;
  std::string channel;
  bool gave_name = false;
  bool gave_email = false;
  bool gave_phone = false;
  bool gave_address = false;
};

// Line endings as every intake path stores them (web form, API, staff entry, CLI import): CRLF
// and a lone CR become LF, so that what staff copy from the text (a split, a mask) is found in
// it again. `crlf` and `cr` are the byte offsets, in `text`, of each LF that was a CRLF or a CR:
// with them RestoreLineEndings gives back the original bytes exactly.
struct NormalizedLineEndings {
  std::string text;
  std::vector<int64_t> crlf;
  std::vector<int64_t> cr;
  bool changed() const { return !crlf.empty() || !cr.empty(); }
};
NormalizedLineEndings NormalizeLineEndings(std::string_view original);

// The original bytes of a text normalised by NormalizeLineEndings.
std::string RestoreLineEndings(std::string_view text, const std::vector<int64_t>& crlf,
                               const std::vector<int64_t>& cr);

// What the audit keeps of the original bytes of a normalised text: the offsets above and the
// digest of the original (PersonalDataDigest, keyed per consultation), as JSON
// ({"line_endings":"normalised","crlf":[..],"cr":[..],"original_hmac_sha256":".."}). With the
// stored text it restores the bytes received, and the digest tells they are the ones received
// until the consultation's personal data is purged; the text itself (personal data) is not
// copied into the audit.
std::string LineEndingsAuditJson(const NormalizedLineEndings& normalized,
                                 const std::string& original_digest);

// The submission stored under `receipt` (canonical form); NotFound otherwise.
Result<SubmissionCopy> GetSubmissionCopy(storage::Database& database, const std::string& receipt);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_INTAKE_H_
