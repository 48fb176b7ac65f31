#include <gtest/gtest.h>

#include "function_test_harness.h"
#include "types/interval.h"

namespace floe::sql {
namespace {

using namespace floe::sql::testing;  // NOLINT(google-build-using-namespace)

const Value kNullInteger = Value::Null(LogicalType::Integer());

std::vector<Value> Integers() {
  return {Value::Integer(1), Value::Integer(2), kNullInteger, Value::Integer(4)};
}

TEST(AggregateTest, CountSumAvgMinMaxSkipNulls) {
  // PostgreSQL: 7 | 2.3333333333333333 | 3 | 4 | 1 | 4 (avg shows 6 digits in Floe).
  EXPECT_EQ(AggregateText("sum", LogicalType::Integer(), Integers()), "7");
  EXPECT_EQ(AggregateText("avg", LogicalType::Integer(), Integers()), "2.333333");
  EXPECT_EQ(AggregateText("count", LogicalType::Integer(), Integers()), "3");
  EXPECT_EQ(AggregateText("min", LogicalType::Integer(), Integers()), "1");
  EXPECT_EQ(AggregateText("max", LogicalType::Integer(), Integers()), "4");
  Result<std::vector<Value>> star = Aggregate("count", {}, {0, 0, 0, 0}, 1);
  ASSERT_TRUE(star.ok());
  EXPECT_EQ((*star)[0], Value::BigInt(4));
}

TEST(AggregateTest, EmptyInputGivesNullOrZero) {
  std::vector<Value> nulls = {kNullInteger, kNullInteger};
  EXPECT_EQ(AggregateText("sum", LogicalType::Integer(), nulls), "NULL");
  EXPECT_EQ(AggregateText("avg", LogicalType::Integer(), nulls), "NULL");
  EXPECT_EQ(AggregateText("max", LogicalType::Integer(), nulls), "NULL");
  EXPECT_EQ(AggregateText("count", LogicalType::Integer(), nulls), "0");
}

TEST(AggregateTest, DecimalsSumExactly) {
  LogicalType money = LogicalType::Decimal(15, 2).value();
  std::vector<Value> values = {Decimal("1.25", 15, 2), Decimal("2.50", 15, 2), Value::Null(money)};
  // PostgreSQL: 3.75 | 1.8750000000000000 | 1.25 | 2.50.
  EXPECT_EQ(AggregateText("sum", money, values), "3.75");
  EXPECT_EQ(AggregateText("avg", money, values), "1.875000");
  EXPECT_EQ(AggregateText("min", money, values), "1.25");
  EXPECT_EQ(AggregateText("max", money, values), "2.50");
  LogicalType wide = LogicalType::Decimal(38, 0).value();
  std::vector<Value> huge = {Decimal("99999999999999999999999999999999999999", 38, 0),
                             Decimal("1", 38, 0)};
  EXPECT_TRUE(AggregateText("sum", wide, huge).starts_with("error: numeric field overflow"));
}

TEST(AggregateTest, IntegerSumsWiden) {
  // PostgreSQL: sum of int4 2147483647 + 1 is 2147483648 (bigint); of int8 it is numeric.
  EXPECT_EQ(
      AggregateText("sum", LogicalType::Integer(), {Value::Integer(2147483647), Value::Integer(1)}),
      "2147483648");
  EXPECT_EQ(
      AggregateText("sum", LogicalType::BigInt(), {Value::BigInt(INT64_MAX), Value::BigInt(1)}),
      "9223372036854775808");
}

TEST(AggregateTest, FloatsAndIntervals) {
  EXPECT_EQ(AggregateText("sum", LogicalType::Real(), {Value::Real(1.5f), Value::Real(2.5f)}), "4");
  EXPECT_EQ(AggregateText("avg", LogicalType::Real(), {Value::Real(1.5f), Value::Real(2.5f)}), "2");
  EXPECT_EQ(
      AggregateText("sum", LogicalType::Double(), {Value::Double(1e308), Value::Double(1e308)}),
      "error: value out of range: overflow");
  std::vector<Value> intervals = {Value::Interval(types::ParseInterval("1 day").value()),
                                  Value::Interval(types::ParseInterval("2 hours").value())};
  EXPECT_EQ(AggregateText("sum", LogicalType::Interval(), intervals), "1 day 02:00:00");
  EXPECT_EQ(AggregateText("avg", LogicalType::Interval(), intervals), "13:00:00");
}

TEST(AggregateTest, TextMinMaxAndStringAgg) {
  std::vector<Value> fruit = {Str("apple"), Str("Banana"), Str("cherry"),
                              Value::Null(LogicalType::Varchar())};
  EXPECT_EQ(AggregateText("max", LogicalType::Varchar(), fruit), "cherry");
  EXPECT_EQ(AggregateText("min", LogicalType::Varchar(), fruit), "Banana");
  Vector text = MakeVector(LogicalType::Varchar(),
                           {Str("a"), Str("b"), Value::Null(LogicalType::Varchar()), Str("c")});
  Result<std::vector<Value>> joined =
      Aggregate("string_agg", {text, MakeConstant(Str(","), 4)}, {0, 0, 0, 0}, 1);
  ASSERT_TRUE(joined.ok()) << joined.status().ToString();
  EXPECT_EQ((*joined)[0].ToString(), "a,b,c");
  Result<std::vector<Value>> array = Aggregate("array_agg", {text}, {0, 0, 0, 0}, 1);
  ASSERT_TRUE(array.ok());
  EXPECT_EQ((*array)[0].ToString(), "{a,b,NULL,c}");
}

TEST(AggregateTest, BooleanAndBitAggregates) {
  std::vector<Value> flags = {Value::Boolean(true), Value::Boolean(false),
                              Value::Null(LogicalType::Boolean())};
  EXPECT_EQ(AggregateText("bool_and", LogicalType::Boolean(), flags), "f");
  EXPECT_EQ(AggregateText("bool_or", LogicalType::Boolean(), flags), "t");
  EXPECT_EQ(AggregateText("every", LogicalType::Boolean(), {Value::Boolean(true)}), "t");
  std::vector<Value> bits = {Value::Integer(12), Value::Integer(10), kNullInteger};
  EXPECT_EQ(AggregateText("bit_and", LogicalType::Integer(), bits), "8");
  EXPECT_EQ(AggregateText("bit_or", LogicalType::Integer(), bits), "14");
}

TEST(AggregateTest, StatisticsAreStable) {
  std::vector<Value> values = {Value::Double(1), Value::Double(2), Value::Double(3),
                               Value::Double(4)};
  // PostgreSQL: 1.2909944487358056 | 1.118033988749895 | 1.6666666666666667 | 1.25.
  EXPECT_EQ(AggregateText("stddev", LogicalType::Double(), values), "1.2909944487358056");
  EXPECT_EQ(AggregateText("stddev_pop", LogicalType::Double(), values), "1.118033988749895");
  EXPECT_EQ(AggregateText("variance", LogicalType::Double(), values), "1.6666666666666667");
  EXPECT_EQ(AggregateText("var_pop", LogicalType::Double(), values), "1.25");
  EXPECT_EQ(AggregateText("var_samp", LogicalType::Double(), {Value::Double(5)}), "NULL");
  // Large offsets cancel catastrophically in a sum of squares, not with Welford's method.
  std::vector<Value> shifted;
  for (double value : {1.0, 2.0, 3.0, 4.0}) {
    shifted.push_back(Value::Double(1e9 + value));
  }
  EXPECT_EQ(AggregateText("var_pop", LogicalType::Double(), shifted), "1.25");
  Vector x =
      MakeVector(LogicalType::Double(), {Value::Double(1), Value::Double(2), Value::Double(3)});
  Vector y =
      MakeVector(LogicalType::Double(), {Value::Double(2), Value::Double(4.5), Value::Double(5.5)});
  // PostgreSQL: corr(y, x) 0.9707253433941511, covar_pop 1.1666666666666667, covar_samp 1.75.
  Result<std::vector<Value>> corr = Aggregate("corr", {y, x}, {0, 0, 0}, 1);
  ASSERT_TRUE(corr.ok());
  EXPECT_NEAR((*corr)[0].double_value(), 0.9707253433941511, 1e-15);
  EXPECT_NEAR(Aggregate("covar_pop", {y, x}, {0, 0, 0}, 1).value()[0].double_value(),
              1.1666666666666667, 1e-15);
  EXPECT_NEAR(Aggregate("covar_samp", {y, x}, {0, 0, 0}, 1).value()[0].double_value(), 1.75, 1e-15);
}

TEST(AggregateTest, Regressions) {
  // PostgreSQL 15 over (x, y) = (1, 2), (2, 4.5), (3, 5.5), (NULL, 1): 3 | 1.75 | 0.5 |
  // 0.9423076923076923 | 2 | 4 | 2 | 6.5 | 3.5.
  Vector x = MakeVector(
      LogicalType::Double(),
      {Value::Double(1), Value::Double(2), Value::Double(3), Value::Null(LogicalType::Double())});
  Vector y = MakeVector(LogicalType::Double(), {Value::Double(2), Value::Double(4.5),
                                                Value::Double(5.5), Value::Double(1)});
  auto regr = [&](const char* name) {
    Result<std::vector<Value>> result = Aggregate(name, {y, x}, {0, 0, 0, 0}, 1);
    return result.ok() ? (*result)[0].ToString() : std::string(result.status().message());
  };
  EXPECT_EQ(regr("regr_count"), "3");
  EXPECT_EQ(regr("regr_slope"), "1.75");
  EXPECT_EQ(regr("regr_intercept"), "0.5");
  EXPECT_EQ(regr("regr_r2"), "0.9423076923076923");
  EXPECT_EQ(regr("regr_avgx"), "2");
  EXPECT_EQ(regr("regr_avgy"), "4");
  EXPECT_EQ(regr("regr_sxx"), "2");
  EXPECT_EQ(regr("regr_syy"), "6.5");
  EXPECT_EQ(regr("regr_sxy"), "3.5");
  Vector none = MakeVector(LogicalType::Double(), {Value::Null(LogicalType::Double())});
  Result<std::vector<Value>> empty = Aggregate("regr_count", {none, none}, {0}, 1);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)[0], Value::BigInt(0));
}

