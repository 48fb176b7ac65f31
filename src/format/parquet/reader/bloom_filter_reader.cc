#include "format/parquet/reader/bloom_filter_reader.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "format/parquet/metadata.h"
#include "format/parquet/reader/column_predicate.h"

namespace floe::format::parquet {
namespace {

using types::TypeId;
using types::Value;

// BloomFilter.md, "Technical Approach": the salts that pick one bit in each word of a block.
constexpr uint32_t kSalts[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                                0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};
constexpr size_t kBlockBytes = 32;

template <typename T>
std::string PlainBytes(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

// Returns an integer-like value (including a decimal's unscaled value) as int64.
std::optional<int64_t> IntegerOf(const Value& value) {
  switch (value.type().id()) {
    case TypeId::kSmallInt:
      return value.smallint_value();
    case TypeId::kInteger:
      return value.integer_value();
    case TypeId::kBigInt:
      return value.bigint_value();
    case TypeId::kDate:
      return value.date_value();
    case TypeId::kTime:
      return value.time_value();
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return value.timestamp_value();
    case TypeId::kDecimal: {
      types::Int128 unscaled = value.decimal_value();
      if (unscaled < std::numeric_limits<int64_t>::min() ||
          unscaled > std::numeric_limits<int64_t>::max()) {
        return std::nullopt;
      }
      return static_cast<int64_t>(unscaled);
    }
    default:
      return std::nullopt;
  }
}

std::optional<std::string> Int32Key(const ColumnDescriptor& column, int64_t value) {
  if (column.conversion != ValueConversion::kNone &&
      column.conversion != ValueConversion::kInt32ToSmallInt &&
      column.conversion != ValueConversion::kInt32ToBigInt) {
    return std::nullopt;
  }
  if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
    return std::nullopt;
  }
  return PlainBytes(static_cast<int32_t>(value));
}

std::optional<std::string> FloatingKey(const Value& value) {
  if (value.type().id() == TypeId::kReal) {
    float number = value.real_value();
    return number == 0 || std::isnan(number) ? std::nullopt
                                             : std::optional<std::string>(PlainBytes(number));
  }
  double number = value.double_value();
  return number == 0 || std::isnan(number) ? std::nullopt
                                           : std::optional<std::string>(PlainBytes(number));
}

// A FIXED_LEN_BYTE_ARRAY decimal: big-endian two's complement of the column's width.
std::optional<std::string> FixedDecimalKey(const ColumnDescriptor& column, types::Int128 value) {
  if (column.type_length <= 0 || column.type_length > 16) {
    return std::nullopt;
  }
  auto width = static_cast<size_t>(column.type_length);
  std::string bytes(width, '\0');
  auto bits = static_cast<types::UInt128>(value);
  for (size_t i = 0; i < width; ++i) {
    bytes[width - 1 - i] = static_cast<char>(static_cast<uint8_t>(bits >> (8 * i)));
  }
  return bytes;
}

std::optional<std::string> BinaryKey(const ColumnDescriptor& column, const Value& value) {
  TypeId id = value.type().id();
  if (id == TypeId::kVarchar || id == TypeId::kBytea) {
    return column.physical_type == PhysicalType::kByteArray
               ? std::optional<std::string>(value.string_value())
               : std::nullopt;
  }
  if (id == TypeId::kUuid && column.type_length == 16) {
    const auto& bytes = value.uuid_value().bytes;
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  if (id == TypeId::kDecimal && column.physical_type == PhysicalType::kFixedLenByteArray &&
      column.conversion == ValueConversion::kBinaryToDecimal) {
    return FixedDecimalKey(column, value.decimal_value());
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> BloomFilterKey(const ColumnDescriptor& column, const Value& value) {
  if (value.is_null()) {
    return std::nullopt;
  }
  std::optional<Value> exact = CastExactly(value, column.type);
  if (!exact.has_value()) {
    return std::nullopt;
  }
  switch (column.physical_type) {
    case PhysicalType::kInt32: {
      std::optional<int64_t> integer = IntegerOf(*exact);
      return integer.has_value() ? Int32Key(column, *integer) : std::nullopt;
    }
    case PhysicalType::kInt64: {
      std::optional<int64_t> integer = IntegerOf(*exact);
      bool is_same_bits = column.conversion == ValueConversion::kNone;
      return integer.has_value() && is_same_bits ? std::optional<std::string>(PlainBytes(*integer))
                                                 : std::nullopt;
    }
    case PhysicalType::kFloat:
    case PhysicalType::kDouble:
      return FloatingKey(*exact);
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray:
      return BinaryKey(column, *exact);
    default:
      return std::nullopt;
  }
}

bool BloomFilterMayContain(std::span<const uint8_t> bytes, uint64_t hash) {
  size_t header_size = 0;
  auto header = ReadBloomFilterHeader(bytes, header_size);
  if (!header.ok() || header->algorithm != BloomFilterAlgorithm::kBlock ||
      header->hash != BloomFilterHash::kXxHash ||
      header->compression != BloomFilterCompression::kUncompressed || header->num_bytes <= 0 ||
      header->num_bytes % kBlockBytes != 0 ||
      static_cast<size_t>(header->num_bytes) > bytes.size() - header_size) {
    return true;
  }
  // BloomFilter.md: the upper 32 bits of the hash pick the block, the lower 32 bits one bit in
  // each of its eight little-endian words.
  uint64_t num_blocks = static_cast<uint64_t>(header->num_bytes) / kBlockBytes;
  uint64_t block = ((hash >> 32) * num_blocks) >> 32;
  const uint8_t* words = bytes.data() + header_size + block * kBlockBytes;
  auto key = static_cast<uint32_t>(hash);
  for (size_t i = 0; i < 8; ++i) {
    uint32_t word = 0;
    std::memcpy(&word, words + 4 * i, 4);
    if ((word & (uint32_t{1} << ((key * kSalts[i]) >> 27))) == 0) {
      return false;
    }
  }
  return true;
}

}  // namespace floe::format::parquet
