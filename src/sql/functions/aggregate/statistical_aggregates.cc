// stddev, stddev_samp, stddev_pop, variance, var_samp, var_pop, covar_pop, covar_samp, corr
// and the regr_* family over double precision (other numeric types cast to it implicitly). Moments
// accumulate with Welford's update and merge with Chan's formula, which stay accurate where the
// textbook sum of squares cancels catastrophically.

#include <cmath>
#include <optional>

#include "sql/functions/aggregate/aggregate_internal.h"
#include "sql/functions/registration_internal.h"

namespace floe::sql::internal {
namespace {

using types::LogicalType;
using types::TypeId;
using vector::Vector;
using vector::VectorBuilder;

struct Moments {
  int64_t count = 0;
  double mean = 0;
  double m2 = 0;  // Sum of squared differences from the mean.
};

void Add(Moments& state, double value) {
  ++state.count;
  double delta = value - state.mean;
  state.mean += delta / static_cast<double>(state.count);
  state.m2 += delta * (value - state.mean);
}

void Merge(Moments& target, const Moments& source) {
  if (source.count == 0) {
    return;
  }
  if (target.count == 0) {
    target = source;
    return;
  }
  auto n1 = static_cast<double>(target.count);
  auto n2 = static_cast<double>(source.count);
  double delta = source.mean - target.mean;
  double n = n1 + n2;
  target.mean += delta * n2 / n;
  target.m2 += source.m2 + delta * delta * n1 * n2 / n;
  target.count += source.count;
}

enum class Statistic : uint8_t { kVarSamp, kVarPop, kStddevSamp, kStddevPop };

AggregateFunction MomentAggregate(Statistic statistic) {
  AggregateFunction function;
  function.return_type = LogicalType::Double();
  SetStateType<Moments>(function);
  function.update = [](FunctionContext& context, std::span<const Vector> args, int64_t rows,
                       uint8_t* const* states) -> Status {
    return ForEachValue<double>(context, args[0], rows, states, [](uint8_t* state, double value) {
      Add(StateOf<Moments>(state), value);
      return Status::OK();
    });
  };
  function.combine = [](FunctionContext&, const uint8_t* source, uint8_t* target) {
    Merge(StateOf<Moments>(target), StateOf<Moments>(source));
    return Status::OK();
  };
  function.finalize = [statistic](FunctionContext&, const uint8_t* const* states, int64_t count,
                                  VectorBuilder& out) -> Status {
    for (int64_t index = 0; index < count; ++index) {
      const Moments& state = StateOf<Moments>(states[index]);
      bool is_sample = statistic == Statistic::kVarSamp || statistic == Statistic::kStddevSamp;
      int64_t divisor = is_sample ? state.count - 1 : state.count;
      if (divisor <= 0) {
        FLOE_RETURN_NOT_OK(out.AppendNull());
        continue;
      }
      // A single value has no spread; rounding must not make it slightly negative.
      double variance = std::max(0.0, state.m2 / static_cast<double>(divisor));
      bool is_stddev = statistic == Statistic::kStddevSamp || statistic == Statistic::kStddevPop;
      FLOE_RETURN_NOT_OK(out.Append<double>(is_stddev ? std::sqrt(variance) : variance));
    }
    return Status::OK();
  };
  return function;
}

struct CoMoments {
  int64_t count = 0;
  double mean_x = 0;
  double mean_y = 0;
  double m2_x = 0;
  double m2_y = 0;
  double c = 0;  // Sum of (x - mean_x) * (y - mean_y).
};

enum class Pair : uint8_t {
  kCovarPop,
  kCovarSamp,
  kCorr,
  kRegrCount,
  kRegrSlope,
  kRegrIntercept,
  kRegrR2,
  kRegrAvgX,
  kRegrAvgY,
  kRegrSxx,
  kRegrSyy,
  kRegrSxy,
};

// The value of a two-argument statistic, or nullopt for NULL (too few rows, no spread).
std::optional<double> PairStatistic(Pair kind, const CoMoments& state) {
  auto n = static_cast<double>(state.count);
  if (state.count < 1) {
    return std::nullopt;
  }
  switch (kind) {
    case Pair::kCovarPop:
      return state.c / n;
    case Pair::kCovarSamp:
      return state.count < 2 ? std::nullopt : std::optional<double>(state.c / (n - 1));
    case Pair::kCorr:
      if (state.m2_x == 0 || state.m2_y == 0) {
        return std::nullopt;
      }
      return state.c / std::sqrt(state.m2_x * state.m2_y);
    case Pair::kRegrSlope:
      return state.m2_x == 0 ? std::nullopt : std::optional<double>(state.c / state.m2_x);
    case Pair::kRegrIntercept:
      if (state.m2_x == 0) {
        return std::nullopt;
      }
      return state.mean_y - state.c / state.m2_x * state.mean_x;
    case Pair::kRegrR2:
      // PostgreSQL: NULL without spread in x, 1 without spread in y.
      if (state.m2_x == 0) {
        return std::nullopt;
      }
      return state.m2_y == 0 ? 1.0 : state.c * state.c / (state.m2_x * state.m2_y);
    case Pair::kRegrAvgX:
      return state.mean_x;
    case Pair::kRegrAvgY:
      return state.mean_y;
    case Pair::kRegrSxx:
      return state.m2_x;
    case Pair::kRegrSyy:
      return state.m2_y;
    case Pair::kRegrSxy:
      return state.c;
    case Pair::kRegrCount:
      return n;
  }
  return std::nullopt;
}

AggregateFunction PairAggregate(Pair kind) {
  AggregateFunction function;
  function.return_type = kind == Pair::kRegrCount ? LogicalType::BigInt() : LogicalType::Double();
  SetStateType<CoMoments>(function);
  // PostgreSQL's two-argument aggregates take (y, x) and skip rows where either is NULL.
  function.update = [](FunctionContext&, std::span<const Vector> args, int64_t rows,
                       uint8_t* const* states) -> Status {
    for (int64_t row = 0; row < rows; ++row) {
      if (args[0].IsNull(row) || args[1].IsNull(row)) {
        continue;
      }
      double y = args[0].Get<double>(row);
      double x = args[1].Get<double>(row);
      CoMoments& state = StateOf<CoMoments>(states[row]);
      ++state.count;
      auto n = static_cast<double>(state.count);
      double dx = x - state.mean_x;
      double dy = y - state.mean_y;
      state.mean_x += dx / n;
      state.mean_y += dy / n;
      state.m2_x += dx * (x - state.mean_x);
      state.m2_y += dy * (y - state.mean_y);
      state.c += dx * (y - state.mean_y);
    }
    return Status::OK();
  };
  function.combine = [](FunctionContext&, const uint8_t* source_bytes, uint8_t* target_bytes) {
    const CoMoments& source = StateOf<CoMoments>(source_bytes);
    CoMoments& target = StateOf<CoMoments>(target_bytes);
    if (source.count == 0) {
      return Status::OK();
    }
    if (target.count == 0) {
      target = source;
      return Status::OK();
    }
    auto n1 = static_cast<double>(target.count);
    auto n2 = static_cast<double>(source.count);
    double n = n1 + n2;
    double dx = source.mean_x - target.mean_x;
    double dy = source.mean_y - target.mean_y;
    target.c += source.c + dx * dy * n1 * n2 / n;
    target.m2_x += source.m2_x + dx * dx * n1 * n2 / n;
    target.m2_y += source.m2_y + dy * dy * n1 * n2 / n;
    target.mean_x += dx * n2 / n;
    target.mean_y += dy * n2 / n;
    target.count += source.count;
    return Status::OK();
  };
  function.finalize = [kind](FunctionContext&, const uint8_t* const* states, int64_t count,
                             VectorBuilder& out) -> Status {
    for (int64_t index = 0; index < count; ++index) {
      const CoMoments& state = StateOf<CoMoments>(states[index]);
      if (kind == Pair::kRegrCount) {
        FLOE_RETURN_NOT_OK(out.Append<int64_t>(state.count));
        continue;
      }
      std::optional<double> value = PairStatistic(kind, state);
      FLOE_RETURN_NOT_OK(value.has_value() ? out.Append<double>(*value) : out.AppendNull());
    }
    return Status::OK();
  };
  return function;
}

}  // namespace

void RegisterStatisticalAggregates(FunctionRegistry& registry) {
  struct Named {
    const char* name;
    Statistic statistic;
  };
  for (Named named :
       {Named{"variance", Statistic::kVarSamp}, Named{"var_samp", Statistic::kVarSamp},
        Named{"var_pop", Statistic::kVarPop}, Named{"stddev", Statistic::kStddevSamp},
        Named{"stddev_samp", Statistic::kStddevSamp}, Named{"stddev_pop", Statistic::kStddevPop}}) {
    registry.AddAggregate(AggregateOverload{
        named.name, Specs({TypeId::kDouble}),
        [statistic = named.statistic](std::span<const LogicalType>) -> Result<AggregateFunction> {
          return MomentAggregate(statistic);
        }});
  }
  struct NamedPair {
    const char* name;
    Pair kind;
  };
  for (NamedPair named :
       {NamedPair{"covar_pop", Pair::kCovarPop}, NamedPair{"covar_samp", Pair::kCovarSamp},
        NamedPair{"corr", Pair::kCorr}, NamedPair{"regr_count", Pair::kRegrCount},
        NamedPair{"regr_slope", Pair::kRegrSlope},
        NamedPair{"regr_intercept", Pair::kRegrIntercept}, NamedPair{"regr_r2", Pair::kRegrR2},
        NamedPair{"regr_avgx", Pair::kRegrAvgX}, NamedPair{"regr_avgy", Pair::kRegrAvgY},
        NamedPair{"regr_sxx", Pair::kRegrSxx}, NamedPair{"regr_syy", Pair::kRegrSyy},
        NamedPair{"regr_sxy", Pair::kRegrSxy}}) {
    registry.AddAggregate(AggregateOverload{
        named.name, Specs({TypeId::kDouble, TypeId::kDouble}),
        [kind = named.kind](std::span<const LogicalType>) -> Result<AggregateFunction> {
          return PairAggregate(kind);
        }});
  }
}

}  // namespace floe::sql::internal
