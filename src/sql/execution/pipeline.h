#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "sql/execution/physical_operator.h"

namespace floe::sql::execution {

/// One push-based pipeline: a source's morsels flow through streaming operators into a sink.
/// Operators are owned by the plan; a pipeline only points at them.
struct Pipeline {
  PhysicalOperator* source = nullptr;
  /// Streaming operators in the order batches pass through them.
  std::vector<PhysicalOperator*> operators;
  PhysicalOperator* sink = nullptr;

  /// Returns "SOURCE -> OP -> ... -> SINK" for logs and tests.
  std::string ToString() const;
};

/// Cuts the plan under `root` into pipelines ending in `sink` (the result collector, whose
/// input is `root`'s output), in an order where every pipeline runs after those it depends on
/// (see PhysicalOperator for the rules). Fails with Internal on an operator with no role.
Result<std::vector<Pipeline>> BuildPipelines(PhysicalOperator& root, PhysicalOperator& sink);

/// Runs one pipeline to completion on the query's scheduler: morsels in parallel (in order,
/// one at a time, when the source is ordered), then CombineSink for every thread's sink state.
/// Does not call FinalizeSink. Returns the first error, or Cancelled.
Status RunPipeline(QueryContext& context, const Pipeline& pipeline);

/// Runs every pipeline of the plan under `root` into `sink`, finalising each sink once the
/// pipelines feeding it are done (the sink itself too). Used for the whole query and for plans
/// an operator runs on its own (the terms of a recursive query).
Status RunPlan(QueryContext& context, PhysicalOperator& root, PhysicalOperator& sink);

/// Runs the plan under `root` as RunPlan does and returns its non-empty output batches, in no
/// particular order: for operators that compute a plan's whole result before they produce
/// rows (a recursive query's terms, a materialized WITH query).
Result<std::vector<vector::Batch>> RunToBatches(QueryContext& context, PhysicalOperator& root);

}  // namespace floe::sql::execution
