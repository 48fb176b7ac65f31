#pragma once

// Calendar arithmetic shared by the date and time operators and functions.

#include <cstdint>

#include "sql/functions/function.h"
#include "types/interval.h"
#include "types/temporal.h"
#include "types/time_zone.h"

namespace floe::sql::internal {

/// The first and last dates PostgreSQL accepts (4714-11-24 BC and 5874897-12-31), in days.
extern const int64_t kMinDate;
extern const int64_t kMaxDate;
/// The first and last timestamps Floe holds (4714-11-24 BC and the end of 294246), in micros.
extern const int64_t kMinTimestamp;
extern const int64_t kMaxTimestamp;

/// The session's time zone of a function call.
inline const types::TimeZone& SessionZone(const FunctionContext& context) {
  return context.time_zone != nullptr ? *context.time_zone : types::TimeZone::Utc();
}

inline bool IsFiniteTimestamp(int64_t micros) {
  return micros != types::kTimestampInfinity && micros != types::kTimestampNegativeInfinity;
}

/// Returns midnight of `days` in micros, infinities to infinities; dates past the timestamp
/// range saturate to the infinities' neighbours and then fail range checks.
int64_t DateToMicros(int32_t days);

/// Adds an interval to a finite timestamp as PostgreSQL does: months first (keeping the day of
/// month, clamped to the month's last day), then days, then microseconds. Returns false when
/// the result leaves the timestamp range.
bool AddIntervalToTimestamp(int64_t micros, const types::Interval& interval, int64_t* out);

/// Multiplies an interval by `factor` as PostgreSQL does (interval_mul): whole months and days
/// stay, their fractions cascade to days (30 per month) and seconds, rounded to microseconds.
/// Returns false when the result is out of range.
bool ScaleInterval(const types::Interval& interval, double factor, types::Interval* out);

/// A timestamp broken into calendar fields.
struct CivilTime {
  int64_t year;
  int month;
  int day;
  int hour;
  int minute;
  int second;
  int microsecond;
  int64_t days;  // Days since 1970-01-01.
};

/// Splits a finite timestamp into its fields.
CivilTime SplitTimestamp(int64_t micros);

}  // namespace floe::sql::internal
