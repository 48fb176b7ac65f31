#include "types/cast.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "types/decimal.h"
#include "types/temporal.h"
#include "types/value.h"

namespace floe::types {
namespace {

LogicalType Numeric(int precision, int scale) {
  return LogicalType::Decimal(precision, scale).value();
}

Value Cast(const Value& value, const LogicalType& target) {
  Result<Value> result = CastValue(value, target);
  EXPECT_TRUE(result.ok()) << value.ToString() << " -> " << target.ToString() << ": "
                           << result.status().ToString();
  return result.ValueOr(Value());
}

std::string CastText(std::string_view text, const LogicalType& target) {
  return Cast(Value::Varchar(std::string(text)), target).ToString();
}

Status CastError(const Value& value, const LogicalType& target) {
  Result<Value> result = CastValue(value, target);
  EXPECT_FALSE(result.ok()) << value.ToString() << " -> " << target.ToString();
  return result.ok() ? Status::OK() : result.status();
}

Status TextError(std::string_view text, const LogicalType& target) {
  return CastError(Value::Varchar(std::string(text)), target);
}

TEST(CastTest, IntegerNarrowingAtTheLimits) {
  EXPECT_EQ(Cast(Value::Integer(32767), LogicalType::SmallInt()), Value::SmallInt(32767));
  EXPECT_EQ(Cast(Value::Integer(-32768), LogicalType::SmallInt()), Value::SmallInt(-32768));
  Status too_big = CastError(Value::Integer(32768), LogicalType::SmallInt());
  EXPECT_EQ(too_big.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(too_big.sql_state(), "22003");
  EXPECT_EQ(too_big.message(), "smallint out of range");
  EXPECT_EQ(CastError(Value::Integer(-32769), LogicalType::SmallInt()).message(),
            "smallint out of range");
  EXPECT_EQ(Cast(Value::BigInt(2147483647), LogicalType::Integer()), Value::Integer(2147483647));
  EXPECT_EQ(CastError(Value::BigInt(2147483648), LogicalType::Integer()).message(),
            "integer out of range");
  EXPECT_EQ(CastError(Value::BigInt(-2147483649), LogicalType::Integer()).message(),
            "integer out of range");
  EXPECT_EQ(Cast(Value::SmallInt(-5), LogicalType::BigInt()), Value::BigInt(-5));
}

TEST(CastTest, FloatToIntegerRoundsHalfToEven) {
  EXPECT_EQ(Cast(Value::Double(2.5), LogicalType::Integer()), Value::Integer(2));
  EXPECT_EQ(Cast(Value::Double(3.5), LogicalType::Integer()), Value::Integer(4));
  EXPECT_EQ(Cast(Value::Double(-2.5), LogicalType::Integer()), Value::Integer(-2));
  EXPECT_EQ(Cast(Value::Double(2147483646.5), LogicalType::Integer()), Value::Integer(2147483646));
  EXPECT_EQ(Cast(Value::Double(-2147483648.5), LogicalType::Integer()),
            Value::Integer(-2147483648));
  EXPECT_EQ(Cast(Value::Real(-32768.5f), LogicalType::SmallInt()), Value::SmallInt(-32768));
  EXPECT_EQ(CastError(Value::Double(2147483647.5), LogicalType::Integer()).message(),
            "integer out of range");
  EXPECT_EQ(CastError(Value::Double(std::nan("")), LogicalType::Integer()).message(),
            "integer out of range");
  EXPECT_EQ(CastError(Value::Double(std::numeric_limits<double>::infinity()), LogicalType::BigInt())
                .message(),
            "bigint out of range");
  EXPECT_EQ(CastError(Value::Double(9223372036854775807.0), LogicalType::BigInt()).message(),
            "bigint out of range");
  EXPECT_EQ(Cast(Value::Double(-9223372036854775808.0), LogicalType::BigInt()),
            Value::BigInt(std::numeric_limits<int64_t>::min()));
}

TEST(CastTest, NumericToIntegerRoundsHalfAwayFromZero) {
  EXPECT_EQ(Cast(Value::Decimal(25, 2, 1), LogicalType::Integer()), Value::Integer(3));
  EXPECT_EQ(Cast(Value::Decimal(-25, 2, 1), LogicalType::Integer()), Value::Integer(-3));
  EXPECT_EQ(Cast(Value::Decimal(327665, 6, 1), LogicalType::SmallInt()), Value::SmallInt(32767));
  EXPECT_EQ(CastError(Value::Decimal(327675, 6, 1), LogicalType::SmallInt()).message(),
            "smallint out of range");
  EXPECT_EQ(CastError(Value::Decimal(PowerOfTen(37), 38, 0), LogicalType::BigInt()).message(),
            "bigint out of range");
}

TEST(CastTest, ToDecimalRoundsAndChecksPrecision) {
  EXPECT_EQ(Cast(Value::Integer(42), Numeric(5, 2)).ToString(), "42.00");
  EXPECT_EQ(CastError(Value::Integer(1000), Numeric(5, 2)).message(),
            "numeric field overflow: A field with precision 5, scale 2 must round to an absolute "
            "value less than 10^3.");
  EXPECT_EQ(Cast(Value::Decimal(2675, 5, 3), Numeric(5, 2)).ToString(), "2.68");
  EXPECT_EQ(Cast(Value::Decimal(-2675, 5, 3), Numeric(5, 2)).ToString(), "-2.68");
  EXPECT_EQ(Cast(Value::Double(2.675), Numeric(5, 2)).ToString(), "2.68");
  EXPECT_EQ(Cast(Value::Real(0.1f), Numeric(10, 5)).ToString(), "0.10000");
  EXPECT_EQ(Cast(Value::Real(123456789.123f), Numeric(20, 0)).ToString(), "123457000");
  EXPECT_EQ(Cast(Value::Double(1e20), Numeric(38, 0)).ToString(), "100000000000000000000");
  EXPECT_EQ(
      CastError(Value::Double(std::numeric_limits<double>::infinity()), Numeric(10, 2)).message(),
      "numeric field overflow: A field with precision 10, scale 2 cannot hold an infinite "
      "value.");
  EXPECT_FALSE(CastValue(Value::Double(std::nan("")), Numeric(10, 2)).ok());
  EXPECT_EQ(CastText("99999999999999999999999999999999999999", Numeric(38, 0)),
            "99999999999999999999999999999999999999");
  EXPECT_EQ(TextError("999999999999999999999999999999999999999", Numeric(38, 0)).message(),
            "numeric field overflow: A field with precision 38, scale 0 must round to an "
            "absolute value less than 10^38.");
}

TEST(CastTest, FloatWideningAndNarrowing) {
  EXPECT_EQ(Cast(Value::Real(0.1f), LogicalType::Double()).ToString(), "0.10000000149011612");
  EXPECT_EQ(Cast(Value::Double(1.5), LogicalType::Real()), Value::Real(1.5f));
  Status overflow = CastError(Value::Double(1e300), LogicalType::Real());
  EXPECT_EQ(overflow.message(), "value out of range: overflow");
  EXPECT_EQ(overflow.sql_state(), "22003");
  EXPECT_EQ(CastError(Value::Double(1e-300), LogicalType::Real()).message(),
            "value out of range: underflow");
  EXPECT_EQ(
      Cast(Value::Double(std::numeric_limits<double>::infinity()), LogicalType::Real()).ToString(),
      "Infinity");
  EXPECT_EQ(Cast(Value::Decimal(15, 3, 1), LogicalType::Double()), Value::Double(1.5));
  EXPECT_EQ(Cast(Value::Decimal(1, 10, 1), LogicalType::Real()), Value::Real(0.1f));
  EXPECT_EQ(Cast(Value::BigInt(1), LogicalType::Double()), Value::Double(1.0));
}

TEST(CastTest, TextToIntegers) {
  EXPECT_EQ(Cast(Value::Varchar(" 12 "), LogicalType::Integer()), Value::Integer(12));
  Status syntax = TextError("abc", LogicalType::Integer());
  EXPECT_EQ(syntax.code(), StatusCode::kInvalidCast);
  EXPECT_EQ(syntax.sql_state(), "22P02");
  EXPECT_EQ(syntax.message(), "invalid input syntax for type integer: \"abc\"");
  EXPECT_EQ(TextError("32768", LogicalType::SmallInt()).message(),
            "value \"32768\" is out of range for type smallint");
  EXPECT_EQ(TextError("1.5", LogicalType::BigInt()).message(),
            "invalid input syntax for type bigint: \"1.5\"");
}

TEST(CastTest, TextToBoolean) {
  for (std::string_view text : {"t", "true", " TRUE ", "yes", "on", "1"}) {
    EXPECT_EQ(Cast(Value::Varchar(std::string(text)), LogicalType::Boolean()),
              Value::Boolean(true));
  }
  for (std::string_view text : {"f", "false", "No", "off", "0"}) {
    EXPECT_EQ(Cast(Value::Varchar(std::string(text)), LogicalType::Boolean()),
              Value::Boolean(false));
  }
  EXPECT_EQ(TextError("maybe", LogicalType::Boolean()).message(),
            "invalid input syntax for type boolean: \"maybe\"");
}

TEST(CastTest, TextToEveryScalar) {
  EXPECT_EQ(CastText("1.5e3", LogicalType::Double()), "1500");
  EXPECT_EQ(CastText("-Infinity", LogicalType::Real()), "-Infinity");
  EXPECT_EQ(CastText("2.675", Numeric(5, 2)), "2.68");
  EXPECT_EQ(CastText("2000-02-29", LogicalType::Date()), "2000-02-29");
  EXPECT_EQ(CastText("infinity", LogicalType::Date()), "infinity");
  EXPECT_EQ(CastText("04:05:06.5", LogicalType::Time()), "04:05:06.5");
  EXPECT_EQ(CastText("2024-01-02T03:04:05", LogicalType::Timestamp()), "2024-01-02 03:04:05");
  EXPECT_EQ(CastText("2024-01-02 03:04:05+05:30", LogicalType::TimestampTz()),
            "2024-01-01 21:34:05+00");
  EXPECT_EQ(CastText("1 day ago", LogicalType::Interval()), "-1 days");
  EXPECT_EQ(CastText("{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}", LogicalType::Uuid()),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(CastText("abc", LogicalType::Bytea()), "\\x616263");
  EXPECT_EQ(CastText("\\x41", LogicalType::Bytea()), "\\x41");
  EXPECT_EQ(CastText("{1,2,NULL}", LogicalType::List(LogicalType::SmallInt())), "{1,2,NULL}");
  EXPECT_EQ(TextError("{1,40000}", LogicalType::List(LogicalType::SmallInt())).message(),
            "value \"40000\" is out of range for type smallint");
  EXPECT_EQ(
      TextError("{a=1}", LogicalType::Map(LogicalType::Varchar(), LogicalType::Integer())).code(),
      StatusCode::kNotSupported);
  EXPECT_EQ(TextError("1900-02-29", LogicalType::Date()).message(),
            "date/time field value out of range: \"1900-02-29\"");
  EXPECT_EQ(TextError("abc", LogicalType::Date()).sql_state(), "22007");
  EXPECT_EQ(TextError("x", Numeric(5, 2)).message(),
            "invalid input syntax for type numeric: \"x\"");
  EXPECT_EQ(TextError("zz", LogicalType::Uuid()).message(),
            "invalid input syntax for type uuid: \"zz\"");
}

TEST(CastTest, AnythingToText) {
  EXPECT_EQ(Cast(Value::Boolean(true), LogicalType::Varchar()), Value::Varchar("true"));
  EXPECT_EQ(Cast(Value::Boolean(false), LogicalType::Varchar()), Value::Varchar("false"));
  EXPECT_EQ(Cast(Value::Integer(-7), LogicalType::Varchar()), Value::Varchar("-7"));
  EXPECT_EQ(Cast(Value::Double(1e15), LogicalType::Varchar()), Value::Varchar("1e+15"));
  EXPECT_EQ(Cast(Value::Decimal(100, 5, 2), LogicalType::Varchar()), Value::Varchar("1.00"));
  EXPECT_EQ(Cast(Value::Date(kDateNegativeInfinity), LogicalType::Varchar()),
            Value::Varchar("-infinity"));
  EXPECT_EQ(Cast(Value::Bytea("\x0a"), LogicalType::Varchar()), Value::Varchar("\\x0a"));
  Value list = Value::List(LogicalType::Boolean(),
                           {Value::Boolean(true), Value::Null(LogicalType::Boolean())});
  EXPECT_EQ(Cast(list, LogicalType::Varchar()), Value::Varchar("{t,NULL}"));
}

TEST(CastTest, BooleanAndInteger) {
  EXPECT_EQ(Cast(Value::Integer(5), LogicalType::Boolean()), Value::Boolean(true));
  EXPECT_EQ(Cast(Value::Integer(0), LogicalType::Boolean()), Value::Boolean(false));
  EXPECT_EQ(Cast(Value::Boolean(true), LogicalType::Integer()), Value::Integer(1));
  Status smallint = CastError(Value::SmallInt(1), LogicalType::Boolean());
  EXPECT_EQ(smallint.message(), "cannot cast type smallint to boolean");
  EXPECT_EQ(smallint.sql_state(), "42846");
  EXPECT_EQ(CastError(Value::Boolean(true), LogicalType::BigInt()).message(),
            "cannot cast type boolean to bigint");
}

TEST(CastTest, DisallowedCasts) {
  Status status = CastError(Value::Boolean(true), LogicalType::Date());
  EXPECT_EQ(status.code(), StatusCode::kInvalidCast);
  EXPECT_EQ(status.sql_state(), "42846");
  EXPECT_EQ(status.message(), "cannot cast type boolean to date");
  EXPECT_EQ(CastError(Value::Date(0), LogicalType::Integer()).message(),
            "cannot cast type date to integer");
  EXPECT_EQ(CastError(Value::Time(0), LogicalType::Timestamp()).message(),
            "cannot cast type time without time zone to timestamp without time zone");
  EXPECT_EQ(CastError(Value::Integer(1), LogicalType::Uuid()).message(),
            "cannot cast type integer to uuid");
  // A typed NULL is still checked: the cast itself does not exist.
  EXPECT_EQ(CastError(Value::Null(LogicalType::Boolean()), LogicalType::Date()).message(),
            "cannot cast type boolean to date");
  EXPECT_FALSE(
      CanCast(LogicalType::List(LogicalType::Date()), LogicalType::List(LogicalType::Integer())));
}

TEST(CastTest, NullsCastToNullOfTarget) {
  Value result = Cast(Value(), LogicalType::Date());
  EXPECT_TRUE(result.is_null());
  EXPECT_EQ(result.type(), LogicalType::Date());
  Value typed = Cast(Value::Null(LogicalType::Integer()), LogicalType::SmallInt());
  EXPECT_TRUE(typed.is_null());
  EXPECT_EQ(typed.type(), LogicalType::SmallInt());
  EXPECT_TRUE(Cast(Value::Null(LogicalType::Integer()), LogicalType::Varchar()).is_null());
}

TEST(CastTest, DatesAndTimestamps) {
  int64_t micros = ParseTimestamp("2024-01-02 03:04:05").value();
  EXPECT_EQ(Cast(Value::Date(19724), LogicalType::Timestamp()).ToString(), "2024-01-02 00:00:00");
  EXPECT_EQ(Cast(Value::Date(19724), LogicalType::TimestampTz()).ToString(),
            "2024-01-02 00:00:00+00");
  EXPECT_EQ(Cast(Value::Date(kDateInfinity), LogicalType::Timestamp()).ToString(), "infinity");
  EXPECT_EQ(Cast(Value::Timestamp(micros), LogicalType::Date()).ToString(), "2024-01-02");
  EXPECT_EQ(Cast(Value::Timestamp(-1), LogicalType::Date()).ToString(), "1969-12-31");
  EXPECT_EQ(Cast(Value::Timestamp(micros), LogicalType::TimestampTz()).ToString(),
            "2024-01-02 03:04:05+00");
  EXPECT_EQ(Cast(Value::TimestampTz(micros), LogicalType::Timestamp()).ToString(),
            "2024-01-02 03:04:05");
  EXPECT_EQ(Cast(Value::TimestampTz(micros), LogicalType::Time()).ToString(), "03:04:05");
  EXPECT_EQ(Cast(Value::TimestampTz(kTimestampNegativeInfinity), LogicalType::Date()).ToString(),
            "-infinity");
  EXPECT_TRUE(Cast(Value::Timestamp(kTimestampInfinity), LogicalType::Time()).is_null());
  EXPECT_EQ(Cast(Value::Time(kMicrosPerHour), LogicalType::Interval()).ToString(), "01:00:00");
  EXPECT_EQ(Cast(Value::Interval({0, 1, 25 * kMicrosPerHour}), LogicalType::Time()).ToString(),
            "01:00:00");
  EXPECT_EQ(Cast(Value::Interval({0, 0, -kMicrosPerHour}), LogicalType::Time()).ToString(),
            "23:00:00");
}

TEST(CastTest, NestedCastsElementWise) {
  Value list =
      Value::List(LogicalType::Integer(),
                  {Value::Integer(1), Value::Null(LogicalType::Integer()), Value::Integer(32767)});
  Value cast = Cast(list, LogicalType::List(LogicalType::SmallInt()));
  EXPECT_EQ(cast.type(), LogicalType::List(LogicalType::SmallInt()));
  EXPECT_EQ(cast.ToString(), "{1,NULL,32767}");
  EXPECT_EQ(Cast(list, LogicalType::List(LogicalType::Varchar())).ToString(), "{1,NULL,32767}");
  Value too_big = Value::List(LogicalType::Integer(), {Value::Integer(40000)});
  EXPECT_EQ(CastError(too_big, LogicalType::List(LogicalType::SmallInt())).message(),
            "smallint out of range");

  auto field = [](std::string name, LogicalType type) {
    return StructField{std::move(name), std::make_shared<const LogicalType>(std::move(type))};
  };
  LogicalType source = LogicalType::Struct({field("a", LogicalType::Integer())});
  LogicalType target = LogicalType::Struct({field("a", LogicalType::Double())});
  EXPECT_EQ(Cast(Value::Struct(source, {Value::Integer(2)}), target).ToString(), "(2)");
  LogicalType wider =
      LogicalType::Struct({field("a", LogicalType::Double()), field("b", LogicalType::Double())});
  EXPECT_EQ(CastError(Value::Struct(source, {Value::Integer(2)}), wider).code(),
            StatusCode::kInvalidCast);

  LogicalType map_type = LogicalType::Map(LogicalType::Varchar(), LogicalType::Integer());
  Value map = Value::Map(map_type, {{Value::Varchar("k"), Value::Integer(1)}});
  Value cast_map = Cast(map, LogicalType::Map(LogicalType::Varchar(), LogicalType::BigInt()));
  EXPECT_EQ(cast_map.map_value(0), Value::BigInt(1));
}

}  // namespace
}  // namespace floe::types
