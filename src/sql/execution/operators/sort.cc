#include "sql/execution/operators/sort.h"

#include <algorithm>
#include <cmath>
#include <cstring>
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

namespace {
constexpr int64_t kKeyMorselRows = 16384;
}  // namespace

struct SortOperator::LocalState : OperatorState {
  explicit LocalState(FunctionContext* context) : evaluator(context) {}
  ExpressionEvaluator evaluator;
  std::vector<Batch> batches;
  int64_t rows = 0;
  RetainedBuffers retained;
  std::vector<SpillFile> spilled;
  int64_t spilled_rows = 0;
  int64_t held_bytes = 0;  // Estimated bytes of `batches`, charged to the tracker or not.
};

struct SortOperator::SortedRows {
  Batch rows;
  std::vector<uint32_t> order;
};

// One sorted run of the merge: a spill file read back batch by batch (the file deleted once
// read), or the rows sorted in memory, `order_` from `next_row` on. `batch` is the current
// batch, with its key columns and their single-column normalized keys.
struct SortOperator::MergeRun {
  SpillFile file;
  std::unique_ptr<SpillReader> reader;
  bool in_memory = false;
  int64_t next_row = 0;
  Batch batch;
  int64_t position = 0;
  std::vector<Vector> key_columns;
  std::vector<std::vector<uint8_t>> keys;
};

// Output rows taken from one batch of one run, in order.
struct SortOperator::MergeSegment {
  Batch batch;
  std::vector<uint32_t> rows;
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
  std::vector<types::LogicalType> row_types;
  for (const auto& field : fields) {
    row_types.push_back(SpillColumnType(field.type));
  }
  auto row_encoder = RowKeyEncoder::Make(std::move(row_types));
  can_spill_ = init_status_.ok() && row_encoder.ok();
  if (can_spill_) {
    row_encoder_ = std::move(row_encoder).value();
    for (const auto& column : encoder_.columns()) {
      auto key_encoder = NormalizedKeyEncoder::Make({column});
      can_spill_ = can_spill_ && key_encoder.ok();
      if (key_encoder.ok()) {
        key_encoders_.push_back(std::move(key_encoder).value());
      }
    }
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
  // A full sort keeps at most its thread's share of a quarter of the budget once spilling is
  // possible: sorting a run copies it, and the operators above need memory too.
  const bool may_spill = can_spill_ && limit_ < 0 && context.spill_directory() != nullptr;
  const int64_t batch_bytes = may_spill ? EstimateBatchBytes(buffered) : 0;
  if (may_spill && context.tracker() != nullptr && !local.batches.empty() &&
      local.held_bytes + batch_bytes > context.tracker()->limit() / 4 / ExpectedThreads(context)) {
    FLOE_RETURN_NOT_OK(SpillLocal(context, local));
  }
  Status status = local.retained.Add(buffered);
  if (!status.ok()) {
    if (status.code() != StatusCode::kResourceExhausted || !may_spill || local.batches.empty()) {
      return status;
    }
    FLOE_RETURN_NOT_OK(SpillLocal(context, local));
    FLOE_RETURN_NOT_OK(local.retained.Add(buffered));
  }
  local.held_bytes += batch_bytes;
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
  for (auto& file : local.spilled) {
    spilled_.push_back(std::move(file));
  }
  spilled_rows_ += local.spilled_rows;
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
  std::vector<SpillFile> spilled;
  int64_t spilled_rows = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    spilled = std::move(spilled_);
    spilled_rows = spilled_rows_;
  }
  if (!spilled.empty()) {
    // Merge the spilled runs with the rows sorted in memory; OFFSET rows are skipped here.
    is_merging_ = true;
    for (auto& file : spilled) {
      auto run = std::make_unique<MergeRun>();
      FLOE_ASSIGN_OR_RETURN(run->reader, SpillReader::Open(file));
      run->file = std::move(file);
      runs_.push_back(std::move(run));
    }
    runs_.push_back(std::make_unique<MergeRun>());
    runs_.back()->in_memory = true;
    for (size_t r = 0; r < runs_.size(); ++r) {
      FLOE_RETURN_NOT_OK(LoadRunBatch(context, *runs_[r]));
      if (runs_[r]->batch.num_rows() > 0) {
        heap_.push_back(r);
      }
    }
    auto after = [this](size_t a, size_t b) {
      const int c = CompareRuns(*runs_[a], *runs_[b]);
      return c != 0 ? c > 0 : a > b;
    };
    std::make_heap(heap_.begin(), heap_.end(), after);
    const int64_t total = spilled_rows + static_cast<int64_t>(order_.size());
    const int64_t skipped = std::min(offset_, total);
    FLOE_RETURN_NOT_OK(MergeRows(context, skipped, nullptr));
    merge_output_rows_ = total - skipped;
    return Status::OK();
  }
  if (limit_ >= 0 || offset_ > 0) {
    const int64_t size = static_cast<int64_t>(order_.size());
    const int64_t begin = std::min(offset_, size);
    const int64_t end = limit_ >= 0 ? std::min(size, begin + limit_) : size;
    order_ = std::vector<uint32_t>(order_.begin() + begin, order_.begin() + end);
  }
  return Status::OK();
}

