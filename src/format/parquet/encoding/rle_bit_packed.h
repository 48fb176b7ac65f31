#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace floe::format::parquet {

/// Decodes the RLE/bit-packing hybrid encoding (Encodings.md, "Run Length Encoding /
/// Bit-Packing Hybrid") used for levels, dictionary indices and booleans, in bulk.
///
/// The decoder reads runs without the 4-byte length prefix some pages put before them; the
/// caller strips it. It keeps its place between Decode calls, so a page can be decoded batch by
/// batch. It views `data`, which must outlive it. Malformed or short data gives Corruption.
class RleBitPackedDecoder {
 public:
  /// `bit_width` comes from the file, so a width outside 0..32 is reported by Decode.
  RleBitPackedDecoder(std::span<const uint8_t> data, int bit_width);

  /// Writes the next `count` values to `output`. T is uint8_t, uint16_t, uint32_t, int16_t or
  /// int32_t; values wider than T are Corruption.
  template <typename T>
  Status Decode(T* output, int64_t count);

  /// Returns the bytes of `data` read so far, whole runs at a time.
  size_t position() const { return position_; }

 private:
  Status NextRun();
  Status ReadRunHeader(uint64_t& header);
  template <typename T>
  Status TakeLiterals(T*& output, int64_t& count);

  std::span<const uint8_t> data_;
  size_t position_ = 0;
  int bit_width_;
  int64_t repeat_count_ = 0;
  uint32_t repeat_value_ = 0;
  // Bit-packed values of the current run not yet unpacked, and where they start.
  int64_t literal_count_ = 0;
  const uint8_t* literal_data_ = nullptr;
  // One unpacked group of eight, served to calls that need fewer values than a group.
  uint32_t group_[8] = {};
  int group_size_ = 0;
  int group_offset_ = 0;
};

/// Appends the hybrid encoding of `values` (each below 2^bit_width, bit_width in 0..32): runs
/// of eight or more equal values become RLE runs, the rest bit-packed groups of eight.
void EncodeRleBitPacked(std::span<const uint32_t> values, int bit_width,
                        std::vector<uint8_t>& output);

/// Decodes output.size() values of the deprecated BIT_PACKED encoding (Encodings.md: packed
/// from the most significant bit down), `bit_width` in 0..32. Corruption if `data` is short.
Status DecodeLegacyBitPacked(std::span<const uint8_t> data, int bit_width,
                             std::span<uint32_t> output);

}  // namespace floe::format::parquet
