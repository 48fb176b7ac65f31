#include "sql/execution/operators/hash_aggregate.h"

#include <chrono>
#include <cstring>
#include <iterator>
#include <string>
#include <thread>
#include <unordered_set>

#include "sql/execution/expression_evaluator.h"
#include "vector/bitmap.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution {

using vector::Batch;
using vector::Vector;
using vector::VectorBuilder;

struct HashAggregateOperator::LocalState : OperatorState {
  LocalState(FunctionContext* context, std::span<const AggregateFunction* const> functions,
             MemoryTracker* tracker, size_t num_aggregates)
      : evaluator(context), table(functions, tracker), distinct(num_aggregates) {}

  ExpressionEvaluator evaluator;
  AggregateHashTable table;
  // Per DISTINCT aggregate: [uint32 group key size][group key][argument key] strings.
  std::vector<std::unordered_set<std::string>> distinct;
  MemoryReservation distinct_reservation;
  // Scratch reused across batches.
  std::vector<uint8_t> key_bytes;
  std::vector<uint32_t> key_offsets;
  std::vector<uint64_t> hashes;
  std::vector<int64_t> groups;
  std::vector<uint8_t*> state_pointers;
  std::vector<uint8_t*> group_states;  // The states of each row's group.
  // The group keys, then every aggregate's arguments, and their values for the current batch.
  std::vector<ExpressionPtr> inputs;
  std::vector<Vector> input_values;
  std::vector<uint32_t> combination_of_row;
  std::vector<int64_t> group_of_combination;
  std::vector<uint32_t> first_rows;
  // True once the current batch reached the states (it must not be sunk again).
  bool updated_states = false;
  // Spilling: one writer per partition once this thread spilled, and the spill round it has
  // answered.
  std::vector<std::unique_ptr<SpillWriter>> group_writers;
  std::vector<std::unique_ptr<SpillWriter>> distinct_writers;
  int64_t seen_epoch = 0;
  // Held while a thread sinks into this state, so that a thread out of budget can spill the
  // states that sit idle between morsels.
  std::mutex mutex;
};

namespace {
// The most combinations of dictionary entries GroupByDictionary tracks per batch.
constexpr int64_t kMaxDictionaryCombinations = 4096;

// Sets `groups` for a batch whose keys are all dictionary-encoded with few entries (the flags
// of TPC-H Q1, a ship mode): each row gets a number for its combination of dictionary entries,
// and only the first row of each combination is encoded, hashed and looked up, instead of
// every row. Returns false, doing nothing, when the keys do not qualify.
Result<bool> GroupByDictionary(const RowKeyEncoder& encoder, std::span<const Vector> keys,
                               int64_t rows, AggregateHashTable& table,
                               std::vector<uint32_t>& combination_of_row,
                               std::vector<int64_t>& group_of_combination,
                               std::vector<uint32_t>& first_rows, std::vector<int64_t>& groups,
                               MemoryTracker* tracker) {
  // A key's entries: its dictionary's, and one more for NULL rows when the key has validity.
  auto entries_of = [](const Vector& key) {
    return key.dictionary().length() + (key.validity_bits() != nullptr ? 1 : 0);
  };
  int64_t combinations = 1;
  for (const Vector& key : keys) {
    if (key.encoding() != vector::Encoding::kDictionary) {
      return false;
    }
    combinations *= std::max<int64_t>(entries_of(key), 1);
    if (combinations > std::min(rows, kMaxDictionaryCombinations)) {
      return false;
    }
  }
  combination_of_row.assign(static_cast<size_t>(rows), 0);
  uint32_t stride = 1;
  for (const Vector& key : keys) {
    const int32_t* indices = key.indices();
    const uint8_t* validity = key.validity_bits();
    if (validity == nullptr) {
      for (int64_t r = 0; r < rows; ++r) {
        combination_of_row[static_cast<size_t>(r)] += static_cast<uint32_t>(indices[r]) * stride;
      }
    } else {
      // The index of a NULL row is not defined; NULL is the entry after the dictionary's.
      const auto null_entry = static_cast<uint32_t>(key.dictionary().length());
      for (int64_t r = 0; r < rows; ++r) {
        const uint32_t entry = vector::GetBit(validity, key.offset() + r)
                                   ? static_cast<uint32_t>(indices[r])
                                   : null_entry;
        combination_of_row[static_cast<size_t>(r)] += entry * stride;
      }
    }
    stride *= static_cast<uint32_t>(std::max<int64_t>(entries_of(key), 1));
  }
  // -1: not seen in this batch; -2: seen, first at a row in `first_rows`.
  group_of_combination.assign(static_cast<size_t>(combinations), -1);
  first_rows.clear();
  for (int64_t r = 0; r < rows; ++r) {
    int64_t& group = group_of_combination[combination_of_row[static_cast<size_t>(r)]];
    if (group == -1) {
      group = -2;
      first_rows.push_back(static_cast<uint32_t>(r));
    }
  }
  std::vector<Vector> first_keys;
  first_keys.reserve(keys.size());
  for (const Vector& key : keys) {
    FLOE_ASSIGN_OR_RETURN(
        Vector gathered,
        key.Gather(vector::SelectionVector::Borrow(std::span<const uint32_t>(first_rows)),
                   tracker));
    first_keys.push_back(std::move(gathered));
  }
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> offsets;
  const int64_t count = static_cast<int64_t>(first_rows.size());
  encoder.Encode(first_keys, count, bytes, offsets);
  for (int64_t i = 0; i < count; ++i) {
    const uint8_t* key = bytes.data() + offsets[static_cast<size_t>(i)];
    const uint32_t size = offsets[static_cast<size_t>(i) + 1] - offsets[static_cast<size_t>(i)];
    FLOE_ASSIGN_OR_RETURN(int64_t group, table.FindOrInsert(key, size, HashKeyBytes(key, size)));
    group_of_combination[combination_of_row[first_rows[static_cast<size_t>(i)]]] = group;
  }
  groups.resize(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    groups[static_cast<size_t>(r)] =
        group_of_combination[combination_of_row[static_cast<size_t>(r)]];
  }
  return true;
}

std::shared_ptr<const vector::Schema> AggregateSchema(const std::vector<ExpressionPtr>& groups,
                                                      const std::vector<AggregateSpec>& aggregates,
                                                      const std::vector<std::string>& names) {
  std::vector<vector::Field> fields;
  for (size_t i = 0; i < groups.size(); ++i) {
    fields.push_back(
        {i < names.size() ? names[i] : groups[i]->ToString(), groups[i]->type(), true});
  }
  for (const auto& aggregate : aggregates) {
    fields.push_back({aggregate.name.empty() ? aggregate.function.name : aggregate.name,
                      aggregate.function.return_type, true});
  }
  return std::make_shared<const vector::Schema>(std::move(fields));
}

std::string AggregateText(const AggregateSpec& aggregate) {
  if (!aggregate.text.empty()) {
    return aggregate.text;
  }
  std::string text = aggregate.function.name + "(" + (aggregate.is_distinct ? "DISTINCT " : "");
  if (aggregate.arguments.empty()) {
    text += "*";
  }
  for (size_t i = 0; i < aggregate.arguments.size(); ++i) {
    text += (i > 0 ? ", " : "") + aggregate.arguments[i]->ToString();
  }
  return text + ")";
}

constexpr int64_t kDistinctEntryOverhead = 48;  // Node, hash bucket and string header.
constexpr int64_t kPartitionedMergeGroups = 16384;

// Spill partitions: level L takes 4 bits of the key hash above those of level L - 1, starting
// where AggregateHashTable::PartitionOf starts, so every level splits a partition 16 ways.
constexpr int kSpillPartitionBits = 4;
constexpr int kSpillPartitions = 1 << kSpillPartitionBits;
constexpr int kMaxSpillLevel = (64 - 20) / kSpillPartitionBits - 1;
// Sinking a batch again after spilling, waiting 1, 2, ... ms between tries: about 0.2 s in
// all before the budget is declared too small.
constexpr int kSpillRetries = 20;

int SpillPartitionOf(uint64_t hash, int level) {
  return static_cast<int>((hash >> (20 + kSpillPartitionBits * level)) & (kSpillPartitions - 1));
}
}  // namespace

