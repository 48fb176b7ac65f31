#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "vector/batch.h"

namespace floe::sql::engine {

/// One value in PostgreSQL's text output format ("t", "12.50", "2024-01-31"); nullopt is NULL.
using TextValue = std::optional<std::string>;
using TextRow = std::vector<TextValue>;

/// Appends each row of `batch` rendered in PostgreSQL's text format to `rows`.
Status AppendTextRows(const vector::Batch& batch, std::vector<TextRow>& rows);

}  // namespace floe::sql::engine
