#pragma once

#include <cstdint>

#include "common/result.h"
#include "types/fwd.h"
#include "sql/binder/logical_plan.h"

namespace floe::sql::planner {

/// Switches for the optimizer's rewrites (all on by default; tests turn some off).
struct OptimizerOptions {
  bool fold_constants = true;
  bool push_down_filters = true;
  bool reorder_joins = true;
  bool prune_columns = true;
  bool push_parquet_predicates = true;
  bool use_top_n = true;
  /// The statement time for folding now() and current_date.
  int64_t statement_time_micros = 0;
  /// The session's time zone for folding what depends on it (null: UTC).
  const types::TimeZone* time_zone = nullptr;
};

/// Rewrites a logical plan into an equivalent, cheaper one:
///   - folds constant expressions (a failing one is left to fail at run time, if reached);
///   - pushes filters down through projections, aggregates (on grouping keys), set operations
///     and joins (into the side they read, into inner join conditions, turning cross products
///     with a WHERE equality into equi-joins), replacing filters that fold to false by an empty
///     source;
///   - orders each tree of inner joins greedily by estimated result size (row counts from
///     Parquet footers, fixed selectivities for filters, key-foreign-key estimates for
///     equi-joins), the smaller input of each join on the build side, after adding the
///     equalities that equalities between columns imply (a = b and b = c give a = c);
///   - prunes columns nothing above reads, down to the Parquet columns scanned;
///   - turns comparisons of a Parquet column with a constant into reader predicates that skip
///     row groups and pages by their statistics;
///   - splits a grouping whose aggregates are all DISTINCT over the same arguments into a
///     grouping by keys and arguments, which removes repeats, under the plain aggregates;
///   - makes ORDER BY + LIMIT a top-N.
/// The output columns of the root stay as they are.
Result<binder::LogicalOperatorPtr> Optimize(binder::LogicalOperatorPtr plan,
                                            const OptimizerOptions& options = {});

/// Estimates the rows of every operator of `plan` (stored in `estimate`).
void EstimateCardinalities(binder::LogicalOperator& plan);

}  // namespace floe::sql::planner
