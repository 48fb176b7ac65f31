#include "format/parquet/thrift_compact.h"

#include <bit>
#include <cstring>

namespace floe::format::parquet {
namespace {

// The fewest bytes one value of a type takes inside a container: bounds a container's size by
// the bytes left before anyone allocates for it.
size_t MinimumElementSize(CompactType type) {
  switch (type) {
    case CompactType::kDouble:
      return 8;
    case CompactType::kUuid:
      return 16;
    default:
      return 1;
  }
}

int64_t UnZigZag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

}  // namespace

CompactReader::CompactReader(std::span<const uint8_t> bytes, CompactLimits limits)
    : bytes_(bytes), limits_(limits) {}

Status CompactReader::Corrupt(std::string_view what) const {
  return Status::Corruption("malformed Thrift compact data: {} at byte {}", what, position_);
}

Status CompactReader::BeginStruct() {
  FLOE_RETURN_NOT_OK(BeginContainer());
  last_field_ids_.push_back(0);
  return Status::OK();
}

void CompactReader::EndStruct() {
  last_field_ids_.pop_back();
  --depth_;
}

Status CompactReader::BeginContainer() {
  if (depth_ >= limits_.max_depth) {
    return Corrupt(fmt::format("nesting deeper than {} levels", limits_.max_depth));
  }
  ++depth_;
  return Status::OK();
}

Result<CompactType> CompactReader::ToType(uint8_t nibble, std::string_view what) const {
  if (nibble == 0 || nibble > static_cast<uint8_t>(CompactType::kUuid)) {
    return Corrupt(fmt::format("unknown {} type {}", what, nibble));
  }
  return static_cast<CompactType>(nibble);
}

Result<uint64_t> CompactReader::ReadVarint() {
  return ReadVarintOfWidth(64, "varint");
}

Result<uint64_t> CompactReader::ReadVarintOfWidth(int max_bits, std::string_view what) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (position_ >= bytes_.size()) {
      return Corrupt(fmt::format("{} runs past the end", what));
    }
    uint8_t byte = bytes_[position_++];
    uint64_t bits = byte & 0x7F;
    if (shift > 0 && (bits >> (64 - shift)) != 0) {
      return Corrupt(fmt::format("{} does not fit in 64 bits", what));
    }
    value |= bits << shift;
    if ((byte & 0x80) == 0) {
      if (max_bits < 64 && (value >> max_bits) != 0) {
        return Corrupt(fmt::format("{} does not fit in {} bits", what, max_bits));
      }
      return value;
    }
  }
  return Corrupt(fmt::format("{} longer than 10 bytes", what));
}

Result<FieldHeader> CompactReader::ReadFieldHeader() {
  if (position_ >= bytes_.size()) {
    return Corrupt("struct ends without a stop field");
  }
  uint8_t byte = bytes_[position_++];
  if (byte == 0) {
    return FieldHeader{};
  }
  FieldHeader header;
  FLOE_ASSIGN_OR_RETURN(header.type, ToType(byte & 0x0F, "field"));
  int delta = byte >> 4;
  if (delta != 0) {
    int id = last_field_ids_.back() + delta;
    if (id > INT16_MAX) {
      return Corrupt("field id delta overflows 16 bits");
    }
    header.id = static_cast<int16_t>(id);
  } else {
    FLOE_ASSIGN_OR_RETURN(header.id, ReadI16());
  }
  last_field_ids_.back() = header.id;
  return header;
}

Result<ListHeader> CompactReader::ReadListHeader() {
  if (position_ >= bytes_.size()) {
    return Corrupt("list header runs past the end");
  }
  uint8_t byte = bytes_[position_++];
  ListHeader header;
  header.size = byte >> 4;
  if (header.size == 15) {
    FLOE_ASSIGN_OR_RETURN(uint64_t size, ReadVarintOfWidth(32, "list size"));
    header.size = static_cast<int64_t>(size);
  }
  if (header.size == 0) {
    header.element_type = static_cast<CompactType>(byte & 0x0F);
    return header;
  }
  FLOE_ASSIGN_OR_RETURN(header.element_type, ToType(byte & 0x0F, "list element"));
  size_t needed = static_cast<size_t>(header.size) * MinimumElementSize(header.element_type);
  if (header.size > limits_.max_container_size || needed > remaining()) {
    return Corrupt(fmt::format("list of {} elements with {} bytes left", header.size, remaining()));
  }
  return header;
}