Result<int64_t> SortOperator::PrepareSource(QueryContext& context) {
  if (is_merging_) {
    return (merge_output_rows_ + Batch::kDefaultBatchSize - 1) / Batch::kDefaultBatchSize;
  }
  return (static_cast<int64_t>(order_.size()) + Batch::kDefaultBatchSize - 1) /
         Batch::kDefaultBatchSize;
}

Status SortOperator::ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                                std::vector<Batch>& output) {
  if (is_merging_) {
    // Morsels run one at a time and in order (IsOrdered()), so each takes the next rows.
    FLOE_RETURN_NOT_OK(context.CheckCancelled());
    const int64_t count = std::min(Batch::kDefaultBatchSize, merge_output_rows_);
    std::vector<MergeSegment> segments;
    FLOE_RETURN_NOT_OK(MergeRows(context, count, &segments));
    merge_output_rows_ -= count;
    std::vector<Vector> columns;
    const int64_t num_columns = output_schema()->num_fields();
    for (int64_t c = 0; c < num_columns; ++c) {
      VectorBuilder builder(output_schema()->field(c).type, context.tracker());
      for (const auto& segment : segments) {
        FLOE_RETURN_NOT_OK(AppendRows(builder, segment.batch.column(c), segment.rows.data(), 0,
                                      static_cast<int64_t>(segment.rows.size())));
      }
      FLOE_ASSIGN_OR_RETURN(Vector column, builder.Finish());
      columns.push_back(std::move(column));
    }
    FLOE_ASSIGN_OR_RETURN(Batch batch, Batch::Make(output_schema(), std::move(columns), count));
    output.push_back(std::move(batch));
    return Status::OK();
  }
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

// ---- Spilling (docs/architecture.md, "Memory and spilling") ----
//
// A run file is a sequence of chunks of up to Batch::kDefaultBatchSize rows in sorted order:
// [uint32 rows][uint32 offsets, rows + 1][the rows encoded by row_encoder_ (all buffered
// columns, keys included, so the merge need not evaluate them again)].

int64_t SortOperator::ExpectedThreads(QueryContext& context) const {
  const int64_t threads =
      context.max_threads() > 0 ? context.max_threads() : context.scheduler().num_workers() + 1;
  return std::max<int64_t>(1, threads);
}

Status SortOperator::SpillLocal(QueryContext& context, LocalState& local) {
  FLOE_ASSIGN_OR_RETURN(SortedRows sorted, SortRows(context, std::move(local.batches), false));
  local.batches.clear();
  local.rows = 0;
  local.held_bytes = 0;
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<SpillWriter> writer,
                        context.spill_directory()->CreateFile());
  const int64_t rows = static_cast<int64_t>(sorted.order.size());
  const int64_t num_columns = buffered_schema_->num_fields();
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> offsets;
  for (int64_t begin = 0; begin < rows; begin += Batch::kDefaultBatchSize) {
    FLOE_RETURN_NOT_OK(context.CheckCancelled());
    const int64_t count = std::min(Batch::kDefaultBatchSize, rows - begin);
    SelectionVector selection = SelectionVector::Borrow(
        std::span<const uint32_t>(sorted.order.data() + begin, static_cast<size_t>(count)));
    std::vector<Vector> columns;
    for (int64_t c = 0; c < num_columns; ++c) {
      FLOE_ASSIGN_OR_RETURN(Vector column,
                            sorted.rows.column(c).Gather(selection, context.tracker()));
      const types::LogicalType& type = buffered_schema_->field(c).type;
      if (SpillColumnType(type) != type) {
        FLOE_ASSIGN_OR_RETURN(column, RetypeFlat(column, SpillColumnType(type)));
      }
      columns.push_back(std::move(column));
    }
    row_encoder_.Encode(columns, count, bytes, offsets);
    FLOE_RETURN_NOT_OK(writer->AppendValue(static_cast<uint32_t>(count)));
    FLOE_RETURN_NOT_OK(writer->Append(offsets.data(), offsets.size() * sizeof(uint32_t)));
    FLOE_RETURN_NOT_OK(writer->Append(bytes.data(), offsets.back()));
  }
  FLOE_ASSIGN_OR_RETURN(SpillFile file, writer->Finish());
  profile().spilled_bytes.fetch_add(file.size(), std::memory_order_relaxed);
  profile().spilled_files.fetch_add(1, std::memory_order_relaxed);
  local.spilled.push_back(std::move(file));
  local.spilled_rows += rows;
  // The run is on disk: give its memory back.
  local.retained.Reset();
  return Status::OK();
}