HashAggregateOperator::HashAggregateOperator(PhysicalOperatorPtr child,
                                             std::vector<ExpressionPtr> groups,
                                             std::vector<AggregateSpec> aggregates,
                                             std::vector<std::string> group_names)
    : PhysicalOperator(AggregateSchema(groups, aggregates, group_names), {}),
      groups_(std::move(groups)),
      aggregates_(std::move(aggregates)) {
  AddChild(std::move(child));
  std::vector<types::LogicalType> key_types;
  for (const auto& group : groups_) {
    key_types.push_back(group->type());
  }
  auto encoder = RowKeyEncoder::Make(std::move(key_types));
  if (!encoder.ok()) {
    init_status_ = encoder.status();
    return;
  }
  key_encoder_ = std::move(encoder).value();
  for (const auto& aggregate : aggregates_) {
    functions_.push_back(&aggregate.function);
    std::vector<types::LogicalType> argument_types;
    for (const auto& argument : aggregate.arguments) {
      argument_types.push_back(argument->type());
    }
    auto argument_encoder = RowKeyEncoder::Make(
        aggregate.is_distinct ? std::move(argument_types) : std::vector<types::LogicalType>{});
    if (!argument_encoder.ok()) {
      init_status_ = argument_encoder.status();
      return;
    }
    argument_encoders_.push_back(std::move(argument_encoder).value());
    has_distinct_ = has_distinct_ || aggregate.is_distinct;
    // Spilled states are copied byte for byte, which only states owning nothing allow.
    // DISTINCT aggregates spill their entries and leave their states untouched until the end.
    can_spill_ = can_spill_ && (aggregate.is_distinct || !aggregate.function.destroy);
  }
  // Without keys there is one group, which spilling cannot split: only its DISTINCT entries
  // could grow, and they are merged into one set at the end all the same.
  if (groups_.empty()) {
    can_spill_ = false;
  }
}

HashAggregateOperator::~HashAggregateOperator() = default;

std::vector<std::string> HashAggregateOperator::Details() const {
  std::vector<std::string> details;
  if (!groups_.empty()) {
    std::string keys = "group by: ";
    for (size_t i = 0; i < groups_.size(); ++i) {
      keys += (i > 0 ? ", " : "") + groups_[i]->ToString();
    }
    details.push_back(std::move(keys));
  }
  std::string list = "aggregates: ";
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    list += (i > 0 ? ", " : "") + AggregateText(aggregates_[i]);
  }
  details.push_back(std::move(list));
  return details;
}

