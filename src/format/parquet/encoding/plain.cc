#include "format/parquet/encoding/plain.h"

#include <bit>
#include <cstring>

namespace floe::format::parquet {

static_assert(std::endian::native == std::endian::little,
              "PLAIN values are copied as they lie in memory");

template <typename T>
Result<size_t> DecodePlain(std::span<const uint8_t> data, std::span<T> output) {
  size_t bytes = output.size() * sizeof(T);
  if (output.size() > data.size() / sizeof(T)) {
    return Status::Corruption("PLAIN data of {} bytes is too short for {} values of {} bytes",
                              data.size(), output.size(), sizeof(T));
  }
  if (bytes > 0) {
    std::memcpy(output.data(), data.data(), bytes);
  }
  return bytes;
}

template Result<size_t> DecodePlain(std::span<const uint8_t>, std::span<int32_t>);
template Result<size_t> DecodePlain(std::span<const uint8_t>, std::span<int64_t>);
template Result<size_t> DecodePlain(std::span<const uint8_t>, std::span<float>);
template Result<size_t> DecodePlain(std::span<const uint8_t>, std::span<double>);
template Result<size_t> DecodePlain(std::span<const uint8_t>, std::span<Int96>);

Status DecodePlainBooleans(std::span<const uint8_t> data, int64_t first,
                           std::span<uint8_t> output) {
  auto count = static_cast<int64_t>(output.size());
  if (first < 0 || first > static_cast<int64_t>(data.size()) * 8 - count) {
    return Status::Corruption("PLAIN booleans of {} bytes hold no values {} to {}", data.size(),
                              first, first + count);
  }
  for (int64_t i = 0; i < count; ++i) {
    int64_t bit = first + i;
    output[static_cast<size_t>(i)] = (data[static_cast<size_t>(bit / 8)] >> (bit % 8)) & 1;
  }
  return Status::OK();
}

Result<size_t> DecodePlainByteArrays(std::span<const uint8_t> data,
                                     std::span<std::string_view> output) {
  size_t position = 0;
  for (auto& value : output) {
    if (data.size() - position < 4) {
      return Status::Corruption("PLAIN BYTE_ARRAY length runs past the end at byte {}", position);
    }
    uint32_t length;
    std::memcpy(&length, data.data() + position, sizeof(length));
    position += 4;
    if (length > data.size() - position) {
      return Status::Corruption("PLAIN BYTE_ARRAY of {} bytes at byte {} runs past the end", length,
                                position);
    }
    value = std::string_view(reinterpret_cast<const char*>(data.data() + position), length);
    position += length;
  }
  return position;
}

Result<size_t> DecodePlainFixedLenByteArrays(std::span<const uint8_t> data, int32_t type_length,
                                             std::span<std::string_view> output) {
  if (type_length < 0) {
    return Status::Corruption("FIXED_LEN_BYTE_ARRAY length {}", type_length);
  }
  auto length = static_cast<size_t>(type_length);
  if (length > 0 && output.size() > data.size() / length) {
    return Status::Corruption("PLAIN data of {} bytes is too short for {} values of {} bytes",
                              data.size(), output.size(), length);
  }
  const char* bytes = reinterpret_cast<const char*>(data.data());
  for (size_t i = 0; i < output.size(); ++i) {
    output[i] = std::string_view(bytes + i * length, length);
  }
  return output.size() * length;
}

template <typename T>
void EncodePlain(std::span<const T> values, std::vector<uint8_t>& output) {
  size_t start = output.size();
  output.resize(start + values.size_bytes());
  if (!values.empty()) {
    std::memcpy(output.data() + start, values.data(), values.size_bytes());
  }
}

template void EncodePlain(std::span<const int32_t>, std::vector<uint8_t>&);
template void EncodePlain(std::span<const int64_t>, std::vector<uint8_t>&);
template void EncodePlain(std::span<const float>, std::vector<uint8_t>&);
template void EncodePlain(std::span<const double>, std::vector<uint8_t>&);
template void EncodePlain(std::span<const Int96>, std::vector<uint8_t>&);

void EncodePlainBooleans(std::span<const uint8_t> values, std::vector<uint8_t>& output) {
  size_t start = output.size();
  output.resize(start + (values.size() + 7) / 8, 0);
  for (size_t i = 0; i < values.size(); ++i) {
    output[start + i / 8] |= static_cast<uint8_t>((values[i] & 1) << (i % 8));
  }
}

void EncodePlainByteArrays(std::span<const std::string_view> values, std::vector<uint8_t>& output) {
  for (std::string_view value : values) {
    auto length = static_cast<uint32_t>(value.size());
    for (int i = 0; i < 4; ++i) {
      output.push_back(static_cast<uint8_t>(length >> (8 * i)));
    }
    output.insert(output.end(), value.begin(), value.end());
  }
}

void EncodePlainFixedLenByteArrays(std::span<const std::string_view> values,
                                   std::vector<uint8_t>& output) {
  for (std::string_view value : values) {
    output.insert(output.end(), value.begin(), value.end());
  }
}

}  // namespace floe::format::parquet
