#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

/// BYTE_STREAM_SPLIT (Encodings.md): byte k of every value is stored in stream k, and the
/// streams follow one another. Works for any value width: 4 (FLOAT, INT32), 8 (DOUBLE, INT64)
/// or a FIXED_LEN_BYTE_ARRAY's type_length.
namespace floe::format::parquet {

/// Writes values [first, first + count) of a page of `num_values` values of `width` bytes to
/// `output` (count * width bytes, values back to back). Corruption if `data` holds other than
/// num_values * width bytes or the range lies outside the page.
Status DecodeByteStreamSplit(std::span<const uint8_t> data, int width, int64_t num_values,
                             int64_t first, int64_t count, uint8_t* output);

/// Appends the encoding of `values` (whole values of `width` bytes, back to back).
void EncodeByteStreamSplit(std::span<const uint8_t> values, int width,
                           std::vector<uint8_t>& output);

}  // namespace floe::format::parquet
