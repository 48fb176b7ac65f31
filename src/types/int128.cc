#include "types/int128.h"

#include <algorithm>

namespace floe::types {

std::string Int128ToString(Int128 value) {
  // Work on the magnitude as unsigned so that the minimum value does not overflow on negation.
  bool is_negative = value < 0;
  UInt128 magnitude =
      is_negative ? UInt128{0} - static_cast<UInt128>(value) : static_cast<UInt128>(value);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  if (is_negative) {
    digits.push_back('-');
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::optional<Int128> ParseInt128(std::string_view text) {
  bool is_negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    is_negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) {
    return std::nullopt;
  }
  // Accumulate negatively: the negative range is one larger than the positive one.
  Int128 value = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') {
      return std::nullopt;
    }
    std::optional<Int128> shifted = CheckedMultiply(value, 10);
    if (!shifted) {
      return std::nullopt;
    }
    std::optional<Int128> next = CheckedAdd(*shifted, -(ch - '0'));
    if (!next) {
      return std::nullopt;
    }
    value = *next;
  }
  if (!is_negative) {
    if (value == kInt128Min) {
      return std::nullopt;
    }
    value = -value;
  }
  return value;
}

}  // namespace floe::types
