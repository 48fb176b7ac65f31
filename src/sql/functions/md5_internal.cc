#include "sql/functions/md5_internal.h"

#include <array>

#include <openssl/evp.h>

#include "common/check.h"

namespace floe::sql::internal {

std::string Md5Hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  // One-shot digests only fail when OpenSSL cannot allocate its context.
  FLOE_CHECK(EVP_Digest(data.data(), data.size(), digest.data(), &digest_size, EVP_md5(),
                        nullptr) == 1);
  constexpr std::string_view kHexDigits = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * static_cast<size_t>(digest_size));
  for (unsigned int i = 0; i < digest_size; ++i) {
    hex += kHexDigits[digest[i] >> 4];
    hex += kHexDigits[digest[i] & 0xf];
  }
  return hex;
}

}  // namespace floe::sql::internal
