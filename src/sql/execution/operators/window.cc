#include "sql/execution/operators/window.h"

#include <algorithm>
#include <numeric>

#include "sql/execution/expression_evaluator.h"
#include "sql/execution/normalized_key.h"
#include "sql/execution/row_key.h"
#include "vector/selection_vector.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution {

using vector::Batch;
using vector::SelectionVector;
using vector::Vector;
using vector::VectorBuilder;

/// The sorted rows cut into partitions and peer groups, by sorted position.
struct WindowOperator::Partitioning {
  std::vector<int64_t> partition_starts;  // Ascending, ending with the row count.
  std::vector<int64_t> peer_start;        // First row of each row's peer group.
  std::vector<int64_t> peer_end;          // Last row of each row's peer group.
};

namespace {
std::shared_ptr<const vector::Schema> WindowSchema(
    const vector::Schema& input, const std::vector<WindowFunctionSpec>& functions) {
  std::vector<vector::Field> fields = input.fields();
  for (auto& field : fields) {
    field.is_nullable = true;
  }
  for (const auto& function : functions) {
    fields.push_back({function.name,
                      function.kind == WindowFunctionKind::kAggregate
                          ? function.aggregate.return_type
                          : function.type,
                      true});
  }
  return std::make_shared<const vector::Schema>(std::move(fields));
}

std::string_view KindName(WindowFunctionKind kind) {
  switch (kind) {
    case WindowFunctionKind::kRowNumber:
      return "row_number";
    case WindowFunctionKind::kRank:
      return "rank";
    case WindowFunctionKind::kDenseRank:
      return "dense_rank";
    case WindowFunctionKind::kLag:
      return "lag";
    case WindowFunctionKind::kLead:
      return "lead";
    case WindowFunctionKind::kFirstValue:
      return "first_value";
    case WindowFunctionKind::kLastValue:
      return "last_value";
    case WindowFunctionKind::kAggregate:
      return "aggregate";
  }
  return "?";
}

// Returns the frame [first, last] of sorted row `row` in partition [begin, end); empty when
// first > last.
std::pair<int64_t, int64_t> FrameOf(const WindowFrame& frame, int64_t row, int64_t begin,
                                    int64_t end, const std::vector<int64_t>& peer_start,
                                    const std::vector<int64_t>& peer_end) {
  using Bound = WindowFrame::Bound;
  auto position = [&](Bound bound, int64_t offset, bool is_start) -> int64_t {
    switch (bound) {
      case Bound::kUnboundedPreceding:
        return is_start ? begin : begin - 1;
      case Bound::kPreceding:
        return row - offset;
      case Bound::kCurrentRow:
        if (frame.is_rows) {
          return row;
        }
        return is_start ? peer_start[static_cast<size_t>(row)] : peer_end[static_cast<size_t>(row)];
      case Bound::kFollowing:
        return row + offset;
      case Bound::kUnboundedFollowing:
        return is_start ? end : end - 1;
    }
    return row;
  };
  int64_t first = std::max(position(frame.start, frame.start_offset, true), begin);
  int64_t last = std::min(position(frame.end, frame.end_offset, false), end - 1);
  return {first, last};
}
}  // namespace

WindowOperator::WindowOperator(PhysicalOperatorPtr child, std::vector<ExpressionPtr> partition_by,
                               std::vector<SortKey> order_by,
                               std::vector<WindowFunctionSpec> functions)
    : PhysicalOperator(WindowSchema(*child->output_schema(), functions), {}),
      partition_by_(std::move(partition_by)),
      order_by_(std::move(order_by)),
      functions_(std::move(functions)) {
  AddChild(std::move(child));
  for (auto& function : functions_) {
    const WindowFrame& frame = function.frame;
    bool has_offset = frame.start == WindowFrame::Bound::kPreceding ||
                      frame.start == WindowFrame::Bound::kFollowing ||
                      frame.end == WindowFrame::Bound::kPreceding ||
                      frame.end == WindowFrame::Bound::kFollowing;
    if (has_offset && !frame.is_rows) {
      init_status_ = Status::NotSupported("RANGE frames with an offset");
    }
    if (function.kind == WindowFunctionKind::kAggregate) {
      function.type = function.aggregate.return_type;
    }
  }
}

WindowOperator::~WindowOperator() = default;