TEST(AggregateTest, GroupsAndCombineKeepRowsApart) {
  Vector values =
      MakeVector(LogicalType::BigInt(), {Value::BigInt(1), Value::BigInt(10), Value::BigInt(2),
                                         Value::BigInt(20), Value::BigInt(3), Value::BigInt(30)});
  Result<std::vector<Value>> sums = Aggregate("sum", {values}, {0, 1, 0, 1, 0, 1}, 2);
  ASSERT_TRUE(sums.ok());
  EXPECT_EQ((*sums)[0].ToString(), "6");
  EXPECT_EQ((*sums)[1].ToString(), "60");
  Result<std::vector<Value>> maxima = Aggregate("max", {values}, {0, 1, 0, 1, 0, 1}, 2);
  ASSERT_TRUE(maxima.ok());
  EXPECT_EQ((*maxima)[0], Value::BigInt(3));
  EXPECT_EQ((*maxima)[1], Value::BigInt(30));
  // Constant and dictionary inputs.
  Result<std::vector<Value>> constant =
      Aggregate("sum", {MakeConstant(Value::Integer(5), 4)}, {0, 0, 1, 1}, 2);
  ASSERT_TRUE(constant.ok());
  EXPECT_EQ((*constant)[1], Value::BigInt(10));
  Vector dictionary = MakeDictionary(LogicalType::Varchar(), {Str("x"), Str("y")}, {1, 0, 1, 0});
  Result<std::vector<Value>> smallest = Aggregate("min", {dictionary}, {0, 0, 0, 0}, 1);
  ASSERT_TRUE(smallest.ok());
  EXPECT_EQ((*smallest)[0].ToString(), "x");
}

}  // namespace
}  // namespace floe::sql
