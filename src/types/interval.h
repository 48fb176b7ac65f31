#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/result.h"

namespace floe::types {

/// An INTERVAL value. Months, days and microseconds are kept apart, as PostgreSQL does, because
/// their lengths vary (a month is 28 to 31 days, a day 23 to 25 hours across a DST change).
/// Vectors store it raw: 16 bytes, in this member order.
struct Interval {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;

  friend bool operator==(const Interval&, const Interval&) = default;
};
static_assert(sizeof(Interval) == 16 && std::is_standard_layout_v<Interval>);

/// Parses PostgreSQL interval input: '1 year 2 mons 3 days 04:05:06.5', '3 days', '-1 hour',
/// '@ 1 minute ago', a bare number of seconds ('5'), fractional units ('1.5 years'), and ISO 8601
/// ('P1Y2M3DT4H5M6S'). Errors: InvalidCast (22007) `invalid input syntax for type interval:
/// "<text>"`; OutOfRange (22015) `interval field value out of range: "<text>"`.
Result<Interval> ParseInterval(std::string_view text);

/// Formats as PostgreSQL's default IntervalStyle (postgres): '1 year 2 mons 3 days 04:05:06.5',
/// '-1 days +02:00:00', '00:00:00' for zero.
std::string FormatInterval(const Interval& interval);

/// Orders intervals as PostgreSQL compares them: by their length with 30-day months and 24-hour
/// days, so '1 mon' equals '30 days'. Returns a negative, zero or positive number.
int CompareIntervals(const Interval& a, const Interval& b);

}  // namespace floe::types
