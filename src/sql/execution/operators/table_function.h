#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/execution/expression.h"
#include "sql/execution/physical_operator.h"
#include "types/logical_type.h"

namespace floe::sql::execution {

/// The set-returning functions a TableFunctionOperator evaluates per row.
enum class TableFunctionKind : uint8_t {
  kIntegerSeries,    // generate_series(start, stop, step) over INTEGER or BIGINT.
  kTimestampSeries,  // generate_series(start, stop, step) over TIMESTAMP[TZ] with an INTERVAL.
  kUnnest,           // unnest(array): the elements of one LIST.
};

/// A set-returning function in FROM whose arguments read the row of the items before it
/// (LATERAL): for each input row, the function's arguments are evaluated and the row is emitted
/// once per value the function produces, with that value appended (and, WITH ORDINALITY, its
/// 1-based position). With `keeps_empty` (LEFT JOIN LATERAL ... ON true) a row the function
/// produces nothing for is emitted once with NULLs. As in PostgreSQL a NULL argument produces
/// no rows, and a zero step fails with 22023.
///
/// Vectorized: the arguments are evaluated once for the whole input batch, then the output is
/// cut into batches of at most kDefaultBatchSize rows, each one gather of the input rows plus
/// the produced column (computed for series, gathered from the list's elements for unnest).
class TableFunctionOperator final : public PhysicalOperator {
 public:
  /// `arguments` read the child's columns: start, stop, step for a series (all of the series'
  /// type, except an INTERVAL step for timestamps), the array for unnest. `type` is the
  /// produced column's type.
  TableFunctionOperator(PhysicalOperatorPtr child, TableFunctionKind kind, std::string name,
                        std::vector<ExpressionPtr> arguments, types::LogicalType type,
                        bool keeps_empty, bool with_ordinality);

  std::string Name() const override { return "TABLE_FUNCTION"; }
  std::vector<std::string> Details() const override;
  OperatorRoles Roles() const override { return {.is_streaming = true}; }

  Result<std::unique_ptr<OperatorState>> MakeLocalState(QueryContext& context) override;
  /// Emits at most one full output batch per call; HasMoreOutput() says when the input batch
  /// has more to give, so a row expanding to millions of values streams.
  Status Execute(QueryContext& context, OperatorState* state, const vector::Batch& input,
                 std::vector<vector::Batch>& output) override;
  bool HasMoreOutput(const OperatorState* state) const override;
  void DiscardMoreOutput(OperatorState* state) const override;

 private:
  class Emitter;
  struct RunState;

  // Both return true when they stopped at a full output batch, with `run` at the place to
  // continue from.
  Result<bool> EmitSeries(QueryContext& context, RunState& run, Emitter& emitter) const;
  Result<bool> EmitUnnest(RunState& run, Emitter& emitter) const;

  TableFunctionKind kind_;
  std::string name_;
  std::vector<ExpressionPtr> arguments_;
  types::LogicalType type_;
  bool keeps_empty_;
  bool with_ordinality_;
};

}  // namespace floe::sql::execution
