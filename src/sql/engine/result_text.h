#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "types/fwd.h"
#include "types/logical_type.h"
#include "vector/batch.h"

namespace floe::sql::engine {

/// One value in PostgreSQL's text output format ("t", "12.50", "2024-01-31"); nullopt is NULL.
using TextValue = std::optional<std::string>;
using TextRow = std::vector<TextValue>;

/// Appends each row of `batch` rendered in PostgreSQL's text format to `rows`, TIMESTAMPTZ in
/// the session's `zone` (UTC for the overload without one).
Status AppendTextRows(const vector::Batch& batch, std::vector<TextRow>& rows,
                      const types::TimeZone& zone);
Status AppendTextRows(const vector::Batch& batch, std::vector<TextRow>& rows);

/// Returns a value in PostgreSQL's text format as JSON: null, true and false, finite numbers as
/// JSON numbers, and everything else (NaN and the infinities included, which JSON cannot
/// spell) as a string of its text.
std::string JsonValueOfText(const TextValue& value, const types::LogicalType& type);

}  // namespace floe::sql::engine
