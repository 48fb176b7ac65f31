#pragma once

// Aggregates whose input order matters: ORDER BY inside an aggregate call
// (string_agg(x, ',' ORDER BY y)) and the ordered-set aggregates called with WITHIN GROUP
// (percentile_cont(0.5) WITHIN GROUP (ORDER BY x)).

#include <cstddef>
#include <string_view>
#include <vector>

#include "sql/functions/function.h"

namespace floe::sql {

/// One sort key of an ordered aggregate: input column `column`, ascending or descending, with
/// NULLs first or last.
struct AggregateOrderKey {
  size_t column = 0;
  bool is_descending = false;
  bool is_nulls_first = false;

  friend bool operator==(const AggregateOrderKey&, const AggregateOrderKey&) = default;
};

/// True for the aggregates whose result depends on the order of their input (array_agg,
/// string_agg); ORDER BY inside the call of any other aggregate cannot change its result.
bool IsOrderSensitiveAggregate(std::string_view name);

/// True for the ordered-set aggregates (percentile_cont, percentile_disc, mode), which are
/// called as name(direct arguments) WITHIN GROUP (ORDER BY sorted arguments). Their kernels
/// expect their rows sorted: they run only inside MakeOrderedAggregate.
bool IsOrderedSetAggregate(std::string_view name);

/// Wraps `inner` so that each group's rows reach it sorted by `keys`. The wrapper's inputs are
/// `input_types`: the first `num_arguments` are inner's arguments, the rest serve only as sort
/// keys; with `has_filter` one more BOOLEAN input follows, and rows where it is not true are
/// left out (FILTER (WHERE ...)). The state buffers the group's rows, charged to the query's
/// memory tracker (ResourceExhausted past its budget); finalize sorts them (stably), feeds them
/// to a fresh inner state in batches and returns inner's result. Combining concatenates
/// buffers, so partial states from several threads give the same result.
AggregateFunction MakeOrderedAggregate(AggregateFunction inner, size_t num_arguments,
                                       std::vector<types::LogicalType> input_types,
                                       std::vector<AggregateOrderKey> keys, bool has_filter);

}  // namespace floe::sql
