#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "format/parquet/reader/column_predicate.h"
#include "sql/execution/expression.h"
#include "sql/execution/operators/window_function.h"
#include "sql/functions/aggregate/ordered_aggregate.h"
#include "sql/functions/function.h"
#include "table/predicate.h"
#include "table/table.h"
#include "types/logical_type.h"
#include "types/value.h"

namespace floe::sql::execution {
class WorkTable;
}  // namespace floe::sql::execution

namespace floe::sql::binder {

/// One output column of a logical operator. `id` is unique within a statement: expressions in
/// the logical plan reference columns by id (as the `column_index` of a kColumnRef), never by
/// position, so rewrites can move operators without renumbering. The physical planner maps ids
/// to positions.
struct LogicalColumn {
  int64_t id = -1;
  std::string name;
  types::LogicalType type;
};

enum class LogicalKind : uint8_t {
  kGet,               // A leaf reading a source (see SourceKind).
  kFilter,            // Keeps the rows where `condition` is true.
  kProject,           // `expressions`, one per output column.
  kAggregate,         // `groups` then `aggregates`; outputs one column per group and aggregate.
  kJoin,              // `join_type` with `condition` (null for a cross join).
  kSort,              // `sort_keys`; with `limit` set it is a top-N.
  kLimit,             // `limit` (-1: none) rows after `offset`.
  kDistinct,          // Distinct rows over all columns, or DISTINCT ON `distinct_on` (first row
                      // per key after the child's order).
  kSetOperation,      // UNION/INTERSECT/EXCEPT [ALL] of two children with the same column types.
  kEnforceSingleRow,  // Passes its child's rows and fails (21000) when there is more than one:
                      // the input of a scalar subquery.
  kWindow,            // `window_calls` over the child's rows partitioned by `partition_by` and
                      // ordered by `sort_keys`; outputs the child's columns, then one column
                      // per call. One operator per distinct PARTITION BY and ORDER BY.
  kRecursiveCte,      // WITH RECURSIVE `source_name`: children are the non-recursive term and
                      // the recursive term, whose kWorkTable leaf reads `work_table`; `is_all`
                      // for UNION ALL. Both children have this operator's column types.
  kTableFunction,     // For each row of the child, the rows `source_name` (generate_series or
                      // unnest) produces over `expressions` (its arguments, read from the
                      // row): the child's columns, then the function's, then with
                      // `with_ordinality` a BIGINT ordinal. `join_type` kLeft keeps a row the
                      // function produces nothing for, with NULLs (LEFT JOIN LATERAL ON true).
};

enum class SourceKind : uint8_t {
  kSingleRow,       // One row, no columns: SELECT without FROM.
  kValues,          // `values_rows` of column-free expressions.
  kGenerateSeries,  // generate_series(start, stop[, step]) over `series_arguments`.
  kParquet,         // `files`, read with `parquet_columns` and `parquet_predicates`.
  kIceberg,         // The current snapshot of `iceberg_table`, columns by `field_ids`.
  kEmpty,           // No rows (a filter folded to false).
  kWorkTable,       // `work_table`: the rows a recursive query's previous iteration added.
  kCte,             // `cte`: the rows of a WITH query, computed once for all its references.
};

enum class JoinType : uint8_t {
  kInner,
  kLeft,
  kRight,
  kFull,
  kSemi,  // Left rows with at least one match; outputs the left columns.
  kAnti,  // Left rows without a match; outputs the left columns.
  kMark,  // Every left row plus a BOOLEAN `mark_column`: true on a match, false without, NULL
          // when no match but the condition was NULL for some right row (SQL IN semantics).
  kCross,
};

enum class SetOperationKind : uint8_t { kUnion, kIntersect, kExcept };

/// An aggregate call in a kAggregate operator.
struct AggregateCall {
  std::shared_ptr<const AggregateFunction> function;
  std::vector<execution::ExpressionPtr> arguments;  // Over the child's columns.
  bool is_distinct = false;
  execution::ExpressionPtr filter;  // FILTER (WHERE ...), or null.
  /// ORDER BY inside the call, or the WITHIN GROUP keys of an ordered-set aggregate (whose
  /// sorted arguments follow its direct ones in `arguments`): keys over `arguments`. The last
  /// `num_sort_only_arguments` arguments are sort keys only, not passed to the function. With
  /// keys or a filter the physical planner wraps the function (MakeOrderedAggregate).
  std::vector<AggregateOrderKey> order_by;
  size_t num_sort_only_arguments = 0;
  bool is_within_group = false;
  /// count(*) style aggregates over no argument.
  std::string ToString() const;
};

/// A window function call in a kWindow operator.
struct WindowCall {
  execution::WindowFunctionKind kind = execution::WindowFunctionKind::kRowNumber;
  std::string name;                                    // The SQL name: rank, lag, sum, ...
  std::shared_ptr<const AggregateFunction> aggregate;  // kAggregate.
  /// Over the child's columns; see execution::WindowFunctionSpec for each kind's arguments.
  std::vector<execution::ExpressionPtr> arguments;
  execution::ExpressionPtr default_value;  // lag / lead: the third argument, or null.
  /// The frame; its ROWS and GROUPS offsets come from `start_offset` and `end_offset`, which
  /// the physical planner evaluates (they are constants or parameters).
  execution::WindowFrame frame;
  execution::ExpressionPtr start_offset;
  execution::ExpressionPtr end_offset;
  /// RANGE offsets: see execution::WindowFunctionSpec.
  execution::ExpressionPtr range_key;
  execution::ExpressionPtr range_start;
  execution::ExpressionPtr range_end;
  types::LogicalType type;

