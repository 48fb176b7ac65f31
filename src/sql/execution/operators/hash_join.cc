#include "sql/execution/operators/hash_join.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "sql/execution/expression_evaluator.h"
#include "sql/execution/operators/hash_join_internal.h"
#include "vector/selection_vector.h"

namespace floe::sql::execution {

using vector::Batch;
using vector::SelectionVector;
using vector::Vector;

std::string_view JoinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kInner:
      return "INNER";
    case JoinType::kLeft:
      return "LEFT";
    case JoinType::kRight:
      return "RIGHT";
    case JoinType::kFull:
      return "FULL";
    case JoinType::kSemi:
      return "SEMI";
    case JoinType::kAnti:
      return "ANTI";
    case JoinType::kNullAwareAnti:
      return "NULL_AWARE_ANTI";
    case JoinType::kMark:
      return "MARK";
    case JoinType::kRightSemi:
      return "RIGHT SEMI";
    case JoinType::kRightAnti:
      return "RIGHT ANTI";
  }
  return "?";
}

struct HashJoinOperator::ProbeState : OperatorState {
  explicit ProbeState(FunctionContext* context) : evaluator(context) {}
  ExpressionEvaluator evaluator;
  std::vector<uint8_t> key_bytes;
  std::vector<uint32_t> key_offsets;
  std::vector<uint8_t> has_null;
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> candidates;  // Probe rows whose bucket may hold their key.
  std::vector<uint32_t> probe_rows;
  std::vector<uint32_t> build_rows;
  std::vector<uint8_t> probe_matched;
  SelectionVector selection;
  std::shared_ptr<JoinPartitionWriters> spill_writers;  // When the probe side spills.
};

namespace {
std::vector<vector::Field> NullableFields(const vector::Schema& schema) {
  std::vector<vector::Field> fields = schema.fields();
  for (auto& field : fields) {
    field.is_nullable = true;
  }
  return fields;
}

std::shared_ptr<const vector::Schema> JoinedSchema(const PhysicalOperator& probe,
                                                   const PhysicalOperator& build) {
  std::vector<vector::Field> fields = NullableFields(*probe.output_schema());
  for (auto& field : NullableFields(*build.output_schema())) {
    fields.push_back(std::move(field));
  }
  return std::make_shared<const vector::Schema>(std::move(fields));
}

std::shared_ptr<const vector::Schema> JoinOutputSchema(JoinType type, const PhysicalOperator& probe,
                                                       const PhysicalOperator& build) {
  switch (type) {
    case JoinType::kSemi:
    case JoinType::kAnti:
    case JoinType::kNullAwareAnti:
      return probe.output_schema();
    case JoinType::kRightSemi:
    case JoinType::kRightAnti:
      return build.output_schema();
    case JoinType::kMark: {
      std::vector<vector::Field> fields = probe.output_schema()->fields();
      fields.push_back({"mark", types::LogicalType::Boolean(), true});
      return std::make_shared<const vector::Schema>(std::move(fields));
    }
    default:
      return JoinedSchema(probe, build);
  }
}

constexpr int64_t kBuildMorselRows = 16384;
// What the table adds per build row beyond a copy of the row, counting 16 key bytes.
constexpr int64_t kTableBytesPerRow = 16 + 8 + 4 + 1 + 32;

// Compares two encoded keys of `size` bytes. Keys of one or two fixed-width columns (9 to 16
// bytes with their NULL markers) are compared with two overlapping 8-byte loads instead of a
// call to memcmp, which cost as much as the rest of a probe.
inline bool KeyBytesEqual(const uint8_t* a, const uint8_t* b, uint32_t size) {
  if (size >= 8 && size <= 16) {
    uint64_t a_head;
    uint64_t b_head;
    uint64_t a_tail;
    uint64_t b_tail;
    std::memcpy(&a_head, a, 8);
    std::memcpy(&b_head, b, 8);
    std::memcpy(&a_tail, a + size - 8, 8);
    std::memcpy(&b_tail, b + size - 8, 8);
    return ((a_head ^ b_head) | (a_tail ^ b_tail)) == 0;
  }
  return size == 0 || std::memcmp(a, b, size) == 0;
}
}  // namespace

