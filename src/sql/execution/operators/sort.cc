#include "sql/execution/operators/sort.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "sql/execution/expression_evaluator.h"
#include "sql/execution/normalized_key.h"
#include "sql/execution/row_key.h"
#include "vector/selection_vector.h"

namespace floe::sql::execution {

using vector::Batch;
using vector::SelectionVector;
using vector::Vector;

namespace {
constexpr int64_t kKeyMorselRows = 16384;
}  // namespace

struct SortOperator::LocalState : OperatorState {
  explicit LocalState(FunctionContext* context) : evaluator(context) {}
  ExpressionEvaluator evaluator;
  std::vector<Batch> batches;
  int64_t rows = 0;
  RetainedBuffers retained;
};

struct SortOperator::SortedRows {
  Batch rows;
  std::vector<uint32_t> order;
};

SortOperator::SortOperator(PhysicalOperatorPtr child, std::vector<SortKey> keys, int64_t limit,
                           int64_t offset)
    : PhysicalOperator(child->output_schema(), {}),
      keys_(std::move(keys)),
      limit_(limit),
      offset_(offset) {
  std::vector<vector::Field> fields = child->output_schema()->fields();
  for (auto& field : fields) {
    field.is_nullable = true;
  }
  std::vector<NormalizedKeyColumn> key_columns;
  for (size_t k = 0; k < keys_.size(); ++k) {
    const types::LogicalType& type = keys_[k].expr->type();
    key_columns.push_back({type, keys_[k].is_descending, keys_[k].NullsFirst()});
    fields.push_back({"sort_key_" + std::to_string(k), type, true});
  }
  auto encoder = NormalizedKeyEncoder::Make(std::move(key_columns));
  if (encoder.ok()) {
    encoder_ = std::move(encoder).value();
  } else {
    init_status_ = encoder.status();
  }
  buffered_schema_ = std::make_shared<const vector::Schema>(std::move(fields));
  AddChild(std::move(child));
}

SortOperator::~SortOperator() = default;

std::vector<std::string> SortOperator::Details() const {
  std::string text = "order by: ";
  for (size_t k = 0; k < keys_.size(); ++k) {
    text += (k > 0 ? ", " : "") + keys_[k].expr->ToString() +
            (keys_[k].is_descending ? " DESC" : " ASC") +
            (keys_[k].NullsFirst() ? " NULLS FIRST" : " NULLS LAST");
  }
  std::vector<std::string> details{std::move(text)};
  if (limit_ >= 0) {
    details.push_back("limit " + std::to_string(limit_) + " offset " + std::to_string(offset_));
  }
  return details;
}

Result<std::unique_ptr<OperatorState>> SortOperator::MakeSinkState(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  auto state = std::make_unique<LocalState>(&context.function_context());
  state->retained = RetainedBuffers(context.tracker());
  return std::unique_ptr<OperatorState>(std::move(state));
}

Status SortOperator::Sink(QueryContext& context, OperatorState* state, const Batch& input) {
  auto& local = static_cast<LocalState&>(*state);
  std::vector<Vector> columns = input.columns();
  for (const auto& key : keys_) {
    FLOE_ASSIGN_OR_RETURN(Vector column, local.evaluator.Evaluate(*key.expr, input));
    columns.push_back(std::move(column));
  }
  FLOE_ASSIGN_OR_RETURN(Batch buffered,
                        Batch::Make(buffered_schema_, std::move(columns), input.num_rows()));
  FLOE_RETURN_NOT_OK(local.retained.Add(buffered));
  local.rows += buffered.num_rows();
  local.batches.push_back(std::move(buffered));
  if (limit_ >= 0) {
    const int64_t wanted = limit_ + offset_;
    if (local.rows > std::max<int64_t>(4 * wanted, 4 * Batch::kDefaultBatchSize)) {
      FLOE_RETURN_NOT_OK(Compact(context, local));
    }
  }
  return Status::OK();
}

Status SortOperator::Compact(QueryContext& context, LocalState& local) const {
  FLOE_ASSIGN_OR_RETURN(SortedRows sorted, SortRows(context, std::move(local.batches), false));
  const int64_t keep =
      std::min<int64_t>(limit_ + offset_, static_cast<int64_t>(sorted.order.size()));
  sorted.order.resize(static_cast<size_t>(keep));
  FLOE_ASSIGN_OR_RETURN(
      Batch kept, sorted.rows.Gather(SelectionVector(std::move(sorted.order)), context.tracker()));
  local.batches.clear();
  local.rows = kept.num_rows();
  local.retained.Reset();
  FLOE_RETURN_NOT_OK(local.retained.Add(kept));
  local.batches.push_back(std::move(kept));
  return Status::OK();
}

Status SortOperator::CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) {
  if (state == nullptr) {
    return Status::OK();
  }
  auto& local = static_cast<LocalState&>(*state);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& batch : local.batches) {
    buffered_.push_back(std::move(batch));
  }
  retained_.push_back(std::move(local.retained));
  return Status::OK();
}