std::vector<std::string> WindowOperator::Details() const {
  std::vector<std::string> details;
  std::string partition = "partition by: ";
  for (size_t i = 0; i < partition_by_.size(); ++i) {
    partition += (i > 0 ? ", " : "") + partition_by_[i]->ToString();
  }
  details.push_back(partition);
  std::string order = "order by: ";
  for (size_t i = 0; i < order_by_.size(); ++i) {
    order += (i > 0 ? ", " : "") + order_by_[i].expr->ToString() +
             (order_by_[i].is_descending ? " DESC" : "");
  }
  details.push_back(order);
  for (const auto& function : functions_) {
    details.push_back(function.name + " = " +
                      (function.kind == WindowFunctionKind::kAggregate
                           ? function.aggregate.name
                           : std::string(KindName(function.kind))));
  }
  return details;
}

namespace {
struct WindowSinkState : OperatorState {
  explicit WindowSinkState(MemoryTracker* tracker) : retained(tracker) {}
  std::vector<Batch> batches;
  RetainedBuffers retained;
};
}  // namespace

Result<std::unique_ptr<OperatorState>> WindowOperator::MakeSinkState(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  return std::unique_ptr<OperatorState>(std::make_unique<WindowSinkState>(context.tracker()));
}

Status WindowOperator::Sink(QueryContext& context, OperatorState* state, const Batch& input) {
  auto& local = static_cast<WindowSinkState&>(*state);
  FLOE_RETURN_NOT_OK(local.retained.Add(input));
  local.batches.push_back(input);
  return Status::OK();
}

Status WindowOperator::CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) {
  if (state == nullptr) {
    return Status::OK();
  }
  auto& local = static_cast<WindowSinkState&>(*state);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& batch : local.batches) {
    buffered_.push_back(std::move(batch));
  }
  retained_.push_back(std::move(local.retained));
  return Status::OK();
}

