#include "core/digest.h"

#include <sodium.h>

#include <cstdlib>
#include <vector>

namespace civicdesk {
namespace {

void StartSodium() {
  if (sodium_init() < 0) std::abort();  // no random source and no hashing: nothing to recover
}

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string hex(2 * size + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

}  // namespace

std::string Sha256Hex(std::string_view text) {
  StartSodium();
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return Hex(hash, sizeof(hash));
}

std::string HmacSha256Hex(std::string_view key, std::string_view text) {
  StartSodium();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(text.data()),
                                text.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return Hex(mac, sizeof(mac));
}

std::string RandomHex(size_t bytes) {
  StartSodium();
  std::vector<unsigned char> random(bytes);
  randombytes_buf(random.data(), random.size());
  return Hex(random.data(), random.size());
}

std::string Base64Encode(std::string_view bytes) {
  StartSodium();
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  text.resize(text.size() - 1);  // the terminating NUL
  return text;
}

bool Base64Decode(std::string_view text, std::string& bytes) {
  StartSodium();
  bytes.assign(text.size() / 4 * 3 + 3, '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return false;
  }
  bytes.resize(length);
  return true;
}

}  // namespace civicdesk
