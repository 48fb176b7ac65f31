#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "sql/execution/expression.h"
#include "sql/execution/operators/sort.h"
#include "sql/execution/physical_operator.h"
#include "sql/execution/retained_buffers.h"

namespace floe::sql::execution {

/// The rows a window function sees for the current row (SQL's frame clause).
struct WindowFrame {
  enum class Bound : uint8_t {
    kUnboundedPreceding,
    kPreceding,  // `offset` PRECEDING.
    kCurrentRow,
    kFollowing,  // `offset` FOLLOWING.
    kUnboundedFollowing,
  };
  /// ROWS counts rows; RANGE (the default) treats rows with equal ORDER BY keys (peers) as one.
  bool is_rows = false;
  Bound start = Bound::kUnboundedPreceding;
  int64_t start_offset = 0;
  Bound end = Bound::kCurrentRow;
  int64_t end_offset = 0;
};

enum class WindowFunctionKind : uint8_t {
  kRowNumber,
  kRank,
  kDenseRank,
  kLag,         // lag(value [, offset [, default]]): `offset` rows before, within the partition.
  kLead,        // lead(value [, offset [, default]]).
  kFirstValue,  // Over the frame.
  kLastValue,   // Over the frame.
  kAggregate,   // Any AggregateFunction over the frame: sum, avg, count, min, max, ...
};

/// One window function of a WindowOperator.
struct WindowFunctionSpec {
  WindowFunctionKind kind = WindowFunctionKind::kRowNumber;
  /// kAggregate: the resolved kernels.
  AggregateFunction aggregate;
  /// The value argument (lag, lead, first_value, last_value) or the aggregate's arguments.
  std::vector<ExpressionPtr> arguments;
  /// lag / lead: the row offset and the default (null: NULL) for rows without one.
  int64_t offset = 1;
  ExpressionPtr default_value;
  WindowFrame frame;
  /// The result type (BIGINT for the ranking functions, the argument's for lag and friends).
  types::LogicalType type;
  std::string name;
};

/// Window functions sharing one PARTITION BY and ORDER BY: the output is every input row with
/// one more column per function. The planner makes one operator per distinct window.
///
/// A breaker: threads buffer their input; FinalizeSink concatenates it, evaluates partition
/// keys, order keys and arguments once, sorts the rows by normalized (partition, order) keys,
/// then computes each function partition by partition. Aggregates whose frame starts at
/// UNBOUNDED PRECEDING grow one state as the frame end advances; other frames recompute the
/// frame's state per row. RANGE frames with offsets are NotSupported. Output rows come in
/// partition order, in morsels.
class WindowOperator final : public PhysicalOperator {
 public:
  WindowOperator(PhysicalOperatorPtr child, std::vector<ExpressionPtr> partition_by,
                 std::vector<SortKey> order_by, std::vector<WindowFunctionSpec> functions);
  ~WindowOperator() override;

  std::string Name() const override { return "WINDOW"; }
  std::vector<std::string> Details() const override;
  OperatorRoles Roles() const override { return {.is_source = true, .is_sink = true}; }

  Result<std::unique_ptr<OperatorState>> MakeSinkState(QueryContext& context) override;
  Status Sink(QueryContext& context, OperatorState* state, const vector::Batch& input) override;
  Status CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) override;
  Status FinalizeSink(QueryContext& context) override;

  Result<int64_t> PrepareSource(QueryContext& context) override;
  Status ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                    std::vector<vector::Batch>& output) override;

  struct Partitioning;

 private:
  Status ComputeFunction(QueryContext& context, const WindowFunctionSpec& function,
                         const Partitioning& partitioning,
                         const std::vector<vector::Vector>& sorted_arguments,
                         const vector::Vector* sorted_default, vector::VectorBuilder& out) const;

  std::vector<ExpressionPtr> partition_by_;
  std::vector<SortKey> order_by_;
  std::vector<WindowFunctionSpec> functions_;
  Status init_status_;

  std::mutex mutex_;
  std::vector<vector::Batch> buffered_ FLOE_GUARDED_BY(mutex_);
  std::vector<RetainedBuffers> retained_ FLOE_GUARDED_BY(mutex_);

  vector::Batch output_;  // Sorted input rows plus the function columns.
};

}  // namespace floe::sql::execution
