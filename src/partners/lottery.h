#ifndef CIVICDESK_PARTNERS_LOTTERY_H_
#define CIVICDESK_PARTNERS_LOTTERY_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/digest.h"

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
// with Python's hashlib.blake2b(digest_size=32), or `printf %s SEED:NUMBER | b2sum -l 256`).
// Returns the tickets ordered by hash. The order of `applicants` does not matter; duplicates count
// once. The seed is the one committed before the window closed (store.h, SeedCommitment).
std::vector<DrawTicket> DrawLottery(const std::string& seed, std::vector<std::string> applicants,
                                    size_t places);

// The lottery's commitment is core's Sha256Hex (core/digest.h) of the seed's bytes, what
// `printf %s SEED | sha256sum` prints.

// A seed nobody chose: 32 bytes from libsodium's randombytes as 64 lower-case hex digits, so it
// can be typed into a shell without quoting. Empty if libsodium fails to start.
std::string NewSeed();

// True for 64 lower-case hex digits (a SHA-256 in the form Sha256Hex gives).
bool IsSha256Hex(std::string_view text);

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_LOTTERY_H_
