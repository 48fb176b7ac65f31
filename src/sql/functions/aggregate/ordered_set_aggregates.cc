// The ordered-set aggregates percentile_cont, percentile_disc and mode. They are called as
// name(direct arguments) WITHIN GROUP (ORDER BY x); their arguments here are the direct ones
// followed by x. Their kernels rely on MakeOrderedAggregate (ordered_aggregate.h) to feed each
// group's rows sorted by the WITHIN GROUP keys, so a state only collects the non-NULL values in
// arrival order and never needs combining. A percentile fraction is the same in every row of a
// group (the binder allows only expressions over no column), so the state keeps the first.

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sql/functions/aggregate/aggregate_internal.h"
#include "sql/functions/aggregate/ordered_aggregate.h"
#include "sql/functions/registration_internal.h"
#include "sql/functions/temporal_internal.h"
#include "types/cast.h"
#include "types/interval.h"
#include "types/value.h"

namespace floe::sql::internal {
namespace {

using types::Interval;
using types::LogicalType;
using types::TypeId;
using types::Value;
using vector::Vector;
using vector::VectorBuilder;

struct SortedValues {
  std::vector<Value> values;  // The non-NULL sorted values, in sort order.
  Value fraction;             // The direct argument of the first row (a percentile's).
  bool has_rows = false;
};

// Collects the sorted argument `value_index` and, when `has_fraction`, argument 0.
Status CollectSorted(std::span<const Vector> args, int64_t rows, uint8_t* const* states,
                     size_t value_index, bool has_fraction) {
  for (int64_t row = 0; row < rows; ++row) {
    SortedValues& state = StateOf<SortedValues>(states[row]);
    if (has_fraction && !state.has_rows) {
      FLOE_ASSIGN_OR_RETURN(state.fraction, args[0].GetValue(row));
    }
    state.has_rows = true;
    if (!args[value_index].IsNull(row)) {
      FLOE_ASSIGN_OR_RETURN(Value value, args[value_index].GetValue(row));
      state.values.push_back(std::move(value));
    }
  }
  return Status::OK();
}

Status NoCombine(FunctionContext&, const uint8_t*, uint8_t*) {
  return Status::Internal("ordered-set aggregate states are not combined");
}

// PostgreSQL checks the fraction before looking at the rows: NaN and values outside [0, 1]
// fail even for a group whose values are all NULL.
Status CheckFraction(double fraction) {
  if (std::isnan(fraction) || fraction < 0 || fraction > 1) {
    return Status::OutOfRange("percentile value {} is not between 0 and 1", fraction);
  }
  return Status::OK();
}

Result<Interval> MultiplyInterval(const Interval& interval, double factor) {
  Interval result;
  if (!ScaleInterval(interval, factor, &result)) {
    return Status::OutOfRange("interval out of range").WithSqlState("22008");
  }
  return result;
}

Result<Interval> AddIntervals(const Interval& a, const Interval& b, int sign) {
  Interval out;
  bool overflow = __builtin_add_overflow(a.months, sign * int64_t{b.months}, &out.months);
  overflow = __builtin_add_overflow(a.days, sign * int64_t{b.days}, &out.days) || overflow;
  overflow = __builtin_add_overflow(a.micros, sign * b.micros, &out.micros) || overflow;
  if (overflow) {
    return Status::OutOfRange("interval out of range").WithSqlState("22008");
  }
  return out;
}

// PostgreSQL's linear interpolation between two neighbouring values: lo + (hi - lo) * fraction.
Result<Value> Interpolate(const Value& low, const Value& high, double fraction) {
  if (low.type().id() == TypeId::kDouble) {
    return Value::Double(low.double_value() +
                         fraction * (high.double_value() - low.double_value()));
  }
  FLOE_ASSIGN_OR_RETURN(Interval difference,
                        AddIntervals(high.interval_value(), low.interval_value(), -1));
  FLOE_ASSIGN_OR_RETURN(Interval scaled, MultiplyInterval(difference, fraction));
  FLOE_ASSIGN_OR_RETURN(Interval sum, AddIntervals(scaled, low.interval_value(), 1));
  return Value::Interval(sum);
}

Result<Value> PercentileCont(const std::vector<Value>& values, double fraction) {
  const double position = fraction * static_cast<double>(values.size() - 1);
  const auto first = static_cast<size_t>(std::floor(position));
  const auto second = static_cast<size_t>(std::ceil(position));
  if (first == second) {
    return values[first];
  }
  return Interpolate(values[first], values[second], position - static_cast<double>(first));
}

Result<Value> PercentileDisc(const std::vector<Value>& values, double fraction) {
  auto row = static_cast<int64_t>(std::ceil(fraction * static_cast<double>(values.size())));
  return values[static_cast<size_t>(std::max<int64_t>(row, 1) - 1)];
}

using Percentile = Result<Value> (*)(const std::vector<Value>&, double);

// The array form: the percentile of each fraction of an array (of any dimensions), NULL for a
// NULL fraction.
Result<Value> PercentilesOf(const std::vector<Value>& values, const Value& fractions,
                            const LogicalType& type, Percentile percentile) {
  if (fractions.is_null()) {
    return Value::Null(type);
  }
  if (type.id() != TypeId::kList || fractions.type().id() != TypeId::kList) {
    FLOE_ASSIGN_OR_RETURN(Value fraction, types::CastValue(fractions, LogicalType::Double()));
    FLOE_RETURN_NOT_OK(CheckFraction(fraction.double_value()));
    return percentile(values, fraction.double_value());
  }
  const LogicalType& element = type.element_type();
  std::vector<Value> results;
  for (const Value& fraction : fractions.children()) {
    FLOE_ASSIGN_OR_RETURN(Value result, PercentilesOf(values, fraction, element, percentile));
    results.push_back(std::move(result));
  }
  return Value::List(element, std::move(results));
}

AggregateFunction MakePercentile(const LogicalType& type, Percentile percentile) {
  AggregateFunction function;
  function.return_type = type;
  SetStateType<SortedValues>(function);
  function.update = [](FunctionContext&, std::span<const Vector> args, int64_t rows,
                       uint8_t* const* states) {
    return CollectSorted(args, rows, states, 1, true);
  };
  function.combine = NoCombine;
  function.finalize = [type, percentile](FunctionContext&, const uint8_t* const* states,
                                         int64_t count, VectorBuilder& out) -> Status {
    for (int64_t index = 0; index < count; ++index) {
      const SortedValues& state = StateOf<SortedValues>(states[index]);
      if (!state.has_rows || state.fraction.is_null()) {
        FLOE_RETURN_NOT_OK(out.AppendNull());
        continue;
      }
      if (state.fraction.type().id() == TypeId::kList) {
        // As in PostgreSQL, an array of fractions is checked only when there are values.
        if (state.values.empty()) {
          FLOE_RETURN_NOT_OK(out.AppendNull());
          continue;
        }
        FLOE_ASSIGN_OR_RETURN(Value results,
                              PercentilesOf(state.values, state.fraction, type, percentile));
        FLOE_RETURN_NOT_OK(out.AppendValue(results));
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(Value cast, types::CastValue(state.fraction, LogicalType::Double()));
      const double fraction = cast.double_value();
      FLOE_RETURN_NOT_OK(CheckFraction(fraction));
      if (state.values.empty()) {
        FLOE_RETURN_NOT_OK(out.AppendNull());
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(Value result, percentile(state.values, fraction));
      FLOE_RETURN_NOT_OK(out.AppendValue(result));
    }
    return Status::OK();
  };
  return function;
}

// mode(): the most frequent value; of values equally frequent, the first in sort order.
AggregateFunction MakeMode(const LogicalType& type) {
  AggregateFunction function;
  function.return_type = type;
  SetStateType<SortedValues>(function);
  function.update = [](FunctionContext&, std::span<const Vector> args, int64_t rows,
                       uint8_t* const* states) {
    return CollectSorted(args, rows, states, 0, false);
  };
  function.combine = NoCombine;
  function.finalize = [](FunctionContext&, const uint8_t* const* states, int64_t count,
                         VectorBuilder& out) -> Status {
    for (int64_t index = 0; index < count; ++index) {
      const std::vector<Value>& values = StateOf<SortedValues>(states[index]).values;
      if (values.empty()) {
        FLOE_RETURN_NOT_OK(out.AppendNull());
        continue;
      }
      size_t best = 0;
      size_t best_count = 0;
      for (size_t start = 0; start < values.size();) {
        size_t end = start + 1;
        while (end < values.size() && values[end].Compare(values[start]) == 0) {
          ++end;
        }
        if (end - start > best_count) {
          best = start;
          best_count = end - start;
        }
        start = end;
      }
      FLOE_RETURN_NOT_OK(out.AppendValue(values[best]));
    }
    return Status::OK();
  };
  return function;
}

LogicalType ElementType(const LogicalType& type) {
  return type.id() == TypeId::kNull ? LogicalType::Varchar() : type;
}

// The result type of a percentile of `value` values at `fractions`: the value's type for one
// fraction, an array of the same dimensions for an array of numeric fractions.
Result<LogicalType> PercentileType(std::string_view name, const LogicalType& fractions,
                                   const LogicalType& value) {
  if (fractions.id() == TypeId::kList) {
    FLOE_ASSIGN_OR_RETURN(LogicalType element,
                          PercentileType(name, fractions.element_type(), value));
    return LogicalType::List(element);
  }
  switch (fractions.id()) {
    case TypeId::kNull:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
    case TypeId::kDecimal:
    case TypeId::kReal:
    case TypeId::kDouble:
      return value;
    default:
      return Status::NotFound("function {}({}, {}) does not exist", name, fractions.ToString(),
                              value.ToString())
          .WithSqlState("42883");
  }
}

}  // namespace

void RegisterOrderedSetAggregates(FunctionRegistry& registry) {
  // The fraction is a number or an array of numbers (of any dimensions) giving an array of
  // results: percentile_cont(ARRAY[0.25, 0.5]) WITHIN GROUP (ORDER BY x). One overload takes
  // both, so that a NULL fraction is not ambiguous.
  for (TypeId id : {TypeId::kDouble, TypeId::kInterval}) {
    registry.AddAggregate(AggregateOverload{
        "percentile_cont",
        {ArgumentSpec::Any(), ArgumentSpec::Of(id)},
        [](std::span<const LogicalType> types) -> Result<AggregateFunction> {
          FLOE_ASSIGN_OR_RETURN(LogicalType type,
                                PercentileType("percentile_cont", types[0], types[1]));
          return MakePercentile(type, PercentileCont);
        }});
  }
  registry.AddAggregate(AggregateOverload{
      "percentile_disc",
      {ArgumentSpec::Any(), ArgumentSpec::Any()},
      [](std::span<const LogicalType> types) -> Result<AggregateFunction> {
        FLOE_ASSIGN_OR_RETURN(LogicalType type,
                              PercentileType("percentile_disc", types[0], ElementType(types[1])));
        return MakePercentile(type, PercentileDisc);
      }});
  registry.AddAggregate(
      AggregateOverload{"mode",
                        {ArgumentSpec::AnyElement()},
                        [](std::span<const LogicalType> types) -> Result<AggregateFunction> {
                          return MakeMode(ElementType(types[0]));
                        }});
}

}  // namespace floe::sql::internal
