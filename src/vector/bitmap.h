#pragma once

#include <cstdint>

namespace floe::vector {

/// Bitmaps in Arrow's bit order: bit `i` is bit `i % 8` (least significant first) of byte
/// `i / 8`. Validity bitmaps set a bit for a valid row; BOOLEAN values set it for true. Every
/// function takes a bit offset, so bitmaps of slices that start inside a byte work unchanged.

/// Returns the bytes needed to hold `bits` bits.
inline int64_t BitmapBytes(int64_t bits) {
  return (bits + 7) / 8;
}

inline bool GetBit(const uint8_t* bits, int64_t index) {
  return ((bits[index >> 3] >> (index & 7)) & 1) != 0;
}

inline void SetBit(uint8_t* bits, int64_t index) {
  bits[index >> 3] = static_cast<uint8_t>(bits[index >> 3] | (1u << (index & 7)));
}

inline void ClearBit(uint8_t* bits, int64_t index) {
  bits[index >> 3] = static_cast<uint8_t>(bits[index >> 3] & ~(1u << (index & 7)));
}

inline void SetBitTo(uint8_t* bits, int64_t index, bool value) {
  // Branch-free: decoders call this once per row with unpredictable values.
  uint8_t& byte = bits[index >> 3];
  unsigned mask = 1u << (index & 7);
  byte = static_cast<uint8_t>((byte & ~mask) |
                              (static_cast<unsigned>(-static_cast<int>(value)) & mask));
}

/// Returns how many of the bits [offset, offset + length) are set, a 64-bit word at a time.
int64_t CountSetBits(const uint8_t* bits, int64_t offset, int64_t length);

/// Sets the bits [offset, offset + length) to `value`, leaving the bits around them unchanged.
void SetBitsTo(uint8_t* bits, int64_t offset, int64_t length, bool value);

/// Copies `length` bits from `source` at `source_offset` to `destination` at
/// `destination_offset`, leaving the destination bits around them unchanged. The ranges must not
/// overlap.
void CopyBits(const uint8_t* source, int64_t source_offset, int64_t length, uint8_t* destination,
              int64_t destination_offset);

}  // namespace floe::vector