Status WindowOperator::FinalizeSink(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  std::vector<Batch> batches;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batches = std::move(buffered_);
  }
  FLOE_ASSIGN_OR_RETURN(Batch all,
                        ConcatenateBatches(child(0).output_schema(), batches, context.tracker()));
  // One batch is used as it is, so its buffers stay charged; more were copied.
  const bool is_copied = batches.size() != 1;
  batches.clear();
  const int64_t rows = all.num_rows();
  ExpressionEvaluator evaluator(&context.function_context());

  // Sort by partition keys, then order keys.
  std::vector<NormalizedKeyColumn> sort_columns;
  std::vector<Vector> sort_vectors;
  std::vector<NormalizedKeyColumn> order_columns;
  std::vector<Vector> order_vectors;
  std::vector<types::LogicalType> partition_types;
  std::vector<Vector> partition_vectors;
  for (const auto& expr : partition_by_) {
    FLOE_ASSIGN_OR_RETURN(Vector column, evaluator.Evaluate(*expr, all));
    sort_columns.push_back({expr->type(), false, false});
    sort_vectors.push_back(column);
    partition_types.push_back(expr->type());
    partition_vectors.push_back(std::move(column));
  }
  for (const auto& key : order_by_) {
    FLOE_ASSIGN_OR_RETURN(Vector column, evaluator.Evaluate(*key.expr, all));
    sort_columns.push_back({key.expr->type(), key.is_descending, key.NullsFirst()});
    order_columns.push_back(sort_columns.back());
    sort_vectors.push_back(column);
    order_vectors.push_back(std::move(column));
  }
  FLOE_ASSIGN_OR_RETURN(NormalizedKeyEncoder sort_encoder,
                        NormalizedKeyEncoder::Make(std::move(sort_columns)));
  FLOE_ASSIGN_OR_RETURN(NormalizedKeyEncoder order_encoder,
                        NormalizedKeyEncoder::Make(std::move(order_columns)));
  MemoryReservation scratch(context.tracker());
  FLOE_RETURN_NOT_OK(scratch.Grow(rows * (sort_encoder.width() + order_encoder.width() + 4 + 16)));
  std::vector<uint8_t> sort_keys(static_cast<size_t>(rows * sort_encoder.width()));
  sort_encoder.Encode(sort_vectors, 0, rows, sort_keys.data());
  std::vector<uint8_t> order_keys(static_cast<size_t>(rows * order_encoder.width()));
  order_encoder.Encode(order_vectors, 0, rows, order_keys.data());
  std::vector<uint32_t> order(static_cast<size_t>(rows));
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return sort_encoder.Compare(sort_keys.data(), sort_vectors, a, b) < 0;
  });
  FLOE_RETURN_NOT_OK(context.CheckCancelled());

  // Partitions compare exactly on their encoded keys; peers on the order keys.
  FLOE_ASSIGN_OR_RETURN(RowKeyEncoder partition_encoder, RowKeyEncoder::Make(partition_types));
  std::vector<uint8_t> partition_bytes;
  std::vector<uint32_t> partition_offsets;
  partition_encoder.Encode(partition_vectors, rows, partition_bytes, partition_offsets);
  auto partition_key = [&](uint32_t row) {
    return std::string_view(
        reinterpret_cast<const char*>(partition_bytes.data()) + partition_offsets[row],
        partition_offsets[row + 1] - partition_offsets[row]);
  };
  Partitioning partitioning;
  partitioning.peer_start.resize(static_cast<size_t>(rows));
  partitioning.peer_end.resize(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) {
    const uint32_t row = order[static_cast<size_t>(i)];
    bool new_partition =
        i == 0 || partition_key(row) != partition_key(order[static_cast<size_t>(i) - 1]);
    if (new_partition) {
      partitioning.partition_starts.push_back(i);
    }
    bool new_peers =
        new_partition || order_encoder.Compare(order_keys.data(), order_vectors,
                                               order[static_cast<size_t>(i) - 1], row) != 0;
    partitioning.peer_start[static_cast<size_t>(i)] =
        new_peers ? i : partitioning.peer_start[static_cast<size_t>(i) - 1];
  }
  partitioning.partition_starts.push_back(rows);
  for (int64_t i = rows - 1; i >= 0; --i) {
    bool last_of_group = i == rows - 1 || partitioning.peer_start[static_cast<size_t>(i) + 1] !=
                                              partitioning.peer_start[static_cast<size_t>(i)];
    partitioning.peer_end[static_cast<size_t>(i)] =
        last_of_group ? i : partitioning.peer_end[static_cast<size_t>(i) + 1];
  }

  SelectionVector sorted_rows(order);
  FLOE_ASSIGN_OR_RETURN(Batch sorted_input, all.Gather(sorted_rows, context.tracker()));
  std::vector<Vector> columns = sorted_input.columns();
  for (const auto& function : functions_) {
    std::vector<Vector> sorted_arguments;
    for (const auto& argument : function.arguments) {
      FLOE_ASSIGN_OR_RETURN(Vector value, evaluator.Evaluate(*argument, all));
      FLOE_ASSIGN_OR_RETURN(Vector sorted, value.Gather(sorted_rows, context.tracker()));
      sorted_arguments.push_back(std::move(sorted));
    }
    std::optional<Vector> sorted_default;
    if (function.default_value != nullptr) {
      FLOE_ASSIGN_OR_RETURN(Vector value, evaluator.Evaluate(*function.default_value, all));
      FLOE_ASSIGN_OR_RETURN(sorted_default, value.Gather(sorted_rows, context.tracker()));
    }
    VectorBuilder builder(function.type, context.tracker());
    FLOE_RETURN_NOT_OK(builder.Reserve(rows));
    FLOE_RETURN_NOT_OK(ComputeFunction(context, function, partitioning, sorted_arguments,
                                       sorted_default ? &*sorted_default : nullptr, builder));
    FLOE_ASSIGN_OR_RETURN(Vector column, builder.Finish());
    columns.push_back(std::move(column));
  }
  FLOE_ASSIGN_OR_RETURN(output_, Batch::Make(output_schema(), std::move(columns), rows));
  if (is_copied) {
    std::lock_guard<std::mutex> lock(mutex_);
    retained_.clear();
  }
  return Status::OK();
}

