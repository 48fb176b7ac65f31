#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "common/memory_tracker.h"
#include "common/result.h"
#include "types/logical_type.h"
#include "vector/bitmap.h"
#include "vector/buffer.h"
#include "vector/vector.h"

namespace floe::types {
class Value;
}  // namespace floe::types

namespace floe::vector {

/// Appends rows of one LogicalType into growing buffers and finishes them into a flat Vector.
///
/// Use the appender matching the type: Append<T>() or AppendValues<T>() for fixed-width types
/// (T of the type's PhysicalWidth(): int16_t, int32_t, int64_t, float, double, types::Int128,
/// the 16-byte INTERVAL and UUID structs), AppendBool() for BOOLEAN, AppendString() for VARCHAR
/// and BYTEA; AppendNull() for any type. Nested rows are built bottom-up: append the elements of
/// a LIST to child(0) then call AppendList(); append one entry per key to key_builder() and
/// value_builder() of a MAP then call AppendList(); append one value to each field builder
/// child(i) of a STRUCT then call AppendStruct().
///
/// Buffers grow geometrically; Reserve() sizes them once when the row count is known. Every
/// byte is reserved from `tracker` (when given) before it is allocated: an append that would
/// pass the budget returns ResourceExhausted and appends nothing. The tracker must
/// outlive the builder and the vectors it finishes. Movable, not copyable; not thread-safe.
class VectorBuilder {
 public:
  explicit VectorBuilder(types::LogicalType type, MemoryTracker* tracker = nullptr);
  VectorBuilder(VectorBuilder&&) noexcept = default;
  VectorBuilder& operator=(VectorBuilder&&) noexcept = default;
  VectorBuilder(const VectorBuilder&) = delete;
  VectorBuilder& operator=(const VectorBuilder&) = delete;
  ~VectorBuilder() = default;

  const types::LogicalType& type() const { return type_; }
  /// Returns the rows appended so far.
  int64_t length() const { return length_; }
  int64_t null_count() const { return null_count_; }

  /// Makes room for `additional_rows` more rows (and as many fields of a STRUCT).
  Status Reserve(int64_t additional_rows);
  /// Makes room for `additional_bytes` more bytes of VARCHAR or BYTEA data.
  Status ReserveData(int64_t additional_bytes);

  Status AppendNull() { return AppendNulls(1); }
  /// Appends `count` NULL rows; for a STRUCT, also a NULL to every field.
  Status AppendNulls(int64_t count);

  /// Appends one value of a fixed-width type.
  template <typename T>
  Status Append(const T& value) {
    FLOE_DCHECK(sizeof(T) == static_cast<size_t>(width_));
    if (length_ == capacity_) [[unlikely]] {
      FLOE_RETURN_NOT_OK(GrowFor(1));
    }
    std::memcpy(values_->mutable_data() + length_ * width_, &value, sizeof(T));
    if (validity_ != nullptr) {
      SetBit(validity_->mutable_data(), length_);
    }
    ++length_;
    return Status::OK();
  }
  /// Appends `values.size()` valid rows of a fixed-width type with one copy.
  template <typename T>
  Status AppendValues(std::span<const T> values) {
    FLOE_ASSIGN_OR_RETURN(T * output, AppendUninitialized<T>(static_cast<int64_t>(values.size())));
    if (!values.empty()) {
      std::memcpy(output, values.data(), values.size_bytes());
    }
    return Status::OK();
  }
  /// Appends `count` valid rows of a fixed-width type and returns where their values go, for
  /// decoders that write in place. The pointer is valid until the next append.
  template <typename T>
  Result<T*> AppendUninitialized(int64_t count) {
    FLOE_DCHECK(sizeof(T) == static_cast<size_t>(width_));
    FLOE_ASSIGN_OR_RETURN(uint8_t * output, AppendUninitializedBytes(count));
    return reinterpret_cast<T*>(output);
  }
  Status AppendBool(bool value);
  /// Appends one VARCHAR or BYTEA value, copying its bytes.
  Status AppendString(std::string_view value);
  /// Closes one LIST or MAP row holding the elements (or key-value entries) appended to the
  /// child since the previous row. Fails with InvalidArgument when a MAP has more keys than
  /// values or the reverse.
  Status AppendList();
  /// Closes one STRUCT row; every field builder must hold exactly one more row than the struct
  /// (else InvalidArgument).
  Status AppendStruct();

  /// Appends a Value of the builder's type (a NULL of any type), nested values included. Fails
  /// with InvalidArgument when the type differs, or as the other appenders do.
  Status AppendValue(const types::Value& value);

  /// Marks the already appended row `row` NULL (its value stays in place, unread).
  Status SetNull(int64_t row);

  /// Returns the builder of child `index`: the elements of a LIST, the entries of a MAP, field
  /// `index` of a STRUCT.
  VectorBuilder& child(int64_t index) { return children_[static_cast<size_t>(index)]; }
  /// Returns the builders of a MAP's keys and values.
  VectorBuilder& key_builder() { return children_[0].children_[0]; }
  VectorBuilder& value_builder() { return children_[0].children_[1]; }

  /// Returns the rows appended as a flat vector and leaves the builder empty, ready for reuse.
  /// Fails with InvalidArgument when a STRUCT field does not hold one row per struct row.
  Result<Vector> Finish();

 private:
  Status GrowFor(int64_t additional_rows);
  Status GrowTo(int64_t rows);
  Status EnsureValidity();
  Result<uint8_t*> AppendUninitializedBytes(int64_t count);
  Status CloseMapEntries();
  void MarkValid(int64_t first_row, int64_t count) {
    if (validity_ != nullptr) {
      SetBitsTo(validity_->mutable_data(), first_row, count, true);
    }
  }
  int32_t* mutable_offsets() { return values_->mutable_data_as<int32_t>(); }

  types::LogicalType type_;
  MemoryTracker* tracker_;
  int width_;  // Bytes per value of fixed-width types, else 0.
  int64_t length_ = 0;
  int64_t capacity_ = 0;  // Rows the buffers have room for.
  int64_t null_count_ = 0;
  std::shared_ptr<Buffer> validity_;  // Made at the first NULL.
  std::shared_ptr<Buffer> values_;
  std::shared_ptr<Buffer> data_;
  std::vector<VectorBuilder> children_;
};

}  // namespace floe::vector
