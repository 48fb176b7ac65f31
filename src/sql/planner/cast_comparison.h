#pragma once

#include "sql/execution/expression.h"

namespace floe::sql::planner {

/// Returns `node` rewritten to compare on the narrower type when it compares a widened value
/// with a constant: `CAST(date AS timestamp[tz]) op timestamp` becomes `date op date` and
/// `CAST(integer AS wider integer) op constant` becomes `integer op integer`, so the bound
/// reaches Parquet pruning and no row is cast. Returns null when `node` is no such comparison.
///
/// The result equals the original for every value, NULL included, with one exception: a date
/// past the timestamp range (294247 AD on) no longer fails the cast, it just compares.
execution::ExpressionPtr SimplifyCastComparison(const execution::ExpressionPtr& node);

}  // namespace floe::sql::planner
