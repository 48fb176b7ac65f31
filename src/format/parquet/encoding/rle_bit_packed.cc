#include "format/parquet/encoding/rle_bit_packed.h"

#include <algorithm>
#include <limits>
#include <type_traits>

#include "format/parquet/encoding/bit_packing.h"

namespace floe::format::parquet {
namespace {

void AppendVarint(uint64_t value, std::vector<uint8_t>& output) {
  while (value >= 0x80) {
    output.push_back(static_cast<uint8_t>(value) | 0x80);
    value >>= 7;
  }
  output.push_back(static_cast<uint8_t>(value));
}

template <typename T>
Status Narrow(const uint32_t* values, int64_t count, T* output) {
  for (int64_t i = 0; i < count; ++i) {
    if (values[i] > static_cast<uint32_t>(std::numeric_limits<T>::max())) {
      return Status::Corruption("RLE value {} does not fit the output type", values[i]);
    }
    output[i] = static_cast<T>(values[i]);
  }
  return Status::OK();
}

}  // namespace

RleBitPackedDecoder::RleBitPackedDecoder(std::span<const uint8_t> data, int bit_width)
    : data_(data), bit_width_(bit_width) {}

Status RleBitPackedDecoder::ReadRunHeader(uint64_t& header) {
  header = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (position_ >= data_.size()) {
      return Status::Corruption("RLE run header runs past the end at byte {}", position_);
    }
    uint8_t byte = data_[position_++];
    header |= uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) {
      return Status::OK();
    }
  }
  return Status::Corruption("RLE run header longer than 5 bytes at byte {}", position_);
}

Status RleBitPackedDecoder::NextRun() {
  if (bit_width_ < 0 || bit_width_ > 32) {
    return Status::Corruption("RLE bit width {} outside 0..32", bit_width_);
  }
  if (position_ >= data_.size()) {
    return Status::Corruption("RLE data ends after {} bytes with values still expected", position_);
  }
  uint64_t header = 0;
  FLOE_RETURN_NOT_OK(ReadRunHeader(header));
  size_t remaining = data_.size() - position_;
  if ((header & 1) == 1) {
    // A bit-packed run of header/2 groups of eight. Writers may cut the last group's padding
    // short at the end of the data, so only the values whose bits are present count.
    int64_t values = static_cast<int64_t>(header >> 1) * 8;
    size_t bytes = static_cast<size_t>(BitPackedSize(values, bit_width_));
    if (bytes > remaining) {
      bytes = remaining;
      values = static_cast<int64_t>(remaining) * 8 / bit_width_;
    }
    literal_count_ = values;
    literal_data_ = data_.data() + position_;
    position_ += bytes;
    return Status::OK();
  }
  size_t value_bytes = static_cast<size_t>((bit_width_ + 7) / 8);
  if (value_bytes > remaining) {
    return Status::Corruption("RLE run value runs past the end at byte {}", position_);
  }
  uint32_t value = 0;
  for (size_t i = 0; i < value_bytes; ++i) {
    value |= uint32_t{data_[position_ + i]} << (8 * i);
  }
  if (bit_width_ < 32 && (value >> bit_width_) != 0) {
    return Status::Corruption("RLE run value {} wider than {} bits at byte {}", value, bit_width_,
                              position_);
  }
  position_ += value_bytes;
  repeat_count_ = static_cast<int64_t>(header >> 1);
  repeat_value_ = value;
  return Status::OK();
}

template <typename T>
Status RleBitPackedDecoder::TakeLiterals(T*& output, int64_t& count) {
  if (group_offset_ == group_size_ && count >= 8 && literal_count_ >= 8) {
    int64_t values = std::min(count, literal_count_) / 8 * 8;
    // The rest of the data may be read too, which lets every group but the last few of the
    // data load in place.
    auto readable = static_cast<int64_t>(data_.data() + data_.size() - literal_data_);
    if constexpr (std::is_same_v<T, uint32_t>) {
      UnpackBits32(literal_data_, readable, bit_width_, values, output);
    } else {
      uint32_t staging[512];
      values = std::min<int64_t>(values, 512);
      UnpackBits32(literal_data_, readable, bit_width_, values, staging);
      FLOE_RETURN_NOT_OK(Narrow(staging, values, output));
    }
    literal_data_ += values / 8 * bit_width_;
    literal_count_ -= values;
    output += values;
    count -= values;
    return Status::OK();
  }
  if (group_offset_ == group_size_) {
    group_size_ = static_cast<int>(std::min<int64_t>(8, literal_count_));
    group_offset_ = 0;
    UnpackBits32(literal_data_, bit_width_, group_size_, group_);
    literal_data_ += bit_width_;
    literal_count_ -= group_size_;
  }
  int64_t values = std::min<int64_t>(count, group_size_ - group_offset_);
  FLOE_RETURN_NOT_OK(Narrow(group_ + group_offset_, values, output));
  group_offset_ += static_cast<int>(values);
  output += values;
  count -= values;
  return Status::OK();
}