Result<std::unique_ptr<OperatorState>> HashAggregateOperator::MakeSinkState(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  auto state = std::make_unique<LocalState>(&context.function_context(), functions_,
                                            context.tracker(), aggregates_.size());
  state->distinct_reservation = MemoryReservation(context.tracker());
  sink_states_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    sink_state_list_.push_back(state.get());
  }
  return std::unique_ptr<OperatorState>(std::move(state));
}

Status HashAggregateOperator::Sink(QueryContext& context, OperatorState* state,
                                   const Batch& input) {
  auto& local = static_cast<LocalState&>(*state);
  std::lock_guard<std::mutex> local_lock(local.mutex);
  const bool may_spill = can_spill_ && context.spill_directory() != nullptr;
  if (may_spill && local.seen_epoch != spill_epoch_.load(std::memory_order_relaxed)) {
    // Another thread ran out of budget: give back what this one holds too, or that thread's
    // retry would fail again.
    local.seen_epoch = spill_epoch_.load(std::memory_order_relaxed);
    FLOE_RETURN_NOT_OK(SpillLocal(context, local));
  }
  // Each thread keeps at most its share of a quarter of the budget once spilling is possible:
  // a table may double while it grows, and one thread's table must not starve the operators
  // of other threads (which could not spill it).
  if (may_spill && context.tracker() != nullptr &&
      local.table.reserved_bytes() + local.distinct_reservation.bytes() >
          context.tracker()->limit() / 4 / ExpectedThreads(context)) {
    FLOE_RETURN_NOT_OK(SpillLocal(context, local));
  }
  Status status = SinkBatch(context, local, input);
  if (status.ok()) {
    return status;
  }
  if (status.code() != StatusCode::kResourceExhausted || !may_spill || local.updated_states) {
    return status;
  }
  // No state has seen this batch yet (groups it inserted are empty and DISTINCT entries are
  // sets), so spilling everything and sinking the batch again counts each row once. Other
  // threads give back their memory at their next batch; the retries wait a little for that.
  for (int attempt = 1; attempt <= kSpillRetries; ++attempt) {
    local.seen_epoch = spill_epoch_.fetch_add(1, std::memory_order_relaxed) + 1;
    FLOE_RETURN_NOT_OK(SpillLocal(context, local));
    FLOE_RETURN_NOT_OK(SpillIdleStates(context, local));
    status = SinkBatch(context, local, input);
    if (status.ok() || status.code() != StatusCode::kResourceExhausted || local.updated_states) {
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(attempt));
  }
  return status;
}

Status HashAggregateOperator::SinkBatch(QueryContext& context, LocalState& local,
                                        const Batch& input) {
  local.updated_states = false;
  const int64_t rows = input.num_rows();
  // Every key and argument is evaluated before any state changes, so a failure leaves states
  // as they were; together, so that what they share is computed once.
  if (local.inputs.empty()) {
    local.inputs = groups_;
    for (const auto& aggregate : aggregates_) {
      local.inputs.insert(local.inputs.end(), aggregate.arguments.begin(),
                          aggregate.arguments.end());
    }
  }
  FLOE_RETURN_NOT_OK(local.evaluator.EvaluateAll(local.inputs, input, local.input_values));
  auto next_value = std::make_move_iterator(local.input_values.begin());
  std::vector<Vector> keys(next_value, next_value + static_cast<std::ptrdiff_t>(groups_.size()));
  next_value += static_cast<std::ptrdiff_t>(groups_.size());
  std::vector<std::vector<Vector>> arguments(aggregates_.size());
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    const auto count = static_cast<std::ptrdiff_t>(aggregates_[a].arguments.size());
    arguments[a].assign(next_value, next_value + count);
    next_value += count;
  }
  bool is_grouped = false;
  if (!groups_.empty() && !has_distinct_) {
    FLOE_ASSIGN_OR_RETURN(is_grouped,
                          GroupByDictionary(key_encoder_, keys, rows, local.table,
                                            local.combination_of_row, local.group_of_combination,
                                            local.first_rows, local.groups, context.tracker()));
  }
  if (!is_grouped) {
    key_encoder_.Encode(keys, rows, local.key_bytes, local.key_offsets);
    local.groups.resize(static_cast<size_t>(rows));
  }
  const uint8_t* key_data = local.key_bytes.data();
  if (!is_grouped && groups_.empty()) {
    FLOE_ASSIGN_OR_RETURN(int64_t group, local.table.FindOrInsert(key_data, 0, 0));
    std::fill(local.groups.begin(), local.groups.end(), group);
  } else if (!is_grouped) {
    local.hashes.resize(static_cast<size_t>(rows));
    for (int64_t r = 0; r < rows; ++r) {
      const uint32_t begin = local.key_offsets[static_cast<size_t>(r)];
      local.hashes[static_cast<size_t>(r)] =
          HashKeyBytes(key_data + begin, local.key_offsets[static_cast<size_t>(r) + 1] - begin);
    }
    FLOE_RETURN_NOT_OK(local.table.FindOrInsertBatch(
        key_data, local.key_offsets.data(), local.hashes.data(), rows, local.groups.data()));
  }
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    if (!aggregates_[a].is_distinct) {
      continue;
    }
    std::vector<uint8_t> arg_bytes;
    std::vector<uint32_t> arg_offsets;
    argument_encoders_[a].Encode(arguments[a], rows, arg_bytes, arg_offsets);
    auto& set = local.distinct[a];
    std::string entry;
    for (int64_t r = 0; r < rows; ++r) {
      const uint32_t key_begin = local.key_offsets[static_cast<size_t>(r)];
      const uint32_t key_size = local.key_offsets[static_cast<size_t>(r) + 1] - key_begin;
      const uint32_t arg_begin = arg_offsets[static_cast<size_t>(r)];
      const uint32_t arg_size = arg_offsets[static_cast<size_t>(r) + 1] - arg_begin;
      entry.assign(reinterpret_cast<const char*>(&key_size), 4);
      entry.append(reinterpret_cast<const char*>(key_data) + key_begin, key_size);
      entry.append(reinterpret_cast<const char*>(arg_bytes.data()) + arg_begin, arg_size);
      if (set.count(entry) == 0) {
        FLOE_RETURN_NOT_OK(local.distinct_reservation.Grow(static_cast<int64_t>(entry.size()) +
                                                           kDistinctEntryOverhead));
        set.insert(entry);
      }
    }
  }
  local.updated_states = true;
  local.state_pointers.resize(static_cast<size_t>(rows));
  local.group_states.resize(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    local.group_states[static_cast<size_t>(r)] =
        local.table.states(local.groups[static_cast<size_t>(r)]);
  }
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    if (aggregates_[a].is_distinct) {
      continue;
    }
    const int64_t offset = local.table.state_offset(a);
    for (int64_t r = 0; r < rows; ++r) {
      local.state_pointers[static_cast<size_t>(r)] =
          local.group_states[static_cast<size_t>(r)] + offset;
    }
    FLOE_RETURN_NOT_OK(aggregates_[a].function.update(context.function_context(), arguments[a],
                                                      rows, local.state_pointers.data()));
  }
  return Status::OK();
}

