#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "common/result.h"
#include "types/logical_type.h"
#include "vector/batch.h"
#include "vector/vector.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution {

/// Returns a 64-bit hash of `size` bytes; fast on the short keys joins and aggregates use.
uint64_t HashKeyBytes(const uint8_t* data, size_t size);

/// Encodes the values of key columns (GROUP BY keys, join keys, DISTINCT rows, IN lists) into
/// one byte string per row, so that two rows are the same key exactly when their bytes are
/// equal: hash tables then hash and compare keys of any type with one HashKeyBytes and one
/// memcmp, and can decode the bytes back into columns for output.
///
/// Layout per column: one byte (0 valid, 1 NULL), then the value: fixed-width types their
/// PhysicalWidth() bytes (zero for NULL), BOOLEAN one byte, VARCHAR and BYTEA a uint32 length
/// then the bytes. REAL and DOUBLE are normalised first (-0 as 0, one NaN) because SQL groups
/// them as equal. NULL equals NULL here; callers wanting SQL's `=` check nulls themselves.
/// Nested types are not supported as keys (NotSupported). Immutable after Make; thread-safe.
class RowKeyEncoder {
 public:
  static Result<RowKeyEncoder> Make(std::vector<types::LogicalType> types);
  RowKeyEncoder() = default;

  const std::vector<types::LogicalType>& types() const { return types_; }
  /// True when every key has the same size (no strings): `fixed_width()` bytes.
  bool is_fixed_width() const { return fixed_width_ >= 0; }
  int64_t fixed_width() const { return fixed_width_; }

  /// Encodes rows [0, rows) of `columns` (one per key type, any encoding). `offsets` gets
  /// rows + 1 entries into `bytes`; `any_null`, when given, gets one flag per row telling
  /// whether some key of the row is NULL. Both outputs are overwritten.
  void Encode(std::span<const vector::Vector> columns, int64_t rows, std::vector<uint8_t>& bytes,
              std::vector<uint32_t>& offsets, std::vector<uint8_t>* any_null = nullptr) const;

  /// Appends the columns of one encoded key to `builders` (one per key type).
  Status Decode(const uint8_t* key, std::span<vector::VectorBuilder> builders) const;

 private:
  std::vector<types::LogicalType> types_;
  std::vector<int> widths_;  // Value bytes per column, -1 for strings.
  int64_t fixed_width_ = 0;
};

/// Appends rows of `source` (any encoding) to `builder` of the same type: the `count` rows
/// listed in `rows` (SelectionVector::kNullRow appends a NULL), or rows [first, first + count)
/// when `rows` is null.
Status AppendRows(vector::VectorBuilder& builder, const vector::Vector& source,
                  const uint32_t* rows, int64_t first, int64_t count);

/// Returns the columns of `batches` (all of `schema`) concatenated into one batch charged to
/// `tracker`; a single batch is returned as it is.
Result<vector::Batch> ConcatenateBatches(const std::shared_ptr<const vector::Schema>& schema,
                                         std::span<const vector::Batch> batches,
                                         MemoryTracker* tracker);

}  // namespace floe::sql::execution
