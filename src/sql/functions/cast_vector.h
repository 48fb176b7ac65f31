#pragma once

#include <cstdint>

#include "common/result.h"
#include "sql/functions/function.h"
#include "types/logical_type.h"
#include "vector/vector.h"

namespace floe::sql {

/// Casts `rows` rows of `input` (any encoding) to `target` with the semantics and errors of
/// types::CastValue (PostgreSQL's explicit cast), the first failing row deciding the error.
/// Integer widening and narrowing, integer <-> float, integer and float <-> DECIMAL, DECIMAL
/// rescaling, anything to text and text to the numeric types, dates, timestamps and booleans
/// run as loops over the values; other pairs convert value by value. Casts that cannot fail
/// keep a dictionary input's encoding and convert only the dictionary.
Result<vector::Vector> CastVector(FunctionContext& context, const vector::Vector& input,
                                  int64_t rows, const types::LogicalType& target);

}  // namespace floe::sql
