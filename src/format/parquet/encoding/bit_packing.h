#pragma once

#include <cstdint>
#include <vector>

/// Packing of unsigned integers into consecutive bits, least significant bit first, as the
/// RLE/bit-packing hybrid and DELTA_BINARY_PACKED encodings use (Encodings.md).
namespace floe::format::parquet {

/// Returns the bytes that `count` values of `bit_width` bits take.
inline int64_t BitPackedSize(int64_t count, int bit_width) {
  return (count * bit_width + 7) / 8;
}

/// Unpacks `count` values of `bit_width` bits (0 to 32) from `input`, which must hold
/// BitPackedSize(count, bit_width) bytes. Reads nothing beyond them.
void UnpackBits32(const uint8_t* input, int bit_width, int64_t count, uint32_t* output);
/// The same where `readable` bytes from `input` may be read (at least those of the values):
/// the bytes past the values let it load each value in place rather than through a copy.
void UnpackBits32(const uint8_t* input, int64_t readable, int bit_width, int64_t count,
                  uint32_t* output);
/// Unpacks `count` values of `bit_width` bits (0 to 64), as UnpackBits32 does.
void UnpackBits64(const uint8_t* input, int bit_width, int64_t count, uint64_t* output);
void UnpackBits64(const uint8_t* input, int64_t readable, int bit_width, int64_t count,
                  uint64_t* output);

/// Appends BitPackedSize(count, bit_width) bytes holding the low `bit_width` bits (0 to 64)
/// of each value; the last byte is padded with zero bits.
void PackBits(const uint64_t* values, int64_t count, int bit_width, std::vector<uint8_t>& output);
void PackBits(const uint32_t* values, int64_t count, int bit_width, std::vector<uint8_t>& output);

/// Returns the bits needed to hold `value` (0 for 0).
inline int BitWidthOf(uint64_t value) {
  int width = 0;
  while (value != 0) {
    ++width;
    value >>= 1;
  }
  return width;
}

}  // namespace floe::format::parquet
