// count, sum, avg, min, max, bool_and, bool_or, every, bit_and, bit_or. Every state is a fixed
// size struct, except min and max of strings, which own their bytes.

#include <cmath>
#include <string>

#include "sql/functions/aggregate/aggregate_internal.h"
#include "sql/functions/decimal_rules.h"
#include "sql/functions/registration_internal.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/temporal.h"
#include "types/uuid.h"

namespace floe::sql::internal {
namespace {

using types::Int128;
using types::Interval;
using types::LogicalType;
using types::TypeId;
using vector::Vector;
using vector::VectorBuilder;

// ---- count ------------------------------------------------------------------------------------

void RegisterCount(FunctionRegistry& registry) {
  auto make = [](bool star) {
    AggregateFunction function;
    function.return_type = LogicalType::BigInt();
    SetStateType<int64_t>(function);
    function.update = [star](FunctionContext&, std::span<const Vector> args, int64_t rows,
                             uint8_t* const* states) -> Status {
      if (star || !args[0].MayHaveNulls()) {
        for (int64_t row = 0; row < rows; ++row) {
          ++StateOf<int64_t>(states[row]);
        }
        return Status::OK();
      }
      return ForEachRow(args[0], rows, states, [](uint8_t* state, int64_t) {
        ++StateOf<int64_t>(state);
        return Status::OK();
      });
    };
    function.combine = [](FunctionContext&, const uint8_t* source, uint8_t* target) {
      StateOf<int64_t>(target) += StateOf<int64_t>(source);
      return Status::OK();
    };
    function.finalize = [](FunctionContext&, const uint8_t* const* states, int64_t count,
                           VectorBuilder& out) -> Status {
      for (int64_t index = 0; index < count; ++index) {
        FLOE_RETURN_NOT_OK(out.Append<int64_t>(StateOf<int64_t>(states[index])));
      }
      return Status::OK();
    };
    return function;
  };
  registry.AddAggregate(AggregateOverload{
      "count", {}, [make](std::span<const LogicalType>) -> Result<AggregateFunction> {
        return make(true);
      }});
  registry.AddAggregate(AggregateOverload{
      "count",
      {ArgumentSpec::Any()},
      [make](std::span<const LogicalType>) -> Result<AggregateFunction> { return make(false); }});
}

// ---- sum and avg ------------------------------------------------------------------------------

template <typename T>
struct SumState {
  T sum{};
  int64_t count = 0;
};

// Appends the finished value of each state, or NULL for states that saw no row.
template <typename State, typename Emit>
auto Finalizer(Emit emit) {
  return [emit](FunctionContext&, const uint8_t* const* states, int64_t count,
                VectorBuilder& out) -> Status {
    for (int64_t index = 0; index < count; ++index) {
      const State& state = StateOf<State>(states[index]);
      if (state.count == 0) {
        FLOE_RETURN_NOT_OK(out.AppendNull());
      } else {
        FLOE_RETURN_NOT_OK(emit(state, out));
      }
    }
    return Status::OK();
  };
}

// sum and avg of smallint, integer, bigint and DECIMAL add exactly in 128 bits. `input` is
// the argument type; `result` sum's or avg's.
AggregateFunction ExactSum(const LogicalType& input, const LogicalType& result, bool is_avg) {
  using State = SumState<Int128>;
  AggregateFunction function;
  function.return_type = result;
  SetStateType<State>(function);
  Status overflow = input.id() == TypeId::kDecimal || input.id() == TypeId::kBigInt
                        ? types::NumericFieldOverflow(38, DecimalTypeOf(input).scale())
                        : IntegerOutOfRange(TypeId::kBigInt);
  function.update = [input, overflow](FunctionContext& context, std::span<const Vector> args,
                                      int64_t rows, uint8_t* const* states) -> Status {
    auto add = [&](auto storage) {
      using T = decltype(storage);
      return ForEachValueOrOverflow<T>(
          context, args[0], rows, states, overflow, [](uint8_t* state, T value) {
            State& sum = StateOf<State>(state);
            ++sum.count;
            return __builtin_add_overflow(sum.sum, Int128{value}, &sum.sum);
          });
    };
    if (input.id() == TypeId::kDecimal) {
      return VisitDecimalStorage(input, add);
    }
    return VisitIntegerStorage(input.id(), add);
  };
  function.combine = [overflow](FunctionContext&, const uint8_t* source, uint8_t* target) {
    const State& from = StateOf<State>(source);
    State& to = StateOf<State>(target);
    if (__builtin_add_overflow(to.sum, from.sum, &to.sum)) {
      return overflow;
    }
    to.count += from.count;
    return Status::OK();
  };
  int input_scale = input.id() == TypeId::kDecimal ? input.scale() : 0;
  if (is_avg) {
    function.finalize = Finalizer<State>([=](const State& state, VectorBuilder& out) -> Status {
      Int128 value = 0;
      if (DivideDecimal(state.sum, input_scale, state.count, 0, result.scale(), &value) != 0 ||
          !types::FitsPrecision(value, result.precision())) {
        return types::NumericFieldOverflow(result.precision(), result.scale());
      }
      return out.Append<Int128>(value);
    });
  } else if (result.id() == TypeId::kBigInt) {
    function.finalize = Finalizer<State>([](const State& state, VectorBuilder& out) -> Status {
      if (state.sum > INT64_MAX || state.sum < INT64_MIN) {
        return IntegerOutOfRange(TypeId::kBigInt);
      }
      return out.Append<int64_t>(static_cast<int64_t>(state.sum));
    });
  } else {
    function.finalize =
        Finalizer<State>([result](const State& state, VectorBuilder& out) -> Status {
          if (!types::FitsPrecision(state.sum, result.precision())) {
            return types::NumericFieldOverflow(result.precision(), result.scale());
          }
          return out.Append<Int128>(state.sum);
        });
  }
  return function;
}

// sum of real accumulates in real and sum of double precision in double, as PostgreSQL does;
// avg of either accumulates in double precision.
template <typename T, typename Accumulator>
AggregateFunction FloatSum(const LogicalType& result, bool is_avg) {
  using State = SumState<Accumulator>;
  AggregateFunction function;
  function.return_type = result;
  SetStateType<State>(function);
  function.update = [](FunctionContext& context, std::span<const Vector> args, int64_t rows,
                       uint8_t* const* states) -> Status {
    return ForEachValue<T>(context, args[0], rows, states, [](uint8_t* state, T value) {
      State& sum = StateOf<State>(state);
      Accumulator before = sum.sum;
      sum.sum += static_cast<Accumulator>(value);
      ++sum.count;
      // PostgreSQL's float addition: an infinite sum of finite numbers overflowed.
      if (std::isinf(sum.sum) && !std::isinf(before) && !std::isinf(value)) [[unlikely]] {
        return Status::OutOfRange("value out of range: overflow");
      }
      return Status::OK();
    });
  };
  function.combine = [](FunctionContext&, const uint8_t* source, uint8_t* target) {
    Accumulator before = StateOf<State>(target).sum;
    Accumulator added = StateOf<State>(source).sum;
    StateOf<State>(target).sum += added;
    StateOf<State>(target).count += StateOf<State>(source).count;
    if (std::isinf(StateOf<State>(target).sum) && !std::isinf(before) && !std::isinf(added)) {
      return Status::OutOfRange("value out of range: overflow");
    }
    return Status::OK();
  };
  function.finalize = Finalizer<State>([is_avg](const State& state, VectorBuilder& out) {
    Accumulator value = is_avg ? state.sum / static_cast<Accumulator>(state.count) : state.sum;
    return out.Append<Accumulator>(value);
  });
  return function;
}

struct IntervalSum {
  Int128 months = 0;
  Int128 days = 0;
  Int128 micros = 0;
  int64_t count = 0;
};

AggregateFunction IntervalAggregate(bool is_avg) {
  AggregateFunction function;
  function.return_type = LogicalType::Interval();
  SetStateType<IntervalSum>(function);
  function.update = [](FunctionContext& context, std::span<const Vector> args, int64_t rows,
                       uint8_t* const* states) -> Status {
    return ForEachValue<Interval>(context, args[0], rows, states,
                                  [](uint8_t* state, const Interval& value) {
                                    IntervalSum& sum = StateOf<IntervalSum>(state);
                                    sum.months += value.months;
                                    sum.days += value.days;
                                    sum.micros += value.micros;
                                    ++sum.count;
                                    return Status::OK();
                                  });
  };
  function.combine = [](FunctionContext&, const uint8_t* source, uint8_t* target) {
    const IntervalSum& from = StateOf<IntervalSum>(source);
    IntervalSum& to = StateOf<IntervalSum>(target);
    to.months += from.months;
    to.days += from.days;
    to.micros += from.micros;
    to.count += from.count;
    return Status::OK();
  };
  function.finalize =
      Finalizer<IntervalSum>([is_avg](const IntervalSum& sum, VectorBuilder& out) -> Status {
        Interval result;
        if (is_avg) {
          // The average cascades fractions of months and days down, as interval division does.
          double months = static_cast<double>(sum.months) / static_cast<double>(sum.count);
          double days = static_cast<double>(sum.days) / static_cast<double>(sum.count);
          result.months = static_cast<int32_t>(months);
          double day_fraction = (months - result.months) * 30.0 + days;
          result.days = static_cast<int32_t>(day_fraction);
          double micros = (day_fraction - result.days) * static_cast<double>(types::kMicrosPerDay) +
                          static_cast<double>(sum.micros) / static_cast<double>(sum.count);
          result.micros = static_cast<int64_t>(std::rint(micros));
        } else {
          if (sum.months > INT32_MAX || sum.months < INT32_MIN || sum.days > INT32_MAX ||
              sum.days < INT32_MIN || sum.micros > INT64_MAX || sum.micros < INT64_MIN) {
            return Status::OutOfRange("interval out of range").WithSqlState("22008");
          }
          result = Interval{static_cast<int32_t>(sum.months), static_cast<int32_t>(sum.days),
                            static_cast<int64_t>(sum.micros)};
        }
        return out.Append<Interval>(result);
      });
  return function;
}

void RegisterSumAndAvg(FunctionRegistry& registry) {
  for (TypeId id : {TypeId::kSmallInt, TypeId::kInteger, TypeId::kBigInt, TypeId::kDecimal}) {
    registry.AddAggregate(AggregateOverload{
        "sum", Specs({id}), [id](std::span<const LogicalType> types) -> Result<AggregateFunction> {
          LogicalType result = id == TypeId::kBigInt || id == TypeId::kDecimal
                                   ? DecimalSumType(types[0])
                                   : LogicalType::BigInt();
          return ExactSum(types[0], result, false);
        }});
    registry.AddAggregate(AggregateOverload{
        "avg", Specs({id}), [](std::span<const LogicalType> types) -> Result<AggregateFunction> {
          return ExactSum(types[0], DecimalAvgType(types[0]), true);
        }});
  }
  registry.AddAggregate(AggregateOverload{
      "sum", Specs({TypeId::kReal}), [](std::span<const LogicalType>) -> Result<AggregateFunction> {
        return FloatSum<float, float>(LogicalType::Real(), false);
      }});
  registry.AddAggregate(
      AggregateOverload{"sum", Specs({TypeId::kDouble}),
                        [](std::span<const LogicalType>) -> Result<AggregateFunction> {
                          return FloatSum<double, double>(LogicalType::Double(), false);
                        }});
  registry.AddAggregate(AggregateOverload{
      "avg", Specs({TypeId::kReal}), [](std::span<const LogicalType>) -> Result<AggregateFunction> {
        return FloatSum<float, double>(LogicalType::Double(), true);
      }});
  registry.AddAggregate(
      AggregateOverload{"avg", Specs({TypeId::kDouble}),
                        [](std::span<const LogicalType>) -> Result<AggregateFunction> {
                          return FloatSum<double, double>(LogicalType::Double(), true);
                        }});
  for (bool is_avg : {false, true}) {
    registry.AddAggregate(
        AggregateOverload{is_avg ? "avg" : "sum", Specs({TypeId::kInterval}),
                          [is_avg](std::span<const LogicalType>) -> Result<AggregateFunction> {
                            return IntervalAggregate(is_avg);
                          }});
  }
}

// ---- min and max ------------------------------------------------------------------------------

template <typename T>
struct ExtremeState {
  T value{};
  int64_t count = 0;
};

// Orders values as the comparison operators do (NaN above all numbers, intervals by length).
template <typename T>
int Order(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) {
      return std::isnan(b) ? 0 : 1;
    }
    if (std::isnan(b)) {
      return -1;
    }
    return (a > b) - (a < b);
  } else if constexpr (std::is_same_v<T, Interval>) {
    return types::CompareIntervals(a, b);
  } else if constexpr (std::is_same_v<T, types::Uuid>) {
    auto order = a <=> b;
    return order < 0 ? -1 : (order > 0 ? 1 : 0);
  } else {
    return (a > b) - (a < b);
  }
}

