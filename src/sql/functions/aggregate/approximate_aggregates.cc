// approx_count_distinct(x): the number of distinct non-NULL values of x, estimated with a
// HyperLogLog sketch (hyperloglog.h). Not in PostgreSQL. A state holds a few KiB at most,
// whatever the number of values, and states from several threads merge exactly.

#include <cstdint>

#include "common/memory_tracker.h"
#include "sql/functions/aggregate/aggregate_internal.h"
#include "sql/functions/aggregate/hyperloglog.h"
#include "sql/functions/registration_internal.h"
#include "types/value.h"

namespace floe::sql::internal {
namespace {

using types::LogicalType;
using types::Value;
using vector::Vector;
using vector::VectorBuilder;

struct SketchState {
  HyperLogLog sketch;
  MemoryReservation reservation;
};

// Keeps the reservation equal to what the sketch holds.
Status Charge(FunctionContext& context, SketchState& state) {
  if (state.reservation.tracker() == nullptr && state.reservation.bytes() == 0) {
    state.reservation = MemoryReservation(context.tracker);
  }
  const int64_t bytes = state.sketch.MemoryBytes();
  return bytes == state.reservation.bytes() ? Status::OK() : state.reservation.Resize(bytes);
}

AggregateFunction ApproxCountDistinct() {
  AggregateFunction function;
  function.return_type = LogicalType::BigInt();
  SetStateType<SketchState>(function);
  function.update = [](FunctionContext& context, std::span<const Vector> args, int64_t rows,
                       uint8_t* const* states) -> Status {
    return ForEachRow(args[0], rows, states, [&](uint8_t* bytes, int64_t row) -> Status {
      FLOE_ASSIGN_OR_RETURN(Value value, args[0].GetValue(row));
      SketchState& state = StateOf<SketchState>(bytes);
      // Value::Hash agrees with SQL equality (-0 = 0); mixing spreads it over all 64 bits.
      state.sketch.Add(MixHash(static_cast<uint64_t>(value.Hash())));
      return Charge(context, state);
    });
  };
  function.combine = [](FunctionContext& context, const uint8_t* source,
                        uint8_t* target) -> Status {
    SketchState& state = StateOf<SketchState>(target);
    state.sketch.Merge(StateOf<SketchState>(source).sketch);
    return Charge(context, state);
  };
  function.finalize = [](FunctionContext&, const uint8_t* const* states, int64_t count,
                         VectorBuilder& out) -> Status {
    for (int64_t index = 0; index < count; ++index) {
      FLOE_RETURN_NOT_OK(
          out.Append<int64_t>(StateOf<SketchState>(states[index]).sketch.Estimate()));
    }
    return Status::OK();
  };
  return function;
}

}  // namespace

void RegisterApproximateAggregates(FunctionRegistry& registry) {
  registry.AddAggregate(
      AggregateOverload{"approx_count_distinct",
                        {ArgumentSpec::Any()},
                        [](std::span<const LogicalType>) -> Result<AggregateFunction> {
                          return ApproxCountDistinct();
                        }});
}

}  // namespace floe::sql::internal
