#include "types/cast.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "types/bytea.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/nested_text.h"
#include "types/numeric_text.h"
#include "types/temporal.h"
#include "types/time_zone.h"
#include "types/uuid.h"
#include "types/value.h"

namespace floe::types {
namespace {

Status CannotCast(const LogicalType& source, const LogicalType& target) {
  return Status::InvalidCast("cannot cast type {} to {}", source.ToString(), target.ToString())
      .WithSqlState("42846");
}

std::string_view IntegerName(TypeId id) {
  return id == TypeId::kSmallInt ? "smallint" : (id == TypeId::kInteger ? "integer" : "bigint");
}

Status IntegerOutOfRange(TypeId target) {
  return Status::OutOfRange("{} out of range", IntegerName(target));
}

bool IsOneOf(TypeId id, std::initializer_list<TypeId> ids) {
  for (TypeId candidate : ids) {
    if (candidate == id) {
      return true;
    }
  }
  return false;
}

bool ScalarCastExists(const LogicalType& source, const LogicalType& target) {
  TypeId from = source.id();
  TypeId to = target.id();
  if (from == to || from == TypeId::kVarchar || to == TypeId::kVarchar) {
    return true;
  }
  if (source.IsNumeric() && target.IsNumeric()) {
    return true;
  }
  switch (from) {
    case TypeId::kInteger:
      return to == TypeId::kBoolean;
    case TypeId::kBoolean:
      return to == TypeId::kInteger;
    case TypeId::kDate:
      return IsOneOf(to, {TypeId::kTimestamp, TypeId::kTimestampTz});
    case TypeId::kTimestamp:
      return IsOneOf(to, {TypeId::kDate, TypeId::kTimestampTz, TypeId::kTime});
    case TypeId::kTimestampTz:
      return IsOneOf(to, {TypeId::kDate, TypeId::kTimestamp, TypeId::kTime});
    case TypeId::kTime:
      return to == TypeId::kInterval;
    case TypeId::kInterval:
      return to == TypeId::kTime;
    default:
      return false;
  }
}

Value MakeInteger(int64_t value, TypeId target) {
  switch (target) {
    case TypeId::kSmallInt:
      return Value::SmallInt(static_cast<int16_t>(value));
    case TypeId::kInteger:
      return Value::Integer(static_cast<int32_t>(value));
    default:
      return Value::BigInt(value);
  }
}

int64_t IntegerOf(const Value& value) {
  switch (value.type().id()) {
    case TypeId::kSmallInt:
      return value.smallint_value();
    case TypeId::kInteger:
      return value.integer_value();
    case TypeId::kBoolean:
      return value.boolean_value() ? 1 : 0;
    default:
      return value.bigint_value();
  }
}

double DoubleOf(const Value& value) {
  switch (value.type().id()) {
    case TypeId::kReal:
      return value.real_value();
    case TypeId::kDouble:
      return value.double_value();
    case TypeId::kDecimal:
      return DecimalToDouble(value.decimal_value(), value.type().scale());
    default:
      return static_cast<double>(IntegerOf(value));
  }
}

Result<Value> CastToInteger(const Value& value, TypeId target) {
  int64_t result = 0;
  switch (value.type().id()) {
    case TypeId::kReal:
    case TypeId::kDouble: {
      FLOE_ASSIGN_OR_RETURN(result, DoubleToInteger(DoubleOf(value), target));
      break;
    }
    case TypeId::kDecimal: {
      FLOE_ASSIGN_OR_RETURN(result,
                            DecimalToInteger(value.decimal_value(), value.type().scale(), target));
      break;
    }
    default: {
      FLOE_ASSIGN_OR_RETURN(result, NarrowInteger(IntegerOf(value), target));
      break;
    }
  }
  return MakeInteger(result, target);
}

Result<Value> CastToDecimal(const Value& value, const LogicalType& target) {
  Int128 result = 0;
  switch (value.type().id()) {
    case TypeId::kReal:
    case TypeId::kDouble: {
      bool is_real = value.type().id() == TypeId::kReal;
      FLOE_ASSIGN_OR_RETURN(
          result, DoubleToDecimal(DoubleOf(value), is_real, target.precision(), target.scale()));
      break;
    }
    case TypeId::kDecimal: {
      FLOE_ASSIGN_OR_RETURN(result, RescaleDecimal(value.decimal_value(), value.type().scale(),
                                                   target.precision(), target.scale()));
      break;
    }
    default: {
      FLOE_ASSIGN_OR_RETURN(
          result, RescaleDecimal(IntegerOf(value), 0, target.precision(), target.scale()));
      break;
    }
  }
  return Value::Decimal(result, target.precision(), target.scale());
}

Result<Value> CastToReal(const Value& value) {
  switch (value.type().id()) {
    case TypeId::kDouble: {
      FLOE_ASSIGN_OR_RETURN(float result, DoubleToReal(value.double_value()));
      return Value::Real(result);
    }
    case TypeId::kDecimal: {
      // Parsing the decimal text rounds once, straight to the nearest float.
      std::string text = FormatDecimal(value.decimal_value(), value.type().scale());
      FLOE_ASSIGN_OR_RETURN(float result, ParseReal(text));
      return Value::Real(result);
    }
    default:
      return Value::Real(static_cast<float>(IntegerOf(value)));
  }
}

Result<Value> CastNumeric(const Value& value, const LogicalType& target) {
  switch (target.id()) {
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
      return CastToInteger(value, target.id());
    case TypeId::kDecimal:
      return CastToDecimal(value, target);
    case TypeId::kReal:
      return CastToReal(value);
    default:
      return Value::Double(DoubleOf(value));
  }
}

Result<Value> CastFromTextToOther(const std::string& text, const LogicalType& target,
                                  const TimeZone& zone);

Result<Value> CastFromText(const std::string& text, const LogicalType& target,
                           const TimeZone& zone) {
  switch (target.id()) {
    case TypeId::kBoolean: {
      FLOE_ASSIGN_OR_RETURN(bool result, ParseBoolean(text));
      return Value::Boolean(result);
    }
    case TypeId::kSmallInt: {
      FLOE_ASSIGN_OR_RETURN(int16_t result, ParseSmallInt(text));
      return Value::SmallInt(result);
    }
    case TypeId::kInteger: {
      FLOE_ASSIGN_OR_RETURN(int32_t result, ParseInteger(text));
      return Value::Integer(result);
    }
    case TypeId::kBigInt: {
      FLOE_ASSIGN_OR_RETURN(int64_t result, ParseBigInt(text));
      return Value::BigInt(result);
    }
    case TypeId::kReal: {
      FLOE_ASSIGN_OR_RETURN(float result, ParseReal(text));
      return Value::Real(result);
    }
    case TypeId::kDouble: {
      FLOE_ASSIGN_OR_RETURN(double result, ParseDouble(text));
      return Value::Double(result);
    }
    case TypeId::kDecimal: {
      FLOE_ASSIGN_OR_RETURN(Int128 result, ParseDecimal(text, target.precision(), target.scale()));
      return Value::Decimal(result, target.precision(), target.scale());
    }
    default:
      return CastFromTextToOther(text, target, zone);
  }
}

Result<Value> CastFromTextToOther(const std::string& text, const LogicalType& target,
                                  const TimeZone& zone) {
  switch (target.id()) {
    case TypeId::kDate: {
      FLOE_ASSIGN_OR_RETURN(int32_t result, ParseDate(text));
      return Value::Date(result);
    }
    case TypeId::kTime: {
      FLOE_ASSIGN_OR_RETURN(int64_t result, ParseTime(text));
      return Value::Time(result);
    }
    case TypeId::kTimestamp: {
      FLOE_ASSIGN_OR_RETURN(int64_t result, ParseTimestamp(text));
      return Value::Timestamp(result);
    }
    case TypeId::kTimestampTz: {
      FLOE_ASSIGN_OR_RETURN(int64_t result, ParseTimestampTz(text, zone));
      return Value::TimestampTz(result);
    }
    case TypeId::kInterval: {
      FLOE_ASSIGN_OR_RETURN(Interval result, ParseInterval(text));
      return Value::Interval(result);
    }
    case TypeId::kBytea: {
      FLOE_ASSIGN_OR_RETURN(std::string result, ParseBytea(text));
      return Value::Bytea(std::move(result));
    }
    case TypeId::kUuid: {
      FLOE_ASSIGN_OR_RETURN(Uuid result, ParseUuid(text));
      return Value::Uuid(result);
    }
    case TypeId::kVarchar:
      return Value::Varchar(text);
    case TypeId::kList:
      return ParseListLiteral(text, target);
    case TypeId::kStruct:
      return ParseStructLiteral(text, target);
    default:
      // TODO: choose a text form for MAP (PostgreSQL has none) together with its output.
      return Status::NotSupported("casting text to {} is not supported", target.ToString());
  }
}

// Casts between TIMESTAMPTZ and the types without a zone go through local time in `zone`.
Result<Value> CastTemporal(const Value& value, const LogicalType& target, const TimeZone& zone) {
  TypeId from = value.type().id();
  TypeId to = target.id();
  if (from == TypeId::kDate) {
    FLOE_ASSIGN_OR_RETURN(int64_t micros, DateToTimestamp(value.date_value()));
    return to == TypeId::kTimestamp ? Value::Timestamp(micros)
                                    : Value::TimestampTz(zone.ToUtcMicros(micros));
  }
  if (from == TypeId::kTime) {
    return Value::Interval(Interval{0, 0, value.time_value()});
  }
  if (from == TypeId::kInterval) {
    int64_t micros = value.interval_value().micros % kMicrosPerDay;
    return Value::Time(micros < 0 ? micros + kMicrosPerDay : micros);
  }
  int64_t micros = value.timestamp_value();
  if (from == TypeId::kTimestampTz) {
    micros = zone.ToLocalMicros(micros);
  } else if (to == TypeId::kTimestampTz) {
    micros = zone.ToUtcMicros(micros);
  }
  switch (to) {
    case TypeId::kDate:
      return Value::Date(TimestampToDate(micros));
    case TypeId::kTime: {
      bool is_finite = micros != kTimestampInfinity && micros != kTimestampNegativeInfinity;
      return is_finite ? Value::Time(TimestampToTime(micros)) : Value::Null(target);
    }
    case TypeId::kTimestamp:
      return Value::Timestamp(micros);
    default:
      return Value::TimestampTz(micros);
  }
}

Result<Value> CastNested(const Value& value, const LogicalType& target, const TimeZone& zone) {
  std::vector<Value> children;
  children.reserve(value.children().size());
  for (size_t index = 0; index < value.children().size(); ++index) {
    const LogicalType* child_type = nullptr;
    if (target.id() == TypeId::kList) {
      child_type = &target.element_type();
    } else if (target.id() == TypeId::kStruct) {
      child_type = target.fields()[index].type.get();
    } else {
      child_type = index % 2 == 0 ? &target.key_type() : &target.value_type();
    }
    FLOE_ASSIGN_OR_RETURN(Value child, CastValue(value.children()[index], *child_type, zone));
    children.push_back(std::move(child));
  }
  if (target.id() == TypeId::kList) {
    return Value::List(target.element_type(), std::move(children));
  }
  if (target.id() == TypeId::kStruct) {
    return Value::Struct(target, std::move(children));
  }
  std::vector<std::pair<Value, Value>> entries;
  for (size_t index = 0; index + 1 < children.size(); index += 2) {
    entries.emplace_back(std::move(children[index]), std::move(children[index + 1]));
  }
  return Value::Map(target, std::move(entries));
}

}  // namespace

bool CanCast(const LogicalType& source, const LogicalType& target) {
  if (source.id() == TypeId::kNull || source == target) {
    return true;
  }
  if (source.id() != target.id() || !source.IsNested()) {
    return ScalarCastExists(source, target);
  }
  switch (source.id()) {
    case TypeId::kList:
      return CanCast(source.element_type(), target.element_type());
    case TypeId::kMap:
      return CanCast(source.key_type(), target.key_type()) &&
             CanCast(source.value_type(), target.value_type());
    default:
      break;
  }
  if (source.fields().size() != target.fields().size()) {
    return false;
  }
  for (size_t index = 0; index < source.fields().size(); ++index) {
    if (!CanCast(*source.fields()[index].type, *target.fields()[index].type)) {
      return false;
    }
  }
  return true;
}

Result<Value> CastValue(const Value& value, const LogicalType& target) {
  return CastValue(value, target, TimeZone::Utc());
}

Result<Value> CastValue(const Value& value, const LogicalType& target, const TimeZone& zone) {
  const LogicalType& source = value.type();
  if (!CanCast(source, target)) {
    return CannotCast(source, target);
  }
  if (value.is_null()) {
    return Value::Null(target);
  }
  if (source == target) {
    return value;
  }
  if (target.id() == TypeId::kVarchar) {
    // PostgreSQL's boolean-to-text cast spells the words out, unlike boolean output ('t').
    if (source.id() == TypeId::kBoolean) {
      return Value::Varchar(value.boolean_value() ? "true" : "false");
    }
    if (source.id() == TypeId::kTimestampTz) {
      return Value::Varchar(FormatTimestampTz(value.timestamp_value(), zone));
    }
    return Value::Varchar(value.ToString());
  }
  if (source.id() == TypeId::kVarchar) {
    return CastFromText(value.string_value(), target, zone);
  }
  if (target.id() == TypeId::kBoolean) {
    return Value::Boolean(value.integer_value() != 0);
  }
  if (target.IsNumeric()) {
    return CastNumeric(value, target);
  }
  if (target.IsNested()) {
    return CastNested(value, target, zone);
  }
  return CastTemporal(value, target, zone);
}

Result<int64_t> NarrowInteger(int64_t value, TypeId target) {
  int64_t minimum = std::numeric_limits<int64_t>::min();
  int64_t maximum = std::numeric_limits<int64_t>::max();
  if (target == TypeId::kSmallInt) {
    minimum = std::numeric_limits<int16_t>::min();
    maximum = std::numeric_limits<int16_t>::max();
  } else if (target == TypeId::kInteger) {
    minimum = std::numeric_limits<int32_t>::min();
    maximum = std::numeric_limits<int32_t>::max();
  }
  if (value < minimum || value > maximum) {
    return IntegerOutOfRange(target);
  }
  return value;
}

Result<int64_t> DoubleToInteger(double value, TypeId target) {
  double rounded = std::nearbyint(value);
  // 2^63 is exactly representable; every double below it converts to int64 without overflow.
  constexpr double kTwoToThe63 = 9223372036854775808.0;
  if (std::isnan(rounded) || rounded < -kTwoToThe63 || rounded >= kTwoToThe63) {
    return IntegerOutOfRange(target);
  }
  return NarrowInteger(static_cast<int64_t>(rounded), target);
}

Result<int64_t> DecimalToInteger(Int128 unscaled, int scale, TypeId target) {
  Int128 rounded = scale > 0 ? DivideRoundingHalfAway(unscaled, PowerOfTen(scale)) : unscaled;
  if (rounded < std::numeric_limits<int64_t>::min() ||
      rounded > std::numeric_limits<int64_t>::max()) {
    return IntegerOutOfRange(target);
  }
  return NarrowInteger(static_cast<int64_t>(rounded), target);
}

Result<Int128> DoubleToDecimal(double value, bool is_real, int precision, int scale) {
  if (std::isnan(value)) {
    return Status::InvalidCast("cannot convert NaN to numeric({},{})", precision, scale);
  }
  if (std::isinf(value)) {
    return Status::OutOfRange(
        "numeric field overflow: A field with precision {}, scale {} cannot hold an infinite "
        "value.",
        precision, scale);
  }
  std::string text = is_real ? fmt::format("{:.6g}", value) : fmt::format("{:.15g}", value);
  return ParseDecimal(text, precision, scale);
}

double DecimalToDouble(Int128 unscaled, int scale) {
  std::string text = FormatDecimal(unscaled, scale);
  double result = 0;
  std::from_chars(text.data(), text.data() + text.size(), result);
  return result;
}

Result<float> DoubleToReal(double value) {
  auto result = static_cast<float>(value);
  if (std::isinf(result) && !std::isinf(value)) {
    return Status::OutOfRange("value out of range: overflow");
  }
  if (result == 0.0f && value != 0.0) {
    return Status::OutOfRange("value out of range: underflow");
  }
  return result;
}

}  // namespace floe::types
