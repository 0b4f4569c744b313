#include "consultation/intake.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/text_normalize.h"
#include "http/sessions.h"

namespace civicdesk::consultation {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kReceiptCharacters = 12;  // after "CD", in three groups of four

std::string Grouped(std::string_view characters) {
  std::string receipt = "CD";
  for (size_t i = 0; i < characters.size(); ++i) {
    if (i % 4 == 0) receipt += "-";
    receipt += characters[i];
  }
  return receipt;
}

}  // namespace

std::string NewFormToken() { return http::RandomToken(); }

bool IsFormToken(std::string_view token) {
  if (token.size() != 64) return false;
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string ReceiptForFormToken(std::string_view token) {
  static constexpr std::string_view kDomain = "civicdesk consultation form token\n";
  std::string message(kDomain);
  message += token;
  unsigned char digest[32];
  crypto_generichash(digest, sizeof(digest), reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), nullptr, 0);
  // 60 bits, five at a time, as NewReceipt draws them.
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | digest[i];
  std::string characters;
  for (size_t i = 0; i < kReceiptCharacters; ++i) {
    characters += kCrockford[(bits >> (59 - 5 * i)) & 31];
  }
  return Grouped(characters);
}

std::string NormalizeReceiptNumber(std::string_view typed) {
  std::string text = TrimSpaces(NormalizeNfkc(typed));
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  std::string characters;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      characters += c;
    } else if (c >= 'A' && c <= 'Z') {
      characters += c == 'O' ? '0' : (c == 'I' || c == 'L') ? '1' : c;
    }
    // Anything else (spaces, hyphens of every width, ー, −) only separates the groups.
  }
  if (characters.size() == kReceiptCharacters + 2 && characters.rfind("CD", 0) == 0) {
    characters.erase(0, 2);
  }
  if (characters.size() != kReceiptCharacters ||
      characters.find_first_not_of(kCrockford) != std::string::npos) {
    return text;
  }
  return Grouped(characters);
}

NormalizedLineEndings NormalizeLineEndings(std::string_view original) {
  NormalizedLineEndings normalized;
  normalized.text.reserve(original.size());
  for (size_t i = 0; i < original.size(); ++i) {
    if (original[i] != '\r') {
      normalized.text += original[i];
      continue;
    }
    const int64_t at = static_cast<int64_t>(normalized.text.size());
    if (i + 1 < original.size() && original[i + 1] == '\n') {
      normalized.crlf.push_back(at);
      ++i;
    } else {
      normalized.cr.push_back(at);
    }
    normalized.text += '\n';
  }
  return normalized;
}

std::string RestoreLineEndings(std::string_view text, const std::vector<int64_t>& crlf,
                               const std::vector<int64_t>& cr) {
  std::string original;
  original.reserve(text.size() + crlf.size());
  size_t next_crlf = 0, next_cr = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const int64_t at = static_cast<int64_t>(i);
    if (next_crlf < crlf.size() && crlf[next_crlf] == at) {
      original += "\r\n";
      ++next_crlf;
    } else if (next_cr < cr.size() && cr[next_cr] == at) {
      original += '\r';
      ++next_cr;
    } else {
      original += text[i];
    }
  }
  return original;
}

std::string LineEndingsAuditJson(const NormalizedLineEndings& normalized,
                                 const std::string& original_digest) {
  return nlohmann::json{{"line_endings", "normalised"},
                        {"crlf", normalized.crlf},
                        {"cr", normalized.cr},
                        {"original_hmac_sha256", original_digest}}
      .dump();
}

Result<SubmissionCopy> GetSubmissionCopy(storage::Database& database, const std::string& receipt) {
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult rows,
      database.Query(
          "SELECT s.receipt, s.consultation_id, c.kind, s.text, s.relationship, s.channel,"
          " s.contact_name, s.contact_email, s.contact_phone, s.contact_address"
          " FROM consultation_submission s JOIN consultation c ON c.id = s.consultation_id"
          " WHERE s.receipt = ?",
          {receipt}));
  if (rows.empty()) return Status::NotFound("consultation.receipt_not_found");
  const auto& row = rows.rows[0];
  using storage::AsInt;
  using storage::AsText;
  SubmissionCopy copy;
  copy.receipt = AsText(row[0]);
  copy.consultation_id = AsInt(row[1]);
  copy.consultation_kind = AsText(row[2]);
  copy.text = AsText(row[3]);
  copy.relationship = AsText(row[4]);
  copy.channel = AsText(row[5]);
  copy.gave_name = !AsText(row[6]).empty();
  copy.gave_email = !AsText(row[7]).empty();
  copy.gave_phone = !AsText(row[8]).empty();
  copy.gave_address = !AsText(row[9]).empty();
  return copy;
}

}  // namespace civicdesk::consultation
