#include "format/parquet/encoding/delta_byte_array.h"

#include <algorithm>

#include "format/parquet/encoding/delta_binary_packed.h"

namespace floe::format::parquet {
namespace {

/// Decodes `count` DELTA_BINARY_PACKED int32 values; sets `consumed` to the bytes read.
Result<std::vector<int32_t>> DecodeLengths(std::span<const uint8_t> data, size_t count,
                                           size_t& consumed) {
  FLOE_ASSIGN_OR_RETURN(auto decoder, DeltaBinaryPackedDecoder<int32_t>::Make(data));
  // The lengths stream must end where the bytes begin, so its count must match exactly.
  if (decoder.total_values() != static_cast<int64_t>(count)) {
    return Status::Corruption("delta-encoded lengths hold {} values, {} expected",
                              decoder.total_values(), count);
  }
  std::vector<int32_t> lengths(count);
  FLOE_RETURN_NOT_OK(decoder.Decode(lengths.data(), static_cast<int64_t>(count)));
  consumed = decoder.position();
  return lengths;
}

}  // namespace

Result<size_t> DecodeDeltaLengthByteArray(std::span<const uint8_t> data,
                                          std::span<std::string_view> output) {
  size_t position = 0;
  FLOE_ASSIGN_OR_RETURN(std::vector<int32_t> lengths, DecodeLengths(data, output.size(), position));
  const char* bytes = reinterpret_cast<const char*>(data.data());
  for (size_t i = 0; i < output.size(); ++i) {
    if (lengths[i] < 0 || static_cast<size_t>(lengths[i]) > data.size() - position) {
      return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY value {} of length {} with {} bytes left",
                                i, lengths[i], data.size() - position);
    }
    output[i] = std::string_view(bytes + position, static_cast<size_t>(lengths[i]));
    position += static_cast<size_t>(lengths[i]);
  }
  return position;
}

Result<size_t> DecodeDeltaLengthByteArrayLengths(std::span<const uint8_t> data,
                                                 std::span<int32_t> lengths, int64_t& total) {
  FLOE_ASSIGN_OR_RETURN(auto decoder, DeltaBinaryPackedDecoder<int32_t>::Make(data));
  if (decoder.total_values() != static_cast<int64_t>(lengths.size())) {
    return Status::Corruption("delta-encoded lengths hold {} values, {} expected",
                              decoder.total_values(), lengths.size());
  }
  FLOE_RETURN_NOT_OK(decoder.Decode(lengths.data(), static_cast<int64_t>(lengths.size())));
  size_t position = decoder.position();
  int32_t lowest = 0;
  total = 0;
  for (int32_t length : lengths) {
    lowest = std::min(lowest, length);
    total += length;
  }
  if (lowest < 0) {
    return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY length {}", lowest);
  }
  if (total > static_cast<int64_t>(data.size() - position)) {
    return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY values of {} bytes with {} bytes left",
                              total, data.size() - position);
  }
  return position;
}

Status DecodeDeltaByteArray(std::span<const uint8_t> data, std::span<std::string_view> output,
                            std::string& storage, int64_t max_output_bytes) {
  size_t consumed = 0;
  FLOE_ASSIGN_OR_RETURN(std::vector<int32_t> prefixes,
                        DecodeLengths(data, output.size(), consumed));
  std::vector<std::string_view> suffixes(output.size());
  FLOE_RETURN_NOT_OK(DecodeDeltaLengthByteArray(data.subspan(consumed), suffixes).status());
  // Size the storage first: views into it must not move while values are built.
  int64_t total = 0;
  int64_t previous_length = 0;
  for (size_t i = 0; i < output.size(); ++i) {
    if (prefixes[i] < 0 || prefixes[i] > previous_length) {
      return Status::Corruption("DELTA_BYTE_ARRAY value {} has prefix {} of a {}-byte value", i,
                                prefixes[i], previous_length);
    }
    previous_length = prefixes[i] + static_cast<int64_t>(suffixes[i].size());
    total += previous_length;
    if (total > max_output_bytes) {
      return Status::Corruption("DELTA_BYTE_ARRAY values exceed the limit of {} bytes",
                                max_output_bytes);
    }
  }
  storage.assign(static_cast<size_t>(total), '\0');
  size_t position = 0;
  std::string_view previous;
  for (size_t i = 0; i < output.size(); ++i) {
    auto prefix = static_cast<size_t>(prefixes[i]);
    char* value = storage.data() + position;
    std::copy_n(previous.data(), prefix, value);
    std::copy_n(suffixes[i].data(), suffixes[i].size(), value + prefix);
    output[i] = std::string_view(value, prefix + suffixes[i].size());
    previous = output[i];
    position += output[i].size();
  }
  return Status::OK();
}

void EncodeDeltaLengthByteArray(std::span<const std::string_view> values,
                                std::vector<uint8_t>& output) {
  std::vector<int32_t> lengths;
  lengths.reserve(values.size());
  for (std::string_view value : values) {
    lengths.push_back(static_cast<int32_t>(value.size()));
  }
  EncodeDeltaBinaryPacked<int32_t>(lengths, output);
  for (std::string_view value : values) {
    output.insert(output.end(), value.begin(), value.end());
  }
}

void EncodeDeltaByteArray(std::span<const std::string_view> values, std::vector<uint8_t>& output) {
  std::vector<int32_t> prefixes;
  std::vector<std::string_view> suffixes;
  prefixes.reserve(values.size());
  suffixes.reserve(values.size());
  std::string_view previous;
  for (std::string_view value : values) {
    auto mismatch = std::mismatch(previous.begin(), previous.end(), value.begin(), value.end());
    auto prefix = static_cast<size_t>(mismatch.first - previous.begin());
    prefixes.push_back(static_cast<int32_t>(prefix));
    suffixes.push_back(value.substr(prefix));
    previous = value;
  }
  EncodeDeltaBinaryPacked<int32_t>(prefixes, output);
  EncodeDeltaLengthByteArray(suffixes, output);
}

}  // namespace floe::format::parquet
