#include "format/avro/avro_binary.h"

#include <bit>

namespace floe::format::avro {
namespace {

// Floats and doubles are copied byte for byte: Avro stores them little-endian.
static_assert(std::endian::native == std::endian::little);

}  // namespace

Status AvroDecoder::Truncated(size_t needed) const {
  return Status::Corruption("Avro data truncated: need {} bytes at offset {}, {} left", needed,
                            position_, remaining());
}

Result<int64_t> AvroDecoder::ReadLong() {
  // Longs are zig-zag encoded variable-length integers of at most ten bytes.
  uint64_t value = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (position_ >= bytes_.size()) {
      return Truncated(1);
    }
    uint8_t byte = bytes_[position_++];
    // Bits beyond the 64th in a tenth byte are dropped, as the Java reader does: some writers
    // (Python's) encode out-of-range ids that way, and other engines read those files.
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
    }
  }
  return Status::Corruption("Avro long longer than ten bytes at offset {}", position_);
}

Result<int32_t> AvroDecoder::ReadInt() {
  FLOE_ASSIGN_OR_RETURN(int64_t value, ReadLong());
  if (value < INT32_MIN || value > INT32_MAX) {
    return Status::Corruption("Avro int out of range: {}", value);
  }
  return static_cast<int32_t>(value);
}

Result<bool> AvroDecoder::ReadBoolean() {
  if (position_ >= bytes_.size()) {
    return Truncated(1);
  }
  uint8_t byte = bytes_[position_++];
  if (byte > 1) {
    return Status::Corruption("Avro boolean is neither 0 nor 1: {}", byte);
  }
  return byte == 1;
}

Result<float> AvroDecoder::ReadFloat() {
  FLOE_ASSIGN_OR_RETURN(std::string_view bytes, ReadFixed(4));
  uint32_t bits = 0;
  std::memcpy(&bits, bytes.data(), 4);  // Little-endian, as Avro writes it.
  return std::bit_cast<float>(bits);
}

Result<double> AvroDecoder::ReadDouble() {
  FLOE_ASSIGN_OR_RETURN(std::string_view bytes, ReadFixed(8));
  uint64_t bits = 0;
  std::memcpy(&bits, bytes.data(), 8);
  return std::bit_cast<double>(bits);
}

Result<std::string_view> AvroDecoder::ReadBytes() {
  FLOE_ASSIGN_OR_RETURN(int64_t length, ReadLong());
  if (length < 0) {
    return Status::Corruption("negative Avro length {} at offset {}", length, position_);
  }
  return ReadFixed(static_cast<uint64_t>(length));
}

Result<std::string_view> AvroDecoder::ReadFixed(size_t size) {
  if (size > remaining()) {
    return Truncated(size);
  }
  std::string_view view(reinterpret_cast<const char*>(bytes_.data() + position_), size);
  position_ += size;
  return view;
}

Result<int32_t> AvroDecoder::ReadUnionIndex(size_t branch_count) {
  FLOE_ASSIGN_OR_RETURN(int64_t index, ReadLong());
  if (index < 0 || static_cast<uint64_t>(index) >= branch_count) {
    return Status::Corruption("Avro union branch {} out of range (0 to {})", index,
                              static_cast<int64_t>(branch_count) - 1);
  }
  return static_cast<int32_t>(index);
}

Result<int64_t> AvroDecoder::ReadBlockCount(const AvroSchema& item) {
  FLOE_ASSIGN_OR_RETURN(int64_t count, ReadLong());
  if (count < 0) {
    if (count == INT64_MIN) {
      return Status::Corruption("Avro block count out of range");
    }
    count = -count;
    FLOE_ASSIGN_OR_RETURN(int64_t byte_size, ReadLong());
    if (byte_size < 0) {
      return Status::Corruption("negative Avro block size {}", byte_size);
    }
  }
  if (item.IsZeroWidth()) {
    if (count > zero_width_budget_) {
      return Status::Corruption("Avro data claims more than {} items that take no bytes",
                                kMaxZeroWidthItems);
    }
    zero_width_budget_ -= count;
    return count;
  }
  if (static_cast<uint64_t>(count) > remaining()) {
    return Status::Corruption("Avro block claims {} items with {} bytes left", count, remaining());
  }
  return count;
}

Status AvroDecoder::Skip(const AvroSchema& schema) {
  switch (schema.type) {
    case AvroType::kNull:
      return Status::OK();
    case AvroType::kBoolean:
      return ReadBoolean().status();
    case AvroType::kInt:
    case AvroType::kLong:
    case AvroType::kEnum:
      return ReadLong().status();
    case AvroType::kFloat:
      return ReadFixed(4).status();
    case AvroType::kDouble:
      return ReadFixed(8).status();
    case AvroType::kBytes:
    case AvroType::kString:
      return ReadBytes().status();
    case AvroType::kFixed:
      return ReadFixed(static_cast<size_t>(schema.fixed_size)).status();
    case AvroType::kRecord:
      for (const AvroSchema& child : schema.children) {
        FLOE_RETURN_NOT_OK(Skip(child));
      }
      return Status::OK();
    case AvroType::kUnion: {
      FLOE_ASSIGN_OR_RETURN(int32_t branch, ReadUnionIndex(schema.children.size()));
      return Skip(schema.children[branch]);
    }
    case AvroType::kArray:
    case AvroType::kMap:
      break;
  }
  const AvroSchema& item = schema.children.at(0);
  while (true) {
    FLOE_ASSIGN_OR_RETURN(int64_t count, ReadBlockCount(item));
    if (count == 0) {
      return Status::OK();
    }
    for (int64_t i = 0; i < count; ++i) {
      if (schema.type == AvroType::kMap) {
        FLOE_RETURN_NOT_OK(ReadBytes().status());
      }
      FLOE_RETURN_NOT_OK(Skip(item));
    }
  }
}

void AvroEncoder::WriteLong(int64_t value) {
  uint64_t zigzag = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  while (zigzag >= 0x80) {
    buffer_.push_back(static_cast<char>((zigzag & 0x7f) | 0x80));
    zigzag >>= 7;
  }
  buffer_.push_back(static_cast<char>(zigzag));
}

void AvroEncoder::WriteFloat(float value) {
  uint32_t bits = std::bit_cast<uint32_t>(value);
  char bytes[4];
  std::memcpy(bytes, &bits, 4);
  buffer_.append(bytes, 4);
}

void AvroEncoder::WriteDouble(double value) {
  uint64_t bits = std::bit_cast<uint64_t>(value);
  char bytes[8];
  std::memcpy(bytes, &bits, 8);
  buffer_.append(bytes, 8);
}

void AvroEncoder::WriteBytes(std::string_view bytes) {
  WriteLong(static_cast<int64_t>(bytes.size()));
  buffer_.append(bytes);
}

}  // namespace floe::format::avro
