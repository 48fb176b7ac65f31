#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace floe::types {

/// A UUID value: 16 bytes in the order they are written, compared bytewise as PostgreSQL does.
struct Uuid {
  std::array<uint8_t, 16> bytes{};

  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

/// Parses 32 hexadecimal digits, either case, optionally wrapped in braces and optionally with a
/// hyphen after any group of four digits ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
/// '{a0eebc999c0b4ef8bb6d6bb9bd380a11}'), as PostgreSQL accepts. Errors: InvalidCast (22P02)
/// `invalid input syntax for type uuid: "<text>"`.
Result<Uuid> ParseUuid(std::string_view text);

/// Formats as lower-case 8-4-4-4-12 hexadecimal groups.
std::string FormatUuid(const Uuid& uuid);

}  // namespace floe::types
