#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "types/int128.h"
#include "types/interval.h"
#include "types/logical_type.h"
#include "types/uuid.h"

namespace floe::types {

/// A typed SQL constant: a NULL of any type, a scalar, or a LIST, STRUCT or MAP of values.
///
/// Constructors trust their arguments (the binder and readers validate first); accessors must be
/// called on a non-NULL value of the matching type. Cheap to move; copies nested values deeply.
class Value {
 public:
  /// A NULL of type "unknown".
  Value() = default;

  static Value Null(LogicalType type);
  static Value Boolean(bool value);
  static Value SmallInt(int16_t value);
  static Value Integer(int32_t value);
  static Value BigInt(int64_t value);
  static Value Real(float value);
  static Value Double(double value);
  /// DECIMAL(precision, scale) from its unscaled integer: Decimal(1234, 10, 2) is 12.34.
  /// Precision and scale must be valid (see LogicalType::Decimal) and the value must fit them;
  /// both are checked, so validate user input first (ParseDecimal, RescaleDecimal).
  static Value Decimal(Int128 unscaled, int precision, int scale);
  /// Days since 1970-01-01; kDateInfinity and kDateNegativeInfinity are the infinities.
  static Value Date(int32_t days);
  /// Microseconds since midnight.
  static Value Time(int64_t micros);
  /// Microseconds since 1970-01-01 00:00:00.
  static Value Timestamp(int64_t micros);
  /// Microseconds since 1970-01-01 00:00:00 UTC.
  static Value TimestampTz(int64_t micros);
  static Value Interval(types::Interval value);
  static Value Varchar(std::string value);
  static Value Bytea(std::string bytes);
  static Value Uuid(types::Uuid value);
  /// A LIST whose elements are of `element_type` (or NULL).
  static Value List(LogicalType element_type, std::vector<Value> elements);
  /// A STRUCT: one value per field of `type`, in field order.
  static Value Struct(LogicalType type, std::vector<Value> fields);
  /// A MAP of `type` (a MAP type) from key/value pairs.
  static Value Map(LogicalType type, std::vector<std::pair<Value, Value>> entries);

  const LogicalType& type() const { return type_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(payload_); }

  bool boolean_value() const { return std::get<bool>(payload_); }
  int16_t smallint_value() const { return std::get<int16_t>(payload_); }
  int32_t integer_value() const { return std::get<int32_t>(payload_); }
  int64_t bigint_value() const { return std::get<int64_t>(payload_); }
  float real_value() const { return std::get<float>(payload_); }
  double double_value() const { return std::get<double>(payload_); }
  /// The unscaled integer of a DECIMAL, whatever its precision.
  Int128 decimal_value() const { return std::get<Int128>(payload_); }
  int32_t date_value() const { return std::get<int32_t>(payload_); }
  /// TIME, TIMESTAMP and TIMESTAMPTZ microseconds.
  int64_t time_value() const { return std::get<int64_t>(payload_); }
  int64_t timestamp_value() const { return std::get<int64_t>(payload_); }
  const types::Interval& interval_value() const { return std::get<types::Interval>(payload_); }
  /// VARCHAR text or BYTEA bytes.
  const std::string& string_value() const { return std::get<std::string>(payload_); }
  const types::Uuid& uuid_value() const { return std::get<types::Uuid>(payload_); }
  /// LIST elements or STRUCT fields; for a MAP, keys and values alternate (key 0, value 0, ...).
  const std::vector<Value>& children() const { return std::get<std::vector<Value>>(payload_); }
  size_t map_size() const { return children().size() / 2; }
  const Value& map_key(size_t index) const { return children()[2 * index]; }
  const Value& map_value(size_t index) const { return children()[2 * index + 1]; }

  /// Returns the PostgreSQL text output: 't'/'f', '12.34', 'NaN', '2024-01-02', '{1,2,NULL}',
  /// '(1,abc)'. A MAP prints as '{key=value, ...}' (PostgreSQL has no map type). A NULL prints
  /// as "NULL" (only nested NULLs appear in PostgreSQL's output, where they print alike).
  std::string ToString() const;

  /// Orders two values of the same type totally: NULLs last, NaN above every other number and
  /// equal to itself, -0 equal to 0, strings bytewise, nested values lexicographically. Values
  /// of different types order by type. Returns a negative, zero or positive number.
  int Compare(const Value& other) const;

  /// Returns a hash consistent with operator==.
  size_t Hash() const;

  /// True when both have the same type and Compare() is zero; NULL equals NULL of the same type.
  friend bool operator==(const Value& a, const Value& b);

 private:
  using Payload =
      std::variant<std::monostate, bool, int16_t, int32_t, int64_t, float, double, Int128,
                   std::string, types::Interval, types::Uuid, std::vector<Value>>;

  Value(LogicalType type, Payload payload) : type_(std::move(type)), payload_(std::move(payload)) {}

  LogicalType type_;
  Payload payload_;
};

}  // namespace floe::types
