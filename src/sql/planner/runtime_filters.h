#pragma once

#include "sql/execution/operators/hash_join.h"

namespace floe::sql::planner {

/// Gives `join` a runtime filter (execution::RuntimeFilter) for each key on which it may drop
/// probe rows (HashJoinOperator::CanFilterProbeSide) and whose probe-side values can be traced
/// down to one or more scans: through projections (the key rewritten over their input),
/// filters, UNION ALL, hash aggregates grouping by what the key reads (dropping whole groups
/// that could not join), and other joins into the side the key reads when that side's rows
/// reach the output unchanged. The scans apply the filter to the rows they read, once the
/// join's build side is complete: their pipelines all run after it. Filters are numbered from
/// `next_id`, which is advanced. Returns the number of scans that got a filter through an
/// aggregate (the work such a filter saves is largest).
int PlaceRuntimeFilters(execution::HashJoinOperator& join, int& next_id);

/// Returns how many scans a runtime filter on `keys` of the probe side `probe` would reach
/// through a hash aggregate, without placing anything.
int CountFilteredAggregates(execution::PhysicalOperator& probe,
                            const std::vector<execution::ExpressionPtr>& keys);

}  // namespace floe::sql::planner
