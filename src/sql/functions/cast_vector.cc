#include "sql/functions/cast_vector.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "sql/functions/kernel_internal.h"
#include "sql/functions/temporal_internal.h"
#include "types/cast.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/numeric_text.h"
#include "types/temporal.h"
#include "types/value.h"

namespace floe::sql {

using types::Int128;
using types::LogicalType;
using types::TypeId;
using vector::Vector;
using vector::VectorBuilder;

namespace {

bool IsDecimal64(const LogicalType& type) {
  return type.id() == TypeId::kDecimal &&
         type.precision() <= LogicalType::kMaxInt64DecimalPrecision;
}

// Calls `fn(T{})` with T the C++ type of an integer type's values.
template <typename Fn>
auto VisitInteger(TypeId id, Fn fn) {
  switch (id) {
    case TypeId::kSmallInt:
      return fn(int16_t{});
    case TypeId::kInteger:
      return fn(int32_t{});
    default:
      return fn(int64_t{});
  }
}

// Calls `fn(T{})` with T the storage of a DECIMAL type (int64_t or Int128).
template <typename Fn>
auto VisitDecimal(const LogicalType& type, Fn fn) {
  if (IsDecimal64(type)) {
    return fn(int64_t{});
  }
  return fn(Int128{});
}

// The error of a value outside an integer type's range ("integer out of range").
Status IntegerOutOfRange(TypeId target) {
  return types::DoubleToInteger(std::nan(""), target).status();
}

// Error codes of the fixed-width loops below.
constexpr unsigned kOk = 0;
constexpr unsigned kOverflow = 1;

Result<Vector> IntegerToInteger(FunctionContext& context, const Vector& input, int64_t rows,
                                const LogicalType& target) {
  return VisitInteger(input.type().id(), [&](auto from) {
    using From = decltype(from);
    return VisitInteger(target.id(), [&](auto to) {
      using To = decltype(to);
      return internal::UnaryFixed<From, To>(
          context, input, rows, target,
          [](From value, To* out) -> unsigned {
            *out = static_cast<To>(value);
            return static_cast<From>(*out) == value ? kOk : kOverflow;
          },
          [&](unsigned) { return IntegerOutOfRange(target.id()); });
    });
  });
}

template <typename Float>
Result<Vector> IntegerToFloat(FunctionContext& context, const Vector& input, int64_t rows,
                              const LogicalType& target) {
  return VisitInteger(input.type().id(), [&](auto from) {
    using From = decltype(from);
    return internal::UnaryFixed<From, Float>(
        context, input, rows, target,
        [](From value, Float* out) -> unsigned {
          *out = static_cast<Float>(value);
          return kOk;
        },
        [](unsigned) { return Status::OK(); });
  });
}

template <typename Float>
Result<Vector> FloatToInteger(FunctionContext& context, const Vector& input, int64_t rows,
                              const LogicalType& target) {
  return VisitInteger(target.id(), [&](auto to) {
    using To = decltype(to);
    return internal::UnaryFixed<Float, To>(
        context, input, rows, target,
        [&](Float value, To* out) -> unsigned {
          Result<int64_t> result = types::DoubleToInteger(static_cast<double>(value), target.id());
          if (!result.ok()) {
            return kOverflow;
          }
          *out = static_cast<To>(*result);
          return kOk;
        },
        [&](unsigned) { return IntegerOutOfRange(target.id()); });
  });
}

Result<Vector> DoubleToRealVector(FunctionContext& context, const Vector& input, int64_t rows,
                                  const LogicalType& target) {
  return internal::UnaryFixed<double, float>(
      context, input, rows, target,
      [](double value, float* out) -> unsigned {
        *out = static_cast<float>(value);
        if (std::isinf(*out) && !std::isinf(value)) {
          return 1;
        }
        return (*out == 0.0f && value != 0.0) ? 2 : kOk;
      },
      [](unsigned code) {
        return code == 1 ? Status::OutOfRange("value out of range: overflow")
                         : Status::OutOfRange("value out of range: underflow");
      });
}

Result<Vector> RealToDouble(FunctionContext& context, const Vector& input, int64_t rows,
                            const LogicalType& target) {
  return internal::UnaryFixed<float, double>(
      context, input, rows, target,
      [](float value, double* out) -> unsigned {
        *out = value;
        return kOk;
      },
      [](unsigned) { return Status::OK(); });
}

// Integers and DECIMALs of any scale to DECIMAL: multiply up or round down, then check the
// target precision.
Result<Vector> ExactToDecimal(FunctionContext& context, const Vector& input, int64_t rows,
                              const LogicalType& target) {
  int source_scale = input.type().id() == TypeId::kDecimal ? input.type().scale() : 0;
  int shift = target.scale() - source_scale;
  Int128 factor = types::PowerOfTen(std::abs(shift));
  Int128 limit = types::PowerOfTen(target.precision());
  auto convert = [=](Int128 value, Int128* out) -> unsigned {
    if (shift >= 0) {
      std::optional<Int128> scaled = types::CheckedMultiply(value, factor);
      if (!scaled.has_value()) {
        return kOverflow;
      }
      value = *scaled;
    } else {
      value = types::DivideRoundingHalfAway(value, factor);
    }
    *out = value;
    return (value < limit && value > -limit) ? kOk : kOverflow;
  };
  auto error = [&](unsigned) {
    return types::NumericFieldOverflow(target.precision(), target.scale());
  };
  auto run = [&](auto from) -> Result<Vector> {
    using From = decltype(from);
    return VisitDecimal(target, [&](auto to) {
      using To = decltype(to);
      return internal::UnaryFixed<From, To>(
          context, input, rows, target,
          [&](From value, To* out) -> unsigned {
            Int128 result = 0;
            unsigned code = convert(static_cast<Int128>(value), &result);
            *out = static_cast<To>(result);
            return code;
          },
          error);
    });
  };
  if (input.type().id() == TypeId::kDecimal) {
    return VisitDecimal(input.type(), run);
  }
  return VisitInteger(input.type().id(), run);
}

Result<Vector> DecimalToFloat(FunctionContext& context, const Vector& input, int64_t rows,
                              const LogicalType& target) {
  int scale = input.type().scale();
  auto run = [&](auto from) -> Result<Vector> {
    using From = decltype(from);
    return internal::UnaryFixed<From, double>(
        context, input, rows, LogicalType::Double(),
        [scale](From value, double* out) -> unsigned {
          // Both operands are exact doubles below 2^53 and 10^22, so one IEEE division rounds
          // correctly; larger values go through the decimal text.
          constexpr Int128 kExact = Int128{1} << 53;
          if (value < kExact && value > -kExact && scale <= 22) {
            *out = static_cast<double>(value) / std::pow(10.0, scale);
          } else {
            *out = types::DecimalToDouble(value, scale);
          }
          return kOk;
        },
        [](unsigned) { return Status::OK(); });
  };
  FLOE_ASSIGN_OR_RETURN(Vector doubles, VisitDecimal(input.type(), run));
  if (target.id() == TypeId::kDouble) {
    return doubles;
  }
  return DoubleToRealVector(context, doubles, rows, target);
}

Result<Vector> DecimalToIntegerVector(FunctionContext& context, const Vector& input, int64_t rows,
                                      const LogicalType& target) {
  int scale = input.type().scale();
  return VisitDecimal(input.type(), [&](auto from) {
    using From = decltype(from);
    return VisitInteger(target.id(), [&](auto to) {
      using To = decltype(to);
      return internal::UnaryFixed<From, To>(
          context, input, rows, target,
          [&](From value, To* out) -> unsigned {
            Result<int64_t> result = types::DecimalToInteger(value, scale, target.id());
            if (!result.ok()) {
              return kOverflow;
            }
            *out = static_cast<To>(*result);
            return kOk;
          },
          [&](unsigned) { return IntegerOutOfRange(target.id()); });
    });
  });
}

// Dates to TIMESTAMP or TIMESTAMPTZ (midnight in the session's zone). The
// filters of TPC-H compare dates with `date + interval` bounds, so this runs once per scanned
// row; it was a Value per row before.
Result<Vector> DateToTimestampVector(FunctionContext& context, const Vector& input, int64_t rows,
                                     const LogicalType& target) {
  // Dates from PostgreSQL's first one to 273790 AD are finite and inside the timestamp range;
  // DateToTimestamp decides the infinities and the rest.
  constexpr int32_t kSurelyInRange = 100'000'000;
  const types::TimeZone* zone =
      target.id() == TypeId::kTimestampTz ? &internal::SessionZone(context) : nullptr;
  return internal::UnaryFixed<int32_t, int64_t>(
      context, input, rows, target,
      [&](int32_t days, int64_t* out) -> unsigned {
        if (days < kSurelyInRange && days != types::kDateNegativeInfinity) [[likely]] {
          *out = int64_t{days} * types::kMicrosPerDay;
          if (zone != nullptr) {
            *out = zone->ToUtcMicros(*out);
          }
          return kOk;
        }
        Result<int64_t> micros = types::DateToTimestamp(days);
        *out = micros.ok() ? *micros : 0;
        return micros.ok() ? kOk : kOverflow;
      },
      [](unsigned) { return types::DateToTimestamp(types::kDateInfinity - 1).status(); });
}

// TIMESTAMPTZ to DATE and to and from TIMESTAMP, through local time in the session's zone:
// one binary search of the zone's transitions per row.
Result<Vector> ZonedTimestampVector(FunctionContext& context, const Vector& input, int64_t rows,
                                    const LogicalType& target) {
  const types::TimeZone& zone = internal::SessionZone(context);
  TypeId to = target.id();
  if (input.type().id() == TypeId::kTimestamp) {
    return internal::UnaryFixed<int64_t, int64_t>(
        context, input, rows, target,
        [&](int64_t micros, int64_t* out) -> unsigned {
          *out = zone.ToUtcMicros(micros);
          return kOk;
        },
        [](unsigned) { return Status::OK(); });
  }
  if (to == TypeId::kDate) {
    return internal::UnaryFixed<int64_t, int32_t>(
        context, input, rows, target,
        [&](int64_t micros, int32_t* out) -> unsigned {
          *out = types::TimestampToDate(zone.ToLocalMicros(micros));
          return kOk;
        },
        [](unsigned) { return Status::OK(); });
  }
  return internal::UnaryFixed<int64_t, int64_t>(
      context, input, rows, target,
      [&](int64_t micros, int64_t* out) -> unsigned {
        *out = zone.ToLocalMicros(micros);
        return kOk;
      },
      [](unsigned) { return Status::OK(); });
}

// Appends the text of row `row` of a non-NULL scalar value to `out` without building a Value.
Status AppendText(const Vector& input, int64_t row, VectorBuilder& out,
                  const types::TimeZone& zone) {
  const LogicalType& type = input.type();
  switch (type.id()) {
    case TypeId::kBoolean:
      return out.AppendString(input.GetBool(row) ? "true" : "false");
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt: {
      int64_t value = type.id() == TypeId::kSmallInt  ? input.Get<int16_t>(row)
                      : type.id() == TypeId::kInteger ? input.Get<int32_t>(row)
                                                      : input.Get<int64_t>(row);
      char buffer[24];
      auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
      return out.AppendString(std::string_view(buffer, static_cast<size_t>(end - buffer)));
    }
    case TypeId::kReal:
      return out.AppendString(types::FormatReal(input.Get<float>(row)));
    case TypeId::kDouble:
      return out.AppendString(types::FormatDouble(input.Get<double>(row)));
    case TypeId::kDecimal: {
      Int128 value = IsDecimal64(type) ? input.Get<int64_t>(row) : input.Get<Int128>(row);
      return out.AppendString(types::FormatDecimal(value, type.scale()));
    }
    case TypeId::kDate:
      return out.AppendString(types::FormatDate(input.Get<int32_t>(row)));
    case TypeId::kTime:
      return out.AppendString(types::FormatTime(input.Get<int64_t>(row)));
    case TypeId::kTimestamp:
      return out.AppendString(types::FormatTimestamp(input.Get<int64_t>(row)));
    case TypeId::kTimestampTz:
      return out.AppendString(types::FormatTimestampTz(input.Get<int64_t>(row), zone));
    case TypeId::kInterval:
      return out.AppendString(types::FormatInterval(input.Get<types::Interval>(row)));
    case TypeId::kVarchar:
      return out.AppendString(input.GetString(row));
    default: {
      FLOE_ASSIGN_OR_RETURN(types::Value value, input.GetValue(row));
      FLOE_ASSIGN_OR_RETURN(types::Value text, types::CastValue(value, LogicalType::Varchar()));
      return out.AppendString(text.string_value());
    }
  }
}

Result<Vector> ToText(FunctionContext& context, const Vector& input, int64_t rows,
                      const LogicalType& target) {
  std::span<const Vector> args(&input, 1);
  return internal::BuildRows(context, args, rows, target, [&](int64_t row, VectorBuilder& out) {
    return AppendText(input, row, out, internal::SessionZone(context));
  });
}

template <typename T, typename Parse>
Status AppendParsed(VectorBuilder& out, std::string_view text, Parse parse) {
  FLOE_ASSIGN_OR_RETURN(T value, parse(text));
  return out.Append<T>(value);
}

// Parses text into the types whose parsers take a view; others go through CastValue.
Status AppendFromText(std::string_view text, const LogicalType& target, VectorBuilder& out,
                      const types::TimeZone& zone) {
  switch (target.id()) {
    case TypeId::kBoolean: {
      FLOE_ASSIGN_OR_RETURN(bool value, types::ParseBoolean(text));
      return out.AppendBool(value);
    }
    case TypeId::kSmallInt:
      return AppendParsed<int16_t>(out, text, types::ParseSmallInt);
    case TypeId::kInteger:
      return AppendParsed<int32_t>(out, text, types::ParseInteger);
    case TypeId::kBigInt:
      return AppendParsed<int64_t>(out, text, types::ParseBigInt);
    case TypeId::kReal:
      return AppendParsed<float>(out, text, types::ParseReal);
    case TypeId::kDouble:
      return AppendParsed<double>(out, text, types::ParseDouble);
    case TypeId::kDate:
      return AppendParsed<int32_t>(out, text, types::ParseDate);
    case TypeId::kTime:
      return AppendParsed<int64_t>(out, text, types::ParseTime);
    case TypeId::kTimestamp:
      return AppendParsed<int64_t>(out, text, types::ParseTimestamp);
    case TypeId::kTimestampTz:
      return AppendParsed<int64_t>(
          out, text, [&](std::string_view value) { return types::ParseTimestampTz(value, zone); });
    case TypeId::kInterval:
      return AppendParsed<types::Interval>(out, text, types::ParseInterval);
    case TypeId::kDecimal: {
      FLOE_ASSIGN_OR_RETURN(Int128 value,
                            types::ParseDecimal(text, target.precision(), target.scale()));
      return IsDecimal64(target) ? out.Append<int64_t>(static_cast<int64_t>(value))
                                 : out.Append<Int128>(value);
    }
    default: {
      FLOE_ASSIGN_OR_RETURN(
          types::Value value,
          types::CastValue(types::Value::Varchar(std::string(text)), target, zone));
      return out.AppendValue(value);
    }
  }
}

Result<Vector> FromText(FunctionContext& context, const Vector& input, int64_t rows,
                        const LogicalType& target) {
  std::span<const Vector> args(&input, 1);
  return internal::BuildRows(context, args, rows, target, [&](int64_t row, VectorBuilder& out) {
    return AppendFromText(input.GetString(row), target, out, internal::SessionZone(context));
  });
}

Result<Vector> ByValue(FunctionContext& context, const Vector& input, int64_t rows,
                       const LogicalType& target) {
  if (!types::CanCast(input.type(), target)) {
    return types::CastValue(types::Value::Null(input.type()), target).status();
  }
  std::span<const Vector> args(&input, 1);
  return internal::BuildRows(context, args, rows, target, [&](int64_t row, VectorBuilder& out) {
    FLOE_ASSIGN_OR_RETURN(types::Value value, input.GetValue(row));
    FLOE_ASSIGN_OR_RETURN(types::Value cast,
                          types::CastValue(value, target, internal::SessionZone(context)));
    return out.AppendValue(cast);
  });
}

Result<Vector> CastFlat(FunctionContext& context, const Vector& input, int64_t rows,
                        const LogicalType& target) {
  const LogicalType& source = input.type();
  if (target.id() == TypeId::kVarchar) {
    return ToText(context, input, rows, target);
  }
  if (source.id() == TypeId::kVarchar) {
    return FromText(context, input, rows, target);
  }
  bool from_integer = source.IsInteger();
  bool from_decimal = source.id() == TypeId::kDecimal;
  if (target.IsInteger()) {
    if (from_integer) {
      return IntegerToInteger(context, input, rows, target);
    }
    if (source.id() == TypeId::kReal) {
      return FloatToInteger<float>(context, input, rows, target);
    }
    if (source.id() == TypeId::kDouble) {
      return FloatToInteger<double>(context, input, rows, target);
    }
    if (from_decimal) {
      return DecimalToIntegerVector(context, input, rows, target);
    }
  }
  if (target.id() == TypeId::kDouble) {
    if (from_integer) {
      return IntegerToFloat<double>(context, input, rows, target);
    }
    if (source.id() == TypeId::kReal) {
      return RealToDouble(context, input, rows, target);
    }
  }
  if (target.id() == TypeId::kReal) {
    if (from_integer) {
      return IntegerToFloat<float>(context, input, rows, target);
    }
    if (source.id() == TypeId::kDouble) {
      return DoubleToRealVector(context, input, rows, target);
    }
  }
  if (from_decimal && (target.id() == TypeId::kDouble || target.id() == TypeId::kReal)) {
    return DecimalToFloat(context, input, rows, target);
  }
  if (target.id() == TypeId::kDecimal && (from_integer || from_decimal)) {
    return ExactToDecimal(context, input, rows, target);
  }
  if (source.id() == TypeId::kDate &&
      (target.id() == TypeId::kTimestamp || target.id() == TypeId::kTimestampTz)) {
    return DateToTimestampVector(context, input, rows, target);
  }
  bool from_zoned = source.id() == TypeId::kTimestampTz &&
                    (target.id() == TypeId::kTimestamp || target.id() == TypeId::kDate);
  if (from_zoned || (source.id() == TypeId::kTimestamp && target.id() == TypeId::kTimestampTz)) {
    return ZonedTimestampVector(context, input, rows, target);
  }
  return ByValue(context, input, rows, target);
}

// Casts that no value makes fail, which may therefore convert a dictionary's unused entries.
bool CannotFail(const LogicalType& source, const LogicalType& target) {
  if (target.id() == TypeId::kVarchar) {
    return true;
  }
  if (source.IsInteger() && (target.id() == TypeId::kDouble || target.id() == TypeId::kReal)) {
    return true;
  }
  return source.IsInteger() && target.IsInteger() &&
         source.PhysicalWidth() <= target.PhysicalWidth();
}

}  // namespace

Result<Vector> CastVector(FunctionContext& context, const Vector& input, int64_t rows,
                          const LogicalType& target) {
  if (input.type() == target) {
    return input;
  }
  if (input.type().id() == TypeId::kNull) {
    return Vector::MakeConstantNull(target, rows, context.tracker);
  }
  switch (input.encoding()) {
    case vector::Encoding::kConstant: {
      if (input.MayHaveNulls()) {
        if (!types::CanCast(input.type(), target)) {
          return types::CastValue(types::Value::Null(input.type()), target).status();
        }
        return Vector::MakeConstantNull(target, rows, context.tracker);
      }
      FLOE_ASSIGN_OR_RETURN(Vector one, CastFlat(context, input.dictionary(), 1, target));
      return Vector::MakeConstant(one, 0, rows, context.tracker);
    }
    case vector::Encoding::kDictionary: {
      if (CannotFail(input.type(), target)) {
        const Vector& dictionary = input.dictionary();
        FLOE_ASSIGN_OR_RETURN(Vector cast,
                              CastFlat(context, dictionary, dictionary.length(), target));
        return Vector::MakeDictionary(std::make_shared<const Vector>(std::move(cast)), rows,
                                      input.offset(), input.values_buffer(),
                                      input.validity_buffer());
      }
      FLOE_ASSIGN_OR_RETURN(Vector flat, input.Flatten(context.tracker));
      return CastFlat(context, flat, rows, target);
    }
    case vector::Encoding::kFlat:
      break;
  }
  return CastFlat(context, input, rows, target);
}

}  // namespace floe::sql
