#pragma once

#include <cstdint>

#include "common/result.h"
#include "types/fwd.h"
#include "types/int128.h"
#include "types/logical_type.h"

namespace floe::types {

/// Returns true when PostgreSQL allows an explicit cast from `source` to `target`: between
/// numeric types, from and to text, INTEGER <-> BOOLEAN, among DATE, TIMESTAMP and TIMESTAMPTZ,
/// from TIMESTAMP(TZ) to TIME, TIME <-> INTERVAL, and LIST, STRUCT (same field count) and MAP
/// whose children cast. NULL (the unknown type) casts to anything.
bool CanCast(const LogicalType& source, const LogicalType& target);

/// Converts `value` to `target` exactly as PostgreSQL's explicit cast does. NULL gives a NULL of
/// `target`. Text parses with the Parse* functions of this layer (array and record literals for
/// LIST and STRUCT; text to MAP is NotSupported); anything to text is Value::ToString(), except
/// that BOOLEAN gives 'true' and 'false'. Errors:
///   - InvalidCast (42846) "cannot cast type boolean to date" when CanCast() is false;
///   - InvalidCast (22P02 or 22007) `invalid input syntax for type integer: "abc"` from text;
///   - OutOfRange (22003) "integer out of range", `value "99999" is out of range for type
///     smallint` (from text), "numeric field overflow: <detail>", "value out of range: overflow".
/// Floats round half to even to integers; numerics round half away from zero. Casts between
/// TIMESTAMPTZ and text, DATE, TIME or TIMESTAMP use local time in `zone` (the session's); the
/// overload without a zone uses UTC.
Result<Value> CastValue(const Value& value, const LogicalType& target, const TimeZone& zone);
Result<Value> CastValue(const Value& value, const LogicalType& target);

/// Checks that `value` fits SMALLINT, INTEGER or BIGINT (`target`), else returns OutOfRange
/// "smallint out of range" (or integer, bigint).
Result<int64_t> NarrowInteger(int64_t value, TypeId target);
/// Rounds half to even and checks the range of the integer type `target`; NaN is out of range.
Result<int64_t> DoubleToInteger(double value, TypeId target);
/// Rounds a DECIMAL half away from zero and checks the range of the integer type `target`.
Result<int64_t> DecimalToInteger(Int128 unscaled, int scale, TypeId target);
/// Converts through the float's shortest significant digits (6 for REAL, 15 for DOUBLE), as
/// PostgreSQL does, then rounds to DECIMAL(precision, scale).
Result<Int128> DoubleToDecimal(double value, bool is_real, int precision, int scale);
/// Returns the double nearest to the DECIMAL value.
double DecimalToDouble(Int128 unscaled, int scale);
/// Narrows a DOUBLE to REAL; OutOfRange "value out of range: overflow" (or underflow) when a
/// finite value becomes infinite (or a nonzero value becomes zero).
Result<float> DoubleToReal(double value);

}  // namespace floe::types
