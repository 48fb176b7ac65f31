#include "sql/execution/executor.h"

#include <vector>

#include "sql/execution/pipeline.h"

namespace floe::sql::execution {

/// The sink at the top of every plan: a bounded queue between the pipelines' threads and the
/// reader of the ResultStream.
class ResultCollector final : public PhysicalOperator {
 public:
  ResultCollector(std::shared_ptr<const vector::Schema> schema, size_t capacity)
      : PhysicalOperator(std::move(schema), {}), capacity_(capacity == 0 ? 1 : capacity) {}

  std::string Name() const override { return "RESULT"; }
  OperatorRoles Roles() const override { return {.is_sink = true}; }

  Status Sink(QueryContext& context, OperatorState* state, const vector::Batch& input) override {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(
        lock, [&] { return queue_.size() < capacity_ || context.is_cancelled() || is_abandoned_; });
    if (context.is_cancelled() || is_abandoned_) {
      return Status::Cancelled("canceling statement due to user request");
    }
    queue_.push_back(input);
    rows_.fetch_add(input.num_rows(), std::memory_order_relaxed);
    has_data_.notify_one();
    return Status::OK();
  }

  /// Records the end of the query: OK when every row was delivered.
  void Finish(Status status) {
    std::lock_guard<std::mutex> lock(mutex_);
    is_done_ = true;
    final_status_ = std::move(status);
    has_data_.notify_all();
    finished_.notify_all();
  }

  /// Wakes producers waiting for room (after Cancel).
  void WakeAll() {
    std::lock_guard<std::mutex> lock(mutex_);
    space_.notify_all();
    has_data_.notify_all();
  }

  Result<std::optional<vector::Batch>> Next() {
    std::unique_lock<std::mutex> lock(mutex_);
    has_data_.wait(lock, [&] { return !queue_.empty() || is_done_; });
    if (!queue_.empty()) {
      vector::Batch batch = std::move(queue_.front());
      queue_.pop_front();
      space_.notify_one();
      return std::optional<vector::Batch>(std::move(batch));
    }
    if (!final_status_.ok()) {
      return final_status_;
    }
    return std::optional<vector::Batch>();
  }

  /// Stops accepting batches, drops what is queued and waits for the query to end.
  Status Abandon() {
    std::unique_lock<std::mutex> lock(mutex_);
    is_abandoned_ = true;
    queue_.clear();
    space_.notify_all();
    finished_.wait(lock, [&] { return is_done_; });
    return final_status_;
  }

  int64_t rows() const { return rows_.load(std::memory_order_relaxed); }

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable space_;
  std::condition_variable has_data_;
  std::condition_variable finished_;
  std::deque<vector::Batch> queue_ FLOE_GUARDED_BY(mutex_);
  bool is_done_ FLOE_GUARDED_BY(mutex_) = false;
  bool is_abandoned_ FLOE_GUARDED_BY(mutex_) = false;
  Status final_status_ FLOE_GUARDED_BY(mutex_);
  std::atomic<int64_t> rows_{0};
};

namespace {
Status RunAll(QueryContext& context, PhysicalOperator& plan, PhysicalOperator& collector) {
  FLOE_ASSIGN_OR_RETURN(std::vector<Pipeline> pipelines, BuildPipelines(plan, collector));
  // A sink is finalised once every pipeline feeding it has run.
  std::vector<std::pair<PhysicalOperator*, int>> feeds;
  for (const Pipeline& pipeline : pipelines) {
    bool found = false;
    for (auto& [sink, count] : feeds) {
      if (sink == pipeline.sink) {
        ++count;
        found = true;
      }
    }
    if (!found) {
      feeds.emplace_back(pipeline.sink, 1);
    }
  }
  for (const Pipeline& pipeline : pipelines) {
    FLOE_RETURN_NOT_OK(context.CheckCancelled());
    FLOE_RETURN_NOT_OK(RunPipeline(context, pipeline));
    for (auto& [sink, count] : feeds) {
      if (sink == pipeline.sink && --count == 0) {
        FLOE_RETURN_NOT_OK(sink->FinalizeSink(context));
      }
    }
  }
  return context.CheckCancelled();
}
}  // namespace

Status RunPlan(QueryContext& context, PhysicalOperator& root, PhysicalOperator& sink) {
  return RunAll(context, root, sink);
}

namespace {

// The sink of RunToBatches: keeps every batch.
class BatchCollector final : public PhysicalOperator {
 public:
  explicit BatchCollector(std::shared_ptr<const vector::Schema> schema)
      : PhysicalOperator(std::move(schema), {}) {}

