#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "sql/execution/aggregate_hash_table.h"
#include "sql/execution/expression.h"
#include "sql/execution/physical_operator.h"
#include "sql/execution/row_key.h"

namespace floe::sql::execution {

/// One aggregate computed by a HashAggregateOperator.
struct AggregateSpec {
  /// The resolved kernels (from FunctionRegistry::ResolveAggregate).
  AggregateFunction function;
  /// Argument expressions over the aggregate's input (none for count(*)).
  std::vector<ExpressionPtr> arguments;
  /// `agg(DISTINCT ...)`: each distinct argument tuple counts once per group.
  bool is_distinct = false;
  /// The output column name (EXPLAIN shows it too).
  std::string name;
  /// What EXPLAIN shows for the call; empty: function(arguments). (The initializer keeps
  /// brace-initialized specs that end at `name` free of missing-initializer warnings.)
  std::string text = {};
};

/// GROUP BY: groups rows by key expressions of any type (NULL keys form one group, as SQL
/// says) and computes aggregates per group. Without keys it is the ungrouped aggregate, which
/// returns one row even for no input. Output: the key columns, then one column per aggregate.
///
/// Each thread pre-aggregates its morsels into its own AggregateHashTable; FinalizeSink merges
/// the tables with the combine kernels. DISTINCT aggregates keep per-thread sets of (group,
/// argument) pairs that are merged globally before their values are folded in, so a value
/// seen by two threads counts once. The merged groups are then read out in morsels of
/// Batch::kDefaultBatchSize groups. Memory comes from the query's tracker; ResourceExhausted
/// when it is exceeded.
class HashAggregateOperator final : public PhysicalOperator {
 public:
  /// `group_names` names the key columns (empty: the expressions' text).
  HashAggregateOperator(PhysicalOperatorPtr child, std::vector<ExpressionPtr> groups,
                        std::vector<AggregateSpec> aggregates,
                        std::vector<std::string> group_names = {});
  ~HashAggregateOperator() override;

  std::string Name() const override {
    return groups_.empty() ? "UNGROUPED_AGGREGATE" : "HASH_AGGREGATE";
  }
  std::vector<std::string> Details() const override;
  OperatorRoles Roles() const override { return {.is_source = true, .is_sink = true}; }
  const std::vector<ExpressionPtr>& groups() const { return groups_; }
  const std::vector<AggregateSpec>& aggregates() const { return aggregates_; }
  /// Grouping sets that include the empty set (): each entry of `groups` (one value per key
  /// column) is the group of a () row, which exists even when there is no input row, as for an
  /// aggregate without keys.
  void SetEmptyInputGroups(std::vector<std::vector<types::Value>> groups) {
    empty_input_groups_ = std::move(groups);
  }

  Result<std::unique_ptr<OperatorState>> MakeSinkState(QueryContext& context) override;
  Status Sink(QueryContext& context, OperatorState* state, const vector::Batch& input) override;
  Status CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) override;
  Status FinalizeSink(QueryContext& context) override;

  Result<int64_t> PrepareSource(QueryContext& context) override;
  Status ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                    std::vector<vector::Batch>& output) override;

  struct LocalState;

 private:
  Status FoldDistinct(QueryContext& context);
  Status InsertEmptyInputGroup(QueryContext& context, const std::vector<types::Value>& keys);

  std::vector<ExpressionPtr> groups_;
  std::vector<AggregateSpec> aggregates_;
  std::vector<const AggregateFunction*> functions_;
  RowKeyEncoder key_encoder_;
  std::vector<RowKeyEncoder> argument_encoders_;  // Per aggregate; used by DISTINCT ones.
  Status init_status_;
  bool has_distinct_ = false;
  std::vector<std::vector<types::Value>> empty_input_groups_;

  std::mutex mutex_;
  std::vector<std::unique_ptr<LocalState>> locals_ FLOE_GUARDED_BY(mutex_);
  // The merged groups, one table per hash partition, and the morsels reading them out.
  std::vector<std::unique_ptr<AggregateHashTable>> results_;
  struct OutputMorsel {
    size_t partition;
    int64_t first_group;
  };
  std::vector<OutputMorsel> output_morsels_;
};

}  // namespace floe::sql::execution
