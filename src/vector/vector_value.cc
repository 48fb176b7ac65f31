#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "types/decimal.h"
#include "types/value.h"
#include "vector/vector.h"
#include "vector/vector_builder.h"

namespace floe::vector {
namespace {

using types::TypeId;
using types::Value;

template <typename T>
T ReadFixed(const Vector& flat, int64_t index) {
  T value;
  std::memcpy(&value, flat.values_buffer()->data() + (flat.offset() + index) * sizeof(T),
              sizeof(T));
  return value;
}

Result<Value> DecimalValue(const Vector& flat, int64_t index) {
  const types::LogicalType& type = flat.type();
  types::Int128 unscaled = type.PhysicalWidth() == 8 ? ReadFixed<int64_t>(flat, index)
                                                     : ReadFixed<types::Int128>(flat, index);
  // Vectors come from files too, whose digits the type does not bound.
  if (!types::FitsPrecision(unscaled, type.precision())) {
    return Status::Corruption("decimal {} does not fit {}", types::Int128ToString(unscaled),
                              type.ToString());
  }
  return Value::Decimal(unscaled, type.precision(), type.scale());
}

Result<Value> ListValue(const Vector& flat, int64_t index) {
  const Vector& elements = flat.child(0);
  std::vector<Value> values;
  for (int32_t element = flat.offsets()[index]; element < flat.offsets()[index + 1]; ++element) {
    FLOE_ASSIGN_OR_RETURN(Value value, elements.GetValue(element));
    values.push_back(std::move(value));
  }
  return Value::List(flat.type().element_type(), std::move(values));
}

Result<Value> MapValue(const Vector& flat, int64_t index) {
  const Vector& entries = flat.child(0);
  std::vector<std::pair<Value, Value>> pairs;
  for (int32_t entry = flat.offsets()[index]; entry < flat.offsets()[index + 1]; ++entry) {
    FLOE_ASSIGN_OR_RETURN(Value key, entries.child(0).GetValue(entry));
    FLOE_ASSIGN_OR_RETURN(Value value, entries.child(1).GetValue(entry));
    pairs.emplace_back(std::move(key), std::move(value));
  }
  return Value::Map(flat.type(), std::move(pairs));
}

Result<Value> StructValue(const Vector& flat, int64_t index) {
  std::vector<Value> fields;
  for (int64_t field = 0; field < flat.num_children(); ++field) {
    FLOE_ASSIGN_OR_RETURN(Value value, flat.child(field).GetValue(index));
    fields.push_back(std::move(value));
  }
  return Value::Struct(flat.type(), std::move(fields));
}

// Reads a valid row `index` of a flat vector.
Result<Value> FlatValue(const Vector& flat, int64_t index) {
  switch (flat.type().id()) {
    case TypeId::kNull:
      return Value::Null(flat.type());
    case TypeId::kBoolean:
      return Value::Boolean(GetBit(flat.value_bits(), flat.offset() + index));
    case TypeId::kSmallInt:
      return Value::SmallInt(ReadFixed<int16_t>(flat, index));
    case TypeId::kInteger:
      return Value::Integer(ReadFixed<int32_t>(flat, index));
    case TypeId::kBigInt:
      return Value::BigInt(ReadFixed<int64_t>(flat, index));
    case TypeId::kReal:
      return Value::Real(ReadFixed<float>(flat, index));
    case TypeId::kDouble:
      return Value::Double(ReadFixed<double>(flat, index));
    case TypeId::kDecimal:
      return DecimalValue(flat, index);
    case TypeId::kDate:
      return Value::Date(ReadFixed<int32_t>(flat, index));
    case TypeId::kTime:
      return Value::Time(ReadFixed<int64_t>(flat, index));
    case TypeId::kTimestamp:
      return Value::Timestamp(ReadFixed<int64_t>(flat, index));
    case TypeId::kTimestampTz:
      return Value::TimestampTz(ReadFixed<int64_t>(flat, index));
    case TypeId::kInterval:
      return Value::Interval(ReadFixed<types::Interval>(flat, index));
    case TypeId::kUuid:
      return Value::Uuid(ReadFixed<types::Uuid>(flat, index));
    case TypeId::kVarchar:
      return Value::Varchar(std::string(flat.GetString(index)));
    case TypeId::kBytea:
      return Value::Bytea(std::string(flat.GetString(index)));
    case TypeId::kList:
      return ListValue(flat, index);
    case TypeId::kMap:
      return MapValue(flat, index);
    case TypeId::kStruct:
      return StructValue(flat, index);
  }
  return Status::Internal("no value reader for type {}", flat.type().ToString());
}

}  // namespace

Result<Value> Vector::GetValue(int64_t row) const {
  FLOE_DCHECK(row >= 0 && row < length_);
  if (IsNull(row)) {
    return Value::Null(type_);
  }
  return FlatValue(ValueSource(), ValueIndex(row));
}

Status VectorBuilder::AppendValue(const Value& value) {
  if (value.is_null()) {
    return AppendNull();
  }
  if (!(value.type() == type_)) {
    return Status::InvalidArgument("cannot append a value of type {} to a vector of type {}",
                                   value.type().ToString(), type_.ToString());
  }
  switch (type_.id()) {
    case TypeId::kNull:
      return AppendNull();
    case TypeId::kBoolean:
      return AppendBool(value.boolean_value());
    case TypeId::kSmallInt:
      return Append(value.smallint_value());
    case TypeId::kInteger:
      return Append(value.integer_value());
    case TypeId::kBigInt:
      return Append(value.bigint_value());
    case TypeId::kReal:
      return Append(value.real_value());
    case TypeId::kDouble:
      return Append(value.double_value());
    case TypeId::kDecimal:
      return width_ == 8 ? Append(static_cast<int64_t>(value.decimal_value()))
                         : Append(value.decimal_value());
    case TypeId::kDate:
      return Append(value.date_value());
    case TypeId::kTime:
      return Append(value.time_value());
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return Append(value.timestamp_value());
    case TypeId::kInterval:
      return Append(value.interval_value());
    case TypeId::kUuid:
      return Append(value.uuid_value());
    case TypeId::kVarchar:
    case TypeId::kBytea:
      return AppendString(value.string_value());
    case TypeId::kList:
      for (const Value& element : value.children()) {
        FLOE_RETURN_NOT_OK(child(0).AppendValue(element));
      }
      return AppendList();
    case TypeId::kMap:
      for (size_t entry = 0; entry < value.map_size(); ++entry) {
        FLOE_RETURN_NOT_OK(key_builder().AppendValue(value.map_key(entry)));
        FLOE_RETURN_NOT_OK(value_builder().AppendValue(value.map_value(entry)));
      }
      return AppendList();
    case TypeId::kStruct:
      for (size_t field = 0; field < value.children().size(); ++field) {
        FLOE_RETURN_NOT_OK(child(static_cast<int64_t>(field)).AppendValue(value.children()[field]));
      }
      return AppendStruct();
  }
  return Status::Internal("no value writer for type {}", type_.ToString());
}

}  // namespace floe::vector
