#include "vector/batch.h"

#include <utility>

#include "vector/selection_vector.h"

namespace floe::vector {

Result<Batch> Batch::Make(std::shared_ptr<const Schema> schema, std::vector<Vector> columns,
                          int64_t num_rows) {
  if (schema == nullptr) {
    return Status::InvalidArgument("a batch needs a schema");
  }
  if (static_cast<int64_t>(columns.size()) != schema->num_fields()) {
    return Status::InvalidArgument("batch has {} columns, its schema {}", columns.size(),
                                   schema->num_fields());
  }
  if (num_rows < 0) {
    return Status::InvalidArgument("batch row count must not be negative: {}", num_rows);
  }
  for (int64_t index = 0; index < schema->num_fields(); ++index) {
    const Field& field = schema->field(index);
    const Vector& column = columns[static_cast<size_t>(index)];
    if (!(column.type() == field.type)) {
      return Status::InvalidArgument("column {} has type {}, its field {}", field.name,
                                     column.type().ToString(), field.type.ToString());
    }
    if (column.length() != num_rows) {
      return Status::InvalidArgument("column {} has {} rows, the batch {}", field.name,
                                     column.length(), num_rows);
    }
    if (!field.is_nullable && column.MayHaveNulls()) {
      return Status::InvalidArgument("column {} is NOT NULL but holds {} NULLs", field.name,
                                     column.null_count());
    }
  }
  return Batch(std::move(schema), std::move(columns), num_rows);
}

Batch Batch::Slice(int64_t offset, int64_t length) const {
  FLOE_DCHECK(offset >= 0 && length >= 0 && offset + length <= num_rows_);
  std::vector<Vector> columns;
  columns.reserve(columns_.size());
  for (const Vector& column : columns_) {
    columns.push_back(column.Slice(offset, length));
  }
  return Batch(schema_, std::move(columns), length);
}

Result<Batch> Batch::Project(std::span<const int64_t> indices) const {
  FLOE_ASSIGN_OR_RETURN(Schema schema, schema_->Project(indices));
  std::vector<Vector> columns;
  columns.reserve(indices.size());
  for (int64_t index : indices) {
    columns.push_back(column(index));
  }
  return Batch(std::make_shared<const Schema>(std::move(schema)), std::move(columns), num_rows_);
}

Result<Batch> Batch::Gather(const SelectionVector& selection, MemoryTracker* tracker) const {
  std::vector<Vector> columns;
  columns.reserve(columns_.size());
  for (const Vector& column : columns_) {
    FLOE_ASSIGN_OR_RETURN(Vector gathered, column.Gather(selection, tracker));
    columns.push_back(std::move(gathered));
  }
  return Batch(schema_, std::move(columns), selection.size());
}

}  // namespace floe::vector
