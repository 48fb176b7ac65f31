#include "types/temporal.h"

#include <gtest/gtest.h>

namespace floe::types {
namespace {

int32_t Date(std::string_view text) {
  Result<int32_t> result = ParseDate(text);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ValueOr(0);
}

int64_t Timestamp(std::string_view text) {
  Result<int64_t> result = ParseTimestamp(text);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ValueOr(0);
}

int64_t TimestampTz(std::string_view text) {
  Result<int64_t> result = ParseTimestampTz(text);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ValueOr(0);
}

TEST(TemporalTest, CalendarArithmetic) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_TRUE(IsLeapYear(0));  // 1 BC.
  EXPECT_EQ(DaysInMonth(2023, 2), 28);
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  for (int64_t days : {-2440588, -719528, -1, 0, 59, 60, 11016, 2932896}) {
    EXPECT_EQ(DaysFromCivil(CivilFromDays(days)), days);
  }
}

TEST(TemporalTest, DatesRoundTrip) {
  EXPECT_EQ(Date("1970-01-01"), 0);
  EXPECT_EQ(Date("2024-01-02"), 19724);
  EXPECT_EQ(Date(" 1969-12-31 "), -1);
  EXPECT_EQ(FormatDate(19724), "2024-01-02");
  EXPECT_EQ(FormatDate(Date("2000-02-29")), "2000-02-29");
  EXPECT_EQ(FormatDate(Date("0044-03-15 BC")), "0044-03-15 BC");
  EXPECT_EQ(FormatDate(Date("0001-01-01")), "0001-01-01");
  EXPECT_EQ(FormatDate(Date("1-1-1 BC")), "0001-01-01 BC");
  EXPECT_EQ(FormatDate(Date("4714-11-24 BC")), "4714-11-24 BC");
  EXPECT_EQ(FormatDate(Date("5874897-12-31")), "5874897-12-31");
  EXPECT_EQ(Date("2024-01-02 13:14:15"), 19724);
  EXPECT_EQ(Date("epoch"), 0);
}

TEST(TemporalTest, DateInfinities) {
  EXPECT_EQ(Date("infinity"), kDateInfinity);
  EXPECT_EQ(Date("-Infinity"), kDateNegativeInfinity);
  EXPECT_EQ(FormatDate(kDateInfinity), "infinity");
  EXPECT_EQ(FormatDate(kDateNegativeInfinity), "-infinity");
}

TEST(TemporalTest, DateErrors) {
  Result<int32_t> leap = ParseDate("1900-02-29");
  EXPECT_EQ(leap.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(leap.status().sql_state(), "22008");
  EXPECT_EQ(leap.status().message(), "date/time field value out of range: \"1900-02-29\"");
  EXPECT_EQ(ParseDate("2024-02-30").status().message(),
            "date/time field value out of range: \"2024-02-30\"");
  EXPECT_EQ(ParseDate("2024-13-01").status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(ParseDate("0000-01-01").status().code(), StatusCode::kOutOfRange);
  Result<int32_t> syntax = ParseDate("abc");
  EXPECT_EQ(syntax.status().code(), StatusCode::kInvalidCast);
  EXPECT_EQ(syntax.status().sql_state(), "22007");
  EXPECT_EQ(syntax.status().message(), "invalid input syntax for type date: \"abc\"");
  EXPECT_EQ(ParseDate("2024-01").status().code(), StatusCode::kInvalidCast);
  EXPECT_EQ(ParseDate("").status().code(), StatusCode::kInvalidCast);
  EXPECT_EQ(ParseDate("4714-11-23 BC").status().message(), "date out of range: \"4714-11-23 BC\"");
  EXPECT_EQ(ParseDate("5874898-01-01").status().message(), "date out of range: \"5874898-01-01\"");
  EXPECT_EQ(ParseDate("99999999999-01-01").status().message(),
            "date/time field value out of range: \"99999999999-01-01\"");
}

TEST(TemporalTest, Times) {
  EXPECT_EQ(ParseTime("04:05:06.5").value(), 14706500000);
  EXPECT_EQ(ParseTime("04:05").value(), 14700000000);
  EXPECT_EQ(ParseTime("24:00:00").value(), kMicrosPerDay);
  EXPECT_EQ(ParseTime("23:59:60").value(), kMicrosPerDay);
  EXPECT_EQ(ParseTime("12:00:00.1234567").value(), 12 * kMicrosPerHour + 123457);
  EXPECT_EQ(FormatTime(14706500000), "04:05:06.5");
  EXPECT_EQ(FormatTime(0), "00:00:00");
  EXPECT_EQ(FormatTime(kMicrosPerDay), "24:00:00");
  EXPECT_EQ(FormatTime(1), "00:00:00.000001");
  EXPECT_EQ(ParseTime("25:00:00").status().message(),
            "date/time field value out of range: \"25:00:00\"");
  EXPECT_EQ(ParseTime("12:60").status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(ParseTime("noon").status().message(), "invalid input syntax for type time: \"noon\"");
}

TEST(TemporalTest, Timestamps) {
  EXPECT_EQ(Timestamp("2024-01-02 03:04:05"), 1704164645000000);
  EXPECT_EQ(Timestamp("2024-01-02T03:04:05"), 1704164645000000);
  EXPECT_EQ(Timestamp("2024-01-02"), 1704153600000000);
  EXPECT_EQ(FormatTimestamp(Timestamp("2024-01-02T03:04:05.5")), "2024-01-02 03:04:05.5");
  EXPECT_EQ(FormatTimestamp(Timestamp("2024-01-02 03:04:05.123456789")),
            "2024-01-02 03:04:05.123457");
  EXPECT_EQ(FormatTimestamp(Timestamp("2024-01-01 24:00:00")), "2024-01-02 00:00:00");
  EXPECT_EQ(FormatTimestamp(Timestamp("1969-12-31 23:59:59.999999")), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(FormatTimestamp(Timestamp("0044-03-15 12:00 BC")), "0044-03-15 12:00:00 BC");
  // TIMESTAMP WITHOUT TIME ZONE ignores an offset in its input.
  EXPECT_EQ(FormatTimestamp(Timestamp("2024-01-02 03:04:05+02")), "2024-01-02 03:04:05");
  EXPECT_EQ(FormatTimestamp(Timestamp("294246-12-31 23:59:59.999999")),
            "294246-12-31 23:59:59.999999");
  EXPECT_EQ(FormatTimestamp(Timestamp("4714-11-24 00:00:00 BC")), "4714-11-24 00:00:00 BC");
  EXPECT_EQ(ParseTimestamp("294247-01-01 00:00:00").status().message(),
            "timestamp out of range: \"294247-01-01 00:00:00\"");
  EXPECT_EQ(ParseTimestamp("4714-11-23 23:59:59 BC").status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(ParseTimestamp("2024-01-02 03:04:05 xyz").status().message(),
            "invalid input syntax for type timestamp: \"2024-01-02 03:04:05 xyz\"");
  EXPECT_EQ(ParseTimestamp("2024-01-02T").status().code(), StatusCode::kInvalidCast);
}

TEST(TemporalTest, TimestampInfinities) {
  EXPECT_EQ(Timestamp("infinity"), kTimestampInfinity);
  EXPECT_EQ(Timestamp("-infinity"), kTimestampNegativeInfinity);
  EXPECT_EQ(FormatTimestamp(kTimestampInfinity), "infinity");
  EXPECT_EQ(FormatTimestampTz(kTimestampNegativeInfinity), "-infinity");
}

TEST(TemporalTest, TimestampsWithOffsets) {
  EXPECT_EQ(FormatTimestampTz(TimestampTz("2024-01-02 03:04:05+05:30")), "2024-01-01 21:34:05+00");
  EXPECT_EQ(FormatTimestampTz(TimestampTz("2024-01-02 03:04:05+02")), "2024-01-02 01:04:05+00");
  EXPECT_EQ(FormatTimestampTz(TimestampTz("2024-01-02 03:04:05-08")), "2024-01-02 11:04:05+00");
  EXPECT_EQ(FormatTimestampTz(TimestampTz("2024-01-02 03:04:05 -0800")), "2024-01-02 11:04:05+00");
  EXPECT_EQ(FormatTimestampTz(TimestampTz("2024-01-02T03:04:05Z")), "2024-01-02 03:04:05+00");
  EXPECT_EQ(FormatTimestampTz(TimestampTz("2024-01-02 03:04:05 UTC")), "2024-01-02 03:04:05+00");
  // Without an offset the text is in the session zone, UTC.
  EXPECT_EQ(FormatTimestampTz(TimestampTz("2024-01-02 03:04:05")), "2024-01-02 03:04:05+00");
  EXPECT_EQ(FormatTimestampTz(TimestampTz("0044-03-15 12:00 BC")), "0044-03-15 12:00:00+00 BC");
  Result<int64_t> far_offset = ParseTimestampTz("2024-01-02 03:04:05+16");
  EXPECT_EQ(far_offset.status().message(),
            "time zone displacement out of range: \"2024-01-02 03:04:05+16\"");
  EXPECT_EQ(far_offset.status().sql_state(), "22009");
  EXPECT_EQ(ParseTimestampTz("bad").status().message(),
            "invalid input syntax for type timestamp with time zone: \"bad\"");
}

TEST(TemporalTest, Conversions) {
  EXPECT_EQ(DateToTimestamp(1).value(), kMicrosPerDay);
  EXPECT_EQ(DateToTimestamp(kDateInfinity).value(), kTimestampInfinity);
  EXPECT_EQ(DateToTimestamp(kDateNegativeInfinity).value(), kTimestampNegativeInfinity);
  EXPECT_EQ(DateToTimestamp(Date("5874897-12-31")).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(TimestampToDate(-1), -1);
  EXPECT_EQ(TimestampToDate(kMicrosPerDay), 1);
  EXPECT_EQ(TimestampToDate(kTimestampInfinity), kDateInfinity);
  EXPECT_EQ(TimestampToTime(-1), kMicrosPerDay - 1);
  EXPECT_EQ(TimestampToTime(Timestamp("2024-01-02 03:04:05")), 11045000000);
}

}  // namespace
}  // namespace floe::types
