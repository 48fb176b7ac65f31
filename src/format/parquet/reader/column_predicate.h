#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "format/parquet/metadata.h"
#include "format/parquet/schema.h"
#include "types/value.h"

namespace floe::format::parquet {

/// A comparison of one column with a constant, pushed into a scan so that row groups whose
/// statistics exclude every match are skipped. A list of predicates is their conjunction.
struct ColumnPredicate {
  enum class Op : uint8_t {
    kEqual,
    kLess,
    kLessEqual,
    kGreater,
    kGreaterEqual,
    kIsNull,
    kIsNotNull
  };

  /// A top-level column name, or the dotted path of a field nested in STRUCTs ("a.b").
  std::string column;
  Op op = Op::kEqual;
  /// The constant (unused by IS NULL and IS NOT NULL). A value of another type than the
  /// column's is cast to it; when the cast is not exact the predicate prunes nothing.
  types::Value value;
};

/// Min, max and null count of one column chunk or page, decoded to the column's Floe type.
struct ColumnStatistics {
  std::optional<types::Value> min;
  std::optional<types::Value> max;
  std::optional<int64_t> null_count;
  int64_t num_values = 0;  // Rows the statistics cover.
};

/// Decodes a statistics value (PLAIN bytes, without length prefix for BYTE_ARRAY) of `column`
/// into a Value of its Floe type, or nullopt when the bytes do not make a value Floe can order
/// (wrong size, NaN, a type without usable statistics).
std::optional<types::Value> DecodeStatisticsValue(const ColumnDescriptor& column,
                                                  std::string_view bytes);

/// Returns the statistics of a chunk: min_value/max_value, or the deprecated min/max only for
/// columns with signed sort order (the only order they were written in, parquet.thrift).
ColumnStatistics ChunkStatistics(const ColumnDescriptor& column, const ColumnMetaData& metadata,
                                 int64_t num_rows);

/// Returns `value` as a value of `type` when the cast is exact (casting back gives `value`
/// again), or nullopt: a constant that changes in the cast cannot be used to prune.
std::optional<types::Value> CastExactly(const types::Value& value, const types::LogicalType& type);

/// Returns false only when no row described by `statistics` can satisfy `predicate`.
bool MayMatch(const ColumnPredicate& predicate, const types::LogicalType& type,
              const ColumnStatistics& statistics);

/// Returns the flat leaf column a predicate names (top-level or inside STRUCTs only), or
/// nullptr when it names none (the predicate then prunes nothing).
const ColumnDescriptor* FindPredicateColumn(const FileSchema& schema, const std::string& column);

}  // namespace floe::format::parquet
