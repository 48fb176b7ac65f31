#include "sql/execution/operators/set_operation.h"

#include <algorithm>
#include <cstring>

#include "sql/execution/expression.h"
#include "sql/execution/operators/projection.h"
#include "sql/execution/operators/union_all.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution {

using vector::Batch;
using vector::Vector;

namespace {
struct SideCounts {
  int64_t left;
  int64_t right;
};

// Counts rows per side; its single argument is the side tag (0 left, 1 right).
AggregateFunction SideCounter() {
  AggregateFunction counter;
  counter.name = "side_count";
  counter.argument_types = {types::LogicalType::Integer()};
  counter.return_type = types::LogicalType::BigInt();
  counter.state_size = sizeof(SideCounts);
  counter.state_alignment = alignof(SideCounts);
  counter.initialize = [](uint8_t* state) {
    const SideCounts zero{0, 0};
    std::memcpy(state, &zero, sizeof(zero));
  };
  counter.update = [](FunctionContext& context, std::span<const Vector> args, int64_t rows,
                      uint8_t* const* states) -> Status {
    for (int64_t r = 0; r < rows; ++r) {
      auto* counts = reinterpret_cast<SideCounts*>(states[r]);
      if (args[0].Get<int32_t>(r) == 0) {
        ++counts->left;
      } else {
        ++counts->right;
      }
    }
    return Status::OK();
  };
  counter.combine = [](FunctionContext& context, const uint8_t* source, uint8_t* target) -> Status {
    const auto* from = reinterpret_cast<const SideCounts*>(source);
    auto* to = reinterpret_cast<SideCounts*>(target);
    to->left += from->left;
    to->right += from->right;
    return Status::OK();
  };
  counter.finalize = [](FunctionContext& context, const uint8_t* const* states, int64_t count,
                        vector::VectorBuilder& out) -> Status {
    return Status::Internal("side counts are read directly");
  };
  return counter;
}

PhysicalOperatorPtr Tagged(PhysicalOperatorPtr input, int32_t tag) {
  std::vector<ExpressionPtr> columns;
  std::vector<std::string> names;
  const auto& schema = *input->output_schema();
  for (int64_t c = 0; c < schema.num_fields(); ++c) {
    columns.push_back(Expression::ColumnRef(c, schema.field(c).type, schema.field(c).name));
    names.push_back(schema.field(c).name);
  }
  columns.push_back(Expression::Constant(types::Value::Integer(tag)));
  names.push_back("side");
  return std::make_unique<ProjectionOperator>(std::move(input), std::move(columns),
                                              std::move(names));
}

std::shared_ptr<const vector::Schema> NullableSchema(const vector::Schema& schema) {
  std::vector<vector::Field> fields = schema.fields();
  for (auto& field : fields) {
    field.is_nullable = true;
  }
  return std::make_shared<const vector::Schema>(std::move(fields));
}
}  // namespace

struct SetOperationOperator::LocalState : OperatorState {
  LocalState(std::span<const AggregateFunction* const> functions, MemoryTracker* tracker)
      : table(functions, tracker) {}
  AggregateHashTable table;
  std::vector<uint8_t> key_bytes;
  std::vector<uint32_t> key_offsets;
  std::vector<uint8_t*> states;
};

SetOperationOperator::SetOperationOperator(PhysicalOperatorPtr left, PhysicalOperatorPtr right,
                                           SetOperationKind kind, bool all)
    : PhysicalOperator(NullableSchema(*left->output_schema()), {}),
      kind_(kind),
      all_(all),
      num_columns_(left->output_schema()->num_fields()),
      counter_(SideCounter()) {
  std::vector<types::LogicalType> types;
  for (int64_t c = 0; c < num_columns_; ++c) {
    types.push_back(left->output_schema()->field(c).type);
    if (c >= right->output_schema()->num_fields() ||
        !(right->output_schema()->field(c).type == types.back())) {
      init_status_ = Status::Internal("set operation inputs have different column types");
    }
  }
  if (right->output_schema()->num_fields() != num_columns_) {
    init_status_ = Status::Internal("set operation inputs have different numbers of columns");
  }
  auto encoder = RowKeyEncoder::Make(std::move(types));
  if (encoder.ok()) {
    encoder_ = std::move(encoder).value();
  } else if (init_status_.ok()) {
    init_status_ = encoder.status();
  }
  std::vector<PhysicalOperatorPtr> sides;
  sides.push_back(Tagged(std::move(left), 0));
  sides.push_back(Tagged(std::move(right), 1));
  AddChild(std::make_unique<UnionAllOperator>(std::move(sides)));
}

SetOperationOperator::~SetOperationOperator() = default;

std::string SetOperationOperator::Name() const {
  std::string name = kind_ == SetOperationKind::kUnion       ? "UNION"
                     : kind_ == SetOperationKind::kIntersect ? "INTERSECT"
                                                             : "EXCEPT";
  return all_ ? name + "_ALL" : name;
}

