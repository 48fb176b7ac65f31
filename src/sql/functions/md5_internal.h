#pragma once

#include <string>
#include <string_view>

namespace floe::sql::internal {

/// Returns the MD5 digest of `data` (RFC 1321) as 32 lower-case hexadecimal digits, the output
/// of PostgreSQL's md5().
std::string Md5Hex(std::string_view data);

}  // namespace floe::sql::internal
