#include "sql/functions/type_coercion.h"

#include <algorithm>
#include <string>

#include "sql/functions/decimal_rules.h"

namespace floe::sql {

using types::LogicalType;
using types::TypeId;

TypeCategory CategoryOf(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kNull:
      return TypeCategory::kUnknown;
    case TypeId::kBoolean:
      return TypeCategory::kBoolean;
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
    case TypeId::kReal:
    case TypeId::kDouble:
    case TypeId::kDecimal:
      return TypeCategory::kNumeric;
    case TypeId::kVarchar:
      return TypeCategory::kString;
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return TypeCategory::kDateTime;
    case TypeId::kInterval:
      return TypeCategory::kTimespan;
    case TypeId::kBytea:
    case TypeId::kUuid:
      return TypeCategory::kUser;
    case TypeId::kList:
      return TypeCategory::kArray;
    case TypeId::kStruct:
      return TypeCategory::kComposite;
    case TypeId::kMap:
      return TypeCategory::kMap;
  }
  return TypeCategory::kUnknown;
}

bool IsPreferredType(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
    case TypeId::kDouble:
    case TypeId::kVarchar:
    case TypeId::kTimestampTz:
    case TypeId::kInterval:
      return true;
    default:
      return false;
  }
}

namespace {

// The position of a numeric type on PostgreSQL's implicit-cast ladder.
int NumericRank(TypeId id) {
  switch (id) {
    case TypeId::kSmallInt:
      return 0;
    case TypeId::kInteger:
      return 1;
    case TypeId::kBigInt:
      return 2;
    case TypeId::kDecimal:
      return 3;
    case TypeId::kReal:
      return 4;
    case TypeId::kDouble:
      return 5;
    default:
      return -1;
  }
}

bool NestedCastsImplicitly(const LogicalType& from, const LogicalType& to) {
  switch (from.id()) {
    case TypeId::kList:
      return CanImplicitlyCast(from.element_type(), to.element_type());
    case TypeId::kMap:
      return CanImplicitlyCast(from.key_type(), to.key_type()) &&
             CanImplicitlyCast(from.value_type(), to.value_type());
    default:
      break;
  }
  if (from.fields().size() != to.fields().size()) {
    return false;
  }
  for (size_t index = 0; index < from.fields().size(); ++index) {
    if (!CanImplicitlyCast(*from.fields()[index].type, *to.fields()[index].type)) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool CanImplicitlyCast(const LogicalType& from, const LogicalType& to) {
  if (from.id() == TypeId::kNull || from == to) {
    return true;
  }
  if (from.id() == to.id()) {
    return !from.IsNested() || NestedCastsImplicitly(from, to);
  }
  int from_rank = NumericRank(from.id());
  int to_rank = NumericRank(to.id());
  if (from_rank >= 0 && to_rank >= 0) {
    return from_rank < to_rank;
  }
  switch (from.id()) {
    case TypeId::kDate:
      return to.id() == TypeId::kTimestamp || to.id() == TypeId::kTimestampTz;
    case TypeId::kTimestamp:
      return to.id() == TypeId::kTimestampTz;
    case TypeId::kTime:
      return to.id() == TypeId::kInterval;
    default:
      return false;
  }
}

LogicalType ImplicitCastTarget(const LogicalType& from, TypeId to) {
  if (from.id() == to) {
    return from;
  }
  switch (to) {
    case TypeId::kDecimal:
      return DecimalTypeOf(from);
    case TypeId::kBoolean:
      return LogicalType::Boolean();
    case TypeId::kSmallInt:
      return LogicalType::SmallInt();
    case TypeId::kInteger:
      return LogicalType::Integer();
    case TypeId::kBigInt:
      return LogicalType::BigInt();
    case TypeId::kReal:
      return LogicalType::Real();
    case TypeId::kDouble:
      return LogicalType::Double();
    case TypeId::kDate:
      return LogicalType::Date();
    case TypeId::kTime:
      return LogicalType::Time();
    case TypeId::kTimestamp:
      return LogicalType::Timestamp();
    case TypeId::kTimestampTz:
      return LogicalType::TimestampTz();
    case TypeId::kInterval:
      return LogicalType::Interval();
    case TypeId::kVarchar:
      return LogicalType::Varchar();
    case TypeId::kBytea:
      return LogicalType::Bytea();
    case TypeId::kUuid:
      return LogicalType::Uuid();
    default:
      return from;
  }
}

std::string TypeNameForError(const LogicalType& type) {
  if (type.id() == TypeId::kDecimal) {
    return "numeric";
  }
  if (type.id() == TypeId::kList) {
    return TypeNameForError(type.element_type()) + "[]";
  }
  return type.ToString();
}

Result<LogicalType> CommonType(std::span<const LogicalType> types, std::string_view context) {
  const LogicalType* candidate = nullptr;
  for (const LogicalType& type : types) {
    if (type.id() == TypeId::kNull) {
      continue;
    }
    if (candidate == nullptr) {
      candidate = &type;
      continue;
    }
    if (type == *candidate) {
      continue;
    }
    if (CategoryOf(type) != CategoryOf(*candidate)) {
      return Status::InvalidArgument("{} types {} and {} cannot be matched", context,
                                     TypeNameForError(*candidate), TypeNameForError(type))
          .WithSqlState("42804");
    }
    if (!IsPreferredType(*candidate) && CanImplicitlyCast(*candidate, type) &&
        !CanImplicitlyCast(type, *candidate)) {
      candidate = &type;
    }
  }
  if (candidate == nullptr) {
    return LogicalType::Varchar();
  }
  for (const LogicalType& type : types) {
    if (!CanImplicitlyCast(type, *candidate)) {
      return Status::InvalidCast("{} could not convert type {} to {}", context,
                                 TypeNameForError(type), TypeNameForError(*candidate))
          .WithSqlState("42846");
    }
  }
  if (candidate->id() != TypeId::kDecimal) {
    return *candidate;
  }
  // PostgreSQL's numeric has no fixed precision; Floe's result must hold every input.
  int integer_digits = 1;
  int scale = 0;
  for (const LogicalType& type : types) {
    if (type.id() == TypeId::kNull) {
      continue;
    }
    LogicalType decimal = DecimalTypeOf(type);
    integer_digits = std::max(integer_digits, decimal.precision() - decimal.scale());
    scale = std::max(scale, decimal.scale());
  }
  return BoundedDecimal(integer_digits, scale);
}

}  // namespace floe::sql