template <typename T>
AggregateFunction FixedExtreme(const LogicalType& type, bool is_max) {
  using State = ExtremeState<T>;
  AggregateFunction function;
  function.return_type = type;
  SetStateType<State>(function);
  auto fold = [is_max](State& state, const T& value) {
    int order = state.count == 0 ? 0 : Order(value, state.value);
    if (state.count == 0 || (is_max ? order > 0 : order < 0)) {
      state.value = value;
    }
    ++state.count;
  };
  function.update = [fold](FunctionContext& context, std::span<const Vector> args, int64_t rows,
                           uint8_t* const* states) -> Status {
    return ForEachValue<T>(context, args[0], rows, states, [&](uint8_t* state, const T& value) {
      fold(StateOf<State>(state), value);
      return Status::OK();
    });
  };
  function.combine = [fold](FunctionContext&, const uint8_t* source, uint8_t* target) {
    const State& from = StateOf<State>(source);
    if (from.count > 0) {
      State& to = StateOf<State>(target);
      int64_t count = to.count;
      fold(to, from.value);
      to.count = count + from.count;
    }
    return Status::OK();
  };
  function.finalize = Finalizer<State>(
      [](const State& state, VectorBuilder& out) { return out.Append<T>(state.value); });
  return function;
}

struct StringExtremeState {
  std::string value;
  int64_t count = 0;
};

