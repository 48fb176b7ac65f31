#include "sql/functions/aggregate/ordered_aggregate.h"

#include <algorithm>
#include <cstddef>
#include <memory>
#include <numeric>
#include <string>
#include <utility>

#include "sql/functions/aggregate/aggregate_internal.h"
#include "types/value.h"
#include "vector/batch.h"

namespace floe::sql {

using types::LogicalType;
using types::Value;
using vector::Vector;
using vector::VectorBuilder;

bool IsOrderSensitiveAggregate(std::string_view name) {
  return name == "array_agg" || name == "string_agg";
}

bool IsOrderedSetAggregate(std::string_view name) {
  return name == "percentile_cont" || name == "percentile_disc" || name == "mode";
}

namespace {

using internal::SetStateType;
using internal::StateOf;

// The rows of one group, `width` values each, row after row.
struct BufferedRows {
  std::vector<Value> values;
  MemoryReservation reservation;
};

// What a value costs in the buffer: the Value itself and what it owns.
int64_t ValueBytes(const Value& value) {
  int64_t bytes = static_cast<int64_t>(sizeof(Value));
  if (value.is_null()) {
    return bytes;
  }
  switch (value.type().id()) {
    case types::TypeId::kVarchar:
    case types::TypeId::kBytea:
      return bytes + static_cast<int64_t>(value.string_value().size());
    case types::TypeId::kList:
    case types::TypeId::kStruct:
    case types::TypeId::kMap:
      for (const Value& child : value.children()) {
        bytes += ValueBytes(child);
      }
      return bytes;
    default:
      return bytes;
  }
}

// One sort key's order of two values: NULLs where the key puts them, others by Value::Compare
// (which orders NaN above every number, as PostgreSQL does).
int CompareByKey(const Value& a, const Value& b, const AggregateOrderKey& key) {
  if (a.is_null() || b.is_null()) {
    if (a.is_null() && b.is_null()) {
      return 0;
    }
    return a.is_null() == key.is_nulls_first ? -1 : 1;
  }
  int order = a.Compare(b);
  return key.is_descending ? -order : order;
}

// A state of the wrapped aggregate, made fresh for one group's sorted rows and destroyed after.
class InnerState {
 public:
  explicit InnerState(const AggregateFunction& function)
      : function_(function),
        storage_(static_cast<size_t>(function.state_size) / sizeof(std::max_align_t) + 1) {
    function_.initialize(data());
  }
  InnerState(const InnerState&) = delete;
  InnerState& operator=(const InnerState&) = delete;
  ~InnerState() {
    if (function_.destroy) {
      function_.destroy(data());
    }
  }
  uint8_t* data() { return reinterpret_cast<uint8_t*>(storage_.data()); }

 private:
  const AggregateFunction& function_;
  std::vector<std::max_align_t> storage_;
};

struct OrderedAggregate {
  AggregateFunction inner;
  size_t num_arguments = 0;
  std::vector<LogicalType> input_types;
  std::vector<AggregateOrderKey> keys;
  bool has_filter = false;

  size_t width() const { return input_types.size(); }

  Status Update(FunctionContext& context, std::span<const Vector> args, int64_t rows,
                uint8_t* const* states) const {
    std::vector<Value> row_values(width());
    for (int64_t row = 0; row < rows; ++row) {
      if (has_filter) {
        const Vector& filter = args[width()];
        if (filter.IsNull(row)) {
          continue;
        }
        FLOE_ASSIGN_OR_RETURN(Value keep, filter.GetValue(row));
        if (!keep.boolean_value()) {
          continue;
        }
      }
      int64_t bytes = 0;
      for (size_t column = 0; column < width(); ++column) {
        FLOE_ASSIGN_OR_RETURN(row_values[column], args[column].GetValue(row));
        bytes += ValueBytes(row_values[column]);
      }
      BufferedRows& state = StateOf<BufferedRows>(states[row]);
      if (state.reservation.tracker() == nullptr && state.reservation.bytes() == 0) {
        state.reservation = MemoryReservation(context.tracker);
      }
      FLOE_RETURN_NOT_OK(state.reservation.Grow(bytes));
      for (Value& value : row_values) {
        state.values.push_back(std::move(value));
      }
    }
    return Status::OK();
  }

