#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "sql/execution/expression.h"
#include "sql/execution/physical_operator.h"
#include "sql/execution/retained_buffers.h"
#include "sql/execution/row_key.h"
#include "sql/execution/runtime_filter.h"

namespace floe::sql::execution {

class ExpressionEvaluator;
struct JoinSpillPartition;
struct JoinPartitionWriters;

/// The joins a HashJoinOperator performs. "Probe" is child 0 (the left side of the SQL), "build"
/// child 1 (the right side, the one held in memory).
enum class JoinType : uint8_t {
  kInner,
  kLeft,   // Every probe row; build columns NULL where nothing matches.
  kRight,  // Every build row; probe columns NULL where nothing matches.
  kFull,
  kSemi,  // Probe rows with a match (EXISTS, IN); probe columns only.
  kAnti,  // Probe rows without a match (NOT EXISTS); probe columns only.
  // Probe rows for which `key NOT IN (build keys)` is true under PostgreSQL's NULL rules: all
  // rows when the build side is empty; otherwise none when a build key is NULL, and never a row
  // whose own key is NULL. Probe columns only.
  kNullAwareAnti,
  // Every probe row plus a BOOLEAN "mark" column holding `key IN (build keys)` with SQL's NULL
  // rules (true on a match; else NULL when the key or a build key is NULL and the build side is
  // not empty; else false), for IN subqueries inside larger conditions.
  kMark,
  // Build rows with a match (EXISTS, IN, with the preserved side built); build columns only,
  // each matching build row once.
  kRightSemi,
  // Build rows without a match (NOT EXISTS, with the preserved side built); build columns only.
  kRightAnti,
};

std::string_view JoinTypeName(JoinType type);

/// An equi-join (any key types, NULL keys never match unless a key is declared
/// `null_equals_null`, for IS NOT DISTINCT FROM) with an optional residual condition over the
/// joined row. With no keys it is a nested-loop join: every pair is tested by the residual (or
/// kept, for a cross join).
///
/// The build side (child 1) is a sink: threads buffer their batches; FinalizeSink concatenates
/// them, computes the key bytes and hashes of all rows in parallel morsels and links the rows
/// into a chained hash table (bucket heads plus a next index per row, with the full hash kept
/// per row so chains are walked comparing hashes before key bytes). The probe side (child 0)
/// streams through Execute on all threads at once; the table is read-only then, except for
/// the per-row "matched" flags of RIGHT, FULL, RIGHT SEMI and RIGHT ANTI joins (relaxed
/// atomics). Those joins are also a source: after the probe pipeline, the unmatched build rows
/// are emitted with NULL probe columns (RIGHT, FULL), or the matched (RIGHT SEMI) or unmatched
/// (RIGHT ANTI) build rows alone; RIGHT SEMI and RIGHT ANTI emit nothing from the probe
/// pipeline. Output columns: probe then build (kInner, kLeft, kRight, kFull), probe only
/// (kSemi, kAnti, kNullAwareAnti), probe then "mark" (kMark), build only (kRightSemi,
/// kRightAnti).
///
/// When the build side would pass the query's memory budget and the query can spill, the join
/// becomes a grace hash join (hash_join_spill.cc): both sides go to hash partitions on disk,
/// and the source phase joins them one partition at a time (docs/architecture.md, "Memory and
/// spilling"). A join that spilled publishes no runtime filter.
class HashJoinOperator final : public PhysicalOperator {
 public:
  /// `probe_keys` are over child 0's columns, `build_keys` over child 1's, pairwise of the same
  /// type; `residual` (may be null) is over the probe columns followed by the build columns.
  /// `null_equals_null` (empty: all false) marks keys compared with IS NOT DISTINCT FROM.
  HashJoinOperator(PhysicalOperatorPtr probe, PhysicalOperatorPtr build, JoinType type,
                   std::vector<ExpressionPtr> probe_keys, std::vector<ExpressionPtr> build_keys,
                   ExpressionPtr residual = nullptr, std::vector<bool> null_equals_null = {});
  ~HashJoinOperator() override;