template <typename T>
Status RleBitPackedDecoder::Decode(T* output, int64_t count) {
  while (count > 0) {
    if (repeat_count_ > 0) {
      int64_t values = std::min(count, repeat_count_);
      T value{};
      FLOE_RETURN_NOT_OK(Narrow(&repeat_value_, 1, &value));
      std::fill(output, output + values, value);
      repeat_count_ -= values;
      output += values;
      count -= values;
    } else if (group_offset_ < group_size_ || literal_count_ > 0) {
      FLOE_RETURN_NOT_OK(TakeLiterals(output, count));
    } else {
      FLOE_RETURN_NOT_OK(NextRun());
    }
  }
  return Status::OK();
}

template Status RleBitPackedDecoder::Decode(uint8_t*, int64_t);
template Status RleBitPackedDecoder::Decode(uint16_t*, int64_t);
template Status RleBitPackedDecoder::Decode(uint32_t*, int64_t);
template Status RleBitPackedDecoder::Decode(int16_t*, int64_t);
template Status RleBitPackedDecoder::Decode(int32_t*, int64_t);

namespace {

void AppendRepeatedRun(uint32_t value, int64_t count, int bit_width, std::vector<uint8_t>& output) {
  AppendVarint(static_cast<uint64_t>(count) << 1, output);
  for (int i = 0; i < (bit_width + 7) / 8; ++i) {
    output.push_back(static_cast<uint8_t>(value >> (8 * i)));
  }
}

// Values are padded with zeros to whole groups of eight; only the end of the data may be
// padded, since the reader takes the value count from elsewhere.
void AppendBitPackedRun(std::span<const uint32_t> values, int bit_width,
                        std::vector<uint8_t>& output) {
  if (values.empty()) {
    return;
  }
  int64_t groups = static_cast<int64_t>((values.size() + 7) / 8);
  AppendVarint((static_cast<uint64_t>(groups) << 1) | 1, output);
  std::vector<uint32_t> padded(values.begin(), values.end());
  padded.resize(static_cast<size_t>(groups * 8), 0);
  PackBits(padded.data(), groups * 8, bit_width, output);
}

}  // namespace

void EncodeRleBitPacked(std::span<const uint32_t> values, int bit_width,
                        std::vector<uint8_t>& output) {
  constexpr size_t kMinimumRepeat = 8;
  size_t literal_start = 0;
  size_t i = 0;
  while (i < values.size()) {
    size_t run_end = i + 1;
    while (run_end < values.size() && values[run_end] == values[i]) {
      ++run_end;
    }
    // Literals before a repeated run must fill whole groups; borrow the run's first values.
    size_t borrow = (8 - (i - literal_start) % 8) % 8;
    if (run_end - i >= kMinimumRepeat + borrow) {
      AppendBitPackedRun(values.subspan(literal_start, i + borrow - literal_start), bit_width,
                         output);
      AppendRepeatedRun(values[i], static_cast<int64_t>(run_end - i - borrow), bit_width, output);
      literal_start = run_end;
    }
    i = run_end;
  }
  AppendBitPackedRun(values.subspan(literal_start), bit_width, output);
}

Status DecodeLegacyBitPacked(std::span<const uint8_t> data, int bit_width,
                             std::span<uint32_t> output) {
  if (bit_width < 0 || bit_width > 32) {
    return Status::Corruption("BIT_PACKED bit width {} outside 0..32", bit_width);
  }
  auto count = static_cast<int64_t>(output.size());
  if (BitPackedSize(count, bit_width) > static_cast<int64_t>(data.size())) {
    return Status::Corruption("BIT_PACKED data of {} bytes is too short for {} values of {} bits",
                              data.size(), count, bit_width);
  }
  int64_t bit = 0;
  for (int64_t i = 0; i < count; ++i) {
    uint32_t value = 0;
    for (int b = 0; b < bit_width; ++b, ++bit) {
      value = (value << 1) | ((data[static_cast<size_t>(bit / 8)] >> (7 - bit % 8)) & 1u);
    }
    output[static_cast<size_t>(i)] = value;
  }
  return Status::OK();
}

}  // namespace floe::format::parquet