Status HashAggregateOperator::CombineSink(QueryContext& context,
                                          std::unique_ptr<OperatorState> state) {
  if (state == nullptr) {
    return Status::OK();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  locals_.push_back(std::unique_ptr<LocalState>(static_cast<LocalState*>(state.release())));
  return Status::OK();
}

Status HashAggregateOperator::InsertEmptyInputGroup(QueryContext& context,
                                                    const std::vector<types::Value>& keys) {
  if (keys.size() != groups_.size()) {
    return Status::Internal("empty input group has {} keys, not {}", keys.size(), groups_.size());
  }
  std::vector<Vector> columns;
  for (size_t k = 0; k < groups_.size(); ++k) {
    VectorBuilder builder(groups_[k]->type(), context.tracker());
    FLOE_RETURN_NOT_OK(builder.AppendValue(keys[k]));
    FLOE_ASSIGN_OR_RETURN(Vector column, builder.Finish());
    columns.push_back(std::move(column));
  }
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> offsets;
  key_encoder_.Encode(columns, 1, bytes, offsets);
  const uint32_t size = offsets[1] - offsets[0];
  FLOE_ASSIGN_OR_RETURN(int64_t group, results_[0]->FindOrInsert(bytes.data() + offsets[0], size,
                                                                 HashKeyBytes(bytes.data(), size)));
  (void)group;
  return Status::OK();
}

Status HashAggregateOperator::FinalizeSink(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  std::lock_guard<std::mutex> lock(mutex_);
  if (spilled_.load(std::memory_order_relaxed)) {
    return FinishSpill(context);
  }
  sink_state_list_.clear();
  // Large results merge in hash partitions, one thread per partition at a time; small ones
  // in one table, where partitioning would only add passes.
  int64_t total_groups = 0;
  for (const auto& local : locals_) {
    total_groups += local->table.num_groups();
  }
  const int partitions = groups_.empty() || total_groups < kPartitionedMergeGroups ? 1 : 32;
  results_.clear();
  for (int p = 0; p < partitions; ++p) {
    results_.push_back(std::make_unique<AggregateHashTable>(functions_, context.tracker()));
  }
  FLOE_RETURN_NOT_OK(context.scheduler().ParallelFor(
      partitions,
      [&](int64_t partition) -> Status {
        for (const auto& local : locals_) {
          FLOE_RETURN_NOT_OK(context.CheckCancelled());
          FLOE_RETURN_NOT_OK(results_[static_cast<size_t>(partition)]->Merge(
              context.function_context(), local->table, static_cast<int>(partition), partitions));
        }
        return Status::OK();
      },
      context.max_threads()));
  if (groups_.empty() && results_[0]->num_groups() == 0) {
    FLOE_ASSIGN_OR_RETURN(int64_t group, results_[0]->FindOrInsert(nullptr, 0, 0));
    (void)group;
  }
  if (total_groups == 0) {
    for (const std::vector<types::Value>& keys : empty_input_groups_) {
      FLOE_RETURN_NOT_OK(InsertEmptyInputGroup(context, keys));
    }
  }
  if (has_distinct_) {
    FLOE_RETURN_NOT_OK(FoldDistinct(context));
  }
  output_morsels_.clear();
  int64_t peak = 0;
  for (size_t p = 0; p < results_.size(); ++p) {
    peak += results_[p]->reserved_bytes();
    for (int64_t first = 0; first < results_[p]->num_groups(); first += Batch::kDefaultBatchSize) {
      output_morsels_.push_back({p, first});
    }
  }
  for (const auto& local : locals_) {
    peak += local->table.reserved_bytes() + local->distinct_reservation.bytes();
  }
  profile().peak_memory.store(peak, std::memory_order_relaxed);
  locals_.clear();
  return Status::OK();
}

Status HashAggregateOperator::FoldDistinct(QueryContext& context) {
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    if (!aggregates_[a].is_distinct) {
      continue;
    }
    std::unordered_set<std::string> merged;
    for (auto& local : locals_) {
      merged.merge(local->distinct[a]);
    }
    FLOE_RETURN_NOT_OK(
        FoldDistinctSet(context, a, merged, [&](uint64_t hash) -> const AggregateHashTable& {
          return *results_[static_cast<size_t>(
              AggregateHashTable::PartitionOf(hash, static_cast<int>(results_.size())))];
        }));
  }
  return Status::OK();
}

