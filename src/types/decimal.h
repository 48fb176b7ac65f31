#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "types/int128.h"

namespace floe::types {

/// DECIMAL(p,s) values are scaled integers: the value 12.34 in DECIMAL(10,2) is the unscaled
/// integer 1234. Vectors store them as int64 when p <= 18 and as Int128 otherwise (see
/// LogicalType::PhysicalWidth); these functions work on Int128 for every precision.
///
/// Rounding follows PostgreSQL's numeric type: half away from zero (2.675 -> 2.68, -0.5 -> -1).

/// Returns 10^exponent for 0 <= exponent <= 38.
Int128 PowerOfTen(int exponent);

/// Returns true when |unscaled| < 10^precision, that is when the value fits DECIMAL(precision, s)
/// at any scale s.
bool FitsPrecision(Int128 unscaled, int precision);

/// Returns the error PostgreSQL raises when a value does not fit DECIMAL(precision, scale):
/// OutOfRange (SQLSTATE 22003) "numeric field overflow", followed by PostgreSQL's detail line.
Status NumericFieldOverflow(int precision, int scale);

/// Returns `value / divisor` rounded half away from zero; `divisor` must be positive.
Int128 DivideRoundingHalfAway(Int128 value, Int128 divisor);

/// Parses numeric text ("  -12.345 ", "1e3", ".5") into the unscaled value of
/// DECIMAL(precision, scale), rounding extra fraction digits half away from zero. Errors:
/// InvalidCast `invalid input syntax for type numeric: "<text>"`, NumericFieldOverflow when the
/// integer part does not fit, NotSupported for 'NaN' (DECIMAL has no NaN),
/// NumericFieldOverflow for 'Infinity', and OutOfRange "value overflows numeric format" for an
/// exponent beyond +-16383.
Result<Int128> ParseDecimal(std::string_view text, int precision, int scale);

/// Formats an unscaled value with exactly `scale` fraction digits (1234, 2 -> "12.34";
/// 5, 3 -> "0.005"), as PostgreSQL prints numeric(p,s).
std::string FormatDecimal(Int128 unscaled, int scale);

/// Converts an unscaled value from `scale` to DECIMAL(target_precision, target_scale), rounding
/// half away from zero when the scale shrinks. Returns NumericFieldOverflow when it does not fit.
Result<Int128> RescaleDecimal(Int128 unscaled, int scale, int target_precision, int target_scale);

}  // namespace floe::types
