#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "common/memory_tracker.h"
#include "common/result.h"
#include "types/logical_type.h"
#include "vector/bitmap.h"
#include "vector/buffer.h"

namespace floe::types {
class Value;
}  // namespace floe::types

namespace floe::vector {

class SelectionVector;
class VectorBuilder;

/// How a vector stores its rows.
enum class Encoding : uint8_t {
  kFlat,        // One value per row in Arrow's layout for the type.
  kConstant,    // One value (possibly NULL) standing for every row.
  kDictionary,  // Int32 indices into a shared flat dictionary vector.
};

/// A column of `length()` rows of one LogicalType, in Apache Arrow's memory layout.
///
/// Flat vectors hold up to three buffers and some children, all shared and read-only:
///   validity  bitmap, bit set = valid; absent when no row is NULL (any type)
///   values    BOOLEAN: bit-packed; fixed width types: one PhysicalWidth() value per row
///             (DECIMAL int64 up to precision 18 else Int128, DATE int32 days, TIME and
///             TIMESTAMP[TZ] int64 micros, INTERVAL {int32 months, int32 days, int64 micros},
///             UUID 16 bytes); VARCHAR, BYTEA, LIST, MAP: int32 offsets, one more than rows
///   data      VARCHAR, BYTEA: the bytes that the offsets point into
///   children  LIST: the elements; MAP: a STRUCT of "key" and "value"; STRUCT: one per field
/// As in Arrow, `offset()` counts rows skipped at the start of every buffer (bits for bitmaps),
/// and offsets index into the whole child or data buffer, so slices copy nothing. Unlike Arrow,
/// a STRUCT's children are sliced with it, so child(i) holds exactly the struct's rows.
///
/// A constant vector keeps its value as a one-row flat vector; a dictionary vector keeps int32
/// indices (in the values buffer, at `offset()`) plus an optional validity bitmap of its own, and
/// its rows are NULL where that bitmap says so or where the dictionary entry is NULL.
///
/// Vectors are values: copying one copies buffer pointers, never bytes. A vector is immutable,
/// so it may be read from several threads. Values in NULL rows are unspecified, and a NULL row of
/// a dictionary vector may hold any index, so Get() and GetString() must not read NULL rows.
class Vector {
 public:
  /// An empty vector of type NULL.
  Vector() = default;

  /// Returns a flat vector over existing buffers (see the class comment for which are needed),
  /// or InvalidArgument when a buffer is missing or too small for `offset + length` rows, a
  /// child has the wrong type or too few rows, or offsets decrease or point outside their data.
  /// STRUCT children must have exactly `length` rows (slice them first). `null_count` of -1
  /// means "count the validity bitmap".
  static Result<Vector> MakeFlat(types::LogicalType type, int64_t length, int64_t offset,
                                 std::shared_ptr<Buffer> validity, std::shared_ptr<Buffer> values,
                                 std::shared_ptr<Buffer> data, std::vector<Vector> children,
                                 int64_t null_count = -1);
  /// Returns a vector of `length` rows all equal to `source`'s row `row`. Copies that one value
  /// only when `source` is not flat.
  static Result<Vector> MakeConstant(const Vector& source, int64_t row, int64_t length,
                                     MemoryTracker* tracker = nullptr);
  /// Returns a vector of `length` NULL rows of `type`, or ResourceExhausted.
  static Result<Vector> MakeConstantNull(const types::LogicalType& type, int64_t length,
                                         MemoryTracker* tracker = nullptr);
  /// Returns a dictionary vector of `length` rows reading `indices` (int32, from row `offset`)
  /// and `validity` (may be null) at the same offset. `dictionary` must be flat and of the
  /// vector's type. Fails with InvalidArgument when an index is outside the dictionary; rows
  /// marked NULL may hold any index.
  static Result<Vector> MakeDictionary(std::shared_ptr<const Vector> dictionary, int64_t length,
                                       int64_t offset, std::shared_ptr<Buffer> indices,
                                       std::shared_ptr<Buffer> validity);

  const types::LogicalType& type() const { return type_; }
  Encoding encoding() const { return encoding_; }
  bool is_flat() const { return encoding_ == Encoding::kFlat; }
  int64_t length() const { return length_; }
  /// Rows skipped at the start of the buffers (flat and dictionary vectors).
  int64_t offset() const { return offset_; }
  int64_t null_count() const { return null_count_; }
  bool MayHaveNulls() const { return null_count_ != 0; }

  bool IsNull(int64_t row) const {
    FLOE_DCHECK(row >= 0 && row < length_);
    if (null_count_ == 0) {
      return false;
    }
    switch (encoding_) {
      case Encoding::kFlat:
        return !GetBit(validity_->data(), offset_ + row);
      case Encoding::kConstant:
        return true;
      case Encoding::kDictionary:
        return (validity_ != nullptr && !GetBit(validity_->data(), offset_ + row)) ||
               dictionary_->IsNull(indices()[row]);
    }
    return false;
  }
  bool IsValid(int64_t row) const { return !IsNull(row); }

