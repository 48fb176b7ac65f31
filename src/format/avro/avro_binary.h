#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"
#include "format/avro/avro_schema.h"

namespace floe::format::avro {

/// Reads Avro's binary encoding (specification, "Binary Encoding") from a byte range it does not
/// own. Every read is bounds-checked: running past the end, an overlong varint or a negative
/// length is Corruption, and a length or item count larger than the bytes left is Corruption
/// before anything is allocated. Not thread-safe.
class AvroDecoder {
 public:
  explicit AvroDecoder(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  size_t remaining() const { return bytes_.size() - position_; }
  bool at_end() const { return position_ == bytes_.size(); }
  size_t position() const { return position_; }

  Result<int64_t> ReadLong();
  /// Reads a long that must fit in 32 bits.
  Result<int32_t> ReadInt();
  Result<bool> ReadBoolean();
  Result<float> ReadFloat();
  Result<double> ReadDouble();
  /// Returns a view of the next length-prefixed bytes (bytes or string), valid while the
  /// underlying range is.
  Result<std::string_view> ReadBytes();
  Result<std::string_view> ReadFixed(size_t size);
  /// Reads a union branch index and checks it against the number of branches.
  Result<int32_t> ReadUnionIndex(size_t branch_count);
  /// Reads the item count of the next array or map block: 0 ends the array or map. A negative
  /// count is followed by the block's byte size, which is read and ignored. Counts larger than
  /// the bytes left are Corruption unless `item` encodes to zero bytes; such items cannot be
  /// bounded by the bytes left, so one decoder yields at most kMaxZeroWidthItems of them in all,
  /// which keeps a hostile count from looping or allocating without end.
  static constexpr int64_t kMaxZeroWidthItems = int64_t{1} << 16;
  Result<int64_t> ReadBlockCount(const AvroSchema& item);

  /// Skips one value of `schema`.
  Status Skip(const AvroSchema& schema);

 private:
  Status Truncated(size_t needed) const;

  std::span<const uint8_t> bytes_;
  size_t position_ = 0;
  int64_t zero_width_budget_ = kMaxZeroWidthItems;
};

/// Appends Avro's binary encoding to a buffer. Cannot fail.
class AvroEncoder {
 public:
  void WriteLong(int64_t value);
  void WriteInt(int32_t value) { WriteLong(value); }
  void WriteBoolean(bool value) { buffer_.push_back(value ? '\1' : '\0'); }
  void WriteFloat(float value);
  void WriteDouble(double value);
  void WriteBytes(std::string_view bytes);
  void WriteFixed(std::string_view bytes) { buffer_.append(bytes); }
  /// Writes a union branch index (the value follows).
  void WriteUnionIndex(int32_t index) { WriteLong(index); }

  const std::string& buffer() const { return buffer_; }
  std::string& buffer() { return buffer_; }
  size_t size() const { return buffer_.size(); }
  void Clear() { buffer_.clear(); }

 private:
  std::string buffer_;
};

}  // namespace floe::format::avro