Status SortOperator::LoadRunBatch(QueryContext& context, MergeRun& run) const {
  run.position = 0;
  run.batch = Batch();
  if (run.in_memory) {
    const int64_t left = static_cast<int64_t>(order_.size()) - run.next_row;
    if (left <= 0) {
      return Status::OK();
    }
    const int64_t count = std::min(Batch::kDefaultBatchSize, left);
    SelectionVector selection = SelectionVector::Borrow(
        std::span<const uint32_t>(order_.data() + run.next_row, static_cast<size_t>(count)));
    FLOE_ASSIGN_OR_RETURN(run.batch, output_.Gather(selection, context.tracker()));
    run.next_row += count;
  } else {
    if (run.reader == nullptr) {
      return Status::OK();
    }
    uint32_t count = 0;
    FLOE_RETURN_NOT_OK(run.reader->ReadValue(count));
    std::vector<uint32_t> offsets(static_cast<size_t>(count) + 1);
    FLOE_RETURN_NOT_OK(run.reader->Read(offsets.data(), offsets.size() * sizeof(uint32_t)));
    std::vector<uint8_t> bytes(offsets.back());
    FLOE_RETURN_NOT_OK(run.reader->Read(bytes.data(), bytes.size()));
    std::vector<VectorBuilder> builders;
    for (const auto& field : buffered_schema_->fields()) {
      builders.emplace_back(SpillColumnType(field.type), context.tracker());
    }
    for (uint32_t row = 0; row < count; ++row) {
      FLOE_RETURN_NOT_OK(row_encoder_.Decode(bytes.data() + offsets[row], builders));
    }
    std::vector<Vector> columns;
    for (int64_t c = 0; c < buffered_schema_->num_fields(); ++c) {
      FLOE_ASSIGN_OR_RETURN(Vector column, builders[static_cast<size_t>(c)].Finish());
      const types::LogicalType& type = buffered_schema_->field(c).type;
      if (SpillColumnType(type) != type) {
        FLOE_ASSIGN_OR_RETURN(column, RetypeFlat(column, type));
      }
      columns.push_back(std::move(column));
    }
    FLOE_ASSIGN_OR_RETURN(run.batch, Batch::Make(buffered_schema_, std::move(columns), count));
    if (run.reader->AtEnd()) {
      // Read to the end: delete the file now rather than when the query ends.
      run.reader.reset();
      run.file = SpillFile();
    }
  }
  const int64_t rows = run.batch.num_rows();
  const int64_t first_key = child(0).output_schema()->num_fields();
  run.key_columns.clear();
  run.keys.resize(key_encoders_.size());
  for (size_t k = 0; k < key_encoders_.size(); ++k) {
    run.key_columns.push_back(run.batch.column(first_key + static_cast<int64_t>(k)));
    run.keys[k].resize(static_cast<size_t>(rows * key_encoders_[k].width()));
    key_encoders_[k].Encode(std::span<const Vector>(&run.key_columns[k], 1), 0, rows,
                            run.keys[k].data());
  }
  return Status::OK();
}

int SortOperator::CompareRuns(const MergeRun& a, const MergeRun& b) const {
  // Key by key as NormalizedKeyEncoder::Compare does: a tie of string prefixes is settled by
  // the full strings before the next key counts.
  for (size_t k = 0; k < key_encoders_.size(); ++k) {
    const auto width = static_cast<size_t>(key_encoders_[k].width());
    const uint8_t* key_a = a.keys[k].data() + static_cast<size_t>(a.position) * width;
    const uint8_t* key_b = b.keys[k].data() + static_cast<size_t>(b.position) * width;
    const int c = width == 0 ? 0 : std::memcmp(key_a, key_b, width);
    if (c != 0) {
      return c;
    }
    if (!key_encoders_[k].has_strings() || a.key_columns[k].IsNull(a.position)) {
      continue;  // Equal bytes: equal values, or both NULL.
    }
    const int order =
        a.key_columns[k].GetString(a.position).compare(b.key_columns[k].GetString(b.position));
    if (order != 0) {
      return keys_[k].is_descending ? -order : order;
    }
  }
  return 0;
}

Status SortOperator::MergeRows(QueryContext& context, int64_t count,
                               std::vector<MergeSegment>* segments) {
  auto after = [this](size_t a, size_t b) {
    const int c = CompareRuns(*runs_[a], *runs_[b]);
    return c != 0 ? c > 0 : a > b;
  };
  // The run the last segment came from, or none once that run moved to its next batch.
  size_t segment_run = runs_.size();
  for (int64_t taken = 0; taken < count; ++taken) {
    if (heap_.empty()) {
      return Status::Internal("sort merge ran out of rows");
    }
    std::pop_heap(heap_.begin(), heap_.end(), after);
    const size_t r = heap_.back();
    MergeRun& run = *runs_[r];
    if (segments != nullptr) {
      if (segment_run != r) {
        segments->push_back({run.batch, {}});
        segment_run = r;
      }
      segments->back().rows.push_back(static_cast<uint32_t>(run.position));
    }
    if (++run.position == run.batch.num_rows()) {
      FLOE_RETURN_NOT_OK(LoadRunBatch(context, run));
      if (segment_run == r) {
        segment_run = runs_.size();
      }
      if (run.batch.num_rows() == 0) {
        heap_.pop_back();
        continue;
      }
    }
    std::push_heap(heap_.begin(), heap_.end(), after);
  }
  return Status::OK();
}

}  // namespace floe::sql::execution
