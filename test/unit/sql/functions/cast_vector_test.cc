#include "sql/functions/cast_vector.h"

#include <gtest/gtest.h>

#include "function_test_harness.h"
#include "types/temporal.h"

namespace floe::sql {
namespace {

using namespace floe::sql::testing;  // NOLINT(google-build-using-namespace)

// Casts one value through CastVector (flat, constant and dictionary inputs) and returns the
// text of the result, or the error message.
std::string CastText(const Value& value, const LogicalType& target) {
  FunctionContext context;
  std::vector<std::string> answers;
  std::vector<Vector> inputs = {MakeVector(value.type(), {value, value}), MakeConstant(value, 2),
                                MakeDictionary(value.type(), {value}, {0, 0})};
  for (const Vector& input : inputs) {
    Result<Vector> cast = CastVector(context, input, 2, target);
    if (!cast.ok()) {
      answers.push_back(std::string(cast.status().message()));
      continue;
    }
    EXPECT_EQ(cast->type(), target);
    EXPECT_EQ(cast->length(), 2);
    answers.push_back(cast->GetValue(1).value().ToString());
  }
  EXPECT_EQ(answers[0], answers[1]) << "constant input differs";
  EXPECT_EQ(answers[0], answers[2]) << "dictionary input differs";
  return answers[0];
}

LogicalType Numeric(int precision, int scale) {
  return LogicalType::Decimal(precision, scale).value();
}

TEST(CastVectorTest, IntegersWidenAndNarrowWithRangeChecks) {
  EXPECT_EQ(CastText(Value::Integer(70000), LogicalType::BigInt()), "70000");
  EXPECT_EQ(CastText(Value::Integer(70000), LogicalType::SmallInt()), "smallint out of range");
  EXPECT_EQ(CastText(Value::BigInt(-5), LogicalType::Integer()), "-5");
  EXPECT_EQ(CastText(Value::BigInt(INT64_MAX), LogicalType::Integer()), "integer out of range");
}

TEST(CastVectorTest, FloatsRoundHalfToEvenIntoIntegers) {
  // PostgreSQL: 2.5::float8::int is 2, 3.5 is 4, -2.5 is -2; numerics round half away.
  EXPECT_EQ(CastText(Value::Double(2.5), LogicalType::Integer()), "2");
  EXPECT_EQ(CastText(Value::Double(3.5), LogicalType::Integer()), "4");
  EXPECT_EQ(CastText(Value::Double(-2.5), LogicalType::Integer()), "-2");
  EXPECT_EQ(CastText(Value::Double(1e20), LogicalType::BigInt()), "bigint out of range");
  EXPECT_EQ(CastText(Decimal("2.5", 2, 1), LogicalType::Integer()), "3");
  EXPECT_EQ(CastText(Decimal("-2.5", 2, 1), LogicalType::Integer()), "-3");
  EXPECT_EQ(CastText(Value::Integer(7), LogicalType::Double()), "7");
  EXPECT_EQ(CastText(Value::Double(1e300), LogicalType::Real()), "value out of range: overflow");
}

TEST(CastVectorTest, DecimalsRescaleExactly) {
  EXPECT_EQ(CastText(Value::Integer(42), Numeric(10, 2)), "42.00");
  EXPECT_EQ(CastText(Decimal("12.345", 10, 3), Numeric(5, 2)), "12.35");
  EXPECT_EQ(CastText(Decimal("-12.345", 10, 3), Numeric(5, 2)), "-12.35");
  EXPECT_EQ(CastText(Decimal("1234.5", 10, 1), Numeric(5, 2)),
            "numeric field overflow: A field with precision 5, scale 2 must round to an "
            "absolute value less than 10^3.");
  EXPECT_EQ(CastText(Decimal("12.5", 5, 2), LogicalType::Double()), "12.5");
  EXPECT_EQ(CastText(Decimal("12345678901234567890.5", 38, 1), LogicalType::Double()),
            "1.2345678901234567e+19");
  EXPECT_EQ(CastText(Value::Double(0.1), Numeric(5, 3)), "0.100");
  EXPECT_EQ(CastText(Decimal("1.5", 2, 1), Numeric(30, 10)), "1.5000000000");
}

TEST(CastVectorTest, TextConvertsBothWays) {
  EXPECT_EQ(CastText(Str(" 42 "), LogicalType::Integer()), "42");
  EXPECT_EQ(CastText(Str("abc"), LogicalType::Integer()),
            "invalid input syntax for type integer: \"abc\"");
  EXPECT_EQ(CastText(Str("1e3"), Numeric(10, 2)), "1000.00");
  EXPECT_EQ(CastText(Str("2024-02-29"), LogicalType::Date()), "2024-02-29");
  EXPECT_EQ(CastText(Str("2024-02-30"), LogicalType::Date()),
            "date/time field value out of range: \"2024-02-30\"");
  EXPECT_EQ(CastText(Str("2024-01-02 03:04:05"), LogicalType::Timestamp()), "2024-01-02 03:04:05");
  EXPECT_EQ(CastText(Str("yes"), LogicalType::Boolean()), "t");
  EXPECT_EQ(CastText(Str("1.5"), LogicalType::Double()), "1.5");
  EXPECT_EQ(CastText(Str("1 day"), LogicalType::Interval()), "1 day");
  // Anything to text; booleans spell the word out, as PostgreSQL's cast does.
  EXPECT_EQ(CastText(Value::Boolean(true), LogicalType::Varchar()), "true");
  EXPECT_EQ(CastText(Value::BigInt(-9), LogicalType::Varchar()), "-9");
  EXPECT_EQ(CastText(Value::Real(1.5f), LogicalType::Varchar()), "1.5");
  EXPECT_EQ(CastText(Decimal("12.50", 5, 2), LogicalType::Varchar()), "12.50");
  EXPECT_EQ(CastText(Value::Date(0), LogicalType::Varchar()), "1970-01-01");
}

TEST(CastVectorTest, OtherPairsFallBackToValueCasts) {
  EXPECT_EQ(CastText(Value::Date(0), LogicalType::Timestamp()), "1970-01-01 00:00:00");
  EXPECT_EQ(CastText(Value::Integer(1), LogicalType::Boolean()), "t");
  EXPECT_EQ(CastText(Value::Boolean(true), LogicalType::Date()),
            "cannot cast type boolean to date");
}

TEST(CastVectorTest, DatesWidenToTimestampsUpToTheTimestampRange) {
  auto date = [](const char* text) { return Value::Date(types::ParseDate(text).value()); };
  EXPECT_EQ(CastText(date("1994-01-01"), LogicalType::Timestamp()), "1994-01-01 00:00:00");
  EXPECT_EQ(CastText(date("0044-03-15 BC"), LogicalType::Timestamp()), "0044-03-15 00:00:00 BC");
  EXPECT_EQ(CastText(date("4714-11-24 BC"), LogicalType::TimestampTz()),
            "4714-11-24 00:00:00+00 BC");
  EXPECT_EQ(CastText(date("infinity"), LogicalType::Timestamp()), "infinity");
  EXPECT_EQ(CastText(date("-infinity"), LogicalType::TimestampTz()), "-infinity");
  EXPECT_EQ(CastText(date("294246-12-31"), LogicalType::Timestamp()), "294246-12-31 00:00:00");
  EXPECT_EQ(CastText(date("5874897-12-31"), LogicalType::Timestamp()),
            "date out of range for timestamp");
  // Every row as the value cast gives it, NULLs in between.
  std::vector<Value> dates;
  for (int32_t days = -800'000; days <= 800'000; days += 7919) {
    dates.push_back(Value::Date(days));
    dates.push_back(Value::Null(LogicalType::Date()));
  }
  FunctionContext context;
  Result<Vector> cast = CastVector(context, MakeVector(LogicalType::Date(), dates),
                                   static_cast<int64_t>(dates.size()), LogicalType::Timestamp());
  ASSERT_TRUE(cast.ok()) << cast.status().ToString();
  for (size_t row = 0; row < dates.size(); ++row) {
    EXPECT_EQ(cast->GetValue(static_cast<int64_t>(row)).value(),
              types::CastValue(dates[row], LogicalType::Timestamp()).value());
  }
}

TEST(CastVectorTest, NullsStayNull) {
  FunctionContext context;
  Vector input =
      MakeVector(LogicalType::Varchar(), {Str("1"), Value::Null(LogicalType::Varchar())});
  Result<Vector> cast = CastVector(context, input, 2, LogicalType::Integer());
  ASSERT_TRUE(cast.ok());
  EXPECT_EQ(cast->GetValue(0).value(), Value::Integer(1));
  EXPECT_TRUE(cast->IsNull(1));
  Result<Vector> unknown = CastVector(context, MakeConstant(Value(), 3), 3, LogicalType::Date());
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->type(), LogicalType::Date());
  EXPECT_EQ(unknown->null_count(), 3);
}

}  // namespace
}  // namespace floe::sql
