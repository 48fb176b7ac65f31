#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "common/task_scheduler.h"
#include "sql/execution/spill_file.h"
#include "sql/functions/function.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace floe::sql::execution {

/// What every operator of one running query shares: the scheduler, the thread cap, the memory
/// budget, the function context and the cancellation flag. Owned by the Executor's result
/// stream; outlives every operator call. Thread-safe (the function context is read-only while
/// the query runs).
class QueryContext {
 public:
  QueryContext(TaskScheduler* scheduler, int max_threads, MemoryTracker* tracker,
               int64_t statement_time_micros = 0, const types::TimeZone* time_zone = nullptr)
      : scheduler_(scheduler), max_threads_(max_threads), tracker_(tracker) {
    function_context_.tracker = tracker;
    function_context_.statement_time_micros = statement_time_micros;
    function_context_.time_zone = time_zone;
  }
  QueryContext(const QueryContext&) = delete;
  QueryContext& operator=(const QueryContext&) = delete;
  ~QueryContext();

  TaskScheduler& scheduler() const { return *scheduler_; }
  /// Most threads taking part in one pipeline (0: every worker plus the caller).
  int max_threads() const { return max_threads_; }
  /// The query's budget: every operator reserves its hash tables, sort runs and buffered
  /// batches here. May be null (no accounting) in tests.
  MemoryTracker* tracker() const { return tracker_; }
  FunctionContext& function_context() { return function_context_; }
  /// Where operators write what does not fit in the budget (hash aggregate partitions); null
  /// when spilling is off, and operators then fail with ResourceExhausted instead.
  SpillDirectory* spill_directory() const { return spill_directory_.get(); }
  /// Turns spilling on, into a folder of its own under `temp_directory` that is removed with
  /// this context.
  void EnableSpilling(std::string temp_directory);

  /// Asks the query to stop; running morsels finish, no new one starts, and the result stream
  /// returns Cancelled (SQLSTATE 57014).
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool is_cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  /// Returns Cancelled when Cancel() was called, else OK. Checked between morsels.
  Status CheckCancelled() const;

 private:
  TaskScheduler* scheduler_;
  int max_threads_;
  MemoryTracker* tracker_;
  FunctionContext function_context_;
  std::unique_ptr<SpillDirectory> spill_directory_;
  std::atomic<bool> cancelled_{false};
};

/// State one thread keeps for one operator while it runs a pipeline (a thread-local hash table
/// for an aggregate, a reader for a scan, scratch vectors). Made per participating thread,
/// never shared between threads while the pipeline runs.
class OperatorState {
 public:
  OperatorState() = default;
  OperatorState(const OperatorState&) = delete;
  OperatorState& operator=(const OperatorState&) = delete;
  virtual ~OperatorState() = default;
};

/// What EXPLAIN shows of each operator (PostgreSQL's EXPLAIN options of the same names).
struct ExplainOptions {
  /// Actual rows, time and memory, once the query has run.
  bool analyze = false;
  /// The optimizer's estimated rows.
  bool costs = true;
  /// With `analyze`, the time spent in each operator.
  bool timing = true;
};

/// What EXPLAIN ANALYZE reports per operator. Updated from several threads.
struct OperatorProfile {
  std::atomic<int64_t> rows_out{0};
  /// Time spent in the operator itself (not in operators above it), summed over threads.
  std::atomic<int64_t> nanos{0};
  /// Peak bytes the operator reserved.
  std::atomic<int64_t> peak_memory{0};
  /// Bytes and files the operator wrote to its query's spill folder.
  std::atomic<int64_t> spilled_bytes{0};
  std::atomic<int64_t> spilled_files{0};
};

/// The roles an operator plays in pipelines (several may be true at once):
///   source     produces the morsels a pipeline starts from: scans, VALUES, generate_series, and
///              breakers once their input is complete (aggregate, sort, a join's unmatched
///              build rows)
///   streaming  transforms batches in the middle of a pipeline: filter, projection, limit, the
///              probe side of a join
///   sink       consumes a pipeline's output and ends it: aggregate, sort, a join's build side,
///              the result collector
struct OperatorRoles {
  bool is_source = false;
  bool is_streaming = false;
  bool is_sink = false;
};

/// A node of a physical plan, run by the Executor as part of push-based pipelines.
///
/// How the Executor cuts a plan into pipelines (see docs/sql/execution.md):
///   - a leaf source starts a pipeline;
///   - a streaming operator joins the pipeline of its child 0;
///   - a sink ends the pipeline of the child it consumes (`SinkChild()`) and, when it is also a
///     source, starts a new pipeline once that input is complete (FinalizeSink has run);
///   - a join is a sink for its build child (child 1) and streaming for its probe child
///     (child 0); the probe pipeline runs after the build pipeline; a join that emits unmatched
///     build rows is also a source of a last pipeline, run after the probe pipeline, that
///     continues with the operators above the join;
///   - UNION ALL (`IsUnionAll()`) passes every child's pipeline through to the operators above.
///
/// Each pipeline runs morsel by morsel on the TaskScheduler: every participating thread gets
/// its own OperatorState per operator (MakeLocalState/MakeSinkState/MakeSourceState), reads a
/// morsel from the source, pushes each batch through the streaming operators and into the
/// sink. When no morsel is left, each thread's sink state is handed to CombineSink (one state
/// at a time, in any order), then FinalizeSink runs once. Operators are shared by all threads:
/// their methods are called concurrently with different states and must be thread-safe.
///
/// Memory: an operator reserves what it keeps (hash tables, buffered batches, sort runs) from
/// QueryContext::tracker(). Where a reservation fails, an operator that can spill writes what
/// it holds to QueryContext::spill_directory() and goes on (docs/architecture.md, "Memory and
/// spilling"); the others fail with ResourceExhausted.
class PhysicalOperator {
 public:
  PhysicalOperator(std::shared_ptr<const vector::Schema> output_schema,
                   std::vector<std::unique_ptr<PhysicalOperator>> children)
      : output_schema_(std::move(output_schema)), children_(std::move(children)) {}
  PhysicalOperator(const PhysicalOperator&) = delete;
  PhysicalOperator& operator=(const PhysicalOperator&) = delete;
  virtual ~PhysicalOperator() = default;