Status HashAggregateOperator::FoldDistinctSet(
    QueryContext& context, size_t a, const std::unordered_set<std::string>& entries,
    const std::function<const AggregateHashTable&(uint64_t)>& table_of) {
  const RowKeyEncoder& encoder = argument_encoders_[a];
  std::vector<VectorBuilder> builders;
  for (const auto& type : encoder.types()) {
    builders.emplace_back(type, context.tracker());
  }
  std::vector<uint8_t*> pointers;
  auto flush = [&]() -> Status {
    std::vector<Vector> args;
    for (auto& builder : builders) {
      FLOE_ASSIGN_OR_RETURN(Vector arg, builder.Finish());
      args.push_back(std::move(arg));
    }
    const int64_t rows = static_cast<int64_t>(pointers.size());
    Status status =
        aggregates_[a].function.update(context.function_context(), args, rows, pointers.data());
    pointers.clear();
    return status;
  };
  for (const std::string& entry : entries) {
    uint32_t key_size;
    std::memcpy(&key_size, entry.data(), 4);
    const uint8_t* key = reinterpret_cast<const uint8_t*>(entry.data()) + 4;
    const uint64_t hash = groups_.empty() ? 0 : HashKeyBytes(key, key_size);
    const AggregateHashTable& table = table_of(hash);
    int64_t group = groups_.empty() ? 0 : table.Find(key, key_size, hash);
    if (group < 0) {
      return Status::Internal("DISTINCT aggregate value of an unknown group");
    }
    pointers.push_back(table.states(group) + table.state_offset(a));
    FLOE_RETURN_NOT_OK(encoder.Decode(key + key_size, builders));
    if (static_cast<int64_t>(pointers.size()) == Batch::kDefaultBatchSize) {
      FLOE_RETURN_NOT_OK(flush());
    }
  }
  if (!pointers.empty()) {
    FLOE_RETURN_NOT_OK(flush());
  }
  return Status::OK();
}

Result<int64_t> HashAggregateOperator::PrepareSource(QueryContext& context) {
  if (results_.empty() && !spilled_.load(std::memory_order_relaxed)) {
    return Status::Internal("aggregate read before its input was complete");
  }
  return static_cast<int64_t>(output_morsels_.size());
}

Status HashAggregateOperator::ReadMorsel(QueryContext& context, OperatorState* state,
                                         int64_t morsel, std::vector<Batch>& output) {
  const OutputMorsel& target = output_morsels_[static_cast<size_t>(morsel)];
  if (spilled_.load(std::memory_order_relaxed)) {
    return ReadSpilled(context, std::move(spilled_runs_[target.partition]),
                       spilled_levels_[target.partition], output);
  }
  return EmitGroups(context, *results_[target.partition], target.first_group, output);
}

Status HashAggregateOperator::EmitGroups(QueryContext& context, const AggregateHashTable& table,
                                         int64_t first, std::vector<Batch>& output) {
  const int64_t count = std::min(Batch::kDefaultBatchSize, table.num_groups() - first);
  std::vector<VectorBuilder> key_builders;
  for (const auto& type : key_encoder_.types()) {
    key_builders.emplace_back(type, context.tracker());
  }
  for (int64_t g = first; g < first + count; ++g) {
    FLOE_RETURN_NOT_OK(key_encoder_.Decode(table.key(g), key_builders));
  }
  std::vector<Vector> columns;
  for (auto& builder : key_builders) {
    FLOE_ASSIGN_OR_RETURN(Vector column, builder.Finish());
    columns.push_back(std::move(column));
  }
  std::vector<const uint8_t*> pointers(static_cast<size_t>(count));
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    for (int64_t i = 0; i < count; ++i) {
      pointers[static_cast<size_t>(i)] = table.states(first + i) + table.state_offset(a);
    }
    VectorBuilder builder(aggregates_[a].function.return_type, context.tracker());
    FLOE_RETURN_NOT_OK(builder.Reserve(count));
    FLOE_RETURN_NOT_OK(aggregates_[a].function.finalize(context.function_context(), pointers.data(),
                                                        count, builder));
    FLOE_ASSIGN_OR_RETURN(Vector column, builder.Finish());
    columns.push_back(std::move(column));
  }
  FLOE_ASSIGN_OR_RETURN(Batch batch, Batch::Make(output_schema(), std::move(columns), count));
  output.push_back(std::move(batch));
  return Status::OK();
}