HashJoinOperator::HashJoinOperator(PhysicalOperatorPtr probe, PhysicalOperatorPtr build,
                                   JoinType type, std::vector<ExpressionPtr> probe_keys,
                                   std::vector<ExpressionPtr> build_keys, ExpressionPtr residual,
                                   std::vector<bool> null_equals_null)
    : PhysicalOperator(JoinOutputSchema(type, *probe, *build), {}),
      type_(type),
      joined_schema_(JoinedSchema(*probe, *build)),
      probe_keys_(std::move(probe_keys)),
      build_keys_(std::move(build_keys)),
      residual_(std::move(residual)),
      null_equals_null_(std::move(null_equals_null)) {
  AddChild(std::move(probe));
  AddChild(std::move(build));
  null_equals_null_.resize(probe_keys_.size(), false);
  if (probe_keys_.size() != build_keys_.size()) {
    init_status_ = Status::Internal("join has {} probe keys but {} build keys", probe_keys_.size(),
                                    build_keys_.size());
    return;
  }
  std::vector<types::LogicalType> key_types;
  for (size_t k = 0; k < probe_keys_.size(); ++k) {
    if (!(probe_keys_[k]->type() == build_keys_[k]->type())) {
      init_status_ =
          Status::Internal("join key {} compares {} with {}; cast them to one type", k,
                           probe_keys_[k]->type().ToString(), build_keys_[k]->type().ToString());
      return;
    }
    key_types.push_back(probe_keys_[k]->type());
  }
  auto encoder = RowKeyEncoder::Make(std::move(key_types));
  if (!encoder.ok()) {
    init_status_ = encoder.status();
    return;
  }
  encoder_ = std::move(encoder).value();
  InitSpilling();
}

HashJoinOperator::~HashJoinOperator() = default;

std::vector<std::string> HashJoinOperator::Details() const {
  std::vector<std::string> details{std::string(JoinTypeName(type_))};
  if (!probe_keys_.empty()) {
    std::string keys = "keys: ";
    for (size_t k = 0; k < probe_keys_.size(); ++k) {
      keys += (k > 0 ? ", " : "") + probe_keys_[k]->ToString() +
              (null_equals_null_[k] ? " IS NOT DISTINCT FROM " : " = ") +
              build_keys_[k]->ToString();
    }
    details.push_back(std::move(keys));
  }
  if (residual_ != nullptr) {
    details.push_back("condition: " + residual_->ToString());
  }
  for (const auto& [key, filter] : runtime_filters_) {
    std::string line =
        fmt::format("runtime filter #{}: {}", filter->id(), probe_keys_[key]->ToString());
    if (filter->is_ready()) {
      line += fmt::format(", from {} build keys", filter->num_keys());
    }
    details.push_back(std::move(line));
  }
  return details;
}

bool HashJoinOperator::CanFilterProbeSide(size_t key) const {
  // A probe row of a RIGHT ANTI join that matches no key cannot change which build rows
  // match, so it may go too.
  const bool drops_unmatched_probe_rows =
      type_ == JoinType::kInner || type_ == JoinType::kSemi || type_ == JoinType::kRight ||
      type_ == JoinType::kRightSemi || type_ == JoinType::kRightAnti;
  return drops_unmatched_probe_rows && key < probe_keys_.size() && !null_equals_null_[key];
}

void HashJoinOperator::AddRuntimeFilter(size_t key, std::shared_ptr<RuntimeFilter> filter) {
  runtime_filters_.emplace_back(key, std::move(filter));
}

