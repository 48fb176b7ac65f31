// Date and time arithmetic: date +- integer, date - date, date/timestamp/timestamptz +-
// interval (timestamptz in the session's zone), timestamp - timestamp, interval +- interval,
// interval * / number, date + time.

#include <cmath>

#include "sql/functions/registration_internal.h"
#include "sql/functions/temporal_internal.h"
#include "types/interval.h"
#include "types/temporal.h"

namespace floe::sql::internal {
namespace {

using types::Interval;
using types::LogicalType;
using types::TypeId;
using vector::Vector;

constexpr unsigned kOk = 0;
constexpr unsigned kDateRange = 1;
constexpr unsigned kTimestampRange = 2;
constexpr unsigned kIntervalRange = 4;
constexpr unsigned kDivisionByZero = 8;

Status TemporalError(unsigned code) {
  if ((code & kDivisionByZero) != 0) {
    return DivisionByZeroError();
  }
  if ((code & kDateRange) != 0) {
    return Status::OutOfRange("date out of range").WithSqlState("22008");
  }
  if ((code & kTimestampRange) != 0) {
    return Status::OutOfRange("timestamp out of range").WithSqlState("22008");
  }
  return Status::OutOfRange("interval out of range").WithSqlState("22008");
}

bool IsFiniteDate(int32_t days) {
  return days != types::kDateInfinity && days != types::kDateNegativeInfinity;
}

unsigned AddDays(int32_t date, int64_t days, int32_t* out) {
  if (!IsFiniteDate(date)) {
    *out = date;
    return kOk;
  }
  int64_t result = int64_t{date} + days;
  *out = static_cast<int32_t>(result);
  return (result < kMinDate || result > kMaxDate) ? kDateRange : kOk;
}

unsigned ShiftTimestamp(int64_t micros, const Interval& interval, int sign, int64_t* out) {
  if (!IsFiniteTimestamp(micros)) {
    *out = micros;
    return kOk;
  }
  Interval shift = interval;
  if (sign < 0) {
    shift = Interval{-interval.months, -interval.days, -interval.micros};
  }
  return AddIntervalToTimestamp(micros, shift, out) ? kOk : kTimestampRange;
}

// PostgreSQL's timestamptz_pl_interval: months and days move the local wall-clock time in the
// session's zone (adding '1 day' across a DST change keeps 09:00 at 09:00), then the
// microseconds move the instant.
unsigned ShiftZonedTimestamp(int64_t micros, const Interval& interval, int sign,
                             const types::TimeZone& zone, int64_t* out) {
  if (!IsFiniteTimestamp(micros) || (interval.months == 0 && interval.days == 0)) {
    return ShiftTimestamp(micros, interval, sign, out);
  }
  Interval calendar{sign * interval.months, sign * interval.days, 0};
  int64_t local = 0;
  if (!AddIntervalToTimestamp(zone.ToLocalMicros(micros), calendar, &local)) {
    *out = 0;
    return kTimestampRange;
  }
  return ShiftTimestamp(zone.ToUtcMicros(local), Interval{0, 0, interval.micros}, sign, out);
}

ScalarKernel ZonedShift(int sign, bool is_interval_first) {
  return [sign, is_interval_first](FunctionContext& context, std::span<const Vector> args,
                                   int64_t rows) -> Result<Vector> {
    const types::TimeZone& zone = SessionZone(context);
    return BinaryFixed<int64_t, Interval, int64_t>(
        context, args[is_interval_first ? 1 : 0], args[is_interval_first ? 0 : 1], rows,
        LogicalType::TimestampTz(),
        [&zone, sign](int64_t micros, const Interval& interval, int64_t* out) {
          return ShiftZonedTimestamp(micros, interval, sign, zone, out);
        },
        TemporalError);
  };
}

template <typename A, typename B, typename R, typename Op>
ScalarKernel Binary(LogicalType result, Op op) {
  return [result, op](FunctionContext& context, std::span<const Vector> args,
                      int64_t rows) -> Result<Vector> {
    return BinaryFixed<A, B, R>(context, args[0], args[1], rows, result, op, TemporalError);
  };
}

void RegisterDateOperators(FunctionRegistry& registry) {
  auto date_plus = Binary<int32_t, int32_t, int32_t>(
      LogicalType::Date(),
      [](int32_t date, int32_t days, int32_t* out) { return AddDays(date, days, out); });
  registry.AddScalar(
      FixedOverload("+", {TypeId::kDate, TypeId::kInteger}, LogicalType::Date(), date_plus));
  registry.AddScalar(FixedOverload(
      "+", {TypeId::kInteger, TypeId::kDate}, LogicalType::Date(),
      Binary<int32_t, int32_t, int32_t>(
          LogicalType::Date(),
          [](int32_t days, int32_t date, int32_t* out) { return AddDays(date, days, out); })));
  registry.AddScalar(
      FixedOverload("-", {TypeId::kDate, TypeId::kInteger}, LogicalType::Date(),
                    Binary<int32_t, int32_t, int32_t>(LogicalType::Date(),
                                                      [](int32_t date, int32_t days, int32_t* out) {
                                                        return AddDays(date, -int64_t{days}, out);
                                                      })));
  registry.AddScalar(
      FixedOverload("-", {TypeId::kDate, TypeId::kDate}, LogicalType::Integer(),
                    Binary<int32_t, int32_t, int32_t>(
                        LogicalType::Integer(), [](int32_t a, int32_t b, int32_t* out) -> unsigned {
                          if (!IsFiniteDate(a) || !IsFiniteDate(b)) {
                            *out = 0;
                            return kDateRange;
                          }
                          *out = a - b;
                          return kOk;
                        })));
  // date +- interval and date + time give timestamps.
  registry.AddScalar(FixedOverload(
      "+", {TypeId::kDate, TypeId::kInterval}, LogicalType::Timestamp(),
      Binary<int32_t, Interval, int64_t>(
          LogicalType::Timestamp(), [](int32_t date, const Interval& interval, int64_t* out) {
            return ShiftTimestamp(DateToMicros(date), interval, 1, out);
          })));
  registry.AddScalar(FixedOverload(
      "+", {TypeId::kInterval, TypeId::kDate}, LogicalType::Timestamp(),
      Binary<Interval, int32_t, int64_t>(
          LogicalType::Timestamp(), [](const Interval& interval, int32_t date, int64_t* out) {
            return ShiftTimestamp(DateToMicros(date), interval, 1, out);
          })));
  registry.AddScalar(FixedOverload(
      "-", {TypeId::kDate, TypeId::kInterval}, LogicalType::Timestamp(),
      Binary<int32_t, Interval, int64_t>(
          LogicalType::Timestamp(), [](int32_t date, const Interval& interval, int64_t* out) {
            return ShiftTimestamp(DateToMicros(date), interval, -1, out);
          })));
  auto date_time = Binary<int32_t, int64_t, int64_t>(
      LogicalType::Timestamp(), [](int32_t date, int64_t time, int64_t* out) -> unsigned {
        int64_t start = DateToMicros(date);
        if (!IsFiniteTimestamp(start)) {
          *out = start;
          return kOk;
        }
        *out = start + time;
        return kOk;
      });
  registry.AddScalar(
      FixedOverload("+", {TypeId::kDate, TypeId::kTime}, LogicalType::Timestamp(), date_time));
}

void RegisterTimestampOperators(FunctionRegistry& registry) {
  LogicalType timestamp = LogicalType::Timestamp();
  registry.AddScalar(
      FixedOverload("+", {TypeId::kTimestamp, TypeId::kInterval}, timestamp,
                    Binary<int64_t, Interval, int64_t>(
                        timestamp, [](int64_t micros, const Interval& interval, int64_t* out) {
                          return ShiftTimestamp(micros, interval, 1, out);
                        })));
  registry.AddScalar(
      FixedOverload("+", {TypeId::kInterval, TypeId::kTimestamp}, timestamp,
                    Binary<Interval, int64_t, int64_t>(
                        timestamp, [](const Interval& interval, int64_t micros, int64_t* out) {
                          return ShiftTimestamp(micros, interval, 1, out);
                        })));
  registry.AddScalar(
      FixedOverload("-", {TypeId::kTimestamp, TypeId::kInterval}, timestamp,
                    Binary<int64_t, Interval, int64_t>(
                        timestamp, [](int64_t micros, const Interval& interval, int64_t* out) {
                          return ShiftTimestamp(micros, interval, -1, out);
                        })));
  LogicalType zoned = LogicalType::TimestampTz();
  registry.AddScalar(
      FixedOverload("+", {TypeId::kTimestampTz, TypeId::kInterval}, zoned, ZonedShift(1, false)));
  registry.AddScalar(
      FixedOverload("+", {TypeId::kInterval, TypeId::kTimestampTz}, zoned, ZonedShift(1, true)));
  registry.AddScalar(
      FixedOverload("-", {TypeId::kTimestampTz, TypeId::kInterval}, zoned, ZonedShift(-1, false)));
  for (TypeId id : {TypeId::kTimestamp, TypeId::kTimestampTz}) {
    // PostgreSQL's timestamp_mi: the difference as days and a time of day, no months.
    registry.AddScalar(FixedOverload(
        "-", {id, id}, LogicalType::Interval(),
        Binary<int64_t, int64_t, Interval>(
            LogicalType::Interval(), [](int64_t a, int64_t b, Interval* out) -> unsigned {
              int64_t difference = 0;
              if (!IsFiniteTimestamp(a) || !IsFiniteTimestamp(b) ||
                  __builtin_sub_overflow(a, b, &difference)) {
                *out = Interval{};
                return kIntervalRange;
              }
              *out = Interval{0, static_cast<int32_t>(difference / types::kMicrosPerDay),
                              difference % types::kMicrosPerDay};
              return kOk;
            })));
  }
}

unsigned MultiplyInterval(const Interval& interval, double factor, Interval* out) {
  if (!ScaleInterval(interval, factor, out)) {
    *out = Interval{};
    return kIntervalRange;
  }
  return kOk;
}

void RegisterIntervalOperators(FunctionRegistry& registry) {
  LogicalType type = LogicalType::Interval();
  auto add = [](int sign) {
    return [sign](const Interval& a, const Interval& b, Interval* out) -> unsigned {
      bool overflow = __builtin_add_overflow(a.months, sign * int64_t{b.months}, &out->months);
      overflow = __builtin_add_overflow(a.days, sign * int64_t{b.days}, &out->days) || overflow;
      overflow = __builtin_add_overflow(a.micros, sign * b.micros, &out->micros) || overflow;
      return overflow ? kIntervalRange : kOk;
    };
  };
  registry.AddScalar(FixedOverload("+", {TypeId::kInterval, TypeId::kInterval}, type,
                                   Binary<Interval, Interval, Interval>(type, add(1))));
  registry.AddScalar(FixedOverload("-", {TypeId::kInterval, TypeId::kInterval}, type,
                                   Binary<Interval, Interval, Interval>(type, add(-1))));
  registry.AddScalar(FixedOverload(
      "-", {TypeId::kInterval}, type,
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return UnaryFixed<Interval, Interval>(
            context, args[0], rows, LogicalType::Interval(),
            [](const Interval& a, Interval* out) -> unsigned {
              bool overflow = __builtin_sub_overflow(0, a.months, &out->months);
              overflow = __builtin_sub_overflow(0, a.days, &out->days) || overflow;
              overflow = __builtin_sub_overflow(int64_t{0}, a.micros, &out->micros) || overflow;
              return overflow ? kIntervalRange : kOk;
            },
            TemporalError);
      }));
  registry.AddScalar(FixedOverload(
      "*", {TypeId::kInterval, TypeId::kDouble}, type,
      Binary<Interval, double, Interval>(type, [](const Interval& a, double f, Interval* out) {
        return MultiplyInterval(a, f, out);
      })));
  registry.AddScalar(FixedOverload(
      "*", {TypeId::kDouble, TypeId::kInterval}, type,
      Binary<double, Interval, Interval>(type, [](double f, const Interval& a, Interval* out) {
        return MultiplyInterval(a, f, out);
      })));
  registry.AddScalar(FixedOverload(
      "/", {TypeId::kInterval, TypeId::kDouble}, type,
      Binary<Interval, double, Interval>(type, [](const Interval& a, double f, Interval* out) {
        if (f == 0) {
          *out = Interval{};
          return kDivisionByZero;
        }
        return MultiplyInterval(a, 1.0 / f, out);
      })));
}

}  // namespace

void RegisterTemporalArithmetic(FunctionRegistry& registry) {
  RegisterDateOperators(registry);
  RegisterTimestampOperators(registry);
  RegisterIntervalOperators(registry);
}

}  // namespace floe::sql::internal
