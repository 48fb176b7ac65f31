#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "types/logical_type.h"

namespace floe::vector {

/// One column of a batch: its name, type and whether it may hold NULLs.
struct Field {
  std::string name;
  types::LogicalType type;
  bool is_nullable = true;

  friend bool operator==(const Field& a, const Field& b) = default;
};

/// The ordered fields of a batch. Immutable once built; batches share it through
/// std::shared_ptr<const Schema>. Names need not be unique (SQL allows `SELECT a, a`).
class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

  const std::vector<Field>& fields() const { return fields_; }
  int64_t num_fields() const { return static_cast<int64_t>(fields_.size()); }
  const Field& field(int64_t index) const { return fields_[static_cast<size_t>(index)]; }

  /// Returns the index of the first field named `name`, or nullopt.
  std::optional<int64_t> IndexOf(std::string_view name) const;
  /// Returns the schema of the fields at `indices`, in that order, or InvalidArgument when an
  /// index is out of range.
  Result<Schema> Project(std::span<const int64_t> indices) const;

  /// Returns "name type [NOT NULL], ..." for messages and tests.
  std::string ToString() const;

  friend bool operator==(const Schema& a, const Schema& b) = default;

 private:
  std::vector<Field> fields_;
};

}  // namespace floe::vector
