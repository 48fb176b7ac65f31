#include "sql/functions/temporal_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace floe::sql::internal {

using types::kMicrosPerDay;

const int64_t kMinDate = types::DaysFromCivil({-4713, 11, 24});
const int64_t kMaxDate = types::DaysFromCivil({5874897, 12, 31});
const int64_t kMinTimestamp = types::DaysFromCivil({-4713, 11, 24}) * kMicrosPerDay;
const int64_t kMaxTimestamp = types::DaysFromCivil({294247, 1, 1}) * kMicrosPerDay - 1;

int64_t DateToMicros(int32_t days) {
  if (days == types::kDateInfinity) {
    return types::kTimestampInfinity;
  }
  if (days == types::kDateNegativeInfinity) {
    return types::kTimestampNegativeInfinity;
  }
  int64_t micros = int64_t{days} * kMicrosPerDay;
  return std::clamp(micros, types::kTimestampNegativeInfinity + 1, types::kTimestampInfinity - 1);
}

bool ScaleInterval(const types::Interval& interval, double factor, types::Interval* out) {
  // PostgreSQL's interval_mul: whole months and days stay, their fractions cascade down to
  // days (30 per month) and seconds; results are rounded to microseconds.
  auto round6 = [](double value) { return std::rint(value * 1e6) / 1e6; };
  double months = interval.months * factor;
  double days = interval.days * factor;
  if (!std::isfinite(months) || !std::isfinite(days) || std::abs(months) > INT32_MAX ||
      std::abs(days) > INT32_MAX) {
    return false;
  }
  types::Interval result{static_cast<int32_t>(months), static_cast<int32_t>(days), 0};
  double month_remainder_days = round6((months - result.months) * 30.0);
  double seconds_remainder =
      round6((days - result.days + month_remainder_days - static_cast<int>(month_remainder_days)) *
             86400.0);
  if (std::abs(seconds_remainder) >= 86400.0) {
    result.days += static_cast<int>(seconds_remainder / 86400.0);
    seconds_remainder -= static_cast<int>(seconds_remainder / 86400.0) * 86400.0;
  }
  result.days += static_cast<int32_t>(month_remainder_days);
  double micros =
      std::rint(static_cast<double>(interval.micros) * factor + seconds_remainder * 1e6);
  if (!std::isfinite(micros) || std::abs(micros) >= 9.2e18) {
    return false;
  }
  result.micros = static_cast<int64_t>(micros);
  *out = result;
  return true;
}

bool AddIntervalToTimestamp(int64_t micros, const types::Interval& interval, int64_t* out) {
  if (micros < kMinTimestamp || micros > kMaxTimestamp) {
    return false;
  }
  int64_t days =
      micros >= 0 ? micros / kMicrosPerDay : (micros - kMicrosPerDay + 1) / kMicrosPerDay;
  int64_t time = micros - days * kMicrosPerDay;
  if (interval.months != 0) {
    types::CivilDate date = types::CivilFromDays(days);
    int64_t month_index = date.year * 12 + (date.month - 1) + interval.months;
    int64_t year = month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
    int month = static_cast<int>(month_index - year * 12) + 1;
    int day = std::min(date.day, types::DaysInMonth(year, month));
    days = types::DaysFromCivil({year, month, day});
  }
  days += interval.days;
  int64_t result = 0;
  if (__builtin_mul_overflow(days, kMicrosPerDay, &result) ||
      __builtin_add_overflow(result, time, &result) ||
      __builtin_add_overflow(result, interval.micros, &result)) {
    return false;
  }
  *out = result;
  return result >= kMinTimestamp && result <= kMaxTimestamp;
}

CivilTime SplitTimestamp(int64_t micros) {
  int64_t days =
      micros >= 0 ? micros / kMicrosPerDay : (micros - kMicrosPerDay + 1) / kMicrosPerDay;
  int64_t time = micros - days * kMicrosPerDay;
  types::CivilDate date = types::CivilFromDays(days);
  CivilTime civil;
  civil.year = date.year;
  civil.month = date.month;
  civil.day = date.day;
  civil.hour = static_cast<int>(time / types::kMicrosPerHour);
  civil.minute = static_cast<int>(time / types::kMicrosPerMinute % 60);
  civil.second = static_cast<int>(time / types::kMicrosPerSecond % 60);
  civil.microsecond = static_cast<int>(time % types::kMicrosPerSecond);
  civil.days = days;
  return civil;
}

}  // namespace floe::sql::internal