Result<MapHeader> CompactReader::ReadMapHeader() {
  MapHeader header;
  FLOE_ASSIGN_OR_RETURN(uint64_t size, ReadVarintOfWidth(32, "map size"));
  header.size = static_cast<int64_t>(size);
  if (header.size == 0) {
    return header;
  }
  if (position_ >= bytes_.size()) {
    return Corrupt("map header runs past the end");
  }
  uint8_t byte = bytes_[position_++];
  FLOE_ASSIGN_OR_RETURN(header.key_type, ToType(byte >> 4, "map key"));
  FLOE_ASSIGN_OR_RETURN(header.value_type, ToType(byte & 0x0F, "map value"));
  size_t entry_size = MinimumElementSize(header.key_type) + MinimumElementSize(header.value_type);
  if (header.size > limits_.max_container_size ||
      static_cast<size_t>(header.size) * entry_size > remaining()) {
    return Corrupt(fmt::format("map of {} entries with {} bytes left", header.size, remaining()));
  }
  return header;
}

Result<bool> CompactReader::ReadBool() {
  if (position_ >= bytes_.size()) {
    return Corrupt("boolean runs past the end");
  }
  uint8_t byte = bytes_[position_++];
  // The compact protocol writes 1 for true and 2 for false in containers; some writers use 0.
  if (byte > 2) {
    return Corrupt(fmt::format("boolean byte {}", byte));
  }
  return byte == 1;
}

Result<int8_t> CompactReader::ReadI8() {
  if (position_ >= bytes_.size()) {
    return Corrupt("byte runs past the end");
  }
  return static_cast<int8_t>(bytes_[position_++]);
}

Result<int16_t> CompactReader::ReadI16() {
  FLOE_ASSIGN_OR_RETURN(uint64_t value, ReadVarintOfWidth(16, "i16"));
  return static_cast<int16_t>(UnZigZag(value));
}

Result<int32_t> CompactReader::ReadI32() {
  FLOE_ASSIGN_OR_RETURN(uint64_t value, ReadVarintOfWidth(32, "i32"));
  return static_cast<int32_t>(UnZigZag(value));
}

Result<int64_t> CompactReader::ReadI64() {
  FLOE_ASSIGN_OR_RETURN(uint64_t value, ReadVarintOfWidth(64, "i64"));
  return UnZigZag(value);
}

Result<double> CompactReader::ReadDouble() {
  if (remaining() < 8) {
    return Corrupt("double runs past the end");
  }
  uint64_t bits = 0;
  for (int i = 7; i >= 0; --i) {
    bits = (bits << 8) | bytes_[position_ + i];
  }
  position_ += 8;
  return std::bit_cast<double>(bits);
}

Result<std::string_view> CompactReader::ReadBinary() {
  FLOE_ASSIGN_OR_RETURN(uint64_t length, ReadVarintOfWidth(32, "binary length"));
  if (length > remaining()) {
    return Corrupt(fmt::format("binary of {} bytes with {} bytes left", length, remaining()));
  }
  std::string_view value(reinterpret_cast<const char*>(bytes_.data() + position_), length);
  position_ += length;
  return value;
}

Status CompactReader::Skip(CompactType type) {
  switch (type) {
    case CompactType::kBooleanTrue:
    case CompactType::kBooleanFalse:
      return Status::OK();  // A boolean field's value is its type.
    case CompactType::kByte:
      return ReadI8().status();
    case CompactType::kI16:
    case CompactType::kI32:
    case CompactType::kI64:
      return ReadVarint().status();
    case CompactType::kDouble:
      return ReadDouble().status();
    case CompactType::kBinary:
      return ReadBinary().status();
    case CompactType::kUuid:
      if (remaining() < 16) {
        return Corrupt("uuid runs past the end");
      }
      position_ += 16;
      return Status::OK();
    case CompactType::kList:
    case CompactType::kSet: {
      FLOE_ASSIGN_OR_RETURN(ListHeader header, ReadListHeader());
      return SkipContainer(header.element_type, header.size);
    }
    case CompactType::kMap:
      return SkipMap();
    case CompactType::kStruct:
      return SkipStruct();
    case CompactType::kStop:
      break;
  }
  return Corrupt(fmt::format("cannot skip value of type {}", static_cast<int>(type)));
}