// ---- Spilling (docs/architecture.md, "Memory and spilling") ----
//
// A group record is [uint32 key size][uint64 key hash][key][the group's state bytes]; a
// DISTINCT record is [uint64 key hash][uint32 aggregate][uint32 entry size][entry]. Hashes
// travel with the records so partitions split again without re-hashing keys.

namespace {
Result<SpillWriter*> PartitionWriter(SpillDirectory& directory,
                                     std::vector<std::unique_ptr<SpillWriter>>& writers,
                                     int partition) {
  if (writers.empty()) {
    writers.resize(kSpillPartitions);
  }
  auto& writer = writers[static_cast<size_t>(partition)];
  if (writer == nullptr) {
    FLOE_ASSIGN_OR_RETURN(writer, directory.CreateFile());
  }
  return writer.get();
}

struct GroupRecord {
  std::vector<uint8_t> key;
  uint64_t hash = 0;
  std::unique_ptr<uint8_t[]> states;  // 16-byte aligned, as in the hash table.
};

Status ReadGroupRecord(SpillReader& reader, int64_t state_size, GroupRecord& record) {
  uint32_t key_size = 0;
  FLOE_RETURN_NOT_OK(reader.ReadValue(key_size));
  FLOE_RETURN_NOT_OK(reader.ReadValue(record.hash));
  record.key.resize(key_size);
  FLOE_RETURN_NOT_OK(reader.Read(record.key.data(), key_size));
  return reader.Read(record.states.get(), static_cast<size_t>(state_size));
}

struct DistinctRecord {
  uint64_t hash = 0;
  uint32_t aggregate = 0;
  std::string entry;
};

Status ReadDistinctRecord(SpillReader& reader, DistinctRecord& record) {
  uint32_t size = 0;
  FLOE_RETURN_NOT_OK(reader.ReadValue(record.hash));
  FLOE_RETURN_NOT_OK(reader.ReadValue(record.aggregate));
  FLOE_RETURN_NOT_OK(reader.ReadValue(size));
  record.entry.resize(size);
  return reader.Read(record.entry.data(), size);
}

Status WriteDistinctRecord(SpillWriter& writer, const DistinctRecord& record) {
  const auto size = static_cast<uint32_t>(record.entry.size());
  FLOE_RETURN_NOT_OK(writer.AppendValue(record.hash));
  FLOE_RETURN_NOT_OK(writer.AppendValue(record.aggregate));
  FLOE_RETURN_NOT_OK(writer.AppendValue(size));
  return writer.Append(record.entry.data(), size);
}
}  // namespace

Status HashAggregateOperator::SpillLocal(QueryContext& context, LocalState& local) {
  SpillDirectory& directory = *context.spill_directory();
  AggregateHashTable& table = local.table;
  const int64_t held = table.reserved_bytes() + local.distinct_reservation.bytes();
  int64_t peak = profile().peak_memory.load(std::memory_order_relaxed);
  while (held > peak &&
         !profile().peak_memory.compare_exchange_weak(peak, held, std::memory_order_relaxed)) {
  }
  for (int64_t g = 0; g < table.num_groups(); ++g) {
    FLOE_ASSIGN_OR_RETURN(
        SpillWriter * writer,
        PartitionWriter(directory, local.group_writers, SpillPartitionOf(table.hash(g), 0)));
    FLOE_RETURN_NOT_OK(writer->AppendValue(table.key_size(g)));
    FLOE_RETURN_NOT_OK(writer->AppendValue(table.hash(g)));
    FLOE_RETURN_NOT_OK(writer->Append(table.key(g), table.key_size(g)));
    FLOE_RETURN_NOT_OK(writer->Append(table.states(g), static_cast<size_t>(table.state_size())));
  }
  DistinctRecord record;
  for (size_t a = 0; a < local.distinct.size(); ++a) {
    for (const std::string& entry : local.distinct[a]) {
      uint32_t key_size;
      std::memcpy(&key_size, entry.data(), 4);
      record.hash =
          groups_.empty()
              ? 0
              : HashKeyBytes(reinterpret_cast<const uint8_t*>(entry.data()) + 4, key_size);
      record.aggregate = static_cast<uint32_t>(a);
      record.entry = entry;
      FLOE_ASSIGN_OR_RETURN(
          SpillWriter * writer,
          PartitionWriter(directory, local.distinct_writers, SpillPartitionOf(record.hash, 0)));
      FLOE_RETURN_NOT_OK(WriteDistinctRecord(*writer, record));
    }
    std::unordered_set<std::string>().swap(local.distinct[a]);
  }
  table.Clear();
  local.distinct_reservation.Reset();
  spilled_.store(true, std::memory_order_relaxed);
  return Status::OK();
}

Status HashAggregateOperator::SpillIdleStates(QueryContext& context, const LocalState& busy) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (LocalState* other : sink_state_list_) {
    if (other == &busy || !other->mutex.try_lock()) {
      continue;
    }
    std::lock_guard<std::mutex> other_lock(other->mutex, std::adopt_lock);
    FLOE_RETURN_NOT_OK(SpillLocal(context, *other));
  }
  return Status::OK();
}

