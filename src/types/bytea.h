#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace floe::types {

/// Parses BYTEA input: the hex format ('\x0a0b', whitespace allowed between byte pairs) or the
/// escape format (bytes as themselves, '\\' for a backslash, '\ooo' octal for any byte).
/// Errors, as PostgreSQL: InvalidArgument (22023) `invalid hexadecimal digit: "g"` and
/// `invalid hexadecimal data: odd number of digits`; InvalidCast (22P02) `invalid input syntax
/// for type bytea`.
Result<std::string> ParseBytea(std::string_view text);

/// Formats bytes in PostgreSQL's hex output format: '\x' then two lower-case digits per byte.
std::string FormatBytea(std::string_view bytes);

}  // namespace floe::types
