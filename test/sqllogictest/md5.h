#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace floe::sqllogictest {

/// Returns the MD5 digest of `data` as 32 lower-case hexadecimal digits, or Internal when
/// OpenSSL refuses the digest (a FIPS-only configuration, say).
Result<std::string> Md5Hex(std::string_view data);

}  // namespace floe::sqllogictest
