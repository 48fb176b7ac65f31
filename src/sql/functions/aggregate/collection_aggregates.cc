// string_agg, array_agg and any_value. Their states own heap memory (the text or the values
// collected), freed by destroy. Rows arrive in the order the aggregate operator feeds them, which
// is how ORDER BY inside the call is honoured.

#include <string>
#include <vector>

#include "sql/functions/aggregate/aggregate_internal.h"
#include "sql/functions/registration_internal.h"
#include "types/value.h"

namespace floe::sql::internal {
namespace {

using types::LogicalType;
using types::TypeId;
using types::Value;
using vector::Vector;
using vector::VectorBuilder;

struct StringAggState {
  std::string text;
  // The delimiter of the first row, which goes between this state's text and the text before
  // it when states are combined.
  std::string first_delimiter;
  int64_t count = 0;
};

AggregateFunction StringAgg(const LogicalType& type) {
  AggregateFunction function;
  function.return_type = type;
  SetStateType<StringAggState>(function);
  function.update = [](FunctionContext&, std::span<const Vector> args, int64_t rows,
                       uint8_t* const* states) -> Status {
    for (int64_t row = 0; row < rows; ++row) {
      if (args[0].IsNull(row)) {
        continue;
      }
      StringAggState& state = StateOf<StringAggState>(states[row]);
      // A NULL delimiter joins with nothing, as in PostgreSQL.
      std::string_view delimiter = args[1].IsNull(row) ? "" : args[1].GetString(row);
      if (state.count == 0) {
        state.first_delimiter.assign(delimiter);
      } else {
        state.text.append(delimiter);
      }
      state.text.append(args[0].GetString(row));
      ++state.count;
    }
    return Status::OK();
  };
  function.combine = [](FunctionContext&, const uint8_t* source_bytes, uint8_t* target_bytes) {
    const StringAggState& source = StateOf<StringAggState>(source_bytes);
    StringAggState& target = StateOf<StringAggState>(target_bytes);
    if (source.count == 0) {
      return Status::OK();
    }
    if (target.count == 0) {
      target.first_delimiter = source.first_delimiter;
    } else {
      target.text.append(source.first_delimiter);
    }
    target.text.append(source.text);
    target.count += source.count;
    return Status::OK();
  };
  function.finalize = [](FunctionContext&, const uint8_t* const* states, int64_t count,
                         VectorBuilder& out) -> Status {
    for (int64_t index = 0; index < count; ++index) {
      const StringAggState& state = StateOf<StringAggState>(states[index]);
      FLOE_RETURN_NOT_OK(state.count == 0 ? out.AppendNull() : out.AppendString(state.text));
    }
    return Status::OK();
  };
  return function;
}

struct ArrayAggState {
  std::vector<Value> values;
  int64_t count = 0;
};

// array_agg keeps NULL elements, unlike the other aggregates.
AggregateFunction ArrayAgg(const LogicalType& element) {
  AggregateFunction function;
  function.return_type = LogicalType::List(element);
  SetStateType<ArrayAggState>(function);
  function.update = [](FunctionContext&, std::span<const Vector> args, int64_t rows,
                       uint8_t* const* states) -> Status {
    for (int64_t row = 0; row < rows; ++row) {
      ArrayAggState& state = StateOf<ArrayAggState>(states[row]);
      FLOE_ASSIGN_OR_RETURN(Value value, args[0].GetValue(row));
      state.values.push_back(std::move(value));
      ++state.count;
    }
    return Status::OK();
  };
  function.combine = [](FunctionContext&, const uint8_t* source_bytes, uint8_t* target_bytes) {
    const ArrayAggState& source = StateOf<ArrayAggState>(source_bytes);
    ArrayAggState& target = StateOf<ArrayAggState>(target_bytes);
    target.values.insert(target.values.end(), source.values.begin(), source.values.end());
    target.count += source.count;
    return Status::OK();
  };
  function.finalize = [element](FunctionContext&, const uint8_t* const* states, int64_t count,
                                VectorBuilder& out) -> Status {
    for (int64_t index = 0; index < count; ++index) {
      const ArrayAggState& state = StateOf<ArrayAggState>(states[index]);
      if (state.count == 0) {
        FLOE_RETURN_NOT_OK(out.AppendNull());
        continue;
      }
      FLOE_RETURN_NOT_OK(out.AppendValue(Value::List(element, state.values)));
    }
    return Status::OK();
  };
  return function;
}

struct AnyValueState {
  Value value;
  bool has_value = false;
};

// PostgreSQL 16's any_value: some non-NULL value of the group (here the first one fed), NULL
// when there is none. It serves any type, so the state holds a Value.
AggregateFunction AnyValue(const LogicalType& type) {
  AggregateFunction function;
  function.return_type = type;
  SetStateType<AnyValueState>(function);
  function.update = [](FunctionContext&, std::span<const Vector> args, int64_t rows,
                       uint8_t* const* states) -> Status {
    for (int64_t row = 0; row < rows; ++row) {
      AnyValueState& state = StateOf<AnyValueState>(states[row]);
      if (state.has_value || args[0].IsNull(row)) {
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(state.value, args[0].GetValue(row));
      state.has_value = true;
    }
    return Status::OK();
  };
  function.combine = [](FunctionContext&, const uint8_t* source_bytes, uint8_t* target_bytes) {
    const AnyValueState& source = StateOf<AnyValueState>(source_bytes);
    AnyValueState& target = StateOf<AnyValueState>(target_bytes);
    if (!target.has_value && source.has_value) {
      target.value = source.value;
      target.has_value = true;
    }
    return Status::OK();
  };
  function.finalize = [](FunctionContext&, const uint8_t* const* states, int64_t count,
                         VectorBuilder& out) -> Status {
    for (int64_t index = 0; index < count; ++index) {
      const AnyValueState& state = StateOf<AnyValueState>(states[index]);
      FLOE_RETURN_NOT_OK(state.has_value ? out.AppendValue(state.value) : out.AppendNull());
    }
    return Status::OK();
  };
  return function;
}

}  // namespace

void RegisterCollectionAggregates(FunctionRegistry& registry) {
  for (TypeId id : {TypeId::kVarchar, TypeId::kBytea}) {
    registry.AddAggregate(
        AggregateOverload{"string_agg", Specs({id, id}),
                          [](std::span<const LogicalType> types) -> Result<AggregateFunction> {
                            return StringAgg(types[0]);
                          }});
  }
  registry.AddAggregate(AggregateOverload{
      "array_agg",
      {ArgumentSpec::AnyElement()},
      [](std::span<const LogicalType> types) -> Result<AggregateFunction> {
        LogicalType element = types[0].id() == TypeId::kNull ? LogicalType::Varchar() : types[0];
        return ArrayAgg(element);
      }});
  registry.AddAggregate(AggregateOverload{
      "any_value",
      {ArgumentSpec::AnyElement()},
      [](std::span<const LogicalType> types) -> Result<AggregateFunction> {
        LogicalType type = types[0].id() == TypeId::kNull ? LogicalType::Varchar() : types[0];
        return AnyValue(type);
      }});
}

}  // namespace floe::sql::internal