Status HashJoinOperator::PublishRuntimeFilters(QueryContext& context) {
  ExpressionEvaluator evaluator(&context.function_context());
  for (const auto& [key, filter] : runtime_filters_) {
    FLOE_ASSIGN_OR_RETURN(Vector keys, evaluator.Evaluate(*build_keys_[key], build_));
    // With one key the table's hashes are those of the key alone.
    std::span<const uint64_t> hashes;
    if (build_keys_.size() == 1) {
      hashes = hashes_;
    }
    FLOE_RETURN_NOT_OK(filter->Build(keys, hashes, context.tracker()));
    filter->Publish();
  }
  return Status::OK();
}

using BuildState = JoinBuildState;

Result<std::unique_ptr<OperatorState>> HashJoinOperator::MakeSinkState(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  return std::unique_ptr<OperatorState>(std::make_unique<BuildState>(context.tracker()));
}

Status HashJoinOperator::Sink(QueryContext& context, OperatorState* state, const Batch& input) {
  auto& local = static_cast<BuildState&>(*state);
  if (is_spilling_.load(std::memory_order_relaxed)) {
    return SpillBuildState(context, local, &input);
  }
  Status status = local.retained.Add(input);
  if (!status.ok()) {
    if (status.code() != StatusCode::kResourceExhausted || !MaySpill(context)) {
      return status;
    }
    StartSpilling();
    return SpillBuildState(context, local, &input);
  }
  local.batches.push_back(input);
  if (MaySpill(context)) {
    // Building the table copies the rows and adds per row its key bytes, hash, chain link,
    // match flag and two to four bucket heads (kTableBytesPerRow). Past half the budget, or a
    // sixteenth once the query nears its budget, that would not fit beside what the rest of
    // the query holds.
    const int64_t bytes = EstimateBatchBytes(input) + input.num_rows() * kTableBytesPerRow;
    local.held_bytes += bytes;
    const int64_t held = held_build_bytes_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
    const int64_t limit = context.tracker()->limit();
    if (held > limit / 2 || (held > limit / 16 && context.tracker()->used() > limit / 10 * 6)) {
      StartSpilling();
      return SpillBuildState(context, local, nullptr);
    }
  }
  return Status::OK();
}

Status HashJoinOperator::CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) {
  if (state == nullptr) {
    return Status::OK();
  }
  auto& local = static_cast<BuildState&>(*state);
  if (local.writers != nullptr) {
    FLOE_RETURN_NOT_OK(FinishWriters(*local.writers, /*is_build=*/true));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& batch : local.batches) {
    build_batches_.push_back(std::move(batch));
  }
  retained_.push_back(std::move(local.retained));
  return Status::OK();
}

Status HashJoinOperator::EncodeKeys(QueryContext& context, const std::vector<ExpressionPtr>& keys,
                                    const Batch& batch, ExpressionEvaluator& evaluator,
                                    std::vector<uint8_t>& bytes, std::vector<uint32_t>& offsets,
                                    std::vector<uint8_t>& has_null) const {
  std::vector<Vector> columns;
  columns.reserve(keys.size());
  for (const auto& key : keys) {
    FLOE_ASSIGN_OR_RETURN(Vector column, evaluator.Evaluate(*key, batch));
    columns.push_back(std::move(column));
  }
  const int64_t rows = batch.num_rows();
  encoder_.Encode(columns, rows, bytes, offsets);
  has_null.assign(static_cast<size_t>(rows), 0);
  for (size_t k = 0; k < columns.size(); ++k) {
    if (null_equals_null_[k] || !columns[k].MayHaveNulls()) {
      continue;
    }
    for (int64_t r = 0; r < rows; ++r) {
      if (columns[k].IsNull(r)) {
        has_null[static_cast<size_t>(r)] = 1;
      }
    }
  }
  return Status::OK();
}