Status WindowOperator::ComputeFunction(QueryContext& context, const WindowFunctionSpec& function,
                                       const Partitioning& partitioning,
                                       const std::vector<Vector>& arguments,
                                       const Vector* sorted_default, VectorBuilder& out) const {
  const auto& starts = partitioning.partition_starts;
  const AggregateFunction& aggregate = function.aggregate;
  std::unique_ptr<uint8_t[]> state;
  std::vector<uint8_t*> state_pointers;
  if (function.kind == WindowFunctionKind::kAggregate) {
    state = std::make_unique<uint8_t[]>(static_cast<size_t>(std::max(aggregate.state_size, 1)));
  }
  // Folds sorted rows [first, last] into the state.
  auto fold = [&](int64_t first, int64_t last) -> Status {
    if (first > last) {
      return Status::OK();
    }
    const int64_t count = last - first + 1;
    std::vector<Vector> slices;
    for (const auto& argument : arguments) {
      slices.push_back(argument.Slice(first, count));
    }
    state_pointers.assign(static_cast<size_t>(count), state.get());
    return aggregate.update(context.function_context(), slices, count, state_pointers.data());
  };
  auto emit_state = [&]() -> Status {
    const uint8_t* pointer = state.get();
    return aggregate.finalize(context.function_context(), &pointer, 1, out);
  };
  auto destroy = [&] {
    if (aggregate.destroy) {
      aggregate.destroy(state.get());
    }
  };
  const bool grows = function.frame.start == WindowFrame::Bound::kUnboundedPreceding;
  for (size_t p = 0; p + 1 < starts.size(); ++p) {
    FLOE_RETURN_NOT_OK(context.CheckCancelled());
    const int64_t begin = starts[p];
    const int64_t end = starts[p + 1];
    int64_t dense_rank = 0;
    int64_t folded_to = begin - 1;
    if (function.kind == WindowFunctionKind::kAggregate && grows) {
      aggregate.initialize(state.get());
    }
    for (int64_t i = begin; i < end; ++i) {
      const size_t position = static_cast<size_t>(i);
      switch (function.kind) {
        case WindowFunctionKind::kRowNumber:
          FLOE_RETURN_NOT_OK(out.Append<int64_t>(i - begin + 1));
          break;
        case WindowFunctionKind::kRank:
          FLOE_RETURN_NOT_OK(out.Append<int64_t>(partitioning.peer_start[position] - begin + 1));
          break;
        case WindowFunctionKind::kDenseRank:
          if (partitioning.peer_start[position] == i) {
            ++dense_rank;
          }
          FLOE_RETURN_NOT_OK(out.Append<int64_t>(dense_rank));
          break;
        case WindowFunctionKind::kLag:
        case WindowFunctionKind::kLead: {
          const int64_t source =
              function.kind == WindowFunctionKind::kLag ? i - function.offset : i + function.offset;
          if (source >= begin && source < end) {
            FLOE_RETURN_NOT_OK(AppendRows(out, arguments[0], nullptr, source, 1));
          } else if (sorted_default != nullptr) {
            FLOE_RETURN_NOT_OK(AppendRows(out, *sorted_default, nullptr, i, 1));
          } else {
            FLOE_RETURN_NOT_OK(out.AppendNull());
          }
          break;
        }
        case WindowFunctionKind::kFirstValue:
        case WindowFunctionKind::kLastValue: {
          auto [first, last] = FrameOf(function.frame, i, begin, end, partitioning.peer_start,
                                       partitioning.peer_end);
          if (first > last) {
            FLOE_RETURN_NOT_OK(out.AppendNull());
          } else {
            int64_t source = function.kind == WindowFunctionKind::kFirstValue ? first : last;
            FLOE_RETURN_NOT_OK(AppendRows(out, arguments[0], nullptr, source, 1));
          }
          break;
        }
        case WindowFunctionKind::kAggregate: {
          auto [first, last] = FrameOf(function.frame, i, begin, end, partitioning.peer_start,
                                       partitioning.peer_end);
          if (grows) {
            if (last > folded_to) {
              Status status = fold(folded_to + 1, last);
              if (!status.ok()) {
                destroy();
                return status;
              }
              folded_to = last;
            }
            FLOE_RETURN_NOT_OK(emit_state());
          } else {
            aggregate.initialize(state.get());
            Status status = fold(first, last);
            if (status.ok()) {
              status = emit_state();
            }
            destroy();
            FLOE_RETURN_NOT_OK(status);
          }
          break;
        }
      }
    }
    if (function.kind == WindowFunctionKind::kAggregate && grows) {
      destroy();
    }
  }
  return Status::OK();
}

Result<int64_t> WindowOperator::PrepareSource(QueryContext& context) {
  return (output_.num_rows() + Batch::kDefaultBatchSize - 1) / Batch::kDefaultBatchSize;
}

Status WindowOperator::ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                                  std::vector<Batch>& output) {
  const int64_t begin = morsel * Batch::kDefaultBatchSize;
  output.push_back(
      output_.Slice(begin, std::min(Batch::kDefaultBatchSize, output_.num_rows() - begin)));
  return Status::OK();
}

}  // namespace floe::sql::execution