  static Status Combine(FunctionContext& context, const uint8_t* source_bytes,
                        uint8_t* target_bytes) {
    const BufferedRows& source = StateOf<BufferedRows>(source_bytes);
    BufferedRows& target = StateOf<BufferedRows>(target_bytes);
    if (source.values.empty()) {
      return Status::OK();
    }
    if (target.reservation.tracker() == nullptr && target.reservation.bytes() == 0) {
      target.reservation = MemoryReservation(context.tracker);
    }
    FLOE_RETURN_NOT_OK(target.reservation.Grow(source.reservation.bytes()));
    target.values.insert(target.values.end(), source.values.begin(), source.values.end());
    return Status::OK();
  }

  // Returns the row numbers of `state` in key order; rows that tie keep their buffer order.
  std::vector<size_t> SortedRows(const BufferedRows& state) const {
    const size_t rows = state.values.size() / width();
    std::vector<size_t> order(rows);
    std::iota(order.begin(), order.end(), size_t{0});
    const Value* values = state.values.data();
    const size_t stride = width();
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      for (const AggregateOrderKey& key : keys) {
        int result =
            CompareByKey(values[a * stride + key.column], values[b * stride + key.column], key);
        if (result != 0) {
          return result < 0;
        }
      }
      return false;
    });
    return order;
  }

  // Feeds the rows of `state`, in `order`, to `target` in batches.
  Status Feed(FunctionContext& context, const BufferedRows& state, const std::vector<size_t>& order,
              uint8_t* target) const {
    const size_t stride = width();
    for (size_t first = 0; first < order.size();
         first += static_cast<size_t>(vector::Batch::kDefaultBatchSize)) {
      const size_t count =
          std::min(order.size() - first, static_cast<size_t>(vector::Batch::kDefaultBatchSize));
      std::vector<Vector> args;
      for (size_t column = 0; column < num_arguments; ++column) {
        VectorBuilder builder(input_types[column], context.tracker);
        for (size_t i = first; i < first + count; ++i) {
          FLOE_RETURN_NOT_OK(builder.AppendValue(state.values[order[i] * stride + column]));
        }
        FLOE_ASSIGN_OR_RETURN(Vector arg, builder.Finish());
        args.push_back(std::move(arg));
      }
      std::vector<uint8_t*> states(count, target);
      FLOE_RETURN_NOT_OK(inner.update(context, args, static_cast<int64_t>(count), states.data()));
    }
    return Status::OK();
  }

  Status Finalize(FunctionContext& context, const uint8_t* const* states, int64_t count,
                  VectorBuilder& out) const {
    for (int64_t index = 0; index < count; ++index) {
      const BufferedRows& state = StateOf<BufferedRows>(states[index]);
      InnerState inner_state(inner);
      FLOE_RETURN_NOT_OK(Feed(context, state, SortedRows(state), inner_state.data()));
      const uint8_t* pointer = inner_state.data();
      FLOE_RETURN_NOT_OK(inner.finalize(context, &pointer, 1, out));
    }
    return Status::OK();
  }
};

}  // namespace

AggregateFunction MakeOrderedAggregate(AggregateFunction inner, size_t num_arguments,
                                       std::vector<LogicalType> input_types,
                                       std::vector<AggregateOrderKey> keys, bool has_filter) {
  AggregateFunction function;
  function.name = inner.name;
  function.return_type = inner.return_type;
  function.argument_types = input_types;
  if (has_filter) {
    function.argument_types.push_back(LogicalType::Boolean());
  }
  SetStateType<BufferedRows>(function);
  auto ordered = std::make_shared<const OrderedAggregate>(OrderedAggregate{
      std::move(inner), num_arguments, std::move(input_types), std::move(keys), has_filter});
  function.update = [ordered](FunctionContext& context, std::span<const Vector> args, int64_t rows,
                              uint8_t* const* states) {
    return ordered->Update(context, args, rows, states);
  };
  function.combine = &OrderedAggregate::Combine;
  function.finalize = [ordered](FunctionContext& context, const uint8_t* const* states,
                                int64_t count, VectorBuilder& out) {
    return ordered->Finalize(context, states, count, out);
  };
  return function;
}

}  // namespace floe::sql
