#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "table/schema.h"
#include "table/transform.h"

namespace floe::table {

enum class SortDirection : uint8_t { kAscending, kDescending };
enum class NullOrder : uint8_t { kNullsFirst, kNullsLast };

/// One field of a sort order: a transform of a source column with a direction and where
/// NULLs go (spec "Sort Orders"). v3 multi-argument transforms list several source ids.
struct SortField {
  Transform transform;
  std::vector<int32_t> source_ids;  // At least one.
  SortDirection direction = SortDirection::kAscending;
  NullOrder null_order = NullOrder::kNullsFirst;

  int32_t source_id() const { return source_ids.front(); }
  friend bool operator==(const SortField& a, const SortField& b) = default;
};

/// A table sort order. Order id 0 is reserved for the unsorted order, which has no fields.
struct SortOrder {
  int32_t order_id = 0;
  std::vector<SortField> fields;

  static SortOrder Unsorted() { return SortOrder{}; }
  bool IsUnsorted() const { return fields.empty(); }
  /// Checks that each source column exists and accepts the transform, and that order id 0 is
  /// only used by the unsorted order. Errors: InvalidArgument naming the field.
  Status Validate(const Schema& schema) const;

  friend bool operator==(const SortOrder& a, const SortOrder& b) = default;
};

/// Parses a sort order object (spec Appendix C: "Sort Orders"). Errors: Corruption naming the key.
Result<SortOrder> SortOrderFromJson(std::string_view json);
/// Writes a sort order object; SortOrderFromJson reads it back equal.
std::string SortOrderToJson(const SortOrder& order);

}  // namespace floe::table
