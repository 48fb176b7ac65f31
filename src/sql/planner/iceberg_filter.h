#pragma once

#include "sql/binder/logical_plan.h"

namespace floe::sql::planner {

/// Copies the conjuncts of each filter directly above an Iceberg scan that compare a column
/// with constants (`col op const`, IN lists of constants, IS [NOT] NULL; BETWEEN arrives as two
/// comparisons) into the scan's `iceberg_filter`, for partition and statistics pruning. The
/// filter stays in the plan: pruning only skips files that cannot match.
void PushIcebergFilters(binder::LogicalOperator& plan);

}  // namespace floe::sql::planner
