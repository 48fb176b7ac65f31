#include "sql/execution/operators/hash_aggregate.h"

#include <cstring>
#include <string>
#include <unordered_set>

#include "sql/execution/expression_evaluator.h"
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
};

namespace {
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
  return std::unique_ptr<OperatorState>(std::move(state));
}

Status HashAggregateOperator::Sink(QueryContext& context, OperatorState* state,
                                   const Batch& input) {
  auto& local = static_cast<LocalState&>(*state);
  const int64_t rows = input.num_rows();
  std::vector<Vector> keys;
  keys.reserve(groups_.size());
  for (const auto& group : groups_) {
    FLOE_ASSIGN_OR_RETURN(Vector key, local.evaluator.Evaluate(*group, input));
    keys.push_back(std::move(key));
  }
  key_encoder_.Encode(keys, rows, local.key_bytes, local.key_offsets);
  local.groups.resize(static_cast<size_t>(rows));
  const uint8_t* key_data = local.key_bytes.data();
  if (groups_.empty()) {
    FLOE_ASSIGN_OR_RETURN(int64_t group, local.table.FindOrInsert(key_data, 0, 0));
    std::fill(local.groups.begin(), local.groups.end(), group);
  } else {
    local.hashes.resize(static_cast<size_t>(rows));
    for (int64_t r = 0; r < rows; ++r) {
      const uint32_t begin = local.key_offsets[static_cast<size_t>(r)];
      local.hashes[static_cast<size_t>(r)] =
          HashKeyBytes(key_data + begin, local.key_offsets[static_cast<size_t>(r) + 1] - begin);
    }
    FLOE_RETURN_NOT_OK(local.table.FindOrInsertBatch(
        key_data, local.key_offsets.data(), local.hashes.data(), rows, local.groups.data()));
  }
  local.state_pointers.resize(static_cast<size_t>(rows));
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    const AggregateSpec& aggregate = aggregates_[a];
    std::vector<Vector> args;
    for (const auto& argument : aggregate.arguments) {
      FLOE_ASSIGN_OR_RETURN(Vector arg, local.evaluator.Evaluate(*argument, input));
      args.push_back(std::move(arg));
    }
    if (aggregate.is_distinct) {
      std::vector<uint8_t> arg_bytes;
      std::vector<uint32_t> arg_offsets;
      argument_encoders_[a].Encode(args, rows, arg_bytes, arg_offsets);
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
      continue;
    }
    const int64_t offset = local.table.state_offset(a);
    for (int64_t r = 0; r < rows; ++r) {
      local.state_pointers[static_cast<size_t>(r)] =
          local.table.states(local.groups[static_cast<size_t>(r)]) + offset;
    }
    FLOE_RETURN_NOT_OK(aggregate.function.update(context.function_context(), args, rows,
                                                 local.state_pointers.data()));
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
    for (const std::string& entry : merged) {
      uint32_t key_size;
      std::memcpy(&key_size, entry.data(), 4);
      const uint8_t* key = reinterpret_cast<const uint8_t*>(entry.data()) + 4;
      const uint64_t hash = groups_.empty() ? 0 : HashKeyBytes(key, key_size);
      const AggregateHashTable& table = *results_[static_cast<size_t>(
          AggregateHashTable::PartitionOf(hash, static_cast<int>(results_.size())))];
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
  }
  return Status::OK();
}

Result<int64_t> HashAggregateOperator::PrepareSource(QueryContext& context) {
  if (results_.empty()) {
    return Status::Internal("aggregate read before its input was complete");
  }
  return static_cast<int64_t>(output_morsels_.size());
}

Status HashAggregateOperator::ReadMorsel(QueryContext& context, OperatorState* state,
                                         int64_t morsel, std::vector<Batch>& output) {
  const OutputMorsel& target = output_morsels_[static_cast<size_t>(morsel)];
  const AggregateHashTable& table = *results_[target.partition];
  const int64_t first = target.first_group;
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

}  // namespace floe::sql::execution
