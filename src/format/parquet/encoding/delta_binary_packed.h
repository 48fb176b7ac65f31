#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "common/result.h"

namespace floe::format::parquet {

/// Decodes DELTA_BINARY_PACKED (Encodings.md, "Delta Encoding") int32 or int64 values in bulk.
///
/// Arithmetic wraps modulo 2^32 or 2^64 as the specification requires, so any delta that a
/// writer computed with wrapping reads back. Keeps its place between Decode calls and views
/// `data`, which must outlive it. Malformed or short data gives Corruption.
template <typename T>
class DeltaBinaryPackedDecoder {
  static_assert(std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>);

 public:
  /// Reads the header at the start of `data`.
  static Result<DeltaBinaryPackedDecoder> Make(std::span<const uint8_t> data);

  /// Returns the number of values the header announces.
  int64_t total_values() const { return total_values_; }
  /// Returns the values not decoded yet.
  int64_t remaining_values() const { return remaining_values_; }

  /// Writes the next `count` values to `output`; Corruption if fewer remain.
  Status Decode(T* output, int64_t count);

  /// Returns the bytes read so far: after the last value, the end of the encoded data.
  size_t position() const { return position_; }

 private:
  using Unsigned = std::make_unsigned_t<T>;
  static constexpr int kGroupSize = 32;

  explicit DeltaBinaryPackedDecoder(std::span<const uint8_t> data) : data_(data) {}
  Status ReadHeader();
  Status ReadVarint(uint64_t& value, const char* what);
  Status StartBlock();
  Status StartMiniblock();
  Status LoadGroup();

  std::span<const uint8_t> data_;
  size_t position_ = 0;
  int64_t values_per_block_ = 0;
  int64_t miniblocks_per_block_ = 0;
  int64_t values_per_miniblock_ = 0;
  int64_t total_values_ = 0;
  int64_t remaining_values_ = 0;
  bool is_first_value_pending_ = true;
  Unsigned last_value_ = 0;
  Unsigned min_delta_ = 0;
  std::vector<uint8_t> bit_widths_;
  int64_t miniblock_index_ = 0;
  const uint8_t* miniblock_data_ = nullptr;
  int bit_width_ = 0;
  int64_t miniblock_values_left_ = 0;
  Unsigned group_[kGroupSize] = {};
  int group_size_ = 0;
  int group_offset_ = 0;
};

/// Appends the DELTA_BINARY_PACKED encoding of `values` with blocks of 128 values in four
/// miniblocks of 32, as the specification recommends. T is int32_t or int64_t.
template <typename T>
void EncodeDeltaBinaryPacked(std::span<const T> values, std::vector<uint8_t>& output);

}  // namespace floe::format::parquet