Status HashJoinOperator::FinalizeSink(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  std::vector<Batch> batches;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batches = std::move(build_batches_);
  }
  if (!is_spilling_.load(std::memory_order_relaxed)) {
    Status status = BuildTable(context, batches, context.max_threads());
    if (status.ok()) {
      FLOE_RETURN_NOT_OK(PublishRuntimeFilters(context));
      profile().peak_memory.store(table_reservation_.bytes(), std::memory_order_relaxed);
      return Status::OK();
    }
    if (status.code() != StatusCode::kResourceExhausted || !MaySpill(context)) {
      return status;
    }
    // The table does not fit: spill what the build kept (the concatenated copy once the
    // original batches were let go).
    StartSpilling();
    if (batches.empty() && build_.num_rows() > 0) {
      batches.push_back(build_);
    }
    ReleaseTable();
  }
  FLOE_RETURN_NOT_OK(SpillBuildBatches(context, batches));
  batches.clear();
  std::lock_guard<std::mutex> lock(mutex_);
  retained_.clear();
  return Status::OK();
}

Status HashJoinOperator::BuildTable(QueryContext& context, std::vector<Batch>& batches,
                                    int parallelism) {
  const auto& build_schema = child(1).output_schema();
  FLOE_ASSIGN_OR_RETURN(build_, ConcatenateBatches(build_schema, batches, context.tracker()));
  // A single batch is kept as it is, buffers and charge; more are copied into tracked buffers.
  if (batches.size() != 1) {
    batches.clear();
    std::lock_guard<std::mutex> lock(mutex_);
    retained_.clear();
  }
  const int64_t rows = build_.num_rows();
  if (rows >= static_cast<int64_t>(kEnd)) {
    return Status::NotSupported("hash join build side of {} rows", rows);
  }
  // Keys in parallel morsels, then one pass links the rows into their buckets.
  const int64_t morsels = (rows + kBuildMorselRows - 1) / kBuildMorselRows;
  std::vector<std::vector<uint8_t>> morsel_bytes(static_cast<size_t>(morsels));
  std::vector<std::vector<uint32_t>> morsel_offsets(static_cast<size_t>(morsels));
  std::vector<std::vector<uint8_t>> morsel_nulls(static_cast<size_t>(morsels));
  FLOE_RETURN_NOT_OK(context.scheduler().ParallelFor(
      morsels,
      [&](int64_t morsel) -> Status {
        FLOE_RETURN_NOT_OK(context.CheckCancelled());
        const int64_t first = morsel * kBuildMorselRows;
        Batch slice = build_.Slice(first, std::min(kBuildMorselRows, rows - first));
        ExpressionEvaluator evaluator(&context.function_context());
        return EncodeKeys(
            context, build_keys_, slice, evaluator, morsel_bytes[static_cast<size_t>(morsel)],
            morsel_offsets[static_cast<size_t>(morsel)], morsel_nulls[static_cast<size_t>(morsel)]);
      },
      parallelism));
  int64_t total_key_bytes = 0;
  for (const auto& bytes : morsel_bytes) {
    total_key_bytes += static_cast<int64_t>(bytes.size());
  }
  int64_t buckets = 1;
  while (buckets < 2 * rows) {
    buckets *= 2;
  }
  table_reservation_ = MemoryReservation(context.tracker());
  FLOE_RETURN_NOT_OK(
      table_reservation_.Grow(total_key_bytes + rows * (4 + 8 + 4 + 1) + buckets * 8));
  key_bytes_.reserve(static_cast<size_t>(total_key_bytes));
  key_offsets_.assign(1, 0);
  key_offsets_.reserve(static_cast<size_t>(rows) + 1);
  std::vector<uint8_t> has_null;
  has_null.reserve(static_cast<size_t>(rows));
  for (int64_t m = 0; m < morsels; ++m) {
    const uint32_t base = static_cast<uint32_t>(key_bytes_.size());
    const auto& bytes = morsel_bytes[static_cast<size_t>(m)];
    const auto& offsets = morsel_offsets[static_cast<size_t>(m)];
    key_bytes_.insert(key_bytes_.end(), bytes.begin(), bytes.end());
    for (size_t i = 1; i < offsets.size(); ++i) {
      key_offsets_.push_back(base + offsets[i]);
    }
    has_null.insert(has_null.end(), morsel_nulls[static_cast<size_t>(m)].begin(),
                    morsel_nulls[static_cast<size_t>(m)].end());
  }
  hashes_.resize(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    hashes_[static_cast<size_t>(r)] = HashKeyBytes(
        key_bytes_.data() + key_offsets_[static_cast<size_t>(r)],
        key_offsets_[static_cast<size_t>(r) + 1] - key_offsets_[static_cast<size_t>(r)]);
  }
  heads_.assign(static_cast<size_t>(buckets), kEmptyBucket);
  next_.assign(static_cast<size_t>(rows), kEnd);
  mask_ = static_cast<uint64_t>(buckets - 1);
  // Linking from the last row makes every chain list rows in input order.
  for (int64_t r = rows - 1; r >= 0; --r) {
    if (has_null[static_cast<size_t>(r)] != 0) {
      build_has_null_key_ = true;
      continue;
    }
    const uint64_t hash = hashes_[static_cast<size_t>(r)];
    uint64_t& head = heads_[hash & mask_];
    next_[static_cast<size_t>(r)] =
        head == kEmptyBucket ? kEnd : static_cast<uint32_t>(head & 0xffffffffULL);
    head = (hash & 0xffffffff00000000ULL) | static_cast<uint64_t>(r);
  }
  matched_ = std::vector<std::atomic<uint8_t>>(static_cast<size_t>(rows));
  return Status::OK();
}

