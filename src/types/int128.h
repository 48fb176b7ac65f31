#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace floe::types {

/// A signed 128-bit integer: the storage of DECIMAL values wider than 18 digits.
using Int128 = __int128;
using UInt128 = unsigned __int128;

inline constexpr Int128 kInt128Max = static_cast<Int128>(~static_cast<UInt128>(0) >> 1);
inline constexpr Int128 kInt128Min = -kInt128Max - 1;

/// Returns the decimal text of `value` ("-170141183460469231731687303715884105728").
std::string Int128ToString(Int128 value);

/// Parses an optional sign followed by decimal digits, nothing else. Returns nullopt when the
/// text is not such a number or does not fit.
std::optional<Int128> ParseInt128(std::string_view text);

/// Returns a + b, or nullopt on overflow.
inline std::optional<Int128> CheckedAdd(Int128 a, Int128 b) {
  Int128 sum;
  if (__builtin_add_overflow(a, b, &sum)) {
    return std::nullopt;
  }
  return sum;
}

/// Returns a * b, or nullopt on overflow.
inline std::optional<Int128> CheckedMultiply(Int128 a, Int128 b) {
  Int128 product;
  if (__builtin_mul_overflow(a, b, &product)) {
    return std::nullopt;
  }
  return product;
}

}  // namespace floe::types
