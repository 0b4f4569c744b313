#ifndef CIVICDESK_CORE_DIGEST_H_
#define CIVICDESK_CORE_DIGEST_H_

#include <cstddef>
#include <string>
#include <string_view>

// Hashes over libsodium, as lower-case hex. Thread-safe.
namespace civicdesk {

// SHA-256 of `text`'s bytes as 64 lower-case hex digits, what `printf %s TEXT | sha256sum`
// prints. Unkeyed: anyone can recompute it, so it is no way to hide a short text (a phone
// number, a name) — use HmacSha256Hex with a secret key for that.
std::string Sha256Hex(std::string_view text);

// HMAC-SHA-256 of `text`'s bytes under `key` (any length; libsodium's crypto_auth_hmacsha256
// over the key's SHA-256 when it is not 32 bytes) as 64 lower-case hex digits. Without the key
// nobody can tell which text gave it, however short the text.
std::string HmacSha256Hex(std::string_view key, std::string_view text);

// `bytes` bytes from the system's random source (libsodium's randombytes) as 2 × `bytes`
// lower-case hex digits. Aborts when libsodium cannot start (there is no safe fallback).
std::string RandomHex(size_t bytes);

// `bytes` as standard Base64 (with padding), for a TEXT column that must hold any bytes; and
// back, false when `text` is not Base64.
std::string Base64Encode(std::string_view bytes);
bool Base64Decode(std::string_view text, std::string& bytes);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_DIGEST_H_