  /// Returns the EXPLAIN name: "HASH_JOIN", "FILTER", "PARQUET_SCAN", ...
  virtual std::string Name() const = 0;
  /// Returns EXPLAIN's detail lines: keys, conditions, join type, files.
  virtual std::vector<std::string> Details() const { return {}; }
  /// Returns plans the operator runs on its own rather than through the query's pipelines
  /// (a materialized WITH query): EXPLAIN prints them under it, before its children.
  virtual std::vector<const PhysicalOperator*> ExplainedSubplans() const { return {}; }
  virtual OperatorRoles Roles() const = 0;
  virtual bool IsUnionAll() const { return false; }

  const std::shared_ptr<const vector::Schema>& output_schema() const { return output_schema_; }
  const std::vector<std::unique_ptr<PhysicalOperator>>& children() const { return children_; }
  PhysicalOperator& child(size_t index) const { return *children_[index]; }

  /// The planner's row estimate, shown by EXPLAIN; -1 when unknown.
  int64_t estimated_rows() const { return estimated_rows_; }
  void set_estimated_rows(int64_t rows) { estimated_rows_ = rows; }
  OperatorProfile& profile() { return profile_; }
  const OperatorProfile& profile() const { return profile_; }

  // ---- Source role ----

  /// Prepares to produce output and returns the number of morsels (called once, after the
  /// operator's own input is complete when it is also a sink).
  virtual Result<int64_t> PrepareSource(QueryContext& context) {
    return Status::Internal("{} is not a source", Name());
  }
  virtual Result<std::unique_ptr<OperatorState>> MakeSourceState(QueryContext& context) {
    return std::unique_ptr<OperatorState>();
  }
  /// Appends the batches of morsel `morsel` (in [0, PrepareSource())) to `output`; called
  /// concurrently for different morsels, each thread with its own state.
  virtual Status ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                            std::vector<vector::Batch>& output) {
    return Status::Internal("{} is not a source", Name());
  }
  /// True when the source's morsels are ordered (sort output): the pipeline then runs its
  /// morsels one after another, in order, so ORDER BY survives to the result.
  virtual bool IsOrdered() const { return false; }

  // ---- Streaming role ----

  virtual Result<std::unique_ptr<OperatorState>> MakeLocalState(QueryContext& context) {
    return std::unique_ptr<OperatorState>();
  }
  /// Transforms one input batch, appending zero or more output batches.
  virtual Status Execute(QueryContext& context, OperatorState* state, const vector::Batch& input,
                         std::vector<vector::Batch>& output) {
    return Status::Internal("{} is not a streaming operator", Name());
  }
  /// True when the last Execute with `state` stopped before the end of its input batch: the
  /// pipeline pushes what it returned on, then calls Execute again with the same batch. Lets an
  /// operator whose output per input row has no bound (a set-returning function) hand it over
  /// a batch at a time instead of holding all of it.
  virtual bool HasMoreOutput(const OperatorState* state) const { return false; }
  /// Forgets the rest of the batch HasMoreOutput() was true for: the pipeline stopped early
  /// (a LIMIT above is full), and the next Execute with `state` gets a new batch.
  virtual void DiscardMoreOutput(OperatorState* state) const {}
  /// True once the operator will emit nothing more (a LIMIT that is full): the pipeline stops
  /// starting morsels.
  virtual bool IsFinished() const { return false; }

  // ---- Sink role ----

  /// The child whose pipeline this sink ends (the build side of a join: 1).
  virtual size_t SinkChild() const { return 0; }
  virtual Result<std::unique_ptr<OperatorState>> MakeSinkState(QueryContext& context) {
    return std::unique_ptr<OperatorState>();
  }
  /// Consumes one batch into a thread's state.
  virtual Status Sink(QueryContext& context, OperatorState* state, const vector::Batch& input) {
    return Status::Internal("{} is not a sink", Name());
  }
  /// Hands over one thread's state once it has no more input (may be called from any thread,
  /// never concurrently for the same operator).
  virtual Status CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) {
    return Status::OK();
  }
  /// Runs once after every pipeline feeding the sink has finished (may use
  /// context.scheduler() for parallel work: merging partitions, sorting runs).
  virtual Status FinalizeSink(QueryContext& context) { return Status::OK(); }

  /// Returns a multi-line tree: name, details, estimated rows and, when analyzing, actual rows,
  /// time and memory per operator.
  std::string Explain(const ExplainOptions& options) const;

 protected:
  /// Appends a child; lets constructors read a child's schema before taking it over.
  void AddChild(std::unique_ptr<PhysicalOperator> child) { children_.push_back(std::move(child)); }

 private:
  void ExplainInto(std::string& out, int depth, const ExplainOptions& options) const;

  std::shared_ptr<const vector::Schema> output_schema_;
  std::vector<std::unique_ptr<PhysicalOperator>> children_;
  int64_t estimated_rows_ = -1;
  OperatorProfile profile_;
};

using PhysicalOperatorPtr = std::unique_ptr<PhysicalOperator>;

}  // namespace floe::sql::execution
