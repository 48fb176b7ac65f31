#include "format/puffin/deletion_vector.h"

#include <algorithm>

#include <zlib.h>

#include "format/puffin/roaring_bitmap.h"

namespace floe::format::puffin {

namespace {

constexpr uint8_t kMagic[4] = {0xd1, 0xd3, 0x39, 0x64};

uint32_t LoadBigEndian32(std::span<const uint8_t> bytes) {
  return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 |
         uint32_t{bytes[3]};
}

}  // namespace

Result<std::vector<int64_t>> DecodeDeletionVector(std::span<const uint8_t> blob,
                                                  int64_t max_positions) {
  if (blob.size() < kMinDeletionVectorSize) {
    return Status::Corruption("deletion vector blob of {} bytes is shorter than the minimum {}",
                              blob.size(), kMinDeletionVectorSize);
  }
  // The length covers magic and bitmap; the length field itself and the CRC come on top.
  const uint32_t length = LoadBigEndian32(blob.first(4));
  if (uint64_t{length} + 8 != blob.size()) {
    return Status::Corruption("deletion vector blob of {} bytes records a length of {}",
                              blob.size(), length);
  }
  std::span<const uint8_t> checked = blob.subspan(4, length);
  if (!std::equal(checked.begin(), checked.begin() + 4, kMagic)) {
    return Status::Corruption("deletion vector blob lacks the magic D1 D3 39 64");
  }
  const uint32_t stored_crc = LoadBigEndian32(blob.subspan(4 + length, 4));
  // Blob lengths fit in 32 bits, as zlib's length parameter does.
  const uint32_t computed_crc = static_cast<uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), checked.data(), static_cast<uInt>(checked.size())));
  if (stored_crc != computed_crc) {
    return Status::Corruption("deletion vector checksum mismatch: stored {:08x}, computed {:08x}",
                              stored_crc, computed_crc);
  }
  return DecodeRoaring64(checked.subspan(4), max_positions);
}

}  // namespace floe::format::puffin
