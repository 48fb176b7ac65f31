#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "types/fwd.h"
#include "types/logical_type.h"
#include "vector/vector.h"
#include "vector/vector_builder.h"

namespace floe::sql {

/// What a function may need from the statement that calls it. Owned by the caller; outlives the
/// call.
struct FunctionContext {
  /// Every buffer a kernel allocates is reserved here (may be null in tests).
  MemoryTracker* tracker = nullptr;
  /// The statement's start time in microseconds since the epoch (UTC), which now(),
  /// current_timestamp and current_date return for the whole statement, as PostgreSQL does.
  int64_t statement_time_micros = 0;
  /// The session's time zone (UTC when null), in which TIMESTAMPTZ values are read from text,
  /// shown, cast to and from local types and split into fields. Zones live for the process.
  const types::TimeZone* time_zone = nullptr;
};

/// Computes one scalar function over `rows` rows. `args` holds one vector per argument, each of
/// length `rows` and of the argument type the function was resolved for (in any encoding:
/// flat, constant or dictionary). The kernel returns a vector of `rows` rows of the resolved
/// return type, or the error of the first row that fails (for example OutOfRange 22003 on
/// overflow, DivisionByZero 22012).
using ScalarKernel = std::function<Result<vector::Vector>(
    FunctionContext& context, std::span<const vector::Vector> args, int64_t rows)>;

/// A scalar function or operator resolved for concrete argument types.
struct ScalarFunction {
  /// The name as written in SQL, lower case: "lower", "+", "=", "~~" (LIKE), ...
  std::string name;
  /// The types the arguments must be cast to before the call (implicit casts the resolver
  /// chose, per PostgreSQL's rules for functions and operators).
  std::vector<types::LogicalType> argument_types;
  types::LogicalType return_type;
  /// True when any NULL argument makes the result NULL without calling into per-row logic
  /// (PostgreSQL's STRICT); lets the planner fold and simplify.
  bool strict = true;
  /// False for functions whose result changes between calls with the same arguments
  /// (random(), clock_timestamp()): the planner must not fold or deduplicate them.
  bool deterministic = true;
  ScalarKernel kernel;
};

/// The kernels of an aggregate function resolved for concrete argument types. The aggregate
/// operator owns the states: it allocates `state_size` bytes (aligned to `state_alignment`) per
/// group in its own arenas, so a grouped aggregate over millions of groups makes no per-group
/// heap allocation for fixed-size states. A state that needs heap memory (string_agg, min of
/// VARCHAR) keeps a pointer in its bytes and frees it in `destroy`.
///
/// Every kernel works on a batch at a time. `states[r]` is the state of row r's group; several
/// rows may share one state. States built by different threads are merged with `combine`.
struct AggregateFunction {
  std::string name;
  std::vector<types::LogicalType> argument_types;
  types::LogicalType return_type;
  int32_t state_size = 0;
  int32_t state_alignment = 8;
  /// Makes a fresh state (the value of the aggregate over no rows).
  std::function<void(uint8_t* state)> initialize;
  /// Folds row r of `args` into `states[r]` for each r in [0, rows). count(*) gets no args.
  /// The standard aggregates skip rows whose argument is NULL.
  std::function<Status(FunctionContext& context, std::span<const vector::Vector> args,
                       int64_t rows, uint8_t* const* states)>
      update;
  /// Folds `source` into `target`; `source` stays valid and is destroyed by the caller.
  std::function<Status(FunctionContext& context, const uint8_t* source, uint8_t* target)>
      combine;
  /// Appends the final value of each of `count` states to `out` (of `return_type`).
  std::function<Status(FunctionContext& context, const uint8_t* const* states, int64_t count,
                       vector::VectorBuilder& out)>
      finalize;
  /// Frees what a state owns; empty when states own nothing.
  std::function<void(uint8_t* state)> destroy;
};

}  // namespace floe::sql
