#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace floe::server::http {

/// Builds one FlatBuffers buffer (the binary format of flatbuffers.dev, "Internals") back to
/// front, as the reference builders do: children are created before the tables that refer to
/// them, fields equal to their schema default are left out, trailing absent fields are trimmed
/// from vtables and identical vtables are shared. Following the reference algorithm makes the
/// output byte-identical to other FlatBuffers writers that add fields in the same order.
/// Used for the Arrow IPC metadata (arrow_ipc_writer.h); not thread-safe.
class FlatBufferBuilder {
 public:
  /// A position in the buffer counted from its end, stable while the buffer grows.
  using Offset = uint32_t;

  FlatBufferBuilder() = default;
  FlatBufferBuilder(const FlatBufferBuilder&) = delete;
  FlatBufferBuilder& operator=(const FlatBufferBuilder&) = delete;
  ~FlatBufferBuilder() = default;

  /// Returns a string (length, bytes, NUL terminator).
  Offset CreateString(std::string_view text);
  /// Returns a vector of references to tables or strings, given in their order.
  Offset CreateOffsetVector(const std::vector<Offset>& elements);
  /// Returns a vector of structs made of two int64 each (Arrow's FieldNode and Buffer).
  Offset CreateInt64PairVector(const std::vector<std::pair<int64_t, int64_t>>& elements);

  /// Starts a table with `num_fields` slots; add fields, then EndTable().
  void StartTable(int num_fields);
  void AddInt8(int slot, int8_t value, int8_t default_value);
  void AddInt16(int slot, int16_t value, int16_t default_value);
  void AddInt32(int slot, int32_t value, int32_t default_value);
  void AddInt64(int slot, int64_t value, int64_t default_value);
  void AddBool(int slot, bool value, bool default_value) {
    AddInt8(slot, value ? 1 : 0, default_value ? 1 : 0);
  }
  /// Adds a reference to a string, vector or table created earlier.
  void AddOffset(int slot, Offset target);
  Offset EndTable();

  /// Writes the root reference and returns the finished buffer.
  std::string Finish(Offset root);

 private:
  Offset size() const { return static_cast<Offset>(bytes_.size()); }
  /// Pads so that after `additional` more bytes the buffer is aligned to `alignment`.
  void Prepare(size_t alignment, size_t additional);
  void PushBytes(const void* data, size_t count);
  template <typename T>
  void Push(T value) {
    PushBytes(&value, sizeof(value));
  }
  void PushOffset(Offset target);
  void Track(int slot);

  // Bytes in reverse order: bytes_[0] is the last byte of the buffer.
  std::string bytes_{};
  size_t min_alignment_ = 1;
  std::vector<Offset> slots_{};  // Offset of each field of the open table, 0 when absent.
  Offset table_start_ = 0;
  std::vector<Offset> vtables_{};  // Offsets of the vtables written so far.
};

}  // namespace floe::server::http