AggregateFunction StringExtreme(const LogicalType& type, bool is_max) {
  using State = StringExtremeState;
  AggregateFunction function;
  function.return_type = type;
  SetStateType<State>(function);
  auto fold = [is_max](State& state, std::string_view value) {
    int order = value.compare(state.value);
    if (state.count == 0 || (is_max ? order > 0 : order < 0)) {
      state.value.assign(value);
    }
    ++state.count;
  };
  function.update = [fold](FunctionContext&, std::span<const Vector> args, int64_t rows,
                           uint8_t* const* states) -> Status {
    const Vector& arg = args[0];
    return ForEachRow(arg, rows, states, [&](uint8_t* state, int64_t row) {
      fold(StateOf<State>(state), arg.GetString(row));
      return Status::OK();
    });
  };
  function.combine = [fold](FunctionContext&, const uint8_t* source, uint8_t* target) {
    const State& from = StateOf<State>(source);
    if (from.count > 0) {
      State& to = StateOf<State>(target);
      int64_t count = to.count;
      fold(to, from.value);
      to.count = count + from.count;
    }
    return Status::OK();
  };
  function.finalize = Finalizer<State>(
      [](const State& state, VectorBuilder& out) { return out.AppendString(state.value); });
  return function;
}

Result<AggregateFunction> MakeExtreme(const LogicalType& type, bool is_max) {
  switch (type.id()) {
    case TypeId::kSmallInt:
      return FixedExtreme<int16_t>(type, is_max);
    case TypeId::kInteger:
    case TypeId::kDate:
      return FixedExtreme<int32_t>(type, is_max);
    case TypeId::kBigInt:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return FixedExtreme<int64_t>(type, is_max);
    case TypeId::kReal:
      return FixedExtreme<float>(type, is_max);
    case TypeId::kDouble:
      return FixedExtreme<double>(type, is_max);
    case TypeId::kDecimal:
      return IsDecimal64(type) ? FixedExtreme<int64_t>(type, is_max)
                               : FixedExtreme<Int128>(type, is_max);
    case TypeId::kInterval:
      return FixedExtreme<Interval>(type, is_max);
    case TypeId::kUuid:
      return FixedExtreme<types::Uuid>(type, is_max);
    case TypeId::kVarchar:
    case TypeId::kBytea:
      return StringExtreme(type, is_max);
    default:
      return Status::NotFound("function {}({}) does not exist", is_max ? "max" : "min",
                              TypeNameForError(type))
          .WithSqlState("42883");
  }
}

