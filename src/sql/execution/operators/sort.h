#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "sql/execution/expression.h"
#include "sql/execution/normalized_key.h"
#include "sql/execution/physical_operator.h"
#include "sql/execution/retained_buffers.h"
#include "sql/execution/row_key.h"
#include "sql/execution/spill_file.h"

namespace floe::sql::execution {

/// One ORDER BY key.
struct SortKey {
  ExpressionPtr expr;
  bool is_descending = false;
  /// NULLS FIRST / LAST; unset means PostgreSQL's default: NULLS LAST for ASC, FIRST for DESC.
  std::optional<bool> nulls_first;

  bool NullsFirst() const { return nulls_first.value_or(is_descending); }
};

/// ORDER BY, and with a limit, top-N (ORDER BY ... LIMIT n OFFSET m).
///
/// Keys are turned into normalized keys: per row one fixed-width byte string whose memcmp order
/// is the requested order (a NULL marker byte placed by NULLS FIRST/LAST, then the value in
/// big-endian with the sign flipped, floats by their bit pattern, strings by a 16-byte prefix;
/// bytes inverted for DESC), so comparisons are one memcmp, falling back to the full strings
/// only when prefixes tie. Threads buffer their input; FinalizeSink computes the normalized keys
/// in parallel morsels, sorts one run per thread in parallel and merges the runs pairwise in
/// parallel rounds. Top-N keeps each thread's buffer to the best n + m rows by sorting and
/// truncating whenever it grows past a few times that, so memory stays bounded by n. The
/// output is ordered (IsOrdered()): the pipeline reading it runs its morsels in order. Not a
/// stable sort.
///
/// A full sort spills (docs/architecture.md, "Memory and spilling"): a thread whose buffer
/// outgrows its share of a quarter of the budget, or whose reservation fails, sorts what it
/// holds into a run, writes the run to a spill file and gives the memory back. FinalizeSink
/// then sorts the rows still in memory as one more run, and the output is a k-way merge of the
/// runs read back one batch per run. Top-N never spills: its memory is bounded by n.
class SortOperator final : public PhysicalOperator {
 public:
  /// `limit` < 0: a full sort; else only rows [offset, offset + limit) of the order are output.
  SortOperator(PhysicalOperatorPtr child, std::vector<SortKey> keys, int64_t limit = -1,
               int64_t offset = 0);
  ~SortOperator() override;

  std::string Name() const override { return limit_ >= 0 ? "TOP_N" : "SORT"; }
  std::vector<std::string> Details() const override;
  OperatorRoles Roles() const override { return {.is_source = true, .is_sink = true}; }
  bool IsOrdered() const override { return true; }
  const std::vector<SortKey>& keys() const { return keys_; }

  Result<std::unique_ptr<OperatorState>> MakeSinkState(QueryContext& context) override;
  Status Sink(QueryContext& context, OperatorState* state, const vector::Batch& input) override;
  Status CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) override;
  Status FinalizeSink(QueryContext& context) override;

  Result<int64_t> PrepareSource(QueryContext& context) override;
  Status ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                    std::vector<vector::Batch>& output) override;

  struct LocalState;
  struct SortedRows;
  struct MergeRun;
  struct MergeSegment;

 private:
  Result<SortedRows> SortRows(QueryContext& context, std::vector<vector::Batch> batches,
                              bool parallel) const;
  Status Compact(QueryContext& context, LocalState& local) const;
  // Spilling and merging the spilled runs.
  int64_t ExpectedThreads(QueryContext& context) const;
  Status SpillLocal(QueryContext& context, LocalState& local);
  Status LoadRunBatch(QueryContext& context, MergeRun& run) const;
  int CompareRuns(const MergeRun& a, const MergeRun& b) const;
  Status MergeRows(QueryContext& context, int64_t count, std::vector<MergeSegment>* segments);

  std::vector<SortKey> keys_;
  int64_t limit_;
  int64_t offset_;
  std::shared_ptr<const vector::Schema> buffered_schema_;  // Input columns, then the keys.
  NormalizedKeyEncoder encoder_;
  Status init_status_;

  std::mutex mutex_;
  std::vector<vector::Batch> buffered_ FLOE_GUARDED_BY(mutex_);
  std::vector<RetainedBuffers> retained_ FLOE_GUARDED_BY(mutex_);

  // The sorted output: rows of `output_` in order `order_`.
  vector::Batch output_;
  std::vector<uint32_t> order_;

  // Spilling: rows are written with `row_encoder_` (all buffered columns); `can_spill_` is
  // false for types it cannot write (nested types). The merge compares rows of different runs
  // key by key with one single-column encoder per key.
  RowKeyEncoder row_encoder_;
  bool can_spill_ = false;
  std::vector<NormalizedKeyEncoder> key_encoders_;
  std::vector<SpillFile> spilled_ FLOE_GUARDED_BY(mutex_);
  int64_t spilled_rows_ FLOE_GUARDED_BY(mutex_) = 0;
  // The merge (sources run their morsels one at a time, in order): one run per spill file plus
  // the in-memory rows, a heap of the runs not yet exhausted, and the output rows left.
  std::vector<std::unique_ptr<MergeRun>> runs_;
  std::vector<size_t> heap_;
  int64_t merge_output_rows_ = 0;
  bool is_merging_ = false;
};

}  // namespace floe::sql::execution
