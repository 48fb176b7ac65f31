#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace floe::format::puffin {

/// Decodes a 64-bit Roaring bitmap in the "portable" serialization of the Roaring format
/// specification (docs/formats/puffin.md): a little-endian 64-bit count of buckets, then per
/// bucket, in ascending order of key, a 32-bit key (the high half of each value) and a standard
/// 32-bit Roaring bitmap (array, bitmap and run containers) of the low halves.
///
/// Returns the set values in ascending order. `bytes` must hold exactly one bitmap. Values must
/// fit in 63 bits, as deletion vectors require. Errors (never a crash, never an allocation beyond
/// 8 bytes per value kept): Corruption for truncated input, unknown cookies, keys out of order,
/// containers whose stored cardinality disagrees with their contents, trailing bytes, and for
/// more than `max_values` values.
Result<std::vector<int64_t>> DecodeRoaring64(std::span<const uint8_t> bytes, int64_t max_values);

/// Decodes one standard 32-bit Roaring bitmap from the front of `bytes`, appending `high << 32 |
/// value` for each value in ascending order to `values`; returns the number of bytes it took.
/// Errors as DecodeRoaring64, counting `values` already present against `max_values`.
Result<size_t> DecodeRoaring32(std::span<const uint8_t> bytes, uint64_t high, int64_t max_values,
                               std::vector<int64_t>& values);

}  // namespace floe::format::puffin
