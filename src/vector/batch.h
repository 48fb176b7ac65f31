#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "vector/schema.h"
#include "vector/vector.h"

namespace floe::vector {

class SelectionVector;

/// A set of equally long columns described by a schema: the unit that flows between operators,
/// that readers produce and that results leave in. Copying a batch copies column pointers, not
/// values. Immutable, so it may be read from several threads.
class Batch {
 public:
  /// Rows per batch that operators aim for: large enough to amortise per-batch work, small
  /// enough that a few columns of it stay in the L2 cache.
  static constexpr int64_t kDefaultBatchSize = 2048;

  /// An empty batch with no columns.
  Batch() : schema_(std::make_shared<const Schema>()) {}

  /// Returns a batch of `num_rows` rows, or InvalidArgument when the columns do not match the
  /// schema in number and type, a column does not have `num_rows` rows, or a column that the
  /// schema declares NOT NULL holds a NULL. A batch may have rows but no columns (the input of
  /// `count(*)`).
  static Result<Batch> Make(std::shared_ptr<const Schema> schema, std::vector<Vector> columns,
                            int64_t num_rows);

  const Schema& schema() const { return *schema_; }
  const std::shared_ptr<const Schema>& shared_schema() const { return schema_; }
  int64_t num_rows() const { return num_rows_; }
  int64_t num_columns() const { return static_cast<int64_t>(columns_.size()); }
  const Vector& column(int64_t index) const { return columns_[static_cast<size_t>(index)]; }
  const std::vector<Vector>& columns() const { return columns_; }

  /// Returns rows [offset, offset + length), sharing every buffer.
  Batch Slice(int64_t offset, int64_t length) const;
  /// Returns the columns at `indices`, in that order (repeats allowed), sharing every buffer,
  /// or InvalidArgument when an index is out of range.
  Result<Batch> Project(std::span<const int64_t> indices) const;
  /// Returns the rows picked by `selection` as new flat columns charged to `tracker`, or
  /// ResourceExhausted.
  Result<Batch> Gather(const SelectionVector& selection, MemoryTracker* tracker = nullptr) const;

 private:
  Batch(std::shared_ptr<const Schema> schema, std::vector<Vector> columns, int64_t num_rows)
      : schema_(std::move(schema)), columns_(std::move(columns)), num_rows_(num_rows) {}

  std::shared_ptr<const Schema> schema_;
  std::vector<Vector> columns_;
  int64_t num_rows_ = 0;
};

}  // namespace floe::vector