Result<std::unique_ptr<OperatorState>> HashJoinOperator::MakeSourceState(QueryContext& context) {
  // Joining spilled partitions probes as the probe pipeline does.
  if (!is_spilling_.load(std::memory_order_relaxed)) {
    return std::unique_ptr<OperatorState>();
  }
  return MakeLocalState(context);
}

Status HashJoinOperator::SpillProbeBatch(QueryContext& context, ProbeState& local,
                                         const Batch& input) {
  if (local.spill_writers == nullptr) {
    local.spill_writers = NewProbeWriters();
  }
  return SpillProbeRows(context, *local.spill_writers, local.evaluator, input);
}

Result<std::unique_ptr<OperatorState>> HashJoinOperator::MakeLocalState(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  return std::unique_ptr<OperatorState>(std::make_unique<ProbeState>(&context.function_context()));
}

Result<Batch> HashJoinOperator::JoinedBatch(QueryContext& context, const Batch& probe,
                                            const std::vector<uint32_t>& probe_rows,
                                            const std::vector<uint32_t>& build_rows) const {
  const int64_t count =
      static_cast<int64_t>(probe_rows.empty() ? build_rows.size() : probe_rows.size());
  std::vector<Vector> columns;
  columns.reserve(static_cast<size_t>(joined_schema_->num_fields()));
  if (probe_rows.empty()) {
    for (const auto& field : child(0).output_schema()->fields()) {
      FLOE_ASSIGN_OR_RETURN(Vector column,
                            Vector::MakeConstantNull(field.type, count, context.tracker()));
      columns.push_back(std::move(column));
    }
  } else {
    SelectionVector selection = SelectionVector::Borrow(probe_rows);
    for (const Vector& column : probe.columns()) {
      FLOE_ASSIGN_OR_RETURN(Vector gathered, column.Gather(selection, context.tracker()));
      columns.push_back(std::move(gathered));
    }
  }
  SelectionVector build_selection = SelectionVector::Borrow(build_rows);
  for (const Vector& column : build_.columns()) {
    FLOE_ASSIGN_OR_RETURN(Vector gathered, column.Gather(build_selection, context.tracker()));
    columns.push_back(std::move(gathered));
  }
  return Batch::Make(joined_schema_, std::move(columns), count);
}