  /// Returns the flat vector holding the values: this one when flat, else the dictionary (or
  /// the constant's one-row vector). Pair with ValueIndex().
  const Vector& ValueSource() const { return is_flat() ? *this : *dictionary_; }
  /// Returns the row of ValueSource() that holds row `row`'s value.
  int64_t ValueIndex(int64_t row) const {
    switch (encoding_) {
      case Encoding::kFlat:
        return row;
      case Encoding::kConstant:
        return 0;
      case Encoding::kDictionary:
        return indices()[row];
    }
    return row;
  }

  /// Returns the values of a flat fixed-width vector, starting at its first row; T must have
  /// the type's PhysicalWidth().
  template <typename T>
  const T* values() const {
    FLOE_DCHECK(is_flat() && sizeof(T) == static_cast<size_t>(type_.PhysicalWidth()));
    return values_->data_as<T>() + offset_;
  }
  /// Returns the validity bitmap of a flat or dictionary vector (read it from bit `offset()`),
  /// or nullptr when no row of the bitmap is NULL.
  const uint8_t* validity_bits() const { return validity_ ? validity_->data() : nullptr; }
  /// Returns the bit-packed values of a flat BOOLEAN vector; read from bit `offset()`.
  const uint8_t* value_bits() const { return values_->data(); }
  /// Returns the offsets of a flat VARCHAR, BYTEA, LIST or MAP vector, starting at its first
  /// row: row `i` spans [offsets()[i], offsets()[i + 1]) of the data or the child.
  const int32_t* offsets() const { return values_->data_as<int32_t>() + offset_; }
  /// Returns the bytes of a flat VARCHAR or BYTEA vector (index them with offsets()).
  const uint8_t* string_data() const { return data_ ? data_->data() : nullptr; }
  /// Returns the indices of a dictionary vector, starting at its first row.
  const int32_t* indices() const { return values_->data_as<int32_t>() + offset_; }

  /// Returns row `row` of a fixed-width vector of any encoding.
  template <typename T>
  T Get(int64_t row) const {
    return ValueSource().template values<T>()[ValueIndex(row)];
  }
  /// Returns row `row` of a BOOLEAN vector of any encoding.
  bool GetBool(int64_t row) const {
    const Vector& source = ValueSource();
    return GetBit(source.value_bits(), source.offset_ + ValueIndex(row));
  }
  /// Returns row `row` of a VARCHAR or BYTEA vector of any encoding, pointing into its data.
  std::string_view GetString(int64_t row) const {
    const Vector& source = ValueSource();
    const int32_t* offsets = source.offsets() + ValueIndex(row);
    return std::string_view(reinterpret_cast<const char*>(source.string_data()) + offsets[0],
                            static_cast<size_t>(offsets[1] - offsets[0]));
  }

  /// Returns row `row` as a Value, NULL rows as a NULL of the vector's type; fails with
  /// Corruption when a DECIMAL holds more digits than its precision allows.
  Result<types::Value> GetValue(int64_t row) const;

  /// Returns the number of children of a flat vector (see the class comment).
  int64_t num_children() const { return static_cast<int64_t>(children_.size()); }
  const Vector& child(int64_t index) const { return children_[static_cast<size_t>(index)]; }
  /// Returns the dictionary of a dictionary vector, or the one-row value of a constant vector.
  const Vector& dictionary() const { return *dictionary_; }

  /// Buffers as shared pointers, for writers that keep them alive (Arrow IPC, C data interface).
  const std::shared_ptr<Buffer>& validity_buffer() const { return validity_; }
  const std::shared_ptr<Buffer>& values_buffer() const { return values_; }
  const std::shared_ptr<Buffer>& data_buffer() const { return data_; }

  /// Returns rows [offset, offset + length) sharing this vector's buffers; costs one popcount
  /// over the slice when the vector has NULLs (and a pass over the indices of a dictionary
  /// vector whose dictionary has NULLs).
  Vector Slice(int64_t offset, int64_t length) const;

  /// Returns a flat vector with the same rows: this vector itself when already flat, else a
  /// copy of the values charged to `tracker`. Fails with ResourceExhausted.
  Result<Vector> Flatten(MemoryTracker* tracker = nullptr) const;

  /// Returns a new flat vector whose row i is row selection[i] of this one (NULL for
  /// SelectionVector::kNullRow), copying values into new buffers charged to `tracker`. Indices
  /// must be below length(). Fails with ResourceExhausted.
  Result<Vector> Gather(const SelectionVector& selection, MemoryTracker* tracker = nullptr) const;

 private:
  friend class VectorBuilder;

  int64_t CountNulls() const;
  Result<Vector> GatherRows(const uint32_t* rows, int64_t count, MemoryTracker* tracker) const;
  Result<Vector> GatherFlat(const uint32_t* rows, int64_t count, MemoryTracker* tracker) const;

  types::LogicalType type_;
  Encoding encoding_ = Encoding::kFlat;
  int64_t length_ = 0;
  int64_t offset_ = 0;
  int64_t null_count_ = 0;
  std::shared_ptr<Buffer> validity_;
  std::shared_ptr<Buffer> values_;  // Values, bits or offsets; indices when dictionary.
  std::shared_ptr<Buffer> data_;
  std::vector<Vector> children_;
  std::shared_ptr<const Vector> dictionary_;  // Dictionary, or a constant's one-row value.
};

}  // namespace floe::vector
