// The grace hash join: what HashJoinOperator does when its build side passes the memory budget
// (docs/architecture.md, "Memory and spilling").
//
// Once the build side spills, every build row goes to one of 16 partition files by the top
// bits of its key hash; the probe side is written to partitions the same way instead of being
// probed. The join then runs as a source, partition by partition: a partition's build rows
// become the in-memory table, its probe rows stream through the usual probe code on every
// thread, and for RIGHT, FULL and RIGHT ANTI joins its unmatched build rows follow (RIGHT SEMI:
// its matched ones). A partition that would not fit is split 16 ways by the next 4 hash bits
// before the join starts.

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "sql/execution/expression_evaluator.h"
#include "sql/execution/operators/hash_join.h"
#include "sql/execution/operators/hash_join_internal.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution {

using vector::Batch;
using vector::Vector;
using vector::VectorBuilder;

namespace {
std::vector<types::LogicalType> SpillTypes(const vector::Schema& schema) {
  std::vector<types::LogicalType> types;
  for (const auto& field : schema.fields()) {
    types.push_back(SpillColumnType(field.type));
  }
  return types;
}

int PartitionOf(uint64_t hash, int level) {
  return static_cast<int>((hash >> (64 - kJoinSpillPartitionBits * (level + 1))) &
                          (kJoinSpillPartitions - 1));
}

// Encodes every row of `batch` (of `schema`) as the spill types of its columns.
Status EncodeRows(const RowKeyEncoder& encoder, const vector::Schema& schema, const Batch& batch,
                  MemoryTracker* tracker, std::vector<uint8_t>& bytes,
                  std::vector<uint32_t>& offsets) {
  std::vector<Vector> columns;
  for (int64_t c = 0; c < schema.num_fields(); ++c) {
    Vector column = batch.column(c);
    const types::LogicalType& type = schema.field(c).type;
    if (SpillColumnType(type) != type) {
      if (!column.is_flat()) {
        FLOE_ASSIGN_OR_RETURN(column, column.Flatten(tracker));
      }
      FLOE_ASSIGN_OR_RETURN(column, RetypeFlat(column, SpillColumnType(type)));
    }
    columns.push_back(std::move(column));
  }
  encoder.Encode(columns, batch.num_rows(), bytes, offsets);
  return Status::OK();
}

std::vector<VectorBuilder> MakeBuilders(const vector::Schema& schema, MemoryTracker* tracker) {
  std::vector<VectorBuilder> builders;
  for (const auto& field : schema.fields()) {
    builders.emplace_back(SpillColumnType(field.type), tracker);
  }
  return builders;
}

Result<Batch> FinishBatch(const std::shared_ptr<const vector::Schema>& schema,
                          std::vector<VectorBuilder>& builders, int64_t rows) {
  std::vector<Vector> columns;
  for (int64_t c = 0; c < schema->num_fields(); ++c) {
    FLOE_ASSIGN_OR_RETURN(Vector column, builders[static_cast<size_t>(c)].Finish());
    const types::LogicalType& type = schema->field(c).type;
    if (SpillColumnType(type) != type) {
      FLOE_ASSIGN_OR_RETURN(column, RetypeFlat(column, type));
    }
    columns.push_back(std::move(column));
  }
  return Batch::Make(schema, std::move(columns), rows);
}

// One chunk of a spill file as written: rows + 1 offsets into the rows' bytes.
struct Chunk {
  std::vector<uint32_t> offsets;
  std::vector<uint8_t> bytes;
  int64_t rows() const { return static_cast<int64_t>(offsets.size()) - 1; }
};

Status ReadChunk(SpillReader& reader, Chunk& chunk) {
  uint32_t rows = 0;
  FLOE_RETURN_NOT_OK(reader.ReadValue(rows));
  chunk.offsets.resize(static_cast<size_t>(rows) + 1);
  FLOE_RETURN_NOT_OK(reader.Read(chunk.offsets.data(), chunk.offsets.size() * sizeof(uint32_t)));
  if (chunk.offsets.front() != 0 || !std::is_sorted(chunk.offsets.begin(), chunk.offsets.end())) {
    return Status::Corruption("join spill file has bad row offsets");
  }
  chunk.bytes.resize(chunk.offsets.back());
  return reader.Read(chunk.bytes.data(), chunk.bytes.size());
}

Status DecodeChunk(const RowKeyEncoder& encoder, const Chunk& chunk,
                   std::span<VectorBuilder> builders) {
  for (int64_t row = 0; row < chunk.rows(); ++row) {
    FLOE_RETURN_NOT_OK(encoder.Decode(chunk.bytes.data() + chunk.offsets[row], builders));
  }
  return Status::OK();
}

// Appends the rows listed in each writer's scratch list as one chunk per partition.
Status WriteRows(SpillDirectory& directory, JoinPartitionWriters& writers, const uint8_t* bytes,
                 const uint32_t* offsets) {
  for (int p = 0; p < kJoinSpillPartitions; ++p) {
    std::vector<uint32_t>& rows = writers.partition_rows[p];
    if (rows.empty()) {
      continue;
    }
    if (writers.writers[p] == nullptr) {
      FLOE_ASSIGN_OR_RETURN(writers.writers[p], directory.CreateFile());
    }
    SpillWriter& writer = *writers.writers[p];
    writers.chunk_offsets.assign(1, 0);
    for (uint32_t row : rows) {
      writers.chunk_offsets.push_back(writers.chunk_offsets.back() + offsets[row + 1] -
                                      offsets[row]);
    }
    FLOE_RETURN_NOT_OK(writer.AppendValue(static_cast<uint32_t>(rows.size())));
    FLOE_RETURN_NOT_OK(writer.Append(writers.chunk_offsets.data(),
                                     writers.chunk_offsets.size() * sizeof(uint32_t)));
    for (uint32_t row : rows) {
      FLOE_RETURN_NOT_OK(writer.Append(bytes + offsets[row], offsets[row + 1] - offsets[row]));
    }
    writers.rows[p] += static_cast<int64_t>(rows.size());
    writers.chunks[p] += 1;
    rows.clear();
  }
  return Status::OK();
}

// Lists each row under its partition: by key hash, or spread when its key is NULL and
// `keep_null_rows` (such rows match nothing); dropped when NULL otherwise.
void AssignPartitions(JoinPartitionWriters& writers, const std::vector<uint8_t>& key_bytes,
                      const std::vector<uint32_t>& key_offsets,
                      const std::vector<uint8_t>& has_null, bool keep_null_rows) {
  const size_t rows = has_null.size();
  for (size_t r = 0; r < rows; ++r) {
    int partition;
    if (has_null[r] != 0) {
      if (!keep_null_rows) {
        continue;
      }
      partition = static_cast<int>(writers.next_null_partition++ % kJoinSpillPartitions);
    } else {
      const uint64_t hash =
          HashKeyBytes(key_bytes.data() + key_offsets[r], key_offsets[r + 1] - key_offsets[r]);
      partition = PartitionOf(hash, writers.level);
    }
    writers.partition_rows[partition].push_back(static_cast<uint32_t>(r));
  }
}

// Finishes the files of `writers` into `partitions` (one per partition of their level).
Status FinishInto(JoinPartitionWriters& writers, bool is_build, JoinSpillPartition* partitions,
                  OperatorProfile& profile) {
  for (int p = 0; p < kJoinSpillPartitions; ++p) {
    if (writers.writers[p] == nullptr) {
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(SpillFile file, writers.writers[p]->Finish());
    writers.writers[p].reset();
    profile.spilled_bytes.fetch_add(file.size(), std::memory_order_relaxed);
    profile.spilled_files.fetch_add(1, std::memory_order_relaxed);
    JoinSpillPartition& partition = partitions[p];
    partition.level = writers.level;
    if (is_build) {
      partition.build_rows += writers.rows[p];
      partition.build_bytes += file.size();
      partition.build_files.push_back(std::move(file));
    } else {
      partition.probe_chunks += writers.chunks[p];
      partition.probe_files.push_back(std::move(file));
    }
    writers.rows[p] = 0;
    writers.chunks[p] = 0;
  }
  return Status::OK();
}

// The memory a partition's table takes: its rows decoded, their keys, and per row the hash,
// chain link, match flag and up to four bucket heads.
int64_t EstimateTableBytes(const JoinSpillPartition& partition) {
  return 2 * partition.build_bytes + 48 * partition.build_rows;
}
}  // namespace

void HashJoinOperator::InitSpilling() {
  if (probe_keys_.empty()) {
    return;
  }
  // Rows with nested columns cannot be written: such joins keep the 53200 error.
  auto build_rows = RowKeyEncoder::Make(SpillTypes(*child(1).output_schema()));
  auto probe_rows = RowKeyEncoder::Make(SpillTypes(*child(0).output_schema()));
  if (!build_rows.ok() || !probe_rows.ok()) {
    return;
  }
  spill_ = std::make_unique<Spill>();
  spill_->build_rows = std::move(build_rows).value();
  spill_->probe_rows = std::move(probe_rows).value();
  std::lock_guard<std::mutex> lock(spill_->mutex);
  spill_->partitions.resize(kJoinSpillPartitions);
  can_spill_ = true;
}

bool HashJoinOperator::MaySpill(QueryContext& context) const {
  return can_spill_ && context.spill_directory() != nullptr && context.tracker() != nullptr &&
         context.tracker()->limit() != MemoryTracker::kUnlimited;
}

void HashJoinOperator::StartSpilling() {
  is_spilling_.store(true, std::memory_order_relaxed);
}

std::string HashJoinOperator::SpillName() const {
  std::string keys;
  for (size_t k = 0; k < probe_keys_.size(); ++k) {
    keys += (k > 0 ? ", " : "") + probe_keys_[k]->ToString() + " = " + build_keys_[k]->ToString();
  }
  return fmt::format("{} hash join on {}", JoinTypeName(type_), keys);
}

void HashJoinOperator::ReleaseTable() {
  build_ = Batch();
  std::vector<uint8_t>().swap(key_bytes_);
  std::vector<uint32_t>().swap(key_offsets_);
  std::vector<uint64_t>().swap(hashes_);
  std::vector<uint64_t>().swap(heads_);
  std::vector<uint32_t>().swap(next_);
  matched_ = std::vector<std::atomic<uint8_t>>();
  mask_ = 0;
  table_reservation_.Reset();
}

Status HashJoinOperator::FinishWriters(JoinPartitionWriters& writers, bool is_build) {
  std::lock_guard<std::mutex> lock(spill_->mutex);
  return FinishInto(writers, is_build, spill_->partitions.data(), profile());
}

Status HashJoinOperator::SpillBuildState(QueryContext& context, OperatorState& state,
                                         const Batch* input) {
  auto& local = static_cast<JoinBuildState&>(state);
  if (local.writers == nullptr) {
    local.writers = std::make_shared<JoinPartitionWriters>(0);
  }
  std::vector<Batch> batches = std::move(local.batches);
  local.batches.clear();
  if (input != nullptr) {
    batches.push_back(*input);
  }
  std::vector<uint8_t> key_bytes;
  std::vector<uint32_t> key_offsets;
  std::vector<uint8_t> has_null;
  std::vector<uint8_t> row_bytes;
  std::vector<uint32_t> row_offsets;
  ExpressionEvaluator evaluator(&context.function_context());
  const bool keeps_unmatched =
      type_ == JoinType::kRight || type_ == JoinType::kFull || type_ == JoinType::kRightAnti;
  for (const Batch& batch : batches) {
    FLOE_RETURN_NOT_OK(context.CheckCancelled());
    FLOE_RETURN_NOT_OK(
        EncodeKeys(context, build_keys_, batch, evaluator, key_bytes, key_offsets, has_null));
    spill_->build_rows_seen.fetch_add(batch.num_rows(), std::memory_order_relaxed);
    if (std::find(has_null.begin(), has_null.end(), 1) != has_null.end()) {
      spill_->build_has_null_key.store(true, std::memory_order_relaxed);
    }
    // A build row with a NULL key matches nothing: only RIGHT, FULL and RIGHT ANTI joins
    // return it.
    AssignPartitions(*local.writers, key_bytes, key_offsets, has_null, keeps_unmatched);
    FLOE_RETURN_NOT_OK(EncodeRows(spill_->build_rows, *child(1).output_schema(), batch,
                                  context.tracker(), row_bytes, row_offsets));
    FLOE_RETURN_NOT_OK(WriteRows(*context.spill_directory(), *local.writers, row_bytes.data(),
                                 row_offsets.data()));
  }
  batches.clear();
  local.retained.Reset();
  held_build_bytes_.fetch_sub(local.held_bytes, std::memory_order_relaxed);
  local.held_bytes = 0;
  return Status::OK();
}

Status HashJoinOperator::SpillBuildBatches(QueryContext& context, std::span<const Batch> batches) {
  JoinBuildState state(nullptr);
  state.batches.assign(batches.begin(), batches.end());
  FLOE_RETURN_NOT_OK(SpillBuildState(context, state, nullptr));
  if (state.writers != nullptr) {
    FLOE_RETURN_NOT_OK(FinishWriters(*state.writers, /*is_build=*/true));
  }
  return Status::OK();
}

std::shared_ptr<JoinPartitionWriters> HashJoinOperator::NewProbeWriters() {
  auto writers = std::make_shared<JoinPartitionWriters>(0);
  std::lock_guard<std::mutex> lock(spill_->mutex);
  spill_->probe_writers.push_back(writers);
  return writers;
}

Status HashJoinOperator::SpillProbeRows(QueryContext& context, JoinPartitionWriters& writers,
                                        ExpressionEvaluator& evaluator, const Batch& input) {
  // NOT IN against a build side holding a NULL returns no row at all.
  if (type_ == JoinType::kNullAwareAnti && spill_->build_has_null_key.load()) {
    return Status::OK();
  }
  std::vector<uint8_t> key_bytes;
  std::vector<uint32_t> key_offsets;
  std::vector<uint8_t> has_null;
  FLOE_RETURN_NOT_OK(
      EncodeKeys(context, probe_keys_, input, evaluator, key_bytes, key_offsets, has_null));
  // A probe row with a NULL key matches nothing; only the joins that return unmatched probe
  // rows, or answer NULL for them, need it.
  const bool keep_null_rows =
      !(type_ == JoinType::kInner || type_ == JoinType::kSemi || type_ == JoinType::kRight ||
        type_ == JoinType::kRightSemi || type_ == JoinType::kRightAnti);
  AssignPartitions(writers, key_bytes, key_offsets, has_null, keep_null_rows);
  std::vector<uint8_t> row_bytes;
  std::vector<uint32_t> row_offsets;
  FLOE_RETURN_NOT_OK(EncodeRows(spill_->probe_rows, *child(0).output_schema(), input,
                                context.tracker(), row_bytes, row_offsets));
  return WriteRows(*context.spill_directory(), writers, row_bytes.data(), row_offsets.data());
}

Status HashJoinOperator::SplitPartition(QueryContext& context, size_t index) {
  Spill& spill = *spill_;
  JoinSpillPartition parent;
  {
    std::lock_guard<std::mutex> lock(spill.mutex);
    parent = std::move(spill.partitions[index]);
  }
  const int level = parent.level + 1;
  JoinPartitionWriters build_writers(level);
  JoinPartitionWriters probe_writers(level);
  ExpressionEvaluator evaluator(&context.function_context());
  std::vector<uint8_t> key_bytes;
  std::vector<uint32_t> key_offsets;
  std::vector<uint8_t> has_null;
  Chunk chunk;
  // Rows that reached a partition are kept by the split (NULL keys included).
  for (const bool is_build : {true, false}) {
    std::vector<SpillFile>& files = is_build ? parent.build_files : parent.probe_files;
    const auto& schema = is_build ? child(1).output_schema() : child(0).output_schema();
    const RowKeyEncoder& encoder = is_build ? spill.build_rows : spill.probe_rows;
    JoinPartitionWriters& writers = is_build ? build_writers : probe_writers;
    for (SpillFile& file : files) {
      FLOE_ASSIGN_OR_RETURN(std::unique_ptr<SpillReader> reader, SpillReader::Open(file));
      while (!reader->AtEnd()) {
        FLOE_RETURN_NOT_OK(context.CheckCancelled());
        FLOE_RETURN_NOT_OK(ReadChunk(*reader, chunk));
        std::vector<VectorBuilder> builders = MakeBuilders(*schema, context.tracker());
        FLOE_RETURN_NOT_OK(DecodeChunk(encoder, chunk, builders));
        FLOE_ASSIGN_OR_RETURN(Batch batch, FinishBatch(schema, builders, chunk.rows()));
        FLOE_RETURN_NOT_OK(EncodeKeys(context, is_build ? build_keys_ : probe_keys_, batch,
                                      evaluator, key_bytes, key_offsets, has_null));
        AssignPartitions(writers, key_bytes, key_offsets, has_null, /*keep_null_rows=*/true);
        FLOE_RETURN_NOT_OK(WriteRows(*context.spill_directory(), writers, chunk.bytes.data(),
                                     chunk.offsets.data()));
      }
      reader.reset();
      file = SpillFile();  // Read: delete it now rather than when the query ends.
    }
  }
  std::vector<JoinSpillPartition> parts(kJoinSpillPartitions);
  FLOE_RETURN_NOT_OK(FinishInto(build_writers, true, parts.data(), profile()));
  FLOE_RETURN_NOT_OK(FinishInto(probe_writers, false, parts.data(), profile()));
  std::vector<JoinSpillPartition> kept;
  for (auto& part : parts) {
    part.level = level;
    // All rows landing in one part again means they share one key (or a 64-bit hash): no
    // further split can divide them.
    part.is_unsplittable = part.build_rows == parent.build_rows;
    if (part.build_rows > 0 || part.probe_chunks > 0) {
      kept.push_back(std::move(part));
    }
  }
  std::lock_guard<std::mutex> lock(spill.mutex);
  spill.partitions.erase(spill.partitions.begin() + static_cast<std::ptrdiff_t>(index));
  spill.partitions.insert(spill.partitions.begin() + static_cast<std::ptrdiff_t>(index),
                          std::make_move_iterator(kept.begin()),
                          std::make_move_iterator(kept.end()));
  return Status::OK();
}

Result<int64_t> HashJoinOperator::PrepareSpilledSource(QueryContext& context) {
  Spill& spill = *spill_;
  {
    std::lock_guard<std::mutex> lock(spill.mutex);
    for (auto& writers : spill.probe_writers) {
      FLOE_RETURN_NOT_OK(FinishInto(*writers, false, spill.partitions.data(), profile()));
    }
    spill.probe_writers.clear();
  }
  // A partition's table should take at most a third of what the budget has left, so that
  // the operators above keep room to work.
  MemoryTracker* tracker = context.tracker();
  const int64_t target =
      std::max<int64_t>(int64_t{1} << 20, (tracker->limit() - tracker->used()) / 3);
  for (size_t i = 0;;) {
    bool split = false;
    {
      std::lock_guard<std::mutex> lock(spill.mutex);
      if (i >= spill.partitions.size()) {
        break;
      }
      const JoinSpillPartition& part = spill.partitions[i];
      split = EstimateTableBytes(part) > target && !part.is_unsplittable &&
              part.level < kJoinMaxSpillLevel && part.build_rows > 1;
    }
    if (split) {
      FLOE_RETURN_NOT_OK(SplitPartition(context, i));
    } else {
      ++i;
    }
  }
  std::lock_guard<std::mutex> lock(spill.mutex);
  // Each morsel probes at least one chunk or emits a slice of a partition's unmatched rows;
  // more morsels than that find nothing left to do.
  int64_t morsels = 1;
  for (const auto& part : spill.partitions) {
    morsels += part.probe_chunks + 1 +
               (part.build_rows + kJoinUnmatchedMorselRows - 1) / kJoinUnmatchedMorselRows;
  }
  spill.current = 0;
  spill.is_loaded = false;
  spill.is_joining.store(true, std::memory_order_relaxed);
  return morsels;
}

Status HashJoinOperator::LoadPartition(QueryContext& context, JoinSpillPartition& partition) {
  const auto& schema = child(1).output_schema();
  auto too_large = [&](const Status& status) {
    if (status.code() != StatusCode::kResourceExhausted) {
      return status;
    }
    return Status::ResourceExhausted(
        "{}: a spilled partition of {} build rows{} does not fit in the query's memory budget: {}",
        SpillName(), partition.build_rows,
        partition.is_unsplittable ? " whose key values repeat too often to be split" : "",
        status.message());
  };
  std::vector<Batch> batches;
  {
    std::vector<VectorBuilder> builders = MakeBuilders(*schema, context.tracker());
    Chunk chunk;
    for (SpillFile& file : partition.build_files) {
      FLOE_ASSIGN_OR_RETURN(std::unique_ptr<SpillReader> reader, SpillReader::Open(file));
      while (!reader->AtEnd()) {
        FLOE_RETURN_NOT_OK(context.CheckCancelled());
        FLOE_RETURN_NOT_OK(ReadChunk(*reader, chunk));
        Status status = DecodeChunk(spill_->build_rows, chunk, builders);
        if (!status.ok()) {
          return too_large(status);
        }
      }
      reader.reset();
      file = SpillFile();
    }
    auto batch = FinishBatch(schema, builders, partition.build_rows);
    if (!batch.ok()) {
      return too_large(batch.status());
    }
    batches.push_back(std::move(batch).value());
  }
  Status status = BuildTable(context, batches, 1);
  if (!status.ok()) {
    ReleaseTable();
    return too_large(status);
  }
  // The NOT IN and IN answers depend on the whole build side, not this partition.
  build_has_null_key_ = spill_->build_has_null_key.load(std::memory_order_relaxed);
  spill_->peak_table_bytes = std::max(spill_->peak_table_bytes, table_reservation_.bytes());
  profile().peak_memory.store(spill_->peak_table_bytes, std::memory_order_relaxed);
  return Status::OK();
}

Status HashJoinOperator::ReadSpilledMorsel(QueryContext& context, OperatorState* state,
                                           std::vector<Batch>& output) {
  Spill& spill = *spill_;
  std::vector<Chunk> chunks;
  std::unique_lock<std::mutex> lock(spill.mutex);
  while (true) {
    FLOE_RETURN_NOT_OK(context.CheckCancelled());
    if (spill.current >= spill.partitions.size()) {
      return Status::OK();
    }
    JoinSpillPartition& partition = spill.partitions[spill.current];
    if (!spill.is_loaded) {
      FLOE_RETURN_NOT_OK(LoadPartition(context, partition));
      spill.is_loaded = true;
      spill.next_probe_file = 0;
      spill.probe_reader.reset();
    }
    // Takes about a batch of the partition's probe rows; decoding and probing them happen
    // outside the lock, on every thread at once.
    int64_t rows = 0;
    while (rows < Batch::kDefaultBatchSize) {
      if (spill.probe_reader == nullptr) {
        if (spill.next_probe_file >= partition.probe_files.size()) {
          break;
        }
        FLOE_ASSIGN_OR_RETURN(spill.probe_reader,
                              SpillReader::Open(partition.probe_files[spill.next_probe_file]));
      }
      if (spill.probe_reader->AtEnd()) {
        spill.probe_reader.reset();
        partition.probe_files[spill.next_probe_file] = SpillFile();
        ++spill.next_probe_file;
        continue;
      }
      chunks.emplace_back();
      FLOE_RETURN_NOT_OK(ReadChunk(*spill.probe_reader, chunks.back()));
      rows += chunks.back().rows();
    }
    if (rows > 0) {
      ++spill.probes_in_flight;
      lock.unlock();
      Status status = [&]() -> Status {
        const auto& schema = child(0).output_schema();
        std::vector<VectorBuilder> builders = MakeBuilders(*schema, context.tracker());
        for (const Chunk& chunk : chunks) {
          FLOE_RETURN_NOT_OK(DecodeChunk(spill_->probe_rows, chunk, builders));
        }
        chunks.clear();
        FLOE_ASSIGN_OR_RETURN(Batch batch, FinishBatch(schema, builders, rows));
        return Execute(context, state, batch, output);
      }();
      lock.lock();
      if (--spill.probes_in_flight == 0) {
        spill.probes_done.notify_all();
      }
      return status;
    }
    // Every probe row of the partition is taken: once the threads probing it are done, its
    // unmatched build rows are known (emitted a morsel's worth at a time) and its table can go.
    const size_t current = spill.current;
    spill.probes_done.wait(lock, [&] { return spill.probes_in_flight == 0; });
    if (spill.current != current) {
      continue;
    }
    if (EmitsBuildRows() && spill.next_unmatched < build_.num_rows()) {
      const int64_t first = spill.next_unmatched;
      spill.next_unmatched = std::min(build_.num_rows(), first + kJoinUnmatchedMorselRows);
      FLOE_RETURN_NOT_OK(EmitBuildRows(context, first, spill.next_unmatched, output));
      if (!output.empty()) {
        return Status::OK();
      }
      continue;
    }
    ReleaseTable();
    spill.is_loaded = false;
    spill.next_unmatched = 0;
    ++spill.current;
  }
}

}  // namespace floe::sql::execution