Status HashJoinOperator::EmitPairs(QueryContext& context, ProbeState& local, const Batch& input,
                                   std::vector<Batch>& output) {
  if (local.probe_rows.empty()) {
    return Status::OK();
  }
  // One probe batch of a cross join or a join on a common key can make millions of pairs:
  // checked here, every batch of pairs, so that a cancel stops it.
  FLOE_RETURN_NOT_OK(context.CheckCancelled());
  const bool emits_pairs = type_ == JoinType::kInner || type_ == JoinType::kLeft ||
                           type_ == JoinType::kRight || type_ == JoinType::kFull;
  const bool marks_build = EmitsBuildRows();
  if (residual_ == nullptr) {
    for (size_t i = 0; i < local.probe_rows.size(); ++i) {
      local.probe_matched[local.probe_rows[i]] = 1;
      if (marks_build) {
        matched_[local.build_rows[i]].store(1, std::memory_order_relaxed);
      }
    }
    if (emits_pairs) {
      FLOE_ASSIGN_OR_RETURN(Batch joined,
                            JoinedBatch(context, input, local.probe_rows, local.build_rows));
      output.push_back(std::move(joined));
    }
  } else {
    FLOE_ASSIGN_OR_RETURN(Batch joined,
                          JoinedBatch(context, input, local.probe_rows, local.build_rows));
    FLOE_RETURN_NOT_OK(local.evaluator.Filter(*residual_, joined, local.selection));
    for (int64_t i = 0; i < local.selection.size(); ++i) {
      const uint32_t pair = local.selection[i];
      local.probe_matched[local.probe_rows[pair]] = 1;
      if (marks_build) {
        matched_[local.build_rows[pair]].store(1, std::memory_order_relaxed);
      }
    }
    if (emits_pairs && !local.selection.empty()) {
      if (local.selection.size() == joined.num_rows()) {
        output.push_back(std::move(joined));
      } else {
        FLOE_ASSIGN_OR_RETURN(Batch kept, joined.Gather(local.selection, context.tracker()));
        output.push_back(std::move(kept));
      }
    }
  }
  local.probe_rows.clear();
  local.build_rows.clear();
  return Status::OK();
}

