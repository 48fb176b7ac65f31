#include "sql/functions/decimal_rules.h"

#include <algorithm>

namespace floe::sql {

using types::LogicalType;
using types::TypeId;

namespace {

constexpr int kMaxPrecision = LogicalType::kMaxDecimalPrecision;
constexpr int kMinimumKeptScale = 6;

int IntegerDigits(const LogicalType& type) {
  return type.precision() - type.scale();
}

}  // namespace

LogicalType BoundedDecimal(int integer_digits, int scale) {
  integer_digits = std::max(integer_digits, 1);
  scale = std::clamp(scale, 0, kMaxPrecision);
  if (integer_digits + scale > kMaxPrecision) {
    scale = std::max(std::min(scale, kMinimumKeptScale), kMaxPrecision - integer_digits);
  }
  int precision = std::min(kMaxPrecision, integer_digits + scale);
  return LogicalType::Decimal(std::max(precision, 1), scale).value();
}

LogicalType DecimalTypeOf(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kDecimal:
      return type;
    case TypeId::kSmallInt:
      return LogicalType::Decimal(5, 0).value();
    case TypeId::kInteger:
      return LogicalType::Decimal(10, 0).value();
    case TypeId::kBigInt:
      return LogicalType::Decimal(19, 0).value();
    default:
      return LogicalType::Decimal(kMaxPrecision, 0).value();
  }
}

LogicalType DecimalAddType(const LogicalType& a, const LogicalType& b) {
  return BoundedDecimal(std::max(IntegerDigits(a), IntegerDigits(b)) + 1,
                        std::max(a.scale(), b.scale()));
}

LogicalType DecimalMultiplyType(const LogicalType& a, const LogicalType& b) {
  return BoundedDecimal(IntegerDigits(a) + IntegerDigits(b), a.scale() + b.scale());
}

LogicalType DecimalDivideType(const LogicalType& a, const LogicalType& b) {
  return BoundedDecimal(IntegerDigits(a) + b.scale(),
                        std::max(kMinimumKeptScale, a.scale() + b.precision() + 1));
}

LogicalType DecimalModuloType(const LogicalType& a, const LogicalType& b) {
  return BoundedDecimal(std::min(IntegerDigits(a), IntegerDigits(b)),
                        std::max(a.scale(), b.scale()));
}

LogicalType DecimalSumType(const LogicalType& input) {
  return LogicalType::Decimal(kMaxPrecision, DecimalTypeOf(input).scale()).value();
}

LogicalType DecimalAvgType(const LogicalType& input) {
  int scale = std::max(DecimalTypeOf(input).scale(), kMinimumKeptScale);
  return LogicalType::Decimal(kMaxPrecision, scale).value();
}

}  // namespace floe::sql