void RegisterMinMax(FunctionRegistry& registry) {
  for (bool is_max : {false, true}) {
    for (TypeId id :
         {TypeId::kSmallInt, TypeId::kInteger, TypeId::kBigInt, TypeId::kReal, TypeId::kDouble,
          TypeId::kDecimal, TypeId::kDate, TypeId::kTime, TypeId::kTimestamp, TypeId::kTimestampTz,
          TypeId::kInterval, TypeId::kVarchar, TypeId::kBytea, TypeId::kUuid}) {
      registry.AddAggregate(AggregateOverload{
          is_max ? "max" : "min", Specs({id}),
          [is_max](std::span<const LogicalType> types) { return MakeExtreme(types[0], is_max); }});
    }
  }
}

// ---- bool_and, bool_or, bit_and, bit_or -------------------------------------------------------

struct FlagState {
  bool value = false;
  int64_t count = 0;
};

AggregateFunction BooleanAggregate(bool is_and) {
  AggregateFunction function;
  function.return_type = LogicalType::Boolean();
  SetStateType<FlagState>(function);
  function.update = [is_and](FunctionContext&, std::span<const Vector> args, int64_t rows,
                             uint8_t* const* states) -> Status {
    const Vector& arg = args[0];
    return ForEachRow(arg, rows, states, [&](uint8_t* bytes, int64_t row) {
      FlagState& state = StateOf<FlagState>(bytes);
      bool value = arg.GetBool(row);
      state.value =
          state.count == 0 ? value : (is_and ? state.value && value : state.value || value);
      ++state.count;
      return Status::OK();
    });
  };
  function.combine = [is_and](FunctionContext&, const uint8_t* source, uint8_t* target) {
    const FlagState& from = StateOf<FlagState>(source);
    FlagState& to = StateOf<FlagState>(target);
    if (from.count > 0) {
      to.value =
          to.count == 0 ? from.value : (is_and ? to.value && from.value : to.value || from.value);
      to.count += from.count;
    }
    return Status::OK();
  };
  function.finalize = Finalizer<FlagState>(
      [](const FlagState& state, VectorBuilder& out) { return out.AppendBool(state.value); });
  return function;
}

