#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"

/// The PLAIN encoding (Encodings.md, "Plain"): values back to back, little-endian.
namespace floe::format::parquet {

/// An INT96 value as stored: three little-endian 32-bit words.
struct Int96 {
  uint32_t words[3] = {};
  friend bool operator==(const Int96&, const Int96&) = default;
};

/// Decodes output.size() fixed-width values (int32_t, int64_t, float, double or Int96) from
/// the start of `data`; returns the bytes read, or Corruption if `data` is short.
template <typename T>
Result<size_t> DecodePlain(std::span<const uint8_t> data, std::span<T> output);

/// Decodes output.size() booleans (one bit each, least significant first) starting at value
/// `first` of `data`, as 0 or 1. Corruption if `data` is short.
Status DecodePlainBooleans(std::span<const uint8_t> data, int64_t first, std::span<uint8_t> output);

/// Decodes output.size() BYTE_ARRAY values (4-byte little-endian length, then the bytes) as
/// views into `data`; returns the bytes read. Corruption for a length beyond the data.
Result<size_t> DecodePlainByteArrays(std::span<const uint8_t> data,
                                     std::span<std::string_view> output);

/// Decodes output.size() FIXED_LEN_BYTE_ARRAY values of `type_length` bytes as views into
/// `data`; returns the bytes read.
Result<size_t> DecodePlainFixedLenByteArrays(std::span<const uint8_t> data, int32_t type_length,
                                             std::span<std::string_view> output);

/// Appends the PLAIN encoding of fixed-width values.
template <typename T>
void EncodePlain(std::span<const T> values, std::vector<uint8_t>& output);
/// Appends booleans (each 0 or 1) packed one bit each, the last byte padded with zeros.
void EncodePlainBooleans(std::span<const uint8_t> values, std::vector<uint8_t>& output);
void EncodePlainByteArrays(std::span<const std::string_view> values, std::vector<uint8_t>& output);
/// Appends the values' bytes; each value must be the column's type_length long.
void EncodePlainFixedLenByteArrays(std::span<const std::string_view> values,
                                   std::vector<uint8_t>& output);

}  // namespace floe::format::parquet