Status CompactReader::SkipContainer(CompactType element_type, int64_t size) {
  FLOE_RETURN_NOT_OK(BeginContainer());
  bool is_bool =
      element_type == CompactType::kBooleanTrue || element_type == CompactType::kBooleanFalse;
  for (int64_t i = 0; i < size; ++i) {
    // Inside containers a boolean takes one byte, unlike a boolean field.
    FLOE_RETURN_NOT_OK(is_bool ? ReadBool().status() : Skip(element_type));
  }
  EndContainer();
  return Status::OK();
}

Status CompactReader::SkipMap() {
  FLOE_ASSIGN_OR_RETURN(MapHeader header, ReadMapHeader());
  FLOE_RETURN_NOT_OK(BeginContainer());
  for (int64_t i = 0; i < header.size; ++i) {
    FLOE_RETURN_NOT_OK(SkipContainer(header.key_type, 1));
    FLOE_RETURN_NOT_OK(SkipContainer(header.value_type, 1));
  }
  EndContainer();
  return Status::OK();
}

Status CompactReader::SkipStruct() {
  FLOE_RETURN_NOT_OK(BeginStruct());
  while (true) {
    FLOE_ASSIGN_OR_RETURN(FieldHeader field, ReadFieldHeader());
    if (field.type == CompactType::kStop) {
      break;
    }
    FLOE_RETURN_NOT_OK(Skip(field.type));
  }
  EndStruct();
  return Status::OK();
}

void CompactWriter::BeginStruct() {
  last_field_ids_.push_back(0);
}

void CompactWriter::EndStruct() {
  output_.push_back(0);
  last_field_ids_.pop_back();
}

void CompactWriter::WriteFieldHeader(int16_t id, CompactType type) {
  int delta = id - last_field_ids_.back();
  auto type_bits = static_cast<uint8_t>(type);
  if (delta > 0 && delta <= 15) {
    output_.push_back(static_cast<uint8_t>(delta << 4) | type_bits);
  } else {
    output_.push_back(type_bits);
    WriteI16(id);
  }
  last_field_ids_.back() = id;
}

void CompactWriter::WriteListHeader(CompactType element_type, int64_t size) {
  auto type_bits = static_cast<uint8_t>(element_type);
  if (size < 15) {
    output_.push_back(static_cast<uint8_t>(size << 4) | type_bits);
  } else {
    output_.push_back(0xF0 | type_bits);
    WriteVarint(static_cast<uint64_t>(size));
  }
}

void CompactWriter::WriteMapHeader(CompactType key_type, CompactType value_type, int64_t size) {
  WriteVarint(static_cast<uint64_t>(size));
  if (size > 0) {
    output_.push_back(static_cast<uint8_t>(static_cast<uint8_t>(key_type) << 4) |
                      static_cast<uint8_t>(value_type));
  }
}

void CompactWriter::WriteBool(bool value) {
  output_.push_back(value ? 1 : 2);
}

void CompactWriter::WriteI8(int8_t value) {
  output_.push_back(static_cast<uint8_t>(value));
}

void CompactWriter::WriteDouble(double value) {
  auto bits = std::bit_cast<uint64_t>(value);
  for (int i = 0; i < 8; ++i) {
    output_.push_back(static_cast<uint8_t>(bits >> (8 * i)));
  }
}

void CompactWriter::WriteBinary(std::string_view value) {
  WriteVarint(value.size());
  output_.insert(output_.end(), value.begin(), value.end());
}

void CompactWriter::WriteVarint(uint64_t value) {
  while (value >= 0x80) {
    output_.push_back(static_cast<uint8_t>(value) | 0x80);
    value >>= 7;
  }
  output_.push_back(static_cast<uint8_t>(value));
}

}  // namespace floe::format::parquet
