#include "sql/execution/pipeline.h"

#include <chrono>
#include <memory>
#include <mutex>

namespace floe::sql::execution {

std::string Pipeline::ToString() const {
  std::string out = source->Name();
  for (const PhysicalOperator* op : operators) {
    out += " -> " + op->Name();
  }
  return out + " -> " + sink->Name();
}

namespace {
Status Build(PhysicalOperator& op, const std::vector<PhysicalOperator*>& above,
             PhysicalOperator& sink, std::vector<Pipeline>& pipelines) {
  const OperatorRoles roles = op.Roles();
  auto with_op = [&] {
    std::vector<PhysicalOperator*> chain;
    chain.reserve(above.size() + 1);
    chain.push_back(&op);
    chain.insert(chain.end(), above.begin(), above.end());
    return chain;
  };
  if (op.IsUnionAll()) {
    std::vector<PhysicalOperator*> chain = with_op();
    for (const auto& child : op.children()) {
      FLOE_RETURN_NOT_OK(Build(*child, chain, sink, pipelines));
    }
    return Status::OK();
  }
  if (roles.is_sink && roles.is_streaming) {
    // A join: build side first, then the probe side streams through it.
    FLOE_RETURN_NOT_OK(Build(op.child(op.SinkChild()), {}, op, pipelines));
    FLOE_RETURN_NOT_OK(Build(op.child(0), with_op(), sink, pipelines));
    if (roles.is_source) {
      pipelines.push_back({&op, above, &sink});
    }
    return Status::OK();
  }
  if (roles.is_sink) {
    FLOE_RETURN_NOT_OK(Build(op.child(op.SinkChild()), {}, op, pipelines));
    if (!roles.is_source) {
      return Status::Internal("{} is a sink that produces nothing", op.Name());
    }
    pipelines.push_back({&op, above, &sink});
    return Status::OK();
  }
  if (roles.is_streaming) {
    if (op.children().empty()) {
      return Status::Internal("streaming operator {} has no input", op.Name());
    }
    return Build(op.child(0), with_op(), sink, pipelines);
  }
  if (roles.is_source) {
    pipelines.push_back({&op, above, &sink});
    return Status::OK();
  }
  return Status::Internal("operator {} has no pipeline role", op.Name());
}

// The states one thread keeps for every operator of a pipeline.
struct ThreadStates {
  std::unique_ptr<OperatorState> source;
  std::vector<std::unique_ptr<OperatorState>> operators;
  std::unique_ptr<OperatorState> sink;
};

int64_t NanosSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              start)
      .count();
}

class PipelineRun {
 public:
  PipelineRun(QueryContext& context, const Pipeline& pipeline)
      : context_(context), pipeline_(pipeline) {}

  Status Run() {
    FLOE_ASSIGN_OR_RETURN(int64_t morsels, pipeline_.source->PrepareSource(context_));
    const int parallelism = pipeline_.source->IsOrdered() ? 1 : context_.max_threads();
    Status status = context_.scheduler().ParallelFor(
        morsels, [this](int64_t morsel) { return RunMorsel(morsel); }, parallelism);
    FLOE_RETURN_NOT_OK(status);
    FLOE_RETURN_NOT_OK(context_.CheckCancelled());
    for (auto& states : all_states_) {
      FLOE_RETURN_NOT_OK(pipeline_.sink->CombineSink(context_, std::move(states->sink)));
    }
    return Status::OK();
  }

 private:
  Result<ThreadStates*> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!free_states_.empty()) {
        ThreadStates* states = free_states_.back();
        free_states_.pop_back();
        return states;
      }
    }
    auto states = std::make_unique<ThreadStates>();
    FLOE_ASSIGN_OR_RETURN(states->source, pipeline_.source->MakeSourceState(context_));
    for (PhysicalOperator* op : pipeline_.operators) {
      FLOE_ASSIGN_OR_RETURN(auto op_state, op->MakeLocalState(context_));
      states->operators.push_back(std::move(op_state));
    }
    FLOE_ASSIGN_OR_RETURN(states->sink, pipeline_.sink->MakeSinkState(context_));
    std::lock_guard<std::mutex> lock(mutex_);
    all_states_.push_back(std::move(states));
    return all_states_.back().get();
  }

  void Release(ThreadStates* states) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_states_.push_back(states);
  }

  bool AnyFinished() const {
    for (const PhysicalOperator* op : pipeline_.operators) {
      if (op->IsFinished()) {
        return true;
      }
    }
    return false;
  }

  Status RunMorsel(int64_t morsel) {
    FLOE_RETURN_NOT_OK(context_.CheckCancelled());
    if (AnyFinished()) {
      return Status::OK();
    }
    FLOE_ASSIGN_OR_RETURN(ThreadStates * states, Acquire());
    Status status = RunMorselWith(*states, morsel);
    Release(states);
    return status;
  }

  Status RunMorselWith(ThreadStates& states, int64_t morsel) {
    std::vector<vector::Batch> batches;
    auto start = std::chrono::steady_clock::now();
    FLOE_RETURN_NOT_OK(
        pipeline_.source->ReadMorsel(context_, states.source.get(), morsel, batches));
    OperatorProfile& profile = pipeline_.source->profile();
    profile.nanos.fetch_add(NanosSince(start), std::memory_order_relaxed);
    for (const auto& batch : batches) {
      profile.rows_out.fetch_add(batch.num_rows(), std::memory_order_relaxed);
    }
    for (auto& batch : batches) {
      FLOE_RETURN_NOT_OK(Push(states, 0, batch));
    }
    return Status::OK();
  }

  Status Push(ThreadStates& states, size_t level, const vector::Batch& batch) {
    if (batch.num_rows() == 0) {
      return Status::OK();
    }
    if (level == pipeline_.operators.size()) {
      auto start = std::chrono::steady_clock::now();
      Status status = pipeline_.sink->Sink(context_, states.sink.get(), batch);
      pipeline_.sink->profile().nanos.fetch_add(NanosSince(start), std::memory_order_relaxed);
      return status;
    }
    PhysicalOperator* op = pipeline_.operators[level];
    OperatorState* state = states.operators[level].get();
    std::vector<vector::Batch> output;
    bool has_more = false;
    do {
      output.clear();
      auto start = std::chrono::steady_clock::now();
      FLOE_RETURN_NOT_OK(op->Execute(context_, state, batch, output));
      op->profile().nanos.fetch_add(NanosSince(start), std::memory_order_relaxed);
      for (const auto& out : output) {
        op->profile().rows_out.fetch_add(out.num_rows(), std::memory_order_relaxed);
      }
      for (const auto& out : output) {
        FLOE_RETURN_NOT_OK(Push(states, level + 1, out));
      }
      has_more = op->HasMoreOutput(state);
      if (has_more && AnyFinished()) {
        op->DiscardMoreOutput(state);
        has_more = false;
      }
    } while (has_more);
    return Status::OK();
  }

  QueryContext& context_;
  const Pipeline& pipeline_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<ThreadStates>> all_states_;
  std::vector<ThreadStates*> free_states_;
};
}  // namespace

Result<std::vector<Pipeline>> BuildPipelines(PhysicalOperator& root, PhysicalOperator& sink) {
  std::vector<Pipeline> pipelines;
  FLOE_RETURN_NOT_OK(Build(root, {}, sink, pipelines));
  return pipelines;
}

Status RunPipeline(QueryContext& context, const Pipeline& pipeline) {
  PipelineRun run(context, pipeline);
  return run.Run();
}

}  // namespace floe::sql::execution
