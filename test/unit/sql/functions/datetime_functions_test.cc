#include <gtest/gtest.h>

#include "function_test_harness.h"
#include "types/interval.h"
#include "types/temporal.h"

namespace floe::sql {
namespace {

using namespace floe::sql::testing;  // NOLINT(google-build-using-namespace)

Value Date(std::string_view text) {
  return Value::Date(types::ParseDate(text).value());
}
Value Timestamp(std::string_view text) {
  return Value::Timestamp(types::ParseTimestamp(text).value());
}
Value IntervalOf(std::string_view text) {
  return Value::Interval(types::ParseInterval(text).value());
}

// extract() as the binder calls it, passing the constant field so the scale is known.
std::string Extract(std::string_view field, const Value& source) {
  std::vector<LogicalType> types = {LogicalType::Varchar(), source.type()};
  std::vector<Value> constants = {Str(std::string(field)), Value()};
  Result<ScalarFunction> function =
      FunctionRegistry::Default().ResolveScalar("extract", types, constants);
  if (!function.ok()) {
    return std::string(function.status().message());
  }
  FunctionContext context;
  std::vector<Vector> args = {MakeConstant(constants[0], 1), MakeVector(source.type(), {source})};
  Result<Vector> result = function->kernel(context, args, 1);
  if (!result.ok()) {
    return std::string(result.status().message());
  }
  return result->GetValue(0).value().ToString();
}

// Answers below come from PostgreSQL 15.
TEST(DateTimeFunctionsTest, ExtractReturnsNumericWithTheFieldsScale) {
  EXPECT_EQ(Extract("year", Date("2024-03-15")), "2024");
  EXPECT_EQ(Extract("epoch", Timestamp("2024-03-15 10:20:30.5")), "1710498030.500000");
  EXPECT_EQ(Extract("second", Timestamp("2024-03-15 10:20:30.5")), "30.500000");
  EXPECT_EQ(Extract("dow", Date("2024-03-17")), "0");
  EXPECT_EQ(Extract("isodow", Date("2024-03-17")), "7");
  EXPECT_EQ(Extract("doy", Date("2024-03-15")), "75");
  EXPECT_EQ(Extract("week", Date("2024-01-01")), "1");
  EXPECT_EQ(Extract("quarter", Date("2024-05-01")), "2");
  EXPECT_EQ(Extract("millisecond", Timestamp("2024-03-15 10:20:30.5")), "30500.000");
  EXPECT_EQ(Extract("julian", Date("2024-03-15")), "2460385");
  EXPECT_EQ(Extract("century", Date("2024-03-15")), "21");
  EXPECT_EQ(Extract("decade", Date("2024-03-15")), "202");
  EXPECT_EQ(Extract("millennium", Date("2024-03-15")), "3");
  EXPECT_EQ(Extract("isoyear", Date("2024-01-01")), "2024");
  EXPECT_EQ(Extract("epoch", Date("2024-03-15")), "1710460800");
  EXPECT_EQ(Extract("month", IntervalOf("1 year 14 months")), "2");
  EXPECT_EQ(Extract("epoch", IntervalOf("1 day 2 hours")), "93600.000000");
  EXPECT_EQ(Extract("day", IntervalOf("40 days")), "40");
  EXPECT_EQ(Extract("second", Value::Time(types::ParseTime("10:20:30.25").value())), "30.250000");
  EXPECT_EQ(Extract("hour", Date("2024-03-15")), "unit \"hour\" not supported for type date");
  EXPECT_EQ(Extract("year", Value::Date(types::kDateInfinity)),
            "extracting a field of an infinite date or timestamp");
  EXPECT_EQ(Extract("year", Date("0044-03-15 BC")), "-44");
  EXPECT_EQ(Extract("foo", Date("2024-03-15")), "unit \"foo\" not recognized for type date");
}

TEST(DateTimeFunctionsTest, DatePartReturnsDouble) {
  Result<Value> year = Call("date_part", {Str("year"), Date("2024-03-15")});
  ASSERT_TRUE(year.ok());
  EXPECT_EQ(year->type(), LogicalType::Double());
  EXPECT_EQ(year->ToString(), "2024");
  EXPECT_EQ(Text("date_part", {Str("second"), Timestamp("2024-03-15 10:20:30.5")}), "30.5");
  // Without the constant, extract still works at scale 6.
  EXPECT_EQ(Text("extract", {Str("month"), Date("2024-03-15")}), "3.000000");
}

TEST(DateTimeFunctionsTest, DateTrunc) {
  EXPECT_EQ(Text("date_trunc", {Str("month"), Timestamp("2024-03-15 10:20:30")}),
            "2024-03-01 00:00:00");
  EXPECT_EQ(Text("date_trunc", {Str("week"), Timestamp("2024-03-15 10:20:30")}),
            "2024-03-11 00:00:00");
  // A date resolves to date_trunc(text, timestamptz), as in PostgreSQL.
  EXPECT_EQ(Text("date_trunc", {Str("quarter"), Date("2024-05-15")}), "2024-04-01 00:00:00+00");
  EXPECT_EQ(Text("date_trunc", {Str("hour"), IntervalOf("1 day 02:30:00")}), "1 day 02:00:00");
  EXPECT_EQ(ErrorOf("date_trunc", {Str("foo"), Timestamp("2024-03-15")}),
            "unit \"foo\" not recognized for type timestamp without time zone");
}

TEST(DateTimeFunctionsTest, AgeAndConstructors) {
  EXPECT_EQ(Text("age", {Timestamp("2024-03-15"), Timestamp("2023-01-20 10:00")}),
            "1 year 1 mon 25 days 14:00:00");
  EXPECT_EQ(Text("age", {Timestamp("2023-01-20 10:00"), Timestamp("2024-03-15")}),
            "-1 years -1 mons -25 days -14:00:00");
  EXPECT_EQ(Text("make_date", {Value::Integer(2024), Value::Integer(2), Value::Integer(29)}),
            "2024-02-29");
  EXPECT_EQ(ErrorOf("make_date", {Value::Integer(2023), Value::Integer(2), Value::Integer(29)}),
            "date field value out of range: 2023-02-29");
  EXPECT_EQ(Text("make_time", {Value::Integer(10), Value::Integer(20), Value::Double(30.5)}),
            "10:20:30.5");
  EXPECT_EQ(Text("make_timestamp", {Value::Integer(2024), Value::Integer(1), Value::Integer(2),
                                    Value::Integer(3), Value::Integer(4), Value::Double(5.5)}),
            "2024-01-02 03:04:05.5");
  EXPECT_EQ(Text("make_interval",
                 {Value::Integer(1), Value::Integer(2), Value::Integer(3), Value::Integer(4),
                  Value::Integer(5), Value::Integer(6), Value::Double(7.5)}),
            "1 year 2 mons 25 days 05:06:07.5");
  EXPECT_EQ(Text("to_timestamp", {Value::Double(1700000000.5)}), "2023-11-14 22:13:20.5+00");
}

TEST(DateTimeFunctionsTest, IntervalHelpers) {
  EXPECT_EQ(Text("justify_days", {IntervalOf("35 days")}), "1 mon 5 days");
  EXPECT_EQ(Text("justify_hours", {IntervalOf("27 hours")}), "1 day 03:00:00");
  EXPECT_EQ(Text("justify_interval", {IntervalOf("1 mon -1 hour")}), "29 days 23:00:00");
  EXPECT_EQ(Text("isfinite", {Value::Date(types::kDateInfinity)}), "f");
  EXPECT_EQ(Text("isfinite", {Date("2024-01-01")}), "t");
  EXPECT_EQ(Text("date_bin", {IntervalOf("15 minutes"), Timestamp("2020-02-11 15:44:17"),
                              Timestamp("2001-01-01")}),
            "2020-02-11 15:30:00");
}

TEST(DateTimeFunctionsTest, FormattingAndParsing) {
  // PostgreSQL 15 answers.
  EXPECT_EQ(Text("to_char", {Timestamp("2024-03-05 14:07:09.123456"),
                             Str("YYYY-MM-DD HH24:MI:SS.MS US Mon Month| Dy Day| DDD D Q HH12 AM "
                                 "pm YY FMMonth FMDD \"lit\" dd mon")}),
            "2024-03-05 14:07:09.123 123456 Mar March    | Tue Tuesday  | 065 3 1 02 PM pm 24 "
            "March 5 lit 05 mar");
  EXPECT_EQ(Text("to_char", {Date("2024-03-05"), Str("YYYY/MM/DD")}), "2024/03/05");
  EXPECT_EQ(Text("to_date", {Str("05 Mar 2024"), Str("DD Mon YYYY")}), "2024-03-05");
  EXPECT_EQ(Text("to_timestamp", {Str("2024-03-05 14:07:09"), Str("YYYY-MM-DD HH24:MI:SS")}),
            "2024-03-05 14:07:09+00");
  EXPECT_EQ(Text("to_timestamp", {Str("5/3/2024 2:07 PM"), Str("DD/MM/YYYY HH:MI AM")}),
            "2024-03-05 14:07:00+00");
  EXPECT_EQ(ErrorOf("to_date", {Str("2024-02-30"), Str("YYYY-MM-DD")}),
            "date/time field value out of range: \"2024-02-30\"");
  Result<Value> unsupported = Call("to_char", {Date("2024-03-05"), Str("WW")});
  ASSERT_FALSE(unsupported.ok());
  EXPECT_EQ(unsupported.status().code(), StatusCode::kNotSupported);
}

TEST(DateTimeFunctionsTest, StatementTimeIsStable) {
  // The harness's statement time is 2023-11-14 22:13:20 UTC.
  EXPECT_EQ(Text("now", {}), "2023-11-14 22:13:20+00");
  EXPECT_EQ(Text("current_timestamp", {}), "2023-11-14 22:13:20+00");
  EXPECT_EQ(Text("current_date", {}), "2023-11-14");
  std::vector<LogicalType> none;
  EXPECT_FALSE(FunctionRegistry::Default().ResolveScalar("clock_timestamp", none)->deterministic);
}

}  // namespace
}  // namespace floe::sql