  std::string ToString() const;
};

struct SortKey {
  execution::ExpressionPtr expression;
  bool is_descending = false;
  bool is_nulls_first = false;  // PostgreSQL: NULLS LAST for ASC, NULLS FIRST for DESC.
};

/// Row-count and size estimates the optimizer uses to order joins.
struct Estimate {
  double rows = 1000;
  bool is_exact = false;
  /// kGet: upper bounds on the distinct values of output columns, by column id, where the
  /// source's statistics give one.
  std::unordered_map<int64_t, double> distinct;
};

struct LogicalOperator;
using LogicalOperatorPtr = std::unique_ptr<LogicalOperator>;

/// A WITH query that its references read as one materialized result (a kGet of kCte each),
/// as PostgreSQL does for a query referenced more than once or declared MATERIALIZED. Each
/// reference has output columns of its own, matching `plan`'s by position. The optimizer
/// plans a query referenced once inline again, unless it was declared MATERIALIZED.
struct CteDefinition {
  std::string name;
  LogicalOperatorPtr plan;
  int references = 0;
  bool is_declared_materialized = false;
};

/// One node of a logical plan. A plain tagged struct: the fields used by each kind are listed
/// beside them; the others stay empty.
struct LogicalOperator {
  LogicalKind kind = LogicalKind::kGet;
  std::vector<LogicalOperatorPtr> children;
  std::vector<LogicalColumn> columns;  // The output, in order.

  // kGet.
  SourceKind source = SourceKind::kSingleRow;
  std::string source_name;  // For EXPLAIN: the table or function.
  std::vector<std::vector<execution::ExpressionPtr>> values_rows;
  std::vector<types::Value> series_arguments;
  std::vector<std::string> files;
  /// kParquet: the top-level field index of each output column in the files' schema.
  std::vector<int64_t> parquet_columns;
  /// kParquet: comparisons pushed into the reader for pruning. Rows are still filtered above.
  std::vector<format::parquet::ColumnPredicate> parquet_predicates;
  /// kIceberg: the table as loaded when the statement was bound, and the field id of each
  /// output column.
  std::shared_ptr<const table::Table> iceberg_table;
  std::vector<int32_t> field_ids;
  /// kIceberg: what the filter above implies, for pruning files. Rows are still filtered above.
  table::Predicate iceberg_filter;
  /// kIceberg: the snapshot FOR VERSION/TIMESTAMP AS OF chose; none reads the current one.
  std::optional<int64_t> iceberg_snapshot_id;

  // kFilter, kJoin.
  execution::ExpressionPtr condition;
  // kProject.
  std::vector<execution::ExpressionPtr> expressions;
  // kAggregate.
  std::vector<execution::ExpressionPtr> groups;
  std::vector<AggregateCall> aggregates;
  /// Grouping sets including (): the key values of each () row, output even for no input.
  std::vector<std::vector<types::Value>> empty_input_groups;
  // kJoin.
  JoinType join_type = JoinType::kInner;
  // kSort, and kWindow's ORDER BY.
  std::vector<SortKey> sort_keys;
  // kWindow.
  std::vector<execution::ExpressionPtr> partition_by;
  std::vector<WindowCall> window_calls;
  // kLimit, and kSort as top-N.
  int64_t limit = -1;
  int64_t offset = 0;
  // kDistinct.
  std::vector<execution::ExpressionPtr> distinct_on;
  // kSetOperation.
  SetOperationKind set_operation = SetOperationKind::kUnion;
  bool is_all = false;
  // kTableFunction.
  bool with_ordinality = false;
  // kRecursiveCte, and kGet of kWorkTable.
  std::shared_ptr<execution::WorkTable> work_table;
  // kGet of kCte. Shared by the references and by copies of the plan: never changed once the
  // statement is bound.
  std::shared_ptr<const CteDefinition> cte;

  Estimate estimate;

  /// Returns the ids of the output columns, in order.
  std::vector<int64_t> ColumnIds() const;
  /// Returns the index of the output column `id`, or -1.
  int64_t IndexOfColumn(int64_t id) const;
};

/// Returns the name EXPLAIN shows for a join type: "INNER", "LEFT", "SEMI", ...
std::string_view JoinTypeName(JoinType type);

/// Returns a deep copy of `plan` (expressions and tables are immutable and shared). Keep it in
/// step with the fields of LogicalOperator.
LogicalOperatorPtr CloneLogicalPlan(const LogicalOperator& plan);

/// Prints the plan as an indented tree, one operator a line, for EXPLAIN and tests.
std::string LogicalPlanToString(const LogicalOperator& plan);

}  // namespace floe::sql::binder
