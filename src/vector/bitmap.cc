#include "vector/bitmap.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace floe::vector {
namespace {

// Words are assembled with memcpy, which matches Arrow's bit order only on little-endian hosts.
static_assert(std::endian::native == std::endian::little, "bitmaps assume a little-endian host");

constexpr int kWordBits = 64;

uint64_t LowMask(int count) {
  return count == kWordBits ? ~uint64_t{0} : (uint64_t{1} << count) - 1;
}

// Returns the `count` (1 to 64) bits starting at bit `offset`, touching only the bytes that hold
// them so that reads never pass the end of the bitmap.
uint64_t LoadBits(const uint8_t* bits, int64_t offset, int count) {
  const uint8_t* first = bits + (offset >> 3);
  int shift = static_cast<int>(offset & 7);
  int bytes = (shift + count + 7) / 8;
  uint64_t word = 0;
  std::memcpy(&word, first, static_cast<size_t>(std::min(bytes, 8)));
  word >>= shift;
  if (bytes > 8) {
    word |= static_cast<uint64_t>(first[8]) << (kWordBits - shift);
  }
  return word & LowMask(count);
}

// Writes the low `count` (1 to 64) bits of `value` from bit `offset`, keeping the other bits of
// the bytes it touches.
void StoreBits(uint8_t* bits, int64_t offset, int count, uint64_t value) {
  uint8_t* first = bits + (offset >> 3);
  int shift = static_cast<int>(offset & 7);
  int bytes = (shift + count + 7) / 8;
  uint64_t mask = LowMask(count);
  value &= mask;
  size_t low_bytes = static_cast<size_t>(std::min(bytes, 8));
  uint64_t word = 0;
  std::memcpy(&word, first, low_bytes);
  word = (word & ~(mask << shift)) | (value << shift);
  std::memcpy(first, &word, low_bytes);
  if (bytes > 8) {
    auto high_mask = static_cast<uint8_t>(mask >> (kWordBits - shift));
    auto high_value = static_cast<uint8_t>(value >> (kWordBits - shift));
    first[8] = static_cast<uint8_t>((first[8] & ~high_mask) | high_value);
  }
}

}  // namespace

int64_t CountSetBits(const uint8_t* bits, int64_t offset, int64_t length) {
  int64_t count = 0;
  for (int64_t done = 0; done < length; done += kWordBits) {
    int chunk = static_cast<int>(std::min<int64_t>(kWordBits, length - done));
    count += std::popcount(LoadBits(bits, offset + done, chunk));
  }
  return count;
}

void SetBitsTo(uint8_t* bits, int64_t offset, int64_t length, bool value) {
  uint64_t word = value ? ~uint64_t{0} : 0;
  for (int64_t done = 0; done < length; done += kWordBits) {
    int chunk = static_cast<int>(std::min<int64_t>(kWordBits, length - done));
    StoreBits(bits, offset + done, chunk, word);
  }
}

void CopyBits(const uint8_t* source, int64_t source_offset, int64_t length, uint8_t* destination,
              int64_t destination_offset) {
  if ((source_offset & 7) == 0 && (destination_offset & 7) == 0) {
    int64_t whole_bytes = length / 8;
    if (whole_bytes > 0) {
      std::memcpy(destination + destination_offset / 8, source + source_offset / 8,
                  static_cast<size_t>(whole_bytes));
    }
    int64_t copied = whole_bytes * 8;
    if (copied < length) {
      int rest = static_cast<int>(length - copied);
      StoreBits(destination, destination_offset + copied, rest,
                LoadBits(source, source_offset + copied, rest));
    }
    return;
  }
  for (int64_t done = 0; done < length; done += kWordBits) {
    int chunk = static_cast<int>(std::min<int64_t>(kWordBits, length - done));
    StoreBits(destination, destination_offset + done, chunk,
              LoadBits(source, source_offset + done, chunk));
  }
}

}  // namespace floe::vector
