#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

/// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY (Encodings.md), decoded a page at a time.
namespace floe::format::parquet {

/// Decodes output.size() values as views into `data`: DELTA_BINARY_PACKED lengths, then the
/// concatenated bytes. Returns the bytes read. Corruption for negative or oversized lengths.
Result<size_t> DecodeDeltaLengthByteArray(std::span<const uint8_t> data,
                                          std::span<std::string_view> output);

/// Decodes the lengths of lengths.size() DELTA_LENGTH_BYTE_ARRAY values, for a caller that
/// copies the concatenated bytes at once. Returns where the bytes begin in `data` and sets
/// `total` to their sum; every length is non-negative and the bytes lie within `data`
/// (Corruption otherwise).
Result<size_t> DecodeDeltaLengthByteArrayLengths(std::span<const uint8_t> data,
                                                 std::span<int32_t> lengths, int64_t& total);

/// Decodes output.size() values: DELTA_BINARY_PACKED prefix lengths, then the suffixes as
/// DELTA_LENGTH_BYTE_ARRAY; each value is the previous value's prefix plus its suffix. The
/// values are built in `storage` (replaced) and `output` views it. Since shared prefixes
/// multiply the bytes, values totalling more than `max_output_bytes` are Corruption.
Status DecodeDeltaByteArray(std::span<const uint8_t> data, std::span<std::string_view> output,
                            std::string& storage, int64_t max_output_bytes);

/// Appends the DELTA_LENGTH_BYTE_ARRAY encoding of `values`.
void EncodeDeltaLengthByteArray(std::span<const std::string_view> values,
                                std::vector<uint8_t>& output);
/// Appends the DELTA_BYTE_ARRAY encoding of `values`, sharing each value's longest common
/// prefix with the value before it.
void EncodeDeltaByteArray(std::span<const std::string_view> values, std::vector<uint8_t>& output);

}  // namespace floe::format::parquet
