#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "format/parquet/schema.h"
#include "types/value.h"

/// Reading split block Bloom filters (BloomFilter.md) to skip row groups on equality.
namespace floe::format::parquet {

/// Returns the bytes BloomFilter.md hashes for `value` in `column`: its PLAIN encoding in the
/// column's physical type, without the length prefix of a BYTE_ARRAY. Nullopt when the value
/// has no single stored form the filter could hold (NULL, a constant that does not convert to
/// the column's type exactly, a stored unit finer than Floe's, a float zero, which is equal to
/// its negative twin of other bytes, NaN, and types without a defined form here).
std::optional<std::string> BloomFilterKey(const ColumnDescriptor& column,
                                          const types::Value& value);

/// Returns false only when the serialized filter at the start of `bytes` (BloomFilterHeader and
/// bitset) was certainly built without `hash`. A malformed or truncated filter, or one of an
/// algorithm, hash or compression this code does not know, may contain anything.
bool BloomFilterMayContain(std::span<const uint8_t> bytes, uint64_t hash);

}  // namespace floe::format::parquet
