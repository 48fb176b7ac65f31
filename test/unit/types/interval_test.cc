#include "types/interval.h"

#include <gtest/gtest.h>

#include "types/temporal.h"

namespace floe::types {
namespace {

std::string RoundTrip(std::string_view text) {
  Result<Interval> result = ParseInterval(text);
  EXPECT_TRUE(result.ok()) << text << ": " << result.status().ToString();
  return result.ok() ? FormatInterval(*result) : "";
}

TEST(IntervalTest, LayoutIsFixed) {
  EXPECT_EQ(sizeof(Interval), 16u);
  EXPECT_EQ(offsetof(Interval, months), 0u);
  EXPECT_EQ(offsetof(Interval, days), 4u);
  EXPECT_EQ(offsetof(Interval, micros), 8u);
}

TEST(IntervalTest, ParsesFields) {
  Interval interval = ParseInterval("1 year 2 mons 3 days 04:05:06.5").value();
  EXPECT_EQ(interval.months, 14);
  EXPECT_EQ(interval.days, 3);
  EXPECT_EQ(interval.micros, 4 * kMicrosPerHour + 5 * kMicrosPerMinute + 6500000);
  EXPECT_EQ(ParseInterval("-1 hour").value(), (Interval{0, 0, -kMicrosPerHour}));
  EXPECT_EQ(ParseInterval("1 week").value(), (Interval{0, 7, 0}));
}

TEST(IntervalTest, PostgresTextRoundTrips) {
  EXPECT_EQ(RoundTrip("1 year 2 mons 3 days 04:05:06.5"), "1 year 2 mons 3 days 04:05:06.5");
  EXPECT_EQ(RoundTrip("3 days"), "3 days");
  EXPECT_EQ(RoundTrip("1 day"), "1 day");
  EXPECT_EQ(RoundTrip("-1 hour"), "-01:00:00");
  EXPECT_EQ(RoundTrip("0"), "00:00:00");
  EXPECT_EQ(RoundTrip("-1 days 2 hours"), "-1 days +02:00:00");
  EXPECT_EQ(RoundTrip("-1 mon +1 day"), "-1 mons +1 day");
  EXPECT_EQ(RoundTrip("-1 mons -2 days -03:04:05"), "-1 mons -2 days -03:04:05");
  EXPECT_EQ(RoundTrip("1 day -00:00:01"), "1 day -00:00:01");
  EXPECT_EQ(RoundTrip("-04:05:06"), "-04:05:06");
  EXPECT_EQ(RoundTrip("25:00"), "25:00:00");
  EXPECT_EQ(RoundTrip("100 hours"), "100:00:00");
  EXPECT_EQ(RoundTrip("5"), "00:00:05");
  EXPECT_EQ(RoundTrip("@ 1 minute"), "00:01:00");
  EXPECT_EQ(RoundTrip("1 day ago"), "-1 days");
  EXPECT_EQ(RoundTrip("1 week"), "7 days");
  EXPECT_EQ(RoundTrip("1 year -1 mon"), "11 mons");
  EXPECT_EQ(RoundTrip("2 YEARS 1 MONTH"), "2 years 1 mon");
  EXPECT_EQ(RoundTrip("1 millisecond"), "00:00:00.001");
}

TEST(IntervalTest, FractionalUnitsSpillDown) {
  EXPECT_EQ(RoundTrip("1.5 years"), "1 year 6 mons");
  EXPECT_EQ(RoundTrip("-1.5 years"), "-1 years -6 mons");
  EXPECT_EQ(RoundTrip("1.5 days"), "1 day 12:00:00");
  EXPECT_EQ(RoundTrip("2 weeks 1.5 days"), "15 days 12:00:00");
  EXPECT_EQ(RoundTrip("0.5 mon"), "15 days");
}

TEST(IntervalTest, Iso8601) {
  EXPECT_EQ(RoundTrip("P1Y2M3DT4H5M6S"), "1 year 2 mons 3 days 04:05:06");
  EXPECT_EQ(RoundTrip("PT1.5S"), "00:00:01.5");
  EXPECT_EQ(RoundTrip("P2W"), "14 days");
}

TEST(IntervalTest, Errors) {
  for (std::string_view text :
       {"abc", "", "1 fortnight", "ago", "1 day 2 days", "P", "P1X", "1 day xyz"}) {
    Result<Interval> result = ParseInterval(text);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidCast) << text;
    EXPECT_EQ(result.status().sql_state(), "22007");
    EXPECT_EQ(result.status().message(),
              fmt::format("invalid input syntax for type interval: \"{}\"", text));
  }
  Result<Interval> overflow = ParseInterval("3000000000 days");
  EXPECT_EQ(overflow.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(overflow.status().message(), "interval field value out of range: \"3000000000 days\"");
}

TEST(IntervalTest, ComparesByLength) {
  EXPECT_EQ(CompareIntervals({1, 1, 0}, {0, 31, 0}), 0);
  EXPECT_LT(CompareIntervals({0, 1, 0}, {0, 0, 25 * kMicrosPerHour}), 0);
  EXPECT_GT(CompareIntervals({1, 0, 0}, {0, 29, 0}), 0);
}

}  // namespace
}  // namespace floe::types
