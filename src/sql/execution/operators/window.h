#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "sql/execution/expression.h"
#include "sql/execution/operators/sort.h"
#include "sql/execution/operators/window_function.h"
#include "sql/execution/physical_operator.h"
#include "sql/execution/retained_buffers.h"

namespace floe::sql::execution {

/// Window functions sharing one PARTITION BY and ORDER BY: the output is every input row with
/// one more column per function. The planner makes one operator per distinct window.
///
/// A breaker: threads buffer their input; FinalizeSink concatenates it, evaluates partition
/// keys, order keys and arguments once, sorts the rows by normalized (partition, order) keys,
/// then computes each function partition by partition. Aggregates whose frame starts at
/// UNBOUNDED PRECEDING and excludes nothing grow one state as the frame end advances; other
/// frames combine O(log frame) nodes of a per-partition segment tree of partial states when
/// the aggregate's states combine exactly in any order (count, min, max, exact sums...), and
/// fold the frame's rows into a fresh state per row otherwise. RANGE offsets find the frame's
/// ends by binary search on the encoded ORDER BY key. Output rows come in partition order, in
/// morsels. Buffered input, keys and results are charged to the query's memory tracker.
///
/// Errors: 22014 for an ntile bucket count below 1, 22016 for an nth_value position below 1.
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
  struct RangeBounds;
  struct FunctionInputs;

 private:
  Status ComputeFunction(QueryContext& context, const WindowFunctionSpec& function,
                         const Partitioning& partitioning, const FunctionInputs& inputs,
                         vector::VectorBuilder& out) const;

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