Status HashJoinOperator::Execute(QueryContext& context, OperatorState* state, const Batch& input,
                                 std::vector<Batch>& output) {
  auto& local = static_cast<ProbeState&>(*state);
  if (is_spilling_.load(std::memory_order_relaxed) &&
      !spill_->is_joining.load(std::memory_order_relaxed)) {
    return SpillProbeBatch(context, local, input);
  }
  const int64_t rows = input.num_rows();
  FLOE_RETURN_NOT_OK(EncodeKeys(context, probe_keys_, input, local.evaluator, local.key_bytes,
                                local.key_offsets, local.has_null));
  local.probe_matched.assign(static_cast<size_t>(rows), 0);
  // Without a residual, semi, anti and mark joins need only know whether a match exists.
  const bool first_match_only =
      residual_ == nullptr && (type_ == JoinType::kSemi || type_ == JoinType::kAnti ||
                               type_ == JoinType::kNullAwareAnti || type_ == JoinType::kMark);
  // When spilled, the table holds one partition: whether the build side has rows at all is
  // known from all of them.
  const bool has_build_rows =
      build_.num_rows() > 0 ||
      (is_spilling_.load(std::memory_order_relaxed) && spill_->build_rows_seen.load() > 0);
  const uint8_t* key_data = local.key_bytes.data();
  if (has_build_rows) {
    // Hash every row first and prefetch its bucket, so the bucket loads of a batch overlap
    // instead of each probe waiting for its own cache miss.
    local.hashes.resize(static_cast<size_t>(rows));
    for (int64_t r = 0; r < rows; ++r) {
      const uint32_t begin = local.key_offsets[static_cast<size_t>(r)];
      const uint64_t hash =
          HashKeyBytes(key_data + begin, local.key_offsets[static_cast<size_t>(r) + 1] - begin);
      local.hashes[static_cast<size_t>(r)] = hash;
      __builtin_prefetch(&heads_[hash & mask_]);
    }
    // Then find the rows whose bucket may hold their key and prefetch the first build row's
    // hash and key offset, which the comparison reads next: with a table larger than the
    // cache, each is a miss of its own (TPC-H Q9 probes 1.5 million orders).
    local.candidates.clear();
    for (int64_t r = 0; r < rows; ++r) {
      if (local.has_null[static_cast<size_t>(r)] != 0) {
        continue;
      }
      const uint64_t hash = local.hashes[static_cast<size_t>(r)];
      const uint64_t head = heads_[hash & mask_];
      if (head == kEmptyBucket) {
        continue;
      }
      // The head's tag rejects most buckets whose first row has another key; rows further
      // down the chain are checked by their full hash.
      const uint32_t first = static_cast<uint32_t>(head & 0xffffffffULL);
      const bool head_may_match = (head & 0xffffffff00000000ULL) == (hash & 0xffffffff00000000ULL);
      if (!head_may_match && next_[first] == kEnd) {
        continue;
      }
      __builtin_prefetch(&hashes_[first]);
      __builtin_prefetch(&key_offsets_[first]);
      local.candidates.push_back(static_cast<uint32_t>(r));
    }
    for (const uint32_t r : local.candidates) {
      const uint32_t begin = local.key_offsets[r];
      const uint32_t size = local.key_offsets[r + 1] - begin;
      FLOE_RETURN_NOT_OK(ProbeRow(context, local, input, output, r, key_data + begin, size,
                                  local.hashes[r], first_match_only));
    }
  }
  FLOE_RETURN_NOT_OK(EmitPairs(context, local, input, output));

  std::vector<uint32_t> kept;
  switch (type_) {
    case JoinType::kInner:
    case JoinType::kRight:
    case JoinType::kRightSemi:
    case JoinType::kRightAnti:
      return Status::OK();
    case JoinType::kLeft:
    case JoinType::kFull: {
      for (int64_t r = 0; r < rows; ++r) {
        if (local.probe_matched[static_cast<size_t>(r)] == 0) {
          kept.push_back(static_cast<uint32_t>(r));
        }
      }
      if (kept.empty()) {
        return Status::OK();
      }
      std::vector<uint32_t> no_build(kept.size(), SelectionVector::kNullRow);
      FLOE_ASSIGN_OR_RETURN(Batch padded, JoinedBatch(context, input, kept, no_build));
      output.push_back(std::move(padded));
      return Status::OK();
    }
    case JoinType::kSemi:
    case JoinType::kAnti:
    case JoinType::kNullAwareAnti: {
      for (int64_t r = 0; r < rows; ++r) {
        bool matched = local.probe_matched[static_cast<size_t>(r)] != 0;
        bool keep;
        if (type_ == JoinType::kSemi) {
          keep = matched;
        } else if (type_ == JoinType::kAnti) {
          keep = !matched;
        } else {
          keep = !has_build_rows ||
                 (!matched && !build_has_null_key_ && local.has_null[static_cast<size_t>(r)] == 0);
        }
        if (keep) {
          kept.push_back(static_cast<uint32_t>(r));
        }
      }
      if (static_cast<int64_t>(kept.size()) == rows) {
        output.push_back(input);
      } else if (!kept.empty()) {
        FLOE_ASSIGN_OR_RETURN(Batch batch,
                              input.Gather(SelectionVector(std::move(kept)), context.tracker()));
        output.push_back(std::move(batch));
      }
      return Status::OK();
    }
    case JoinType::kMark: {
      vector::VectorBuilder mark(types::LogicalType::Boolean(), context.tracker());
      FLOE_RETURN_NOT_OK(mark.Reserve(rows));
      for (int64_t r = 0; r < rows; ++r) {
        if (local.probe_matched[static_cast<size_t>(r)] != 0) {
          FLOE_RETURN_NOT_OK(mark.AppendBool(true));
        } else if (has_build_rows &&
                   (build_has_null_key_ || local.has_null[static_cast<size_t>(r)] != 0)) {
          FLOE_RETURN_NOT_OK(mark.AppendNull());
        } else {
          FLOE_RETURN_NOT_OK(mark.AppendBool(false));
        }
      }
      std::vector<Vector> columns = input.columns();
      FLOE_ASSIGN_OR_RETURN(Vector mark_column, mark.Finish());
      columns.push_back(std::move(mark_column));
      FLOE_ASSIGN_OR_RETURN(Batch batch, Batch::Make(output_schema(), std::move(columns), rows));
      output.push_back(std::move(batch));
      return Status::OK();
    }
  }
  return Status::OK();
}