Status HashAggregateOperator::AddSpillFile(std::unique_ptr<SpillWriter> writer,
                                           std::vector<SpillFile>& files) {
  if (writer == nullptr) {
    return Status::OK();
  }
  FLOE_ASSIGN_OR_RETURN(SpillFile file, writer->Finish());
  profile().spilled_bytes.fetch_add(file.size(), std::memory_order_relaxed);
  profile().spilled_files.fetch_add(1, std::memory_order_relaxed);
  files.push_back(std::move(file));
  return Status::OK();
}

Status HashAggregateOperator::FinishSpill(QueryContext& context) {
  sink_state_list_.clear();
  spilled_runs_.clear();
  spilled_runs_.resize(kSpillPartitions);
  for (auto& local : locals_) {
    FLOE_RETURN_NOT_OK(SpillLocal(context, *local));
    for (size_t p = 0; p < local->group_writers.size(); ++p) {
      FLOE_RETURN_NOT_OK(AddSpillFile(std::move(local->group_writers[p]), spilled_runs_[p].groups));
    }
    for (size_t p = 0; p < local->distinct_writers.size(); ++p) {
      FLOE_RETURN_NOT_OK(
          AddSpillFile(std::move(local->distinct_writers[p]), spilled_runs_[p].distinct));
    }
  }
  locals_.clear();
  // Splits partitions that would not fit now, in parallel, so that each output morsel merges
  // a part that fits and hands on a bounded number of rows.
  std::vector<std::vector<std::pair<SpillRun, int>>> split(spilled_runs_.size());
  FLOE_RETURN_NOT_OK(context.scheduler().ParallelFor(
      static_cast<int64_t>(spilled_runs_.size()),
      [&](int64_t p) -> Status {
        return SplitLargeRun(context, std::move(spilled_runs_[static_cast<size_t>(p)]), 0,
                             split[static_cast<size_t>(p)]);
      },
      context.max_threads()));
  spilled_runs_.clear();
  spilled_levels_.clear();
  output_morsels_.clear();
  for (auto& runs : split) {
    for (auto& [run, level] : runs) {
      output_morsels_.push_back({spilled_runs_.size(), 0});
      spilled_runs_.push_back(std::move(run));
      spilled_levels_.push_back(level);
    }
  }
  return Status::OK();
}

int64_t HashAggregateOperator::ExpectedThreads(QueryContext& context) const {
  // Threads make their states one by one; the cap must hold from the first batch on.
  const int64_t threads =
      context.max_threads() > 0 ? context.max_threads() : context.scheduler().num_workers() + 1;
  return std::max<int64_t>({1, threads, sink_states_.load(std::memory_order_relaxed)});
}

bool HashAggregateOperator::IsTooBigToMerge(QueryContext& context, const SpillRun& run) const {
  // A partition whose estimated table would take more than its share of a quarter of the
  // budget is split before merging: the operators above need memory for these groups too.
  // A table takes about twice the bytes of its group records, a DISTINCT set three times.
  int64_t estimate = 0;
  for (const SpillFile& file : run.groups) {
    estimate += 2 * file.size();
  }
  for (const SpillFile& file : run.distinct) {
    estimate += 3 * file.size();
  }
  return context.tracker() != nullptr &&
         estimate > context.tracker()->limit() / 4 / ExpectedThreads(context);
}

Status HashAggregateOperator::SplitLargeRun(QueryContext& context, SpillRun run, int level,
                                            std::vector<std::pair<SpillRun, int>>& runs) {
  FLOE_RETURN_NOT_OK(context.CheckCancelled());
  if (run.groups.empty()) {
    return Status::OK();
  }
  if (level >= kMaxSpillLevel || groups_.empty() || !IsTooBigToMerge(context, run)) {
    runs.emplace_back(std::move(run), level);
    return Status::OK();
  }
  FLOE_ASSIGN_OR_RETURN(std::vector<SpillRun> parts, Repartition(context, run, level + 1));
  run = SpillRun();
  for (SpillRun& part : parts) {
    FLOE_RETURN_NOT_OK(SplitLargeRun(context, std::move(part), level + 1, runs));
  }
  return Status::OK();
}

Status HashAggregateOperator::ReadSpilled(QueryContext& context, SpillRun run, int level,
                                          std::vector<Batch>& output) {
  FLOE_RETURN_NOT_OK(context.CheckCancelled());
  if (run.groups.empty()) {
    return Status::OK();
  }
  // A part that cannot be split further is merged if it fits at all.
  const bool too_big = level < kMaxSpillLevel && !groups_.empty() && IsTooBigToMerge(context, run);
  std::vector<Batch> merged;
  Status status = too_big ? Status::ResourceExhausted("partition too large to merge")
                          : MergeSpilled(context, run, merged);
  if (status.ok()) {
    std::move(merged.begin(), merged.end(), std::back_inserter(output));
    return Status::OK();
  }
  // Without keys every record has hash 0: splitting further cannot help.
  if (status.code() != StatusCode::kResourceExhausted || level >= kMaxSpillLevel ||
      groups_.empty()) {
    return status;
  }
  merged.clear();
  FLOE_ASSIGN_OR_RETURN(std::vector<SpillRun> parts, Repartition(context, run, level + 1));
  run = SpillRun();  // The split copies replace the files of this partition.
  for (SpillRun& part : parts) {
    FLOE_RETURN_NOT_OK(ReadSpilled(context, std::move(part), level + 1, output));
  }
  return Status::OK();
}