template <typename T>
AggregateFunction BitAggregate(const LogicalType& type, bool is_and) {
  using State = ExtremeState<T>;
  AggregateFunction function;
  function.return_type = type;
  SetStateType<State>(function);
  auto fold = [is_and](State& state, T value) {
    state.value = state.count == 0
                      ? value
                      : static_cast<T>(is_and ? (state.value & value) : (state.value | value));
  };
  function.update = [fold](FunctionContext& context, std::span<const Vector> args, int64_t rows,
                           uint8_t* const* states) -> Status {
    return ForEachValue<T>(context, args[0], rows, states, [&](uint8_t* bytes, T value) {
      State& state = StateOf<State>(bytes);
      fold(state, value);
      ++state.count;
      return Status::OK();
    });
  };
  function.combine = [fold](FunctionContext&, const uint8_t* source, uint8_t* target) {
    const State& from = StateOf<State>(source);
    State& to = StateOf<State>(target);
    if (from.count > 0) {
      fold(to, from.value);
      to.count += from.count;
    }
    return Status::OK();
  };
  function.finalize = Finalizer<State>(
      [](const State& state, VectorBuilder& out) { return out.Append<T>(state.value); });
  return function;
}

void RegisterLogical(FunctionRegistry& registry) {
  for (const char* name : {"bool_and", "every"}) {
    registry.AddAggregate(
        AggregateOverload{name, Specs({TypeId::kBoolean}),
                          [](std::span<const LogicalType>) -> Result<AggregateFunction> {
                            return BooleanAggregate(true);
                          }});
  }
  registry.AddAggregate(
      AggregateOverload{"bool_or", Specs({TypeId::kBoolean}),
                        [](std::span<const LogicalType>) -> Result<AggregateFunction> {
                          return BooleanAggregate(false);
                        }});
  for (bool is_and : {true, false}) {
    for (TypeId id : {TypeId::kSmallInt, TypeId::kInteger, TypeId::kBigInt}) {
      registry.AddAggregate(AggregateOverload{
          is_and ? "bit_and" : "bit_or", Specs({id}),
          [is_and](std::span<const LogicalType> types) -> Result<AggregateFunction> {
            return VisitIntegerStorage(types[0].id(), [&](auto storage) {
              return BitAggregate<decltype(storage)>(types[0], is_and);
            });
          }});
    }
  }
}

}  // namespace

void RegisterBasicAggregates(FunctionRegistry& registry) {
  RegisterCount(registry);
  RegisterSumAndAvg(registry);
  RegisterMinMax(registry);
  RegisterLogical(registry);
}

}  // namespace floe::sql::internal
