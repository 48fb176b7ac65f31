#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sql/execution/expression.h"
#include "sql/functions/function.h"
#include "types/logical_type.h"

namespace floe::sql::execution {

/// The rows a window function sees for the current row (SQL's frame clause).
struct WindowFrame {
  /// ROWS counts rows; RANGE (the default) treats rows with equal ORDER BY keys (peers) as one
  /// and measures offsets on the ORDER BY key; GROUPS counts peer groups.
  enum class Unit : uint8_t { kRows, kRange, kGroups };
  enum class Bound : uint8_t {
    kUnboundedPreceding,
    kPreceding,  // `offset` PRECEDING.
    kCurrentRow,
    kFollowing,  // `offset` FOLLOWING.
    kUnboundedFollowing,
  };
  /// EXCLUDE: rows taken out of the frame around the current row.
  enum class Exclusion : uint8_t { kNoOthers, kCurrentRow, kGroup, kTies };

  Unit unit = Unit::kRange;
  Bound start = Bound::kUnboundedPreceding;
  int64_t start_offset = 0;  // ROWS and GROUPS; RANGE offsets are in WindowFunctionSpec.
  Bound end = Bound::kCurrentRow;
  int64_t end_offset = 0;
  Exclusion exclusion = Exclusion::kNoOthers;

  bool HasOffset() const {
    return start == Bound::kPreceding || start == Bound::kFollowing || end == Bound::kPreceding ||
           end == Bound::kFollowing;
  }
  friend bool operator==(const WindowFrame&, const WindowFrame&) = default;
};

enum class WindowFunctionKind : uint8_t {
  kRowNumber,
  kRank,
  kDenseRank,
  kPercentRank,  // (rank - 1) / (partition rows - 1), 0 for a one-row partition.
  kCumeDist,     // Rows up to the current row's last peer / partition rows.
  kNtile,        // ntile(n): bucket 1..n, the first (rows % n) buckets one row larger.
  kLag,          // lag(value [, offset [, default]]): `offset` rows before, within the partition.
  kLead,         // lead(value [, offset [, default]]).
  kFirstValue,   // Over the frame.
  kLastValue,    // Over the frame.
  kNthValue,     // nth_value(value, n): the frame's n-th row.
  kAggregate,    // Any AggregateFunction over the frame: sum, avg, count, min, max, ...
};

/// Returns the SQL name of a window function kind ("aggregate" for kAggregate).
std::string_view WindowFunctionName(WindowFunctionKind kind);

/// True for the functions computed over the frame; the others ignore it.
inline bool UsesFrame(WindowFunctionKind kind) {
  return kind == WindowFunctionKind::kFirstValue || kind == WindowFunctionKind::kLastValue ||
         kind == WindowFunctionKind::kNthValue || kind == WindowFunctionKind::kAggregate;
}

/// One window function of a WindowOperator.
struct WindowFunctionSpec {
  WindowFunctionKind kind = WindowFunctionKind::kRowNumber;
  /// kAggregate: the resolved kernels.
  AggregateFunction aggregate;
  /// kAggregate: the aggregate's arguments. Otherwise the SQL arguments in order: the value
  /// (lag, lead, first_value, last_value, nth_value) then an INTEGER offset (lag, lead) or
  /// position (nth_value); ntile's INTEGER bucket count.
  std::vector<ExpressionPtr> arguments;
  /// lag / lead without an offset argument: the row offset.
  int64_t offset = 1;
  /// lag / lead: the default (null: NULL) for rows without a row at the offset.
  ExpressionPtr default_value;
  WindowFrame frame;
  /// RANGE frames with an offset bound: the (single) ORDER BY key and, for each offset bound,
  /// the value that bound has for the current row (key - offset or key + offset by the sort
  /// direction), all of one type; null for the bounds without an offset.
  ExpressionPtr range_key;
  ExpressionPtr range_start;
  ExpressionPtr range_end;
  /// The result type (BIGINT for the ranking functions, the argument's for lag and friends).
  types::LogicalType type;
  std::string name;
};

}  // namespace floe::sql::execution
