#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "common/result.h"

namespace floe::types {

class TimeZone;

/// Text forms and conversions of DATE (int32 days since 1970-01-01), TIME (int64 microseconds
/// since midnight), TIMESTAMP and TIMESTAMPTZ (int64 microseconds since 1970-01-01 00:00:00, UTC
/// for TIMESTAMPTZ), on the proleptic Gregorian calendar. Text follows PostgreSQL with DateStyle
/// ISO. TIMESTAMPTZ text is read and written in a time zone (the session's, `time_zone.h`).
///
/// Errors follow PostgreSQL: text that does not parse is InvalidCast (SQLSTATE 22007) `invalid
/// input syntax for type date: "<text>"`; impossible fields (month 13, 1900-02-29) are OutOfRange
/// (22008) `date/time field value out of range: "<text>"`; dates before 4714-11-24 BC or past
/// the type's end are OutOfRange (22008) `date out of range: "<text>"`. Dates end at
/// 5874897-12-31 as in PostgreSQL; timestamps end before 294247-01-01, 30 years before
/// PostgreSQL's end, which does not fit microseconds since 1970 in 64 bits.

inline constexpr int32_t kDateInfinity = std::numeric_limits<int32_t>::max();
inline constexpr int32_t kDateNegativeInfinity = std::numeric_limits<int32_t>::min();
inline constexpr int64_t kTimestampInfinity = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kTimestampNegativeInfinity = std::numeric_limits<int64_t>::min();

inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

/// A calendar date. `year` is astronomical: 0 is 1 BC, -1 is 2 BC.
struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

bool IsLeapYear(int64_t year);
/// Returns the number of days of `month` (1..12) in `year`.
int DaysInMonth(int64_t year, int month);
/// Returns the days since 1970-01-01 of a valid calendar date.
int64_t DaysFromCivil(const CivilDate& date);
/// Returns the calendar date `days` after 1970-01-01 (negative: before).
CivilDate CivilFromDays(int64_t days);

/// Parses 'YYYY-MM-DD' with an optional ' BC' or ' AD' suffix; a time part is accepted and
/// ignored, as PostgreSQL does. Also 'infinity', '-infinity' and 'epoch'.
Result<int32_t> ParseDate(std::string_view text);
/// Returns '2024-01-02', '0044-03-15 BC', 'infinity' or '-infinity'.
std::string FormatDate(int32_t days);

/// Parses 'HH:MM[:SS[.ffffff]]'; up to 24:00:00. Extra fraction digits are rounded.
Result<int64_t> ParseTime(std::string_view text);
/// Returns 'HH:MM:SS' followed by the fraction without trailing zeros ('04:05:06.5').
std::string FormatTime(int64_t micros);

/// Parses 'YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][ BC]'. A time zone offset is accepted and
/// ignored, as PostgreSQL does for TIMESTAMP WITHOUT TIME ZONE.
Result<int64_t> ParseTimestamp(std::string_view text);
/// Returns '2024-01-02 03:04:05.5', '0044-03-15 12:00:00 BC', 'infinity' or '-infinity'.
std::string FormatTimestamp(int64_t micros);

/// Parses a timestamp followed by an optional offset ('+02', '-08:00', '+05:30', '+0530',
/// '+05:45:30') or zone ('Z', 'UTC', 'EST', 'Europe/Paris'). Text without either is local time
/// in `zone`, which decides skipped and repeated times as TimeZone::OffsetForLocal does. An
/// unknown zone is 22023 `time zone "<name>" not recognized`.
Result<int64_t> ParseTimestampTz(std::string_view text, const TimeZone& zone);
/// Returns the local time in `zone` with its offset: '2024-03-10 03:30:00-04',
/// '1850-01-01 00:00:00-04:56:02'.
std::string FormatTimestampTz(int64_t micros, const TimeZone& zone);
/// The same in UTC, for values that are not shown to a session (table metadata, files).
Result<int64_t> ParseTimestampTz(std::string_view text);
std::string FormatTimestampTz(int64_t micros);
/// Returns an offset as timestamptz text shows it: '+00', '-04', '+05:30', '-04:56:02'.
std::string FormatOffset(int32_t offset_seconds);

/// Returns the timestamp at midnight of `days`, mapping infinities to infinities. OutOfRange
/// "date out of range for timestamp" when the date is beyond the timestamp range.
Result<int64_t> DateToTimestamp(int32_t days);
/// Returns the date of a timestamp (rounding towards the past), infinities to infinities.
int32_t TimestampToDate(int64_t micros);
/// Returns the time of day of a finite timestamp.
int64_t TimestampToTime(int64_t micros);

}  // namespace floe::types
