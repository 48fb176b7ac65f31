#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "common/task_scheduler.h"
#include "common/thread_annotations.h"
#include "sql/execution/physical_operator.h"
#include "vector/batch.h"

namespace floe::sql::execution {

/// How the Executor runs one query.
struct ExecutorOptions {
  /// The scheduler the pipelines run on; nullptr means TaskScheduler::Default().
  TaskScheduler* scheduler = nullptr;
  /// Most threads taking part in one pipeline; 0 means every worker plus the caller.
  int max_threads = 0;
  /// The query's memory budget (may be null: no accounting).
  MemoryTracker* tracker = nullptr;
  /// The statement's start time for now() and friends, microseconds since the epoch (UTC).
  int64_t statement_time_micros = 0;
  /// The session's time zone (null: UTC).
  const types::TimeZone* time_zone = nullptr;
  /// Result batches buffered ahead of the reader before the query waits for it.
  size_t max_buffered_batches = 16;
  /// Where operators spill when the budget is exceeded (engine.temp_directory); empty turns
  /// spilling off.
  std::string temp_directory;
};

class ResultCollector;

/// The rows of a running query, read from outside the engine (a server sending rows while the
/// query still runs). The query runs in the background on the scheduler; Next() waits for
/// the next batch. Destroying the stream cancels the query and waits for it to stop. Next() and
/// Cancel() may be called from different threads; Next() from one thread at a time.
class ResultStream {
 public:
  ~ResultStream();
  ResultStream(const ResultStream&) = delete;
  ResultStream& operator=(const ResultStream&) = delete;

  /// Returns the schema of the result batches.
  const std::shared_ptr<const vector::Schema>& schema() const { return plan_->output_schema(); }

  /// Returns the next batch, nullopt once every row has been returned, or the query's error
  /// (Cancelled, SQLSTATE 57014, after Cancel()).
  Result<std::optional<vector::Batch>> Next();

  /// Asks the query to stop; Next() then returns Cancelled. Thread-safe.
  void Cancel();

  /// Reads and drops the remaining batches until the query has finished; returns its final
  /// status (for statements whose rows nobody reads, and before EXPLAIN ANALYZE).
  Status Drain();

  /// Returns the plan as EXPLAIN text; when analyzing, with actual rows and time per operator
  /// (complete once Next() has returned nullopt).
  std::string Explain(const ExplainOptions& options) const { return plan_->Explain(options); }
  const PhysicalOperator& plan() const { return *plan_; }
  QueryContext& context() { return *context_; }

 private:
  friend class Executor;
  ResultStream() = default;

  std::unique_ptr<QueryContext> context_;
  PhysicalOperatorPtr plan_;
  std::unique_ptr<ResultCollector> collector_;
};

/// Runs physical plans: cuts a plan into pipelines at its breakers (BuildPipelines), runs them
/// in dependency order on the scheduler, each in parallel over its morsels, and streams the
/// root's batches to a ResultStream. Operators keep the state of the run (hash tables, sorted
/// rows), so a plan runs once; plan the statement again to rerun it. The stream's reader must
/// not be a worker of the same scheduler: producers wait for it when the buffer is full.
class Executor {
 public:
  /// Starts running `plan` in the background and returns its result stream.
  static Result<std::unique_ptr<ResultStream>> Execute(PhysicalOperatorPtr plan,
                                                       ExecutorOptions options = {});

  /// Runs `plan` to the end and returns every result batch (tests, small internal queries).
  static Result<std::vector<vector::Batch>> Collect(PhysicalOperatorPtr plan,
                                                    ExecutorOptions options = {});
};

}  // namespace floe::sql::execution
