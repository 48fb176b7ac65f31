#include "format/parquet/encoding/delta_binary_packed.h"

#include <algorithm>

#include "format/parquet/encoding/bit_packing.h"

namespace floe::format::parquet {
namespace {

// Bounds a hostile header: no writer uses blocks anywhere near this large.
constexpr uint64_t kMaxValuesPerBlock = uint64_t{1} << 20;

void AppendVarint(uint64_t value, std::vector<uint8_t>& output) {
  while (value >= 0x80) {
    output.push_back(static_cast<uint8_t>(value) | 0x80);
    value >>= 7;
  }
  output.push_back(static_cast<uint8_t>(value));
}

uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}

int64_t UnZigZag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

}  // namespace

template <typename T>
Result<DeltaBinaryPackedDecoder<T>> DeltaBinaryPackedDecoder<T>::Make(
    std::span<const uint8_t> data) {
  DeltaBinaryPackedDecoder decoder(data);
  FLOE_RETURN_NOT_OK(decoder.ReadHeader());
  return decoder;
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::ReadVarint(uint64_t& value, const char* what) {
  value = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (position_ >= data_.size()) {
      return Status::Corruption("DELTA_BINARY_PACKED {} runs past the end at byte {}", what,
                                position_);
    }
    uint8_t byte = data_[position_++];
    value |= uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) {
      return Status::OK();
    }
  }
  return Status::Corruption("DELTA_BINARY_PACKED {} longer than 10 bytes at byte {}", what,
                            position_);
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::ReadHeader() {
  uint64_t block = 0;
  uint64_t miniblocks = 0;
  uint64_t total = 0;
  uint64_t first = 0;
  FLOE_RETURN_NOT_OK(ReadVarint(block, "block size"));
  FLOE_RETURN_NOT_OK(ReadVarint(miniblocks, "miniblock count"));
  FLOE_RETURN_NOT_OK(ReadVarint(total, "value count"));
  FLOE_RETURN_NOT_OK(ReadVarint(first, "first value"));
  // Encodings.md: the block size is a multiple of 128 and a miniblock a multiple of 32 values.
  if (block == 0 || block % 128 != 0 || block > kMaxValuesPerBlock || miniblocks == 0 ||
      block % miniblocks != 0 || (block / miniblocks) % kGroupSize != 0) {
    return Status::Corruption("DELTA_BINARY_PACKED blocks of {} values in {} miniblocks", block,
                              miniblocks);
  }
  if (total > static_cast<uint64_t>(INT32_MAX)) {
    return Status::Corruption("DELTA_BINARY_PACKED value count {}", total);
  }
  values_per_block_ = static_cast<int64_t>(block);
  miniblocks_per_block_ = static_cast<int64_t>(miniblocks);
  values_per_miniblock_ = values_per_block_ / miniblocks_per_block_;
  total_values_ = static_cast<int64_t>(total);
  remaining_values_ = total_values_;
  last_value_ = static_cast<Unsigned>(UnZigZag(first));
  miniblock_index_ = miniblocks_per_block_;
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::StartBlock() {
  uint64_t min_delta = 0;
  FLOE_RETURN_NOT_OK(ReadVarint(min_delta, "minimum delta"));
  min_delta_ = static_cast<Unsigned>(UnZigZag(min_delta));
  if (data_.size() - position_ < static_cast<size_t>(miniblocks_per_block_)) {
    return Status::Corruption("DELTA_BINARY_PACKED bit widths run past the end at byte {}",
                              position_);
  }
  bit_widths_.assign(
      data_.begin() + static_cast<std::ptrdiff_t>(position_),
      data_.begin() + static_cast<std::ptrdiff_t>(position_) + miniblocks_per_block_);
  position_ += static_cast<size_t>(miniblocks_per_block_);
  miniblock_index_ = 0;
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::StartMiniblock() {
  if (miniblock_index_ == miniblocks_per_block_) {
    FLOE_RETURN_NOT_OK(StartBlock());
  }
  bit_width_ = bit_widths_[static_cast<size_t>(miniblock_index_++)];
  if (bit_width_ > static_cast<int>(8 * sizeof(T))) {
    return Status::Corruption("DELTA_BINARY_PACKED miniblock bit width {} for {}-bit values",
                              bit_width_, 8 * sizeof(T));
  }
  // Every miniblock that holds values is padded to its full size (Encodings.md).
  auto bytes = static_cast<size_t>(BitPackedSize(values_per_miniblock_, bit_width_));
  if (bytes > data_.size() - position_) {
    return Status::Corruption(
        "DELTA_BINARY_PACKED miniblock of {} bytes runs past the end at "
        "byte {}",
        bytes, position_);
  }
  miniblock_data_ = data_.data() + position_;
  position_ += bytes;
  miniblock_values_left_ = values_per_miniblock_;
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::LoadGroup() {
  if (miniblock_values_left_ == 0) {
    FLOE_RETURN_NOT_OK(StartMiniblock());
  }
  // The rest of the page may be read too, so that values load in place.
  auto readable = static_cast<int64_t>(data_.data() + data_.size() - miniblock_data_);
  if constexpr (sizeof(T) == 4) {
    UnpackBits32(miniblock_data_, readable, bit_width_, kGroupSize, group_);
  } else {
    UnpackBits64(miniblock_data_, readable, bit_width_, kGroupSize, group_);
  }
  miniblock_data_ += BitPackedSize(kGroupSize, bit_width_);
  miniblock_values_left_ -= kGroupSize;
  group_size_ = kGroupSize;
  group_offset_ = 0;
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::Decode(T* output, int64_t count) {
  if (count > remaining_values_) {
    return Status::Corruption("DELTA_BINARY_PACKED data holds {} more values, {} requested",
                              remaining_values_, count);
  }
  remaining_values_ -= count;
  if (count > 0 && is_first_value_pending_) {
    *output++ = static_cast<T>(last_value_);
    is_first_value_pending_ = false;
    --count;
  }
  while (count > 0) {
    if (group_offset_ == group_size_) {
      FLOE_RETURN_NOT_OK(LoadGroup());
    }
    int64_t values = std::min<int64_t>(count, group_size_ - group_offset_);
    Unsigned last = last_value_;
    for (int64_t i = 0; i < values; ++i) {
      last += min_delta_ + group_[group_offset_ + i];
      output[i] = static_cast<T>(last);
    }
    last_value_ = last;
    group_offset_ += static_cast<int>(values);
    output += values;
    count -= values;
  }
  return Status::OK();
}

template class DeltaBinaryPackedDecoder<int32_t>;
template class DeltaBinaryPackedDecoder<int64_t>;

namespace {

template <typename T>
void AppendBlock(std::span<const std::make_unsigned_t<T>> deltas, std::vector<uint8_t>& output) {
  using Unsigned = std::make_unsigned_t<T>;
  constexpr size_t kMiniblocks = 4;
  constexpr size_t kMiniblockSize = 32;
  auto min_delta = static_cast<T>(deltas[0]);
  for (Unsigned delta : deltas) {
    min_delta = std::min(min_delta, static_cast<T>(delta));
  }
  std::vector<uint64_t> relative(kMiniblocks * kMiniblockSize, 0);
  uint8_t bit_widths[kMiniblocks] = {};
  for (size_t i = 0; i < deltas.size(); ++i) {
    relative[i] = static_cast<Unsigned>(deltas[i] - static_cast<Unsigned>(min_delta));
    auto& width = bit_widths[i / kMiniblockSize];
    width = static_cast<uint8_t>(std::max<int>(width, BitWidthOf(relative[i])));
  }
  AppendVarint(ZigZag(min_delta), output);
  output.insert(output.end(), bit_widths, bit_widths + kMiniblocks);
  size_t used_miniblocks = (deltas.size() + kMiniblockSize - 1) / kMiniblockSize;
  for (size_t miniblock = 0; miniblock < used_miniblocks; ++miniblock) {
    PackBits(relative.data() + miniblock * kMiniblockSize, kMiniblockSize, bit_widths[miniblock],
             output);
  }
}

}  // namespace

template <typename T>
void EncodeDeltaBinaryPacked(std::span<const T> values, std::vector<uint8_t>& output) {
  using Unsigned = std::make_unsigned_t<T>;
  constexpr size_t kBlockSize = 128;
  AppendVarint(kBlockSize, output);
  AppendVarint(4, output);
  AppendVarint(values.size(), output);
  AppendVarint(ZigZag(values.empty() ? 0 : values[0]), output);
  std::vector<Unsigned> deltas;
  deltas.reserve(kBlockSize);
  for (size_t i = 1; i < values.size(); ++i) {
    // Wrapping subtraction: the difference of two extremes still fits modulo 2^bits.
    deltas.push_back(static_cast<Unsigned>(values[i]) - static_cast<Unsigned>(values[i - 1]));
    if (deltas.size() == kBlockSize || i + 1 == values.size()) {
      AppendBlock<T>(deltas, output);
      deltas.clear();
    }
  }
}

template void EncodeDeltaBinaryPacked(std::span<const int32_t>, std::vector<uint8_t>&);
template void EncodeDeltaBinaryPacked(std::span<const int64_t>, std::vector<uint8_t>&);

}  // namespace floe::format::parquet
