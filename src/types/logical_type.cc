#include "types/logical_type.h"

#include <utility>

#include <fmt/core.h>

#include "common/check.h"

namespace floe::types {
namespace {

std::string_view ScalarName(TypeId id) {
  switch (id) {
    case TypeId::kNull:
      return "unknown";
    case TypeId::kBoolean:
      return "boolean";
    case TypeId::kSmallInt:
      return "smallint";
    case TypeId::kInteger:
      return "integer";
    case TypeId::kBigInt:
      return "bigint";
    case TypeId::kReal:
      return "real";
    case TypeId::kDouble:
      return "double precision";
    case TypeId::kDate:
      return "date";
    case TypeId::kTime:
      return "time without time zone";
    case TypeId::kTimestamp:
      return "timestamp without time zone";
    case TypeId::kTimestampTz:
      return "timestamp with time zone";
    case TypeId::kInterval:
      return "interval";
    case TypeId::kVarchar:
      return "text";
    case TypeId::kBytea:
      return "bytea";
    case TypeId::kUuid:
      return "uuid";
    case TypeId::kDecimal:
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap:
      break;
  }
  return "unknown";
}

}  // namespace

Result<LogicalType> LogicalType::Decimal(int precision, int scale) {
  if (precision < 1 || precision > kMaxDecimalPrecision) {
    return Status::InvalidArgument("NUMERIC precision {} must be between 1 and {}", precision,
                                   kMaxDecimalPrecision);
  }
  if (scale < 0 || scale > precision) {
    return Status::InvalidArgument("NUMERIC scale {} must be between 0 and precision {}", scale,
                                   precision);
  }
  LogicalType type(TypeId::kDecimal);
  type.precision_ = static_cast<uint8_t>(precision);
  type.scale_ = static_cast<uint8_t>(scale);
  return type;
}

LogicalType LogicalType::List(LogicalType element) {
  LogicalType type(TypeId::kList);
  type.children_ = std::make_shared<const std::vector<StructField>>(std::vector<StructField>{
      {"element", std::make_shared<const LogicalType>(std::move(element))}});
  return type;
}

LogicalType LogicalType::Struct(std::vector<StructField> fields) {
  LogicalType type(TypeId::kStruct);
  type.children_ = std::make_shared<const std::vector<StructField>>(std::move(fields));
  return type;
}

LogicalType LogicalType::Map(LogicalType key, LogicalType value) {
  LogicalType type(TypeId::kMap);
  type.children_ = std::make_shared<const std::vector<StructField>>(
      std::vector<StructField>{{"key", std::make_shared<const LogicalType>(std::move(key))},
                               {"value", std::make_shared<const LogicalType>(std::move(value))}});
  return type;
}

const LogicalType& LogicalType::element_type() const {
  FLOE_CHECK(id_ == TypeId::kList);
  return *(*children_)[0].type;
}

const std::vector<StructField>& LogicalType::fields() const {
  FLOE_CHECK(id_ == TypeId::kStruct);
  return *children_;
}

const LogicalType& LogicalType::key_type() const {
  FLOE_CHECK(id_ == TypeId::kMap);
  return *(*children_)[0].type;
}

const LogicalType& LogicalType::value_type() const {
  FLOE_CHECK(id_ == TypeId::kMap);
  return *(*children_)[1].type;
}

bool LogicalType::IsNested() const {
  return id_ == TypeId::kList || id_ == TypeId::kStruct || id_ == TypeId::kMap;
}

bool LogicalType::IsInteger() const {
  return id_ == TypeId::kSmallInt || id_ == TypeId::kInteger || id_ == TypeId::kBigInt;
}

bool LogicalType::IsNumeric() const {
  return IsInteger() || id_ == TypeId::kReal || id_ == TypeId::kDouble || id_ == TypeId::kDecimal;
}

bool LogicalType::IsTemporal() const {
  switch (id_) {
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kInterval:
      return true;
    default:
      return false;
  }
}

int LogicalType::PhysicalWidth() const {
  switch (id_) {
    case TypeId::kSmallInt:
      return 2;
    case TypeId::kInteger:
    case TypeId::kReal:
    case TypeId::kDate:
      return 4;
    case TypeId::kBigInt:
    case TypeId::kDouble:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return 8;
    case TypeId::kDecimal:
      return precision_ <= kMaxInt64DecimalPrecision ? 8 : 16;
    case TypeId::kInterval:
    case TypeId::kUuid:
      return 16;
    default:
      return 0;
  }
}

std::string LogicalType::ToString() const {
  switch (id_) {
    case TypeId::kDecimal:
      return fmt::format("numeric({},{})", precision_, scale_);
    case TypeId::kList:
      return element_type().ToString() + "[]";
    case TypeId::kMap:
      return fmt::format("map({}, {})", key_type().ToString(), value_type().ToString());
    case TypeId::kStruct: {
      std::string text = "struct(";
      for (size_t index = 0; index < children_->size(); ++index) {
        const StructField& field = (*children_)[index];
        text += fmt::format("{}{} {}", index == 0 ? "" : ", ", field.name, field.type->ToString());
      }
      return text + ")";
    }
    default:
      return std::string(ScalarName(id_));
  }
}

bool operator==(const LogicalType& a, const LogicalType& b) {
  if (a.id_ != b.id_ || a.precision_ != b.precision_ || a.scale_ != b.scale_) {
    return false;
  }
  if (a.children_ == b.children_) {
    return true;
  }
  if (a.children_ == nullptr || b.children_ == nullptr ||
      a.children_->size() != b.children_->size()) {
    return false;
  }
  for (size_t index = 0; index < a.children_->size(); ++index) {
    const StructField& left = (*a.children_)[index];
    const StructField& right = (*b.children_)[index];
    if (left.name != right.name || !(*left.type == *right.type)) {
      return false;
    }
  }
  return true;
}

}  // namespace floe::types
