#include "format/parquet/reader/column_predicate.h"

#include <cmath>
#include <cstring>

#include "format/parquet/reader/column_reader.h"
#include "types/cast.h"
#include "types/decimal.h"

namespace floe::format::parquet {
namespace {

using types::Value;

template <typename T>
std::optional<T> Load(std::string_view bytes) {
  if (bytes.size() != sizeof(T)) {
    return std::nullopt;
  }
  T value;
  std::memcpy(&value, bytes.data(), sizeof(T));
  return value;
}

std::optional<Value> FromInt64(const ColumnDescriptor& column, int64_t value) {
  const types::LogicalType& type = column.type;
  switch (column.conversion) {
    case ValueConversion::kMillisToMicros:
      value *= 1000;
      break;
    case ValueConversion::kInt32MillisToMicros:
      value *= 1000;
      break;
    case ValueConversion::kNanosToMicros:
      value = value / 1000 - ((value % 1000 != 0 && value < 0) ? 1 : 0);
      break;
    default:
      break;
  }
  switch (type.id()) {
    case types::TypeId::kSmallInt:
      return Value::SmallInt(static_cast<int16_t>(value));
    case types::TypeId::kInteger:
      return Value::Integer(static_cast<int32_t>(value));
    case types::TypeId::kBigInt:
      return Value::BigInt(value);
    case types::TypeId::kDate:
      return Value::Date(static_cast<int32_t>(value));
    case types::TypeId::kTime:
      return Value::Time(value);
    case types::TypeId::kTimestamp:
      return Value::Timestamp(value);
    case types::TypeId::kTimestampTz:
      return Value::TimestampTz(value);
    case types::TypeId::kDecimal: {
      types::Int128 unscaled = column.conversion == ValueConversion::kUint64ToDecimal
                                   ? static_cast<types::Int128>(static_cast<uint64_t>(value))
                                   : value;
      if (!types::FitsPrecision(unscaled, type.precision())) {
        return std::nullopt;
      }
      return Value::Decimal(unscaled, type.precision(), type.scale());
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<Value> DecodeStatisticsValue(const ColumnDescriptor& column, std::string_view bytes) {
  if (!column.has_usable_statistics) {
    return std::nullopt;
  }
  switch (column.physical_type) {
    case PhysicalType::kBoolean:
      if (bytes.size() != 1) {
        return std::nullopt;
      }
      return Value::Boolean(bytes[0] != 0);
    case PhysicalType::kInt32: {
      auto value = Load<int32_t>(bytes);
      if (!value) {
        return std::nullopt;
      }
      int64_t wide = column.conversion == ValueConversion::kUint32ToBigInt
                         ? int64_t{static_cast<uint32_t>(*value)}
                         : int64_t{*value};
      return FromInt64(column, wide);
    }
    case PhysicalType::kInt64: {
      auto value = Load<int64_t>(bytes);
      return value ? FromInt64(column, *value) : std::nullopt;
    }
    case PhysicalType::kFloat: {
      auto value = Load<float>(bytes);
      return value && !std::isnan(*value) ? std::optional<Value>(Value::Real(*value))
                                          : std::nullopt;
    }
    case PhysicalType::kDouble: {
      auto value = Load<double>(bytes);
      return value && !std::isnan(*value) ? std::optional<Value>(Value::Double(*value))
                                          : std::nullopt;
    }
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray: {
      if (column.type.id() == types::TypeId::kDecimal) {
        types::Int128 unscaled = 0;
        if (!DecodeBinaryDecimal(bytes, unscaled) ||
            !types::FitsPrecision(unscaled, column.type.precision())) {
          return std::nullopt;
        }
        return Value::Decimal(unscaled, column.type.precision(), column.type.scale());
      }
      if (column.type.id() == types::TypeId::kVarchar) {
        return Value::Varchar(std::string(bytes));
      }
      if (column.type.id() == types::TypeId::kBytea) {
        return Value::Bytea(std::string(bytes));
      }
      if (column.type.id() == types::TypeId::kUuid && bytes.size() == 16) {
        types::Uuid uuid;
        std::memcpy(uuid.bytes.data(), bytes.data(), 16);
        return Value::Uuid(uuid);
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

ColumnStatistics ChunkStatistics(const ColumnDescriptor& column, const ColumnMetaData& metadata,
                                 int64_t num_rows) {
  ColumnStatistics result;
  result.num_values = num_rows;
  if (!metadata.statistics.has_value()) {
    return result;
  }
  const Statistics& statistics = *metadata.statistics;
  result.null_count = statistics.null_count;
  const std::optional<std::string>* min = &statistics.min_value;
  const std::optional<std::string>* max = &statistics.max_value;
  if (!min->has_value() && !max->has_value() && column.has_signed_order) {
    min = &statistics.min;
    max = &statistics.max;
  }
  if (min->has_value()) {
    result.min = DecodeStatisticsValue(column, **min);
  }
  if (max->has_value()) {
    result.max = DecodeStatisticsValue(column, **max);
  }
  return result;
}

std::optional<Value> CastExactly(const Value& value, const types::LogicalType& type) {
  if (value.type() == type) {
    return value;
  }
  auto cast = types::CastValue(value, type);
  if (!cast.ok()) {
    return std::nullopt;
  }
  auto back = types::CastValue(*cast, value.type());
  if (!back.ok() || !(*back == value)) {
    return std::nullopt;
  }
  return std::move(cast).value();
}

bool MayMatch(const ColumnPredicate& predicate, const types::LogicalType& type,
              const ColumnStatistics& statistics) {
  using Op = ColumnPredicate::Op;
  bool all_null = statistics.null_count.has_value() &&
                  *statistics.null_count >= statistics.num_values && statistics.num_values > 0;
  if (predicate.op == Op::kIsNull) {
    return !statistics.null_count.has_value() || *statistics.null_count > 0;
  }
  if (all_null) {
    return false;  // A comparison with NULL is never true, nor is IS NOT NULL.
  }
  if (predicate.op == Op::kIsNotNull) {
    return true;
  }
  if (predicate.value.is_null()) {
    return false;
  }
  std::optional<Value> exact = CastExactly(predicate.value, type);
  if (!exact.has_value()) {
    return true;
  }
  const Value& constant = *exact;
  const auto& min = statistics.min;
  const auto& max = statistics.max;
  switch (predicate.op) {
    case Op::kEqual:
      return !(min && constant.Compare(*min) < 0) && !(max && constant.Compare(*max) > 0);
    case Op::kLess:
      return !(min && min->Compare(constant) >= 0);
    case Op::kLessEqual:
      return !(min && min->Compare(constant) > 0);
    case Op::kGreater:
      return !(max && max->Compare(constant) <= 0);
    case Op::kGreaterEqual:
      return !(max && max->Compare(constant) < 0);
    default:
      return true;
  }
}

const ColumnDescriptor* FindPredicateColumn(const FileSchema& schema, const std::string& column) {
  for (const ColumnDescriptor& descriptor : schema.columns()) {
    if (descriptor.max_repetition_level == 0 && descriptor.PathString() == column) {
      return &descriptor;
    }
  }
  return nullptr;
}

}  // namespace floe::format::parquet