  std::string Name() const override {
    return probe_keys_.empty() ? "NESTED_LOOP_JOIN" : "HASH_JOIN";
  }
  std::vector<std::string> Details() const override;
  OperatorRoles Roles() const override {
    // A join with keys may spill its build side; it then joins the spilled partitions as a
    // source, after the probe pipeline.
    return {.is_source = EmitsBuildRows() || !probe_keys_.empty(),
            .is_streaming = true,
            .is_sink = true};
  }
  size_t SinkChild() const override { return 1; }
  JoinType join_type() const { return type_; }
  const std::vector<ExpressionPtr>& probe_keys() const { return probe_keys_; }
  const std::vector<ExpressionPtr>& build_keys() const { return build_keys_; }

  /// True when probe rows whose key `key` equals no build key can be dropped before they
  /// reach the join without changing its output: inner, semi, right, right semi and right
  /// anti joins, on a key compared with `=` (NULL never matches).
  bool CanFilterProbeSide(size_t key) const;
  /// Builds `filter` from the values of build key `key` when the build side is complete
  /// (before any pipeline below the probe side starts), for the scans below the probe side.
  void AddRuntimeFilter(size_t key, std::shared_ptr<RuntimeFilter> filter);

  // Build side.
  Result<std::unique_ptr<OperatorState>> MakeSinkState(QueryContext& context) override;
  Status Sink(QueryContext& context, OperatorState* state, const vector::Batch& input) override;
  Status CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) override;
  Status FinalizeSink(QueryContext& context) override;

  // Probe side.
  Result<std::unique_ptr<OperatorState>> MakeLocalState(QueryContext& context) override;
  Status Execute(QueryContext& context, OperatorState* state, const vector::Batch& input,
                 std::vector<vector::Batch>& output) override;

