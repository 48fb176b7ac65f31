#pragma once

#include <string_view>

#include "common/result.h"
#include "types/fwd.h"

namespace floe::types {

/// Parses a PostgreSQL array literal ('{1,2,NULL}', '{"a b","x\"y"}', '{{1,2},{3}}') into a
/// LIST of `list_type`. Elements are read as text and cast to the element type; an unquoted NULL
/// is NULL. Errors: InvalidCast (22P02) `malformed array literal: "<text>"`, or the element's own
/// cast error.
Result<Value> ParseListLiteral(std::string_view text, const LogicalType& list_type);

/// Parses a PostgreSQL record literal ('(1,abc,,"a b")') into a STRUCT of `struct_type`, one
/// field per member; an empty unquoted field is NULL. Errors: InvalidCast (22P02) `malformed
/// record literal: "<text>"` (also for a wrong number of fields), or a field's cast error.
Result<Value> ParseStructLiteral(std::string_view text, const LogicalType& struct_type);

}  // namespace floe::types