Result<SortOperator::SortedRows> SortOperator::SortRows(QueryContext& context,
                                                        std::vector<Batch> batches,
                                                        bool parallel) const {
  SortedRows sorted;
  FLOE_ASSIGN_OR_RETURN(sorted.rows,
                        ConcatenateBatches(buffered_schema_, batches, context.tracker()));
  batches.clear();
  const int64_t rows = sorted.rows.num_rows();
  const int64_t first_key = child(0).output_schema()->num_fields();
  const int64_t width = encoder_.width();
  MemoryReservation key_reservation(context.tracker());
  FLOE_RETURN_NOT_OK(key_reservation.Grow(rows * (width + 8)));
  std::vector<uint8_t> normalized(static_cast<size_t>(rows * width));
  std::vector<Vector> key_columns;
  for (size_t k = 0; k < keys_.size(); ++k) {
    key_columns.push_back(sorted.rows.column(first_key + static_cast<int64_t>(k)));
  }
  auto encode_morsel = [&](int64_t morsel) -> Status {
    FLOE_RETURN_NOT_OK(context.CheckCancelled());
    const int64_t begin = morsel * kKeyMorselRows;
    encoder_.Encode(key_columns, begin, std::min(rows, begin + kKeyMorselRows), normalized.data());
    return Status::OK();
  };
  const int64_t key_morsels = (rows + kKeyMorselRows - 1) / kKeyMorselRows;
  if (parallel) {
    FLOE_RETURN_NOT_OK(
        context.scheduler().ParallelFor(key_morsels, encode_morsel, context.max_threads()));
  } else {
    for (int64_t m = 0; m < key_morsels; ++m) {
      FLOE_RETURN_NOT_OK(encode_morsel(m));
    }
  }
  const uint8_t* keys = normalized.data();
  auto less = [&](uint32_t a, uint32_t b) { return encoder_.Compare(keys, key_columns, a, b) < 0; };

  sorted.order.resize(static_cast<size_t>(rows));
  std::iota(sorted.order.begin(), sorted.order.end(), 0u);
  int runs = 1;
  if (parallel) {
    int threads =
        context.max_threads() > 0 ? context.max_threads() : context.scheduler().num_workers() + 1;
    runs = static_cast<int>(std::clamp<int64_t>(rows / 16384, 1, threads));
  }
  std::vector<int64_t> bounds(static_cast<size_t>(runs) + 1);
  for (int i = 0; i <= runs; ++i) {
    bounds[static_cast<size_t>(i)] = rows * i / runs;
  }
  auto* order = sorted.order.data();
  FLOE_RETURN_NOT_OK(context.scheduler().ParallelFor(
      runs,
      [&](int64_t run) -> Status {
        std::sort(order + bounds[static_cast<size_t>(run)],
                  order + bounds[static_cast<size_t>(run) + 1], less);
        return Status::OK();
      },
      runs));
  // Merge neighbouring runs pairwise until one is left; each round merges in parallel.
  std::vector<uint32_t> scratch(static_cast<size_t>(rows));
  while (bounds.size() > 2) {
    FLOE_RETURN_NOT_OK(context.CheckCancelled());
    const int64_t pairs = static_cast<int64_t>(bounds.size() - 1) / 2;
    uint32_t* target = scratch.data();
    FLOE_RETURN_NOT_OK(context.scheduler().ParallelFor(
        pairs,
        [&](int64_t pair) -> Status {
          const size_t i = static_cast<size_t>(pair) * 2;
          std::merge(order + bounds[i], order + bounds[i + 1], order + bounds[i + 1],
                     order + bounds[i + 2], target + bounds[i], less);
          return Status::OK();
        },
        static_cast<int>(pairs)));
    std::vector<int64_t> merged_bounds;
    for (size_t i = 0; i + 2 < bounds.size(); i += 2) {
      merged_bounds.push_back(bounds[i]);
    }
    if ((bounds.size() - 1) % 2 == 1) {
      // An odd run out is copied over unchanged.
      const int64_t last_begin = bounds[bounds.size() - 2];
      std::copy(order + last_begin, order + rows, target + last_begin);
      merged_bounds.push_back(last_begin);
    }
    merged_bounds.push_back(rows);
    bounds = std::move(merged_bounds);
    sorted.order.swap(scratch);
    order = sorted.order.data();
  }
  return sorted;
}

Status SortOperator::FinalizeSink(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  std::vector<Batch> batches;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batches = std::move(buffered_);
  }
  // One batch is sorted in place, so its buffers stay charged; more are copied first.
  const bool is_copied = batches.size() != 1;
  FLOE_ASSIGN_OR_RETURN(SortedRows sorted, SortRows(context, std::move(batches), true));
  if (is_copied) {
    std::lock_guard<std::mutex> lock(mutex_);
    retained_.clear();
  }
  output_ = std::move(sorted.rows);
  order_ = std::move(sorted.order);
  if (limit_ >= 0 || offset_ > 0) {
    const int64_t size = static_cast<int64_t>(order_.size());
    const int64_t begin = std::min(offset_, size);
    const int64_t end = limit_ >= 0 ? std::min(size, begin + limit_) : size;
    order_ = std::vector<uint32_t>(order_.begin() + begin, order_.begin() + end);
  }
  return Status::OK();
}

Result<int64_t> SortOperator::PrepareSource(QueryContext& context) {
  return (static_cast<int64_t>(order_.size()) + Batch::kDefaultBatchSize - 1) /
         Batch::kDefaultBatchSize;
}

Status SortOperator::ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                                std::vector<Batch>& output) {
  const int64_t begin = morsel * Batch::kDefaultBatchSize;
  const int64_t count =
      std::min(Batch::kDefaultBatchSize, static_cast<int64_t>(order_.size()) - begin);
  SelectionVector selection =
      SelectionVector::Borrow(std::span<const uint32_t>(order_.data() + begin, count));
  std::vector<Vector> columns;
  const int64_t num_columns = output_schema()->num_fields();
  for (int64_t c = 0; c < num_columns; ++c) {
    FLOE_ASSIGN_OR_RETURN(Vector column, output_.column(c).Gather(selection, context.tracker()));
    columns.push_back(std::move(column));
  }
  FLOE_ASSIGN_OR_RETURN(Batch batch, Batch::Make(output_schema(), std::move(columns), count));
  output.push_back(std::move(batch));
  return Status::OK();
}

}  // namespace floe::sql::execution
