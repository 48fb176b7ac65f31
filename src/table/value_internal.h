#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "types/int128.h"
#include "types/value.h"

namespace floe::table::internal {

/// Returns the low `width` bytes of `bits`, least significant first.
std::string EncodeLittleEndian(uint64_t bits, int width);
/// Returns the fewest big-endian two's-complement bytes that hold `value` (spec Appendix B
/// note 2 and Appendix D), at least one byte.
std::string MinimalBigEndian(types::Int128 value);
/// Returns the integer a value of an integer or temporal Floe type holds; InvalidArgument
/// for other types.
Result<int64_t> IntegralOf(const types::Value& value);

}  // namespace floe::table::internal