Status HashAggregateOperator::MergeSpilled(QueryContext& context, const SpillRun& run,
                                           std::vector<Batch>& output) {
  AggregateHashTable table(functions_, context.tracker());
  GroupRecord record;
  record.states = std::make_unique<uint8_t[]>(static_cast<size_t>(table.state_size()));
  for (const SpillFile& file : run.groups) {
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<SpillReader> reader, SpillReader::Open(file));
    while (!reader->AtEnd()) {
      FLOE_RETURN_NOT_OK(ReadGroupRecord(*reader, table.state_size(), record));
      FLOE_ASSIGN_OR_RETURN(
          int64_t group, table.FindOrInsert(record.key.data(),
                                            static_cast<uint32_t>(record.key.size()), record.hash));
      for (size_t a = 0; a < aggregates_.size(); ++a) {
        if (aggregates_[a].is_distinct) {
          continue;  // Its state is still fresh: DISTINCT values are folded in below.
        }
        FLOE_RETURN_NOT_OK(aggregates_[a].function.combine(
            context.function_context(), record.states.get() + table.state_offset(a),
            table.states(group) + table.state_offset(a)));
      }
    }
  }
  if (has_distinct_) {
    std::vector<std::unordered_set<std::string>> sets(aggregates_.size());
    MemoryReservation reservation(context.tracker());
    DistinctRecord entry;
    for (const SpillFile& file : run.distinct) {
      FLOE_ASSIGN_OR_RETURN(std::unique_ptr<SpillReader> reader, SpillReader::Open(file));
      while (!reader->AtEnd()) {
        FLOE_RETURN_NOT_OK(ReadDistinctRecord(*reader, entry));
        if (entry.aggregate >= sets.size()) {
          return Status::Corruption("spill file {} names aggregate {}", file.path(),
                                    entry.aggregate);
        }
        auto& set = sets[entry.aggregate];
        if (set.count(entry.entry) == 0) {
          FLOE_RETURN_NOT_OK(
              reservation.Grow(static_cast<int64_t>(entry.entry.size()) + kDistinctEntryOverhead));
          set.insert(entry.entry);
        }
      }
    }
    for (size_t a = 0; a < aggregates_.size(); ++a) {
      if (aggregates_[a].is_distinct) {
        FLOE_RETURN_NOT_OK(FoldDistinctSet(
            context, a, sets[a], [&](uint64_t) -> const AggregateHashTable& { return table; }));
      }
    }
  }
  for (int64_t first = 0; first < table.num_groups(); first += Batch::kDefaultBatchSize) {
    FLOE_RETURN_NOT_OK(EmitGroups(context, table, first, output));
  }
  return Status::OK();
}

Result<std::vector<HashAggregateOperator::SpillRun>> HashAggregateOperator::Repartition(
    QueryContext& context, const SpillRun& run, int level) {
  SpillDirectory& directory = *context.spill_directory();
  std::vector<std::unique_ptr<SpillWriter>> group_writers;
  std::vector<std::unique_ptr<SpillWriter>> distinct_writers;
  const int64_t state_size = AggregateHashTable(functions_, nullptr).state_size();
  GroupRecord record;
  record.states = std::make_unique<uint8_t[]>(static_cast<size_t>(state_size));
  for (const SpillFile& file : run.groups) {
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<SpillReader> reader, SpillReader::Open(file));
    while (!reader->AtEnd()) {
      FLOE_RETURN_NOT_OK(ReadGroupRecord(*reader, state_size, record));
      FLOE_ASSIGN_OR_RETURN(
          SpillWriter * writer,
          PartitionWriter(directory, group_writers, SpillPartitionOf(record.hash, level)));
      const auto key_size = static_cast<uint32_t>(record.key.size());
      FLOE_RETURN_NOT_OK(writer->AppendValue(key_size));
      FLOE_RETURN_NOT_OK(writer->AppendValue(record.hash));
      FLOE_RETURN_NOT_OK(writer->Append(record.key.data(), key_size));
      FLOE_RETURN_NOT_OK(writer->Append(record.states.get(), static_cast<size_t>(state_size)));
    }
  }
  DistinctRecord entry;
  for (const SpillFile& file : run.distinct) {
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<SpillReader> reader, SpillReader::Open(file));
    while (!reader->AtEnd()) {
      FLOE_RETURN_NOT_OK(ReadDistinctRecord(*reader, entry));
      FLOE_ASSIGN_OR_RETURN(
          SpillWriter * writer,
          PartitionWriter(directory, distinct_writers, SpillPartitionOf(entry.hash, level)));
      FLOE_RETURN_NOT_OK(WriteDistinctRecord(*writer, entry));
    }
  }
  std::vector<SpillRun> parts(kSpillPartitions);
  for (size_t p = 0; p < group_writers.size(); ++p) {
    FLOE_RETURN_NOT_OK(AddSpillFile(std::move(group_writers[p]), parts[p].groups));
  }
  for (size_t p = 0; p < distinct_writers.size(); ++p) {
    FLOE_RETURN_NOT_OK(AddSpillFile(std::move(distinct_writers[p]), parts[p].distinct));
  }
  return parts;
}

}  // namespace floe::sql::execution
