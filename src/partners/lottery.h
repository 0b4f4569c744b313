#ifndef CIVICDESK_PARTNERS_LOTTERY_H_
#define CIVICDESK_PARTNERS_LOTTERY_H_

#include <string>
#include <vector>

namespace civicdesk::partners {

// One applicant's place in a draw.
struct DrawTicket {
  std::string applicant;  // the application number, as published
  std::string hash_hex;   // BLAKE2b-256 of "<seed>:<applicant>", hex
  bool won = false;
};

// A reproducible, auditable lottery: each applicant's ticket is the BLAKE2b-256 hash (libsodium's
// crypto_generichash) of the published seed, a colon and the application number; the `places`
// lowest hashes win. Anyone with the seed and the list of numbers can recompute it (for example
// with Python's hashlib.blake2b(digest_size=32)). Returns the tickets ordered by hash. The order
// of `applicants` does not matter; duplicates count once.
std::vector<DrawTicket> DrawLottery(const std::string& seed, std::vector<std::string> applicants,
                                    size_t places);

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_LOTTERY_H_