  std::string Name() const override { return "COLLECT"; }
  OperatorRoles Roles() const override { return {.is_sink = true}; }

  Result<std::unique_ptr<OperatorState>> MakeSinkState(QueryContext& context) override {
    return std::unique_ptr<OperatorState>(std::make_unique<State>());
  }
  Status Sink(QueryContext& context, OperatorState* state, const vector::Batch& input) override {
    if (input.num_rows() > 0) {
      static_cast<State*>(state)->batches.push_back(input);
    }
    return Status::OK();
  }
  Status CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (vector::Batch& batch : static_cast<State&>(*state).batches) {
      batches_.push_back(std::move(batch));
    }
    return Status::OK();
  }
  std::vector<vector::Batch> TakeBatches() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::move(batches_);
  }

 private:
  struct State : OperatorState {
    std::vector<vector::Batch> batches;
  };
  std::mutex mutex_;
  std::vector<vector::Batch> batches_;
};

}  // namespace

Result<std::vector<vector::Batch>> RunToBatches(QueryContext& context, PhysicalOperator& root) {
  BatchCollector collector(root.output_schema());
  FLOE_RETURN_NOT_OK(RunPlan(context, root, collector));
  return collector.TakeBatches();
}

ResultStream::~ResultStream() {
  if (collector_ != nullptr) {
    context_->Cancel();
    (void)collector_->Abandon();
  }
}

Result<std::optional<vector::Batch>> ResultStream::Next() {
  return collector_->Next();
}

void ResultStream::Cancel() {
  context_->Cancel();
  collector_->WakeAll();
}

Status ResultStream::Drain() {
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, collector_->Next());
    if (!batch.has_value()) {
      return Status::OK();
    }
  }
}

Result<std::unique_ptr<ResultStream>> Executor::Execute(PhysicalOperatorPtr plan,
                                                        ExecutorOptions options) {
  TaskScheduler* scheduler =
      options.scheduler != nullptr ? options.scheduler : &TaskScheduler::Default();
  auto stream = std::unique_ptr<ResultStream>(new ResultStream());
  stream->context_ =
      std::make_unique<QueryContext>(scheduler, options.max_threads, options.tracker,
                                     options.statement_time_micros, options.time_zone);
  if (!options.temp_directory.empty()) {
    stream->context_->EnableSpilling(std::move(options.temp_directory));
  }
  stream->collector_ =
      std::make_unique<ResultCollector>(plan->output_schema(), options.max_buffered_batches);
  stream->plan_ = std::move(plan);
  QueryContext* context = stream->context_.get();
  PhysicalOperator* root = stream->plan_.get();
  ResultCollector* collector = stream->collector_.get();
  Status submitted = scheduler->Submit([context, root, collector] {
    Status status = RunAll(*context, *root, *collector);
    if (context->is_cancelled() && status.ok()) {
      status = Status::Cancelled("canceling statement due to user request");
    }
    collector->Finish(std::move(status));
  });
  if (!submitted.ok()) {
    collector->Finish(submitted);
    return submitted;
  }
  return stream;
}

Result<std::vector<vector::Batch>> Executor::Collect(PhysicalOperatorPtr plan,
                                                     ExecutorOptions options) {
  FLOE_ASSIGN_OR_RETURN(auto stream, Execute(std::move(plan), options));
  std::vector<vector::Batch> batches;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, stream->Next());
    if (!batch.has_value()) {
      break;
    }
    batches.push_back(std::move(*batch));
  }
  return batches;
}

}  // namespace floe::sql::execution
