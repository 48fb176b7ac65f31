#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/thread_annotations.h"
#include "sql/execution/aggregate_hash_table.h"
#include "sql/execution/expression.h"
#include "sql/execution/physical_operator.h"
#include "sql/execution/row_key.h"
#include "sql/execution/spill_file.h"

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
/// Batch::kDefaultBatchSize groups. Memory comes from the query's tracker. When a reservation
/// fails and the query has a spill folder, the thread writes its groups (keys and states) and
/// DISTINCT entries to spill files partitioned by key hash and starts afresh; the source phase
/// then merges one partition per morsel, splitting a partition further when it does not fit
/// (docs/architecture.md, "Memory and spilling"). Aggregates whose states own memory
/// (string min/max, array_agg, ordered-set aggregates) cannot spill: ResourceExhausted.
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
  bool has_empty_input_groups() const { return !empty_input_groups_.empty(); }

  Result<std::unique_ptr<OperatorState>> MakeSinkState(QueryContext& context) override;
  Status Sink(QueryContext& context, OperatorState* state, const vector::Batch& input) override;
  Status CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) override;
  Status FinalizeSink(QueryContext& context) override;

  Result<int64_t> PrepareSource(QueryContext& context) override;
  Status ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                    std::vector<vector::Batch>& output) override;

  struct LocalState;

 private:
  /// The spill files of one partition: group records and DISTINCT entries.
  struct SpillRun {
    std::vector<SpillFile> groups;
    std::vector<SpillFile> distinct;
  };

  Status SinkBatch(QueryContext& context, LocalState& local, const vector::Batch& input);
  Status FoldDistinct(QueryContext& context);
  Status FoldDistinctSet(QueryContext& context, size_t aggregate,
                         const std::unordered_set<std::string>& entries,
                         const std::function<const AggregateHashTable&(uint64_t)>& table_of);
  Status EmitGroups(QueryContext& context, const AggregateHashTable& table, int64_t first,
                    std::vector<vector::Batch>& output);
  Status SpillLocal(QueryContext& context, LocalState& local);
  Status SpillIdleStates(QueryContext& context, const LocalState& busy) FLOE_EXCLUDES(mutex_);
  Status FinishSpill(QueryContext& context) FLOE_REQUIRES(mutex_);
  Status AddSpillFile(std::unique_ptr<SpillWriter> writer, std::vector<SpillFile>& files);
  int64_t ExpectedThreads(QueryContext& context) const;
  bool IsTooBigToMerge(QueryContext& context, const SpillRun& run) const;
  Status SplitLargeRun(QueryContext& context, SpillRun run, int level,
                       std::vector<std::pair<SpillRun, int>>& runs);
  Status ReadSpilled(QueryContext& context, SpillRun run, int level,
                     std::vector<vector::Batch>& output);
  Status MergeSpilled(QueryContext& context, const SpillRun& run,
                      std::vector<vector::Batch>& output);
  Result<std::vector<SpillRun>> Repartition(QueryContext& context, const SpillRun& run, int level);
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
  // Every sink state made, until FinalizeSink (they live that long).
  std::vector<LocalState*> sink_state_list_ FLOE_GUARDED_BY(mutex_);
  // The merged groups, one table per hash partition, and the morsels reading them out.
  std::vector<std::unique_ptr<AggregateHashTable>> results_;
  struct OutputMorsel {
    size_t partition;
    int64_t first_group;
  };
  std::vector<OutputMorsel> output_morsels_;
  // Spilling: possible unless an aggregate's states own memory; once a thread spilled, every
  // partition's files, read out one partition per morsel.
  bool can_spill_ = true;
  std::atomic<bool> spilled_{false};
  std::atomic<int64_t> spill_epoch_{0};
  std::atomic<int64_t> sink_states_{0};
  std::vector<SpillRun> spilled_runs_;
  std::vector<int> spilled_levels_;  // The split level of each run.
};

}  // namespace floe::sql::execution
