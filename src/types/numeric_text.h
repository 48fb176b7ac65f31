#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace floe::types {

/// Text input and output of BOOLEAN, the integers, REAL and DOUBLE as PostgreSQL 15 defines
/// them. Input may have leading and trailing white space. Errors: InvalidCast (22P02) `invalid
/// input syntax for type integer: "<text>"`; OutOfRange (22003) `value "<text>" is out of range
/// for type integer` for integers and `"<text>" is out of range for type real` for floats.

/// Accepts 't', 'true', 'yes', 'on', '1', 'f', 'false', 'no', 'off', '0' and unique prefixes of
/// these words, case-insensitively.
Result<bool> ParseBoolean(std::string_view text);
Result<int16_t> ParseSmallInt(std::string_view text);
Result<int32_t> ParseInteger(std::string_view text);
Result<int64_t> ParseBigInt(std::string_view text);
/// Also accepts 'NaN', 'Infinity', '-Infinity' and 'inf' in any case.
Result<float> ParseReal(std::string_view text);
Result<double> ParseDouble(std::string_view text);

/// Returns 't' or 'f', the output of boolean values.
std::string FormatBoolean(bool value);
/// Returns the shortest text that reads back as the same value, in fixed notation when the
/// decimal exponent is in [-4, 6) for REAL and [-4, 15) for DOUBLE and in exponent notation
/// ('1e+15', '1.5e-05') otherwise; 'NaN', 'Infinity', '-Infinity' and '-0' as PostgreSQL prints.
std::string FormatReal(float value);
std::string FormatDouble(double value);

}  // namespace floe::types
