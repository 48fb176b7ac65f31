#include "types/value.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "types/temporal.h"

namespace floe::types {
namespace {

LogicalType Numeric(int precision, int scale) {
  return LogicalType::Decimal(precision, scale).value();
}

std::shared_ptr<const LogicalType> Shared(LogicalType type) {
  return std::make_shared<const LogicalType>(std::move(type));
}

TEST(ValueTest, DefaultIsUnknownNull) {
  Value value;
  EXPECT_TRUE(value.is_null());
  EXPECT_EQ(value.type(), LogicalType::Null());
}

TEST(ValueTest, NullKeepsItsType) {
  Value value = Value::Null(LogicalType::Integer());
  EXPECT_TRUE(value.is_null());
  EXPECT_EQ(value.type(), LogicalType::Integer());
  EXPECT_EQ(value.ToString(), "NULL");
  EXPECT_NE(value, Value::Null(LogicalType::BigInt()));
  EXPECT_EQ(value, Value::Null(LogicalType::Integer()));
}

TEST(ValueTest, ScalarAccessorsAndText) {
  EXPECT_EQ(Value::Boolean(true).ToString(), "t");
  EXPECT_EQ(Value::Boolean(false).ToString(), "f");
  EXPECT_EQ(Value::SmallInt(-32768).ToString(), "-32768");
  EXPECT_EQ(Value::Integer(5).integer_value(), 5);
  EXPECT_EQ(Value::BigInt(std::numeric_limits<int64_t>::min()).ToString(), "-9223372036854775808");
  EXPECT_EQ(Value::Real(1.1f).ToString(), "1.1");
  EXPECT_EQ(Value::Double(0.1 + 0.2).ToString(), "0.30000000000000004");
  EXPECT_EQ(Value::Double(std::nan("")).ToString(), "NaN");
  EXPECT_EQ(Value::Double(-std::numeric_limits<double>::infinity()).ToString(), "-Infinity");
  EXPECT_EQ(Value::Decimal(1234, 10, 2).ToString(), "12.34");
  EXPECT_EQ(Value::Decimal(1234, 10, 2).type(), Numeric(10, 2));
  EXPECT_EQ(Value::Decimal(-5, 3, 3).ToString(), "-0.005");
  EXPECT_EQ(Value::Date(19724).ToString(), "2024-01-02");
  EXPECT_EQ(Value::Date(kDateInfinity).ToString(), "infinity");
  EXPECT_EQ(Value::Time(14706500000).ToString(), "04:05:06.5");
  EXPECT_EQ(Value::Timestamp(1704164645000000).ToString(), "2024-01-02 03:04:05");
  EXPECT_EQ(Value::TimestampTz(1704164645000000).ToString(), "2024-01-02 03:04:05+00");
  EXPECT_EQ(Value::Interval({14, 3, 0}).ToString(), "1 year 2 mons 3 days");
  EXPECT_EQ(Value::Varchar("a b").ToString(), "a b");
  EXPECT_EQ(Value::Bytea("\x0a\x0b").ToString(), "\\x0a0b");
  Uuid uuid;
  uuid.bytes[15] = 1;
  EXPECT_EQ(Value::Uuid(uuid).ToString(), "00000000-0000-0000-0000-000000000001");
}

TEST(ValueTest, ArraysPrintWithPostgresQuoting) {
  Value numbers = Value::List(LogicalType::Integer(), {Value::Integer(1), Value::Integer(2),
                                                       Value::Null(LogicalType::Integer())});
  EXPECT_EQ(numbers.type(), LogicalType::List(LogicalType::Integer()));
  EXPECT_EQ(numbers.ToString(), "{1,2,NULL}");
  Value strings = Value::List(
      LogicalType::Varchar(),
      {Value::Varchar("a b"), Value::Varchar(""), Value::Varchar("NULL"), Value::Varchar("x\"y"),
       Value::Varchar("c\\d"), Value::Varchar("plain"), Value::Null(LogicalType::Varchar()),
       Value::Varchar("{x}"), Value::Varchar("1,2")});
  EXPECT_EQ(strings.ToString(), R"({"a b","","NULL","x\"y","c\\d",plain,NULL,"{x}","1,2"})");
  EXPECT_EQ(Value::List(LogicalType::Integer(), {}).ToString(), "{}");
  Value nested =
      Value::List(LogicalType::List(LogicalType::Integer()),
                  {Value::List(LogicalType::Integer(), {Value::Integer(1), Value::Integer(2)}),
                   Value::List(LogicalType::Integer(), {Value::Integer(3), Value::Integer(4)})});
  EXPECT_EQ(nested.ToString(), "{{1,2},{3,4}}");
  EXPECT_EQ(
      Value::List(LogicalType::Boolean(), {Value::Boolean(true), Value::Boolean(false)}).ToString(),
      "{t,f}");
  EXPECT_EQ(Value::List(LogicalType::Interval(), {Value::Interval({0, 1, 0})}).ToString(),
            "{\"1 day\"}");
}

TEST(ValueTest, StructsPrintAsRecords) {
  LogicalType type = LogicalType::Struct({{"a", Shared(LogicalType::Integer())},
                                          {"b", Shared(LogicalType::Varchar())},
                                          {"c", Shared(LogicalType::Varchar())},
                                          {"d", Shared(LogicalType::Varchar())},
                                          {"e", Shared(LogicalType::Varchar())}});
  Value record = Value::Struct(
      type, {Value::Integer(1), Value::Varchar("abc"), Value::Null(LogicalType::Varchar()),
             Value::Varchar("a b"), Value::Varchar("")});
  EXPECT_EQ(record.ToString(), R"((1,abc,,"a b",""))");
  LogicalType pair_type = LogicalType::Struct(
      {{"a", Shared(LogicalType::Integer())}, {"b", Shared(LogicalType::Varchar())}});
  Value quoted = Value::Struct(pair_type, {Value::Integer(1), Value::Varchar("say \"hi\"\\")});
  EXPECT_EQ(quoted.ToString(), R"((1,"say ""hi""\\"))");
  Value in_array =
      Value::List(pair_type, {Value::Struct(pair_type, {Value::Integer(1), Value::Varchar("x")})});
  EXPECT_EQ(in_array.ToString(), R"text({"(1,x)"})text");
  LogicalType mixed =
      LogicalType::Struct({{"a", Shared(LogicalType::Boolean())}, {"b", Shared(Numeric(3, 1))}});
  EXPECT_EQ(Value::Struct(mixed, {Value::Boolean(true), Value::Decimal(15, 3, 1)}).ToString(),
            "(t,1.5)");
}

TEST(ValueTest, MapsPrintAsKeyValuePairs) {
  LogicalType type = LogicalType::Map(LogicalType::Varchar(), LogicalType::Integer());
  Value map = Value::Map(type, {{Value::Varchar("a"), Value::Integer(1)},
                                {Value::Varchar("b"), Value::Null(LogicalType::Integer())}});
  ASSERT_EQ(map.map_size(), 2u);
  EXPECT_EQ(map.map_key(1).string_value(), "b");
  EXPECT_TRUE(map.map_value(1).is_null());
  EXPECT_EQ(map.ToString(), "{a=1, b=NULL}");
}

TEST(ValueTest, CompareOrdersNullsLast) {
  Value null = Value::Null(LogicalType::Integer());
  EXPECT_LT(Value::Integer(std::numeric_limits<int32_t>::max()).Compare(null), 0);
  EXPECT_GT(null.Compare(Value::Integer(0)), 0);
  EXPECT_EQ(null.Compare(null), 0);
  EXPECT_LT(Value::Integer(-1).Compare(Value::Integer(1)), 0);
  EXPECT_LT(Value::Varchar("a").Compare(Value::Varchar("b")), 0);
  EXPECT_LT(Value::Varchar("a").Compare(Value::Varchar("\xc3\xa9")), 0);
  EXPECT_LT(Value::Boolean(false).Compare(Value::Boolean(true)), 0);
}

TEST(ValueTest, CompareFloatsAsPostgres) {
  Value nan = Value::Double(std::nan(""));
  Value infinity = Value::Double(std::numeric_limits<double>::infinity());
  EXPECT_GT(nan.Compare(infinity), 0);
  EXPECT_EQ(nan.Compare(Value::Double(-std::nan(""))), 0);
  EXPECT_EQ(nan, Value::Double(std::nan("")));
  EXPECT_EQ(Value::Double(-0.0), Value::Double(0.0));
  EXPECT_EQ(Value::Double(-0.0).Hash(), Value::Double(0.0).Hash());
  EXPECT_EQ(nan.Hash(), Value::Double(-std::nan("")).Hash());
  EXPECT_LT(Value::Real(1.0f).Compare(Value::Real(2.0f)), 0);
}

TEST(ValueTest, CompareDecimalsAcrossScales) {
  EXPECT_EQ(Value::Decimal(150, 5, 2).Compare(Value::Decimal(15, 5, 1)), 0);
  EXPECT_LT(Value::Decimal(149, 5, 2).Compare(Value::Decimal(15, 5, 1)), 0);
  EXPECT_GT(Value::Decimal(-1, 38, 38).Compare(Value::Decimal(-1, 38, 0)), 0);
  // Same number, different types: ordered equal but not the same constant.
  EXPECT_NE(Value::Decimal(150, 5, 2), Value::Decimal(15, 5, 1));
}

TEST(ValueTest, CompareNestedLexicographically) {
  auto list = [](std::vector<Value> elements) {
    return Value::List(LogicalType::Integer(), std::move(elements));
  };
  EXPECT_LT(list({Value::Integer(1), Value::Integer(2)})
                .Compare(list({Value::Integer(1), Value::Integer(3)})),
            0);
  EXPECT_LT(list({Value::Integer(1)}).Compare(list({Value::Integer(1), Value::Integer(0)})), 0);
  EXPECT_GT(list({Value::Null(LogicalType::Integer())}).Compare(list({Value::Integer(9)})), 0);
  EXPECT_EQ(list({Value::Integer(1)}), list({Value::Integer(1)}));
  EXPECT_EQ(list({Value::Integer(1)}).Hash(), list({Value::Integer(1)}).Hash());
}

TEST(ValueTest, IntervalsEqualByLength) {
  Value month = Value::Interval({1, 0, 0});
  Value thirty_days = Value::Interval({0, 30, 0});
  EXPECT_EQ(month, thirty_days);
  EXPECT_EQ(month.Hash(), thirty_days.Hash());
  EXPECT_LT(Value::Interval({0, 0, 1}).Compare(Value::Interval({0, 1, 0})), 0);
}

TEST(ValueTest, HashSeparatesValuesAndTypes) {
  EXPECT_EQ(Value::Varchar("abc").Hash(), Value::Varchar("abc").Hash());
  EXPECT_NE(Value::Varchar("abc").Hash(), Value::Varchar("abd").Hash());
  EXPECT_NE(Value::Integer(1).Hash(), Value::BigInt(1).Hash());
  EXPECT_NE(Value::Integer(1), Value::BigInt(1));
  EXPECT_EQ(Value::Decimal(5, 20, 0).Hash(), Value::Decimal(5, 20, 0).Hash());
}

}  // namespace
}  // namespace floe::types
