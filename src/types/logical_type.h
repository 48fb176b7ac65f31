#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace floe::types {

/// The SQL types Floe knows. Each has one physical layout in vector/ (see PhysicalWidth()).
enum class TypeId : uint8_t {
  kNull,  // The type of a bare NULL literal before the binder resolves it.
  kBoolean,
  kSmallInt,
  kInteger,
  kBigInt,
  kReal,
  kDouble,
  kDecimal,      // DECIMAL(p,s), 1 <= p <= 38, 0 <= s <= p.
  kDate,         // Days since 1970-01-01, int32.
  kTime,         // Microseconds since midnight, int64.
  kTimestamp,    // Microseconds since 1970-01-01 00:00:00, no time zone, int64.
  kTimestampTz,  // Microseconds since 1970-01-01 00:00:00 UTC, int64.
  kInterval,     // Months, days and microseconds, kept apart as PostgreSQL does.
  kVarchar,
  kBytea,
  kUuid,  // 16 bytes, big-endian as written.
  kList,
  kStruct,
  kMap,
};

class LogicalType;

/// One named member of a STRUCT.
struct StructField {
  std::string name;
  std::shared_ptr<const LogicalType> type;  // Never null.
};

/// A SQL type with its parameters: precision and scale for DECIMAL, the element type for LIST,
/// the fields for STRUCT, key and value types for MAP. Cheap to copy: nested parameters are
/// shared and immutable.
class LogicalType {
 public:
  /// Largest decimal precision Floe stores: 38 digits fit in a signed 128-bit integer.
  static constexpr int kMaxDecimalPrecision = 38;
  /// Decimals up to this precision are stored as int64, wider ones as int128.
  static constexpr int kMaxInt64DecimalPrecision = 18;

  LogicalType() : LogicalType(TypeId::kNull) {}

  static LogicalType Null() { return LogicalType(TypeId::kNull); }
  static LogicalType Boolean() { return LogicalType(TypeId::kBoolean); }
  static LogicalType SmallInt() { return LogicalType(TypeId::kSmallInt); }
  static LogicalType Integer() { return LogicalType(TypeId::kInteger); }
  static LogicalType BigInt() { return LogicalType(TypeId::kBigInt); }
  static LogicalType Real() { return LogicalType(TypeId::kReal); }
  static LogicalType Double() { return LogicalType(TypeId::kDouble); }
  static LogicalType Date() { return LogicalType(TypeId::kDate); }
  static LogicalType Time() { return LogicalType(TypeId::kTime); }
  static LogicalType Timestamp() { return LogicalType(TypeId::kTimestamp); }
  static LogicalType TimestampTz() { return LogicalType(TypeId::kTimestampTz); }
  static LogicalType Interval() { return LogicalType(TypeId::kInterval); }
  static LogicalType Varchar() { return LogicalType(TypeId::kVarchar); }
  static LogicalType Bytea() { return LogicalType(TypeId::kBytea); }
  static LogicalType Uuid() { return LogicalType(TypeId::kUuid); }

  /// Returns DECIMAL(precision, scale), or InvalidArgument when 1 <= precision <= 38 and
  /// 0 <= scale <= precision do not hold.
  static Result<LogicalType> Decimal(int precision, int scale);
  static LogicalType List(LogicalType element);
  /// Field names must be unique; the caller (binder, file reader) checks this with the context
  /// needed for a useful error.
  static LogicalType Struct(std::vector<StructField> fields);
  static LogicalType Map(LogicalType key, LogicalType value);

  TypeId id() const { return id_; }
  int precision() const { return precision_; }
  int scale() const { return scale_; }
  /// The element type of a LIST.
  const LogicalType& element_type() const;
  /// The fields of a STRUCT.
  const std::vector<StructField>& fields() const;
  /// The key and value types of a MAP.
  const LogicalType& key_type() const;
  const LogicalType& value_type() const;

  bool IsNested() const;
  bool IsInteger() const;  // SMALLINT, INTEGER, BIGINT.
  bool IsNumeric() const;  // Integers, REAL, DOUBLE, DECIMAL.
  bool IsTemporal() const;
  bool IsString() const { return id_ == TypeId::kVarchar || id_ == TypeId::kBytea; }

  /// Returns the bytes one value takes in a vector's value buffer, 0 for types whose values live
  /// elsewhere (BOOLEAN is bit-packed, strings use offsets, nested types use children).
  int PhysicalWidth() const;

  /// Returns the name as PostgreSQL prints it: "integer", "numeric(15,2)", "timestamp with time
  /// zone", "integer[]"; STRUCT and MAP as "struct(a integer, b text)", "map(text, integer)".
  std::string ToString() const;

  friend bool operator==(const LogicalType& a, const LogicalType& b);

 private:
  explicit LogicalType(TypeId id) : id_(id) {}

  TypeId id_;
  uint8_t precision_ = 0;
  uint8_t scale_ = 0;
  // LIST: one element; MAP: key then value; STRUCT: the fields.
  std::shared_ptr<const std::vector<StructField>> children_;
};

}  // namespace floe::types
