#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "format/parquet/writer/bloom_filter_builder.h"

/// Per physical type value handling shared by the column writer's parts: the value a column
/// writer holds for each physical type (bool, int32_t, int64_t, float, double, or a
/// std::string_view for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY), its PLAIN bytes, hash and order.
namespace floe::format::parquet::internal {

/// How min and max compare values (the spec's "sort order" for the column's type).
enum class ValueOrder : uint8_t {
  kNatural,          // Numbers by value, booleans false < true.
  kUnsignedBytes,    // Lexicographic unsigned bytes: strings, binary, UUID.
  kSignedBigEndian,  // DECIMAL in FIXED_LEN_BYTE_ARRAY: two's complement big-endian.
};

/// The form in which statistics keep a value beyond the lifetime of its vector.
template <typename T>
using StoredValue = std::conditional_t<std::is_same_v<T, std::string_view>, std::string, T>;

template <typename T>
bool IsNaN(const T& value) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::isnan(value);
  } else {
    return false;
  }
}

/// Returns whether `a` orders before `b` (binary values).
inline bool LessBytes(std::string_view a, std::string_view b, ValueOrder order) {
  if (order == ValueOrder::kSignedBigEndian && !a.empty() && !b.empty() && a[0] != b[0]) {
    return static_cast<int8_t>(a[0]) < static_cast<int8_t>(b[0]);
  }
  // std::char_traits<char> compares as unsigned char, the spec's order for binary values.
  return a < b;
}

/// Returns whether `a` orders before `b`. NaN never reaches here (statistics skip it).
template <typename T>
bool Less(const T& a, const T& b, ValueOrder order) {
  if constexpr (std::is_same_v<T, std::string_view> || std::is_same_v<T, std::string>) {
    return LessBytes(std::string_view(a), std::string_view(b), order);
  } else {
    return a < b;
  }
}

/// Returns the PLAIN bytes of one value as statistics and Bloom filters use them (without the
/// length prefix of BYTE_ARRAY).
template <typename T>
std::string_view PlainBytes(const T& value, char (&scratch)[8]) {
  if constexpr (std::is_same_v<T, std::string_view> || std::is_same_v<T, std::string>) {
    return std::string_view(value);
  } else if constexpr (std::is_same_v<T, bool>) {
    scratch[0] = value ? 1 : 0;
    return std::string_view(scratch, 1);
  } else {
    std::memcpy(scratch, &value, sizeof(T));
    return std::string_view(scratch, sizeof(T));
  }
}

/// Returns a hash for the dictionary's table: equal bit patterns hash alike, so -0.0 and 0.0
/// (and NaNs with different payloads) are distinct dictionary entries.
template <typename T>
uint64_t DictionaryHash(const T& value) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return XxHash64(value);
  } else {
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    return (bits ^ (bits >> 29)) * 0x9E3779B97F4A7C15ULL;
  }
}

template <typename T>
bool SameBits(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return a == b;
  } else {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
  }
}

/// Returns the bytes the value takes in PLAIN encoding (BYTE_ARRAY with its length prefix).
template <typename T>
int64_t PlainSize(const T& value, bool is_fixed_length) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return static_cast<int64_t>(value.size()) + (is_fixed_length ? 0 : 4);
  } else if constexpr (std::is_same_v<T, bool>) {
    return 1;
  } else {
    return sizeof(T);
  }
}

}  // namespace floe::format::parquet::internal
