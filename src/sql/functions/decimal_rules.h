#pragma once

#include "types/logical_type.h"

namespace floe::sql {

/// Result types of DECIMAL arithmetic. PostgreSQL's numeric is unbounded; Floe's DECIMAL holds at
/// most 38 digits, so each operation picks a precision and scale from its inputs' (p1,s1) and
/// (p2,s2), writing i = p - s for the integer digits (docs/sql/functions.md lists them):
///   a + b, a - b   scale max(s1,s2), integer digits max(i1,i2) + 1
///   a * b          scale s1 + s2, integer digits i1 + i2
///   a / b          scale max(6, s1 + p2 + 1), integer digits i1 + s2
///   a % b          scale max(s1,s2), integer digits min(i1,i2)
/// When integer digits plus scale pass 38, the precision becomes 38 and the scale shrinks, but
/// not below min(scale, 6): integer digits give way first, so cents survive a long chain of
/// multiplications. A value that then does not fit raises OutOfRange (22003) "numeric field
/// overflow"; nothing wraps.

/// Returns DECIMAL(min(38, integer_digits + scale), scale) after the shrinking described above.
types::LogicalType BoundedDecimal(int integer_digits, int scale);

/// Returns the DECIMAL an exact numeric type converts to: itself for DECIMAL, DECIMAL(5,0),
/// DECIMAL(10,0) and DECIMAL(19,0) for smallint, integer and bigint; DECIMAL(38,0) otherwise
/// (the unknown type of a bare NULL).
types::LogicalType DecimalTypeOf(const types::LogicalType& type);

types::LogicalType DecimalAddType(const types::LogicalType& a, const types::LogicalType& b);
types::LogicalType DecimalMultiplyType(const types::LogicalType& a, const types::LogicalType& b);
types::LogicalType DecimalDivideType(const types::LogicalType& a, const types::LogicalType& b);
types::LogicalType DecimalModuloType(const types::LogicalType& a, const types::LogicalType& b);

/// sum(DECIMAL(p,s)) is DECIMAL(38,s); avg(DECIMAL(p,s)) is DECIMAL(38, max(s,6)), and avg of
/// the integer types DECIMAL(38,6).
types::LogicalType DecimalSumType(const types::LogicalType& input);
types::LogicalType DecimalAvgType(const types::LogicalType& input);

}  // namespace floe::sql