Status HashJoinOperator::ProbeRow(QueryContext& context, ProbeState& local, const Batch& input,
                                  std::vector<Batch>& output, uint32_t row, const uint8_t* key,
                                  uint32_t size, uint64_t hash, bool first_match_only) {
  const uint8_t* build_keys = key_bytes_.data();
  // A build row of a RIGHT SEMI or RIGHT ANTI join already matched has its answer: pairing it
  // again would only test the residual condition once more.
  const bool skips_matched = OutputsBuildOnly();
  for (uint32_t b = static_cast<uint32_t>(heads_[hash & mask_] & 0xffffffffULL); b != kEnd;
       b = next_[b]) {
    if (hashes_[b] != hash || (skips_matched && matched_[b].load(std::memory_order_relaxed) != 0)) {
      continue;
    }
    const uint32_t build_begin = key_offsets_[b];
    if (key_offsets_[b + 1] - build_begin != size ||
        !KeyBytesEqual(build_keys + build_begin, key, size)) {
      continue;
    }
    local.probe_rows.push_back(row);
    local.build_rows.push_back(b);
    if (first_match_only) {
      break;
    }
    if (static_cast<int64_t>(local.probe_rows.size()) >= Batch::kDefaultBatchSize) {
      FLOE_RETURN_NOT_OK(EmitPairs(context, local, input, output));
    }
  }
  return Status::OK();
}

Result<int64_t> HashJoinOperator::PrepareSource(QueryContext& context) {
  if (is_spilling_.load(std::memory_order_relaxed)) {
    return PrepareSpilledSource(context);
  }
  if (!EmitsBuildRows()) {
    return 0;
  }
  return (build_.num_rows() + kBuildMorselRows - 1) / kBuildMorselRows;
}

Status HashJoinOperator::ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                                    std::vector<Batch>& output) {
  if (is_spilling_.load(std::memory_order_relaxed)) {
    return ReadSpilledMorsel(context, state, output);
  }
  const int64_t first = morsel * kBuildMorselRows;
  return EmitBuildRows(context, first, std::min(build_.num_rows(), first + kBuildMorselRows),
                       output);
}

Status HashJoinOperator::EmitBuildRows(QueryContext& context, int64_t first, int64_t end,
                                       std::vector<Batch>& output) {
  const uint8_t wanted = type_ == JoinType::kRightSemi ? 1 : 0;
  std::vector<uint32_t> rows;
  for (int64_t r = first; r < end; ++r) {
    if (matched_[static_cast<size_t>(r)].load(std::memory_order_relaxed) == wanted) {
      rows.push_back(static_cast<uint32_t>(r));
    }
    if (static_cast<int64_t>(rows.size()) == Batch::kDefaultBatchSize || r + 1 == end) {
      if (rows.empty()) {
        continue;
      }
      if (OutputsBuildOnly()) {
        FLOE_ASSIGN_OR_RETURN(Batch batch,
                              build_.Gather(SelectionVector::Borrow(rows), context.tracker()));
        output.push_back(std::move(batch));
      } else {
        FLOE_ASSIGN_OR_RETURN(Batch batch, JoinedBatch(context, Batch(), {}, rows));
        output.push_back(std::move(batch));
      }
      rows.clear();
    }
  }
  return Status::OK();
}

}  // namespace floe::sql::execution
