#pragma once

#include <memory>
#include <span>

#include "common/result.h"
#include "format/parquet/reader/column_chunk_cache.h"
#include "io/file_system_registry.h"
#include "sql/binder/logical_plan.h"
#include "sql/execution/physical_operator.h"
#include "types/value.h"

namespace floe::sql::planner {

/// What physical planning needs besides the plan.
struct PlannerContext {
  const io::FileSystemRegistry* file_systems = nullptr;
  /// Values of `$n` parameters (index n - 1), substituted into the plan's expressions.
  std::span<const types::Value> parameters;
  /// The statement time for functions folded while planning.
  int64_t statement_time_micros = 0;
  /// The session's time zone (null: UTC).
  const types::TimeZone* time_zone = nullptr;
  /// Runs of a recursive query's recursive term before it fails (the session's
  /// max_recursive_iterations).
  int64_t max_recursive_iterations = 100000;
  /// Where Iceberg scans keep and find decoded column chunks; null when the session turned the
  /// analytics cache off or the process has none.
  format::parquet::ColumnChunkCache* column_cache = nullptr;
};

/// Turns an (optimized) logical plan into physical operators. Column references by id become
/// positions in each operator's input. The result's columns are the logical plan's columns, in
/// order. Errors: NotSupported for operators execution does not provide yet.
Result<execution::PhysicalOperatorPtr> PlanPhysical(const binder::LogicalOperator& plan,
                                                    const PlannerContext& context);

}  // namespace floe::sql::planner
