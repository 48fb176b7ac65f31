#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace floe::format::parquet {

/// Type codes of the Thrift compact protocol, as they appear in field and container headers.
enum class CompactType : uint8_t {
  kStop = 0,
  kBooleanTrue = 1,
  kBooleanFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
  kUuid = 13,
};

/// Bounds that keep hostile input from exhausting the stack or memory.
struct CompactLimits {
  /// Deepest nesting of structs and containers accepted.
  int max_depth = 64;
  /// Largest element count accepted for one list, set or map.
  int64_t max_container_size = int64_t{1} << 24;
};

/// The header of one struct field; `type` is kStop at the end of the struct. For boolean fields
/// the value travels in the type (kBooleanTrue or kBooleanFalse).
struct FieldHeader {
  int16_t id = 0;
  CompactType type = CompactType::kStop;
};

/// The header of a list or set.
struct ListHeader {
  CompactType element_type = CompactType::kStop;
  int64_t size = 0;
};

/// The header of a map; key and value types are kStop when the map is empty.
struct MapHeader {
  CompactType key_type = CompactType::kStop;
  CompactType value_type = CompactType::kStop;
  int64_t size = 0;
};

/// Reads values encoded with the Thrift compact protocol from a byte span it does not own.
///
/// Every read checks the remaining bytes; malformed input gives Corruption naming what was
/// malformed and the byte offset, and never reads outside the span. Container sizes are checked
/// against the remaining bytes (every element takes at least one byte) and the limits before a
/// caller allocates. Not thread-safe.
class CompactReader {
 public:
  explicit CompactReader(std::span<const uint8_t> bytes, CompactLimits limits = {});

  /// Enters a struct: checks the nesting depth and starts a new field id sequence.
  Status BeginStruct();
  /// Leaves the struct entered last, after its stop field was read.
  void EndStruct();
  /// Reads the next field header of the current struct; type kStop ends the struct.
  Result<FieldHeader> ReadFieldHeader();
  /// Reads a list or set header, checking its size against the remaining bytes and the limits.
  Result<ListHeader> ReadListHeader();
  /// Reads a map header, checking its size against the remaining bytes and the limits.
  Result<MapHeader> ReadMapHeader();
  /// Enters a container for depth accounting; pair with EndContainer.
  Status BeginContainer();
  void EndContainer() { --depth_; }

  /// Reads a boolean stored as one byte (list, set and map elements).
  Result<bool> ReadBool();
  Result<int8_t> ReadI8();
  Result<int16_t> ReadI16();
  Result<int32_t> ReadI32();
  Result<int64_t> ReadI64();
  Result<double> ReadDouble();
  /// Returns a view into the input of a length-prefixed binary or string value.
  Result<std::string_view> ReadBinary();
  /// Reads an unsigned LEB128 varint of at most 64 bits.
  Result<uint64_t> ReadVarint();

  /// Skips one value of `type`, including every nested value, within the depth limit.
  Status Skip(CompactType type);

  /// Returns the number of bytes read so far.
  size_t position() const { return position_; }
  size_t remaining() const { return bytes_.size() - position_; }

 private:
  Status Corrupt(std::string_view what) const;
  Result<uint64_t> ReadVarintOfWidth(int max_bits, std::string_view what);
  Result<CompactType> ToType(uint8_t nibble, std::string_view what) const;
  Status SkipContainer(CompactType element_type, int64_t size);
  Status SkipMap();
  Status SkipStruct();

  std::span<const uint8_t> bytes_;
  CompactLimits limits_;
  size_t position_ = 0;
  int depth_ = 0;
  std::vector<int16_t> last_field_ids_;
};

/// Appends values encoded with the Thrift compact protocol to a byte vector it does not own.
/// Writing cannot fail. Not thread-safe.
class CompactWriter {
 public:
  explicit CompactWriter(std::vector<uint8_t>& output) : output_(output) {}

  /// Starts a struct: its field ids are delta-encoded from zero.
  void BeginStruct();
  /// Writes the stop field and returns to the enclosing struct.
  void EndStruct();
  /// Writes a field header; for a boolean field pass kBooleanTrue or kBooleanFalse.
  void WriteFieldHeader(int16_t id, CompactType type);
  void WriteListHeader(CompactType element_type, int64_t size);
  void WriteMapHeader(CompactType key_type, CompactType value_type, int64_t size);

  /// Writes a boolean as one byte (list, set and map elements).
  void WriteBool(bool value);
  void WriteI8(int8_t value);
  void WriteI16(int16_t value) { WriteVarint(ZigZag(value)); }
  void WriteI32(int32_t value) { WriteVarint(ZigZag(value)); }
  void WriteI64(int64_t value) { WriteVarint(ZigZag(value)); }
  void WriteDouble(double value);
  void WriteBinary(std::string_view value);
  void WriteVarint(uint64_t value);

 private:
  static uint64_t ZigZag(int64_t value) {
    return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  }

  std::vector<uint8_t>& output_;
  std::vector<int16_t> last_field_ids_{0};
};

}  // namespace floe::format::parquet
