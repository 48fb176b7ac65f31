#include "format/parquet/encoding/byte_stream_split.h"

namespace floe::format::parquet {
namespace {

// A constant width lets the compiler unroll the gather for the common 4- and 8-byte types.
template <int W>
void Gather(const uint8_t* data, int64_t num_values, int64_t first, int64_t count,
            uint8_t* output) {
  for (int64_t i = 0; i < count; ++i) {
    for (int k = 0; k < W; ++k) {
      output[i * W + k] = data[k * num_values + first + i];
    }
  }
}

void GatherAnyWidth(const uint8_t* data, int width, int64_t num_values, int64_t first,
                    int64_t count, uint8_t* output) {
  for (int k = 0; k < width; ++k) {
    const uint8_t* stream = data + k * num_values + first;
    for (int64_t i = 0; i < count; ++i) {
      output[i * width + k] = stream[i];
    }
  }
}

}  // namespace

Status DecodeByteStreamSplit(std::span<const uint8_t> data, int width, int64_t num_values,
                             int64_t first, int64_t count, uint8_t* output) {
  if (width <= 0 || num_values < 0 || num_values > INT32_MAX ||
      static_cast<uint64_t>(num_values) * static_cast<uint64_t>(width) != data.size()) {
    return Status::Corruption("BYTE_STREAM_SPLIT data of {} bytes for {} values of {} bytes",
                              data.size(), num_values, width);
  }
  if (first < 0 || count < 0 || first > num_values - count) {
    return Status::Corruption("BYTE_STREAM_SPLIT values {} to {} outside a page of {}", first,
                              first + count, num_values);
  }
  switch (width) {
    case 4:
      Gather<4>(data.data(), num_values, first, count, output);
      break;
    case 8:
      Gather<8>(data.data(), num_values, first, count, output);
      break;
    default:
      GatherAnyWidth(data.data(), width, num_values, first, count, output);
  }
  return Status::OK();
}

void EncodeByteStreamSplit(std::span<const uint8_t> values, int width,
                           std::vector<uint8_t>& output) {
  size_t count = values.size() / static_cast<size_t>(width);
  size_t start = output.size();
  output.resize(start + count * static_cast<size_t>(width));
  for (size_t i = 0; i < count; ++i) {
    for (size_t k = 0; k < static_cast<size_t>(width); ++k) {
      output[start + k * count + i] = values[i * static_cast<size_t>(width) + k];
    }
  }
}

}  // namespace floe::format::parquet
