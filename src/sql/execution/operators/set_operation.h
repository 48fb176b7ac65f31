#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "sql/execution/aggregate_hash_table.h"
#include "sql/execution/physical_operator.h"
#include "sql/execution/row_key.h"

namespace floe::sql::execution {

/// UNION, INTERSECT and EXCEPT, each with or without ALL (UNION ALL is UnionAllOperator).
enum class SetOperationKind : uint8_t { kUnion, kIntersect, kExcept };

/// A hash-based set operation over two inputs with the same column types. Rows compare as
/// IS NOT DISTINCT FROM does (NULLs are equal), as SQL's set operations require. A row that
/// occurs l times on the left and r times on the right is output: UNION once; INTERSECT once
/// if l > 0 and r > 0; EXCEPT once if l > 0 and r = 0; INTERSECT ALL min(l, r) times; EXCEPT
/// ALL max(l - r, 0) times (PostgreSQL's rules). DISTINCT over one input is a
/// HashAggregateOperator without aggregates.
///
/// Both inputs are tagged with their side and streamed through one UNION ALL into the sink,
/// where each thread counts (left, right) per distinct row in its own AggregateHashTable; the
/// tables are merged in FinalizeSink and the result rows are read out in morsels.
class SetOperationOperator final : public PhysicalOperator {
 public:
  SetOperationOperator(PhysicalOperatorPtr left, PhysicalOperatorPtr right, SetOperationKind kind,
                       bool all);
  ~SetOperationOperator() override;

  std::string Name() const override;
  OperatorRoles Roles() const override { return {.is_source = true, .is_sink = true}; }

  Result<std::unique_ptr<OperatorState>> MakeSinkState(QueryContext& context) override;
  Status Sink(QueryContext& context, OperatorState* state, const vector::Batch& input) override;
  Status CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) override;
  Status FinalizeSink(QueryContext& context) override;

  Result<int64_t> PrepareSource(QueryContext& context) override;
  Status ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                    std::vector<vector::Batch>& output) override;

  struct LocalState;

 private:
  int64_t Copies(int64_t left, int64_t right) const;

  SetOperationKind kind_;
  bool all_;
  int64_t num_columns_;
  AggregateFunction counter_;
  RowKeyEncoder encoder_;
  Status init_status_;

  std::mutex mutex_;
  std::vector<std::unique_ptr<LocalState>> locals_ FLOE_GUARDED_BY(mutex_);
  std::unique_ptr<AggregateHashTable> result_;
  // Output: (group, copies) runs, and where each morsel starts.
  std::vector<std::pair<int64_t, int64_t>> output_groups_;
  std::vector<size_t> morsel_starts_;
};

}  // namespace floe::sql::execution
