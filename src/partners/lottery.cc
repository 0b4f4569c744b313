#include "partners/lottery.h"

#include <sodium.h>

#include <algorithm>

namespace civicdesk::partners {

std::vector<DrawTicket> DrawLottery(const std::string& seed, std::vector<std::string> applicants,
                                    size_t places) {
  if (sodium_init() < 0) return {};
  std::sort(applicants.begin(), applicants.end());
  applicants.erase(std::unique(applicants.begin(), applicants.end()), applicants.end());
  std::vector<DrawTicket> tickets;
  for (const std::string& applicant : applicants) {
    const std::string message = seed + ":" + applicant;
    unsigned char hash[32];
    crypto_generichash(hash, sizeof(hash), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), nullptr, 0);
    char hex[65];
    sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
    tickets.push_back({applicant, hex, false});
  }
  std::sort(tickets.begin(), tickets.end(),
            [](const DrawTicket& a, const DrawTicket& b) { return a.hash_hex < b.hash_hex; });
  for (size_t i = 0; i < tickets.size() && i < places; ++i) tickets[i].won = true;
  return tickets;
}

std::string NewSeed() {
  if (sodium_init() < 0) return {};
  unsigned char random[32];
  randombytes_buf(random, sizeof(random));
  char hex[65];
  sodium_bin2hex(hex, sizeof(hex), random, sizeof(random));
  return hex;
}

bool IsSha256Hex(std::string_view text) {
  return text.size() == 2 * crypto_hash_sha256_BYTES &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace civicdesk::partners