int64_t SetOperationOperator::Copies(int64_t left, int64_t right) const {
  switch (kind_) {
    case SetOperationKind::kUnion:
      return all_ ? left + right : 1;
    case SetOperationKind::kIntersect:
      return all_ ? std::min(left, right) : (left > 0 && right > 0 ? 1 : 0);
    case SetOperationKind::kExcept:
      return all_ ? std::max<int64_t>(left - right, 0) : (left > 0 && right == 0 ? 1 : 0);
  }
  return 0;
}

Result<std::unique_ptr<OperatorState>> SetOperationOperator::MakeSinkState(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  const AggregateFunction* functions[] = {&counter_};
  return std::unique_ptr<OperatorState>(std::make_unique<LocalState>(functions, context.tracker()));
}

Status SetOperationOperator::Sink(QueryContext& context, OperatorState* state, const Batch& input) {
  auto& local = static_cast<LocalState&>(*state);
  const int64_t rows = input.num_rows();
  std::span<const Vector> keys(input.columns().data(), static_cast<size_t>(num_columns_));
  encoder_.Encode(keys, rows, local.key_bytes, local.key_offsets);
  local.states.resize(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    const uint32_t begin = local.key_offsets[static_cast<size_t>(r)];
    const uint32_t size = local.key_offsets[static_cast<size_t>(r) + 1] - begin;
    const uint8_t* key = local.key_bytes.data() + begin;
    FLOE_ASSIGN_OR_RETURN(int64_t group,
                          local.table.FindOrInsert(key, size, HashKeyBytes(key, size)));
    local.states[static_cast<size_t>(r)] = local.table.states(group);
  }
  const Vector& side = input.column(num_columns_);
  return counter_.update(context.function_context(), std::span<const Vector>(&side, 1), rows,
                         local.states.data());
}

Status SetOperationOperator::CombineSink(QueryContext& context,
                                         std::unique_ptr<OperatorState> state) {
  if (state == nullptr) {
    return Status::OK();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  locals_.push_back(std::unique_ptr<LocalState>(static_cast<LocalState*>(state.release())));
  return Status::OK();
}

Status SetOperationOperator::FinalizeSink(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  std::lock_guard<std::mutex> lock(mutex_);
  const AggregateFunction* functions[] = {&counter_};
  result_ = std::make_unique<AggregateHashTable>(functions, context.tracker());
  for (const auto& local : locals_) {
    FLOE_RETURN_NOT_OK(result_->Merge(context.function_context(), local->table));
  }
  locals_.clear();
  output_groups_.clear();
  morsel_starts_.assign(1, 0);
  int64_t rows_in_morsel = 0;
  for (int64_t group = 0; group < result_->num_groups(); ++group) {
    const auto* counts = reinterpret_cast<const SideCounts*>(result_->states(group));
    int64_t copies = Copies(counts->left, counts->right);
    while (copies > 0) {
      const int64_t take = std::min(copies, Batch::kDefaultBatchSize - rows_in_morsel);
      output_groups_.emplace_back(group, take);
      copies -= take;
      rows_in_morsel += take;
      if (rows_in_morsel == Batch::kDefaultBatchSize) {
        morsel_starts_.push_back(output_groups_.size());
        rows_in_morsel = 0;
      }
    }
  }
  if (morsel_starts_.back() != output_groups_.size()) {
    morsel_starts_.push_back(output_groups_.size());
  }
  return Status::OK();
}

Result<int64_t> SetOperationOperator::PrepareSource(QueryContext& context) {
  return static_cast<int64_t>(morsel_starts_.size()) - 1;
}

Status SetOperationOperator::ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                                        std::vector<Batch>& output) {
  std::vector<vector::VectorBuilder> builders;
  for (const auto& type : encoder_.types()) {
    builders.emplace_back(type, context.tracker());
  }
  int64_t rows = 0;
  for (size_t i = morsel_starts_[static_cast<size_t>(morsel)];
       i < morsel_starts_[static_cast<size_t>(morsel) + 1]; ++i) {
    const auto& [group, copies] = output_groups_[i];
    for (int64_t copy = 0; copy < copies; ++copy) {
      FLOE_RETURN_NOT_OK(encoder_.Decode(result_->key(group), builders));
    }
    rows += copies;
  }
  std::vector<Vector> columns;
  for (auto& builder : builders) {
    FLOE_ASSIGN_OR_RETURN(Vector column, builder.Finish());
    columns.push_back(std::move(column));
  }
  FLOE_ASSIGN_OR_RETURN(Batch batch, Batch::Make(output_schema(), std::move(columns), rows));
  output.push_back(std::move(batch));
  return Status::OK();
}

}  // namespace floe::sql::execution