  // Unmatched build rows (RIGHT, FULL, RIGHT ANTI) or matched ones (RIGHT SEMI); when
  // spilled, the join of the spilled partitions.
  Result<int64_t> PrepareSource(QueryContext& context) override;
  Result<std::unique_ptr<OperatorState>> MakeSourceState(QueryContext& context) override;
  Status ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                    std::vector<vector::Batch>& output) override;

  struct ProbeState;

 private:
  /// Appends the build rows matching probe row `row` (key at `key`, `size` bytes, hash `hash`)
  /// to the state's pairs, flushing full batches of pairs; stops at the first match when
  /// `first_match_only`.
  Status ProbeRow(QueryContext& context, ProbeState& local, const vector::Batch& input,
                  std::vector<vector::Batch>& output, uint32_t row, const uint8_t* key,
                  uint32_t size, uint64_t hash, bool first_match_only);

  /// True for the joins that emit build rows after the probe pipeline, by their flags.
  bool EmitsBuildRows() const {
    return type_ == JoinType::kRight || type_ == JoinType::kFull || type_ == JoinType::kRightSemi ||
           type_ == JoinType::kRightAnti;
  }
  /// True for the joins that output build columns only.
  bool OutputsBuildOnly() const {
    return type_ == JoinType::kRightSemi || type_ == JoinType::kRightAnti;
  }

  static constexpr uint32_t kEnd = UINT32_MAX;
  static constexpr uint64_t kEmptyBucket = UINT64_MAX;

  Status EmitPairs(QueryContext& context, ProbeState& local, const vector::Batch& input,
                   std::vector<vector::Batch>& output);
  Result<vector::Batch> JoinedBatch(QueryContext& context, const vector::Batch& probe,
                                    const std::vector<uint32_t>& probe_rows,
                                    const std::vector<uint32_t>& build_rows) const;
  /// Builds and publishes the runtime filters from the finished build side.
  Status PublishRuntimeFilters(QueryContext& context);
  Status EncodeKeys(QueryContext& context, const std::vector<ExpressionPtr>& keys,
                    const vector::Batch& batch, ExpressionEvaluator& evaluator,
                    std::vector<uint8_t>& bytes, std::vector<uint32_t>& offsets,
                    std::vector<uint8_t>& has_null) const;

  // ---- Spilling: a grace hash join (hash_join_spill.cc) ----
  struct Spill;
  /// Builds the table from `batches` (the whole build side, or one spilled partition), with
  /// up to `parallelism` threads.
  Status BuildTable(QueryContext& context, std::vector<vector::Batch>& batches, int parallelism);
  /// Frees the table and its memory.
  void ReleaseTable();
  /// Appends the build rows of table rows [first, end) that the join returns after probing
  /// to `output`: the unmatched ones padded with NULL probe columns (RIGHT, FULL), the matched
  /// (RIGHT SEMI) or unmatched (RIGHT ANTI) ones alone.
  Status EmitBuildRows(QueryContext& context, int64_t first, int64_t end,
                       std::vector<vector::Batch>& output);
  void InitSpilling();
  bool MaySpill(QueryContext& context) const;
  /// Finishes `writers`' files into the partitions of the build or probe side.
  Status FinishWriters(JoinPartitionWriters& writers, bool is_build);
  /// Turns spilling on (once); every build row from now on goes to disk.
  void StartSpilling();
  /// Spills a build thread's batches (and `input`, when given) and frees their memory.
  Status SpillBuildState(QueryContext& context, OperatorState& state, const vector::Batch* input);
  /// Spills the build batches gathered by FinalizeSink.
  Status SpillBuildBatches(QueryContext& context, std::span<const vector::Batch> batches);
  /// Writes probe rows to their partitions instead of probing.
  Status SpillProbeBatch(QueryContext& context, ProbeState& local, const vector::Batch& input);
  /// Returns a probe thread's partition writers, finished by PrepareSource.
  std::shared_ptr<JoinPartitionWriters> NewProbeWriters();
  Status SpillProbeRows(QueryContext& context, JoinPartitionWriters& writers,
                        ExpressionEvaluator& evaluator, const vector::Batch& input);
  Result<int64_t> PrepareSpilledSource(QueryContext& context);
  /// Probes about a batch of spilled probe rows, or finishes a partition; `state` is a
  /// ProbeState.
  Status ReadSpilledMorsel(QueryContext& context, OperatorState* state,
                           std::vector<vector::Batch>& output);
  Status LoadPartition(QueryContext& context, JoinSpillPartition& partition);
  Status SplitPartition(QueryContext& context, size_t index);
  std::string SpillName() const;

  JoinType type_;
  std::shared_ptr<const vector::Schema> joined_schema_;  // Probe then build columns.
  std::vector<ExpressionPtr> probe_keys_;
  std::vector<ExpressionPtr> build_keys_;
  ExpressionPtr residual_;
  std::vector<bool> null_equals_null_;
  RowKeyEncoder encoder_;
  Status init_status_;

  std::mutex mutex_;
  std::vector<vector::Batch> build_batches_ FLOE_GUARDED_BY(mutex_);
  std::vector<RetainedBuffers> retained_ FLOE_GUARDED_BY(mutex_);
  MemoryReservation table_reservation_;

  // The built table; read-only once FinalizeSink has run.
  vector::Batch build_;
  std::vector<uint8_t> key_bytes_;
  std::vector<uint32_t> key_offsets_;
  std::vector<uint64_t> hashes_;
  // Bucket heads: the upper 32 bits of the first row's hash beside its row number, so a probe
  // rejects most non-matching buckets without touching another array; kEmptyBucket when empty.
  std::vector<uint64_t> heads_;
  std::vector<uint32_t> next_;
  uint64_t mask_ = 0;
  bool build_has_null_key_ = false;
  std::vector<std::atomic<uint8_t>> matched_;
  // Per runtime filter: the build key it is built from.
  std::vector<std::pair<size_t, std::shared_ptr<RuntimeFilter>>> runtime_filters_;

  bool can_spill_ = false;  // Keys present and every column of both sides can be written.
  std::atomic<bool> is_spilling_{false};
  std::atomic<int64_t> held_build_bytes_{0};  // Estimated bytes of the table so far.
  std::unique_ptr<Spill> spill_;              // Made by the constructor when can_spill_.
};

}  // namespace floe::sql::execution
