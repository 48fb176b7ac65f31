#include <cmath>

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

TEST(ArithmeticTest, IntegersFollowPostgres) {
  EXPECT_EQ(Text("+", {Value::Integer(2), Value::Integer(3)}), "5");
  EXPECT_EQ(Text("-", {Value::BigInt(2), Value::Integer(3)}), "-1");
  EXPECT_EQ(Text("*", {Value::SmallInt(5), Value::SmallInt(3)}), "15");
  // Division truncates toward zero; % takes the dividend's sign (PostgreSQL: -3, -1, 1).
  EXPECT_EQ(Text("/", {Value::Integer(-7), Value::Integer(2)}), "-3");
  EXPECT_EQ(Text("%", {Value::Integer(-7), Value::Integer(2)}), "-1");
  EXPECT_EQ(Text("%", {Value::Integer(7), Value::Integer(-2)}), "1");
  EXPECT_EQ(Text("mod", {Value::Integer(-7), Value::Integer(3)}), "-1");
  EXPECT_EQ(Text("-", {Value::Integer(5)}), "-5");
  EXPECT_EQ(Text("+", {Value::Null(LogicalType::Integer()), Value::Integer(3)}), "NULL");
}

TEST(ArithmeticTest, IntegerOverflowAndDivisionByZeroFail) {
  EXPECT_EQ(ErrorOf("+", {Value::Integer(2147483647), Value::Integer(1)}), "integer out of range");
  EXPECT_EQ(ErrorOf("+", {Value::SmallInt(32767), Value::SmallInt(1)}), "smallint out of range");
  EXPECT_EQ(ErrorOf("*", {Value::BigInt(INT64_MAX), Value::BigInt(2)}), "bigint out of range");
  EXPECT_EQ(ErrorOf("/", {Value::Integer(INT32_MIN), Value::Integer(-1)}), "integer out of range");
  EXPECT_EQ(ErrorOf("-", {Value::Integer(INT32_MIN)}), "integer out of range");
  EXPECT_EQ(ErrorOf("%", {Value::Integer(INT32_MIN), Value::Integer(-1)}), "ok");
  Result<Value> zero = Call("/", {Value::Integer(1), Value::Integer(0)});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().message(), "division by zero");
  EXPECT_EQ(zero.status().sql_state(), "22012");
  EXPECT_EQ(ErrorOf("%", {Value::BigInt(5), Value::BigInt(0)}), "division by zero");
  Result<Value> overflow = Call("+", {Value::Integer(2147483647), Value::Integer(1)});
  EXPECT_EQ(overflow.status().sql_state(), "22003");
}

TEST(ArithmeticTest, ErrorsInNullRowsAreIgnored) {
  // The divisor's NULL row holds an unspecified value; it must not raise division by zero.
  Vector dividend = MakeVector(LogicalType::Integer(), {Value::Integer(6), Value::Integer(1)});
  Vector divisor =
      MakeVector(LogicalType::Integer(), {Value::Integer(3), Value::Null(LogicalType::Integer())});
  Result<Vector> result = CallVectors("/", {dividend, divisor});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(ReadAll(*result)[0], Value::Integer(2));
  EXPECT_TRUE(ReadAll(*result)[1].is_null());
}

TEST(ArithmeticTest, ConstantAndDictionaryInputs) {
  Vector column =
      MakeVector(LogicalType::Integer(),
                 {Value::Integer(1), Value::Null(LogicalType::Integer()), Value::Integer(3)});
  Result<Vector> plus = CallVectors("+", {column, MakeConstant(Value::Integer(10), 3)});
  ASSERT_TRUE(plus.ok());
  EXPECT_EQ(ReadAll(*plus)[0], Value::Integer(11));
  EXPECT_TRUE(ReadAll(*plus)[1].is_null());
  EXPECT_EQ(ReadAll(*plus)[2], Value::Integer(13));
  Result<Vector> minus = CallVectors("-", {MakeConstant(Value::Integer(10), 3), column});
  ASSERT_TRUE(minus.ok());
  EXPECT_EQ(ReadAll(*minus)[2], Value::Integer(7));
  Result<Vector> both =
      CallVectors("*", {MakeConstant(Value::Integer(4), 5), MakeConstant(Value::Integer(5), 5)});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->encoding(), vector::Encoding::kConstant);
  EXPECT_EQ(both->GetValue(4).value(), Value::Integer(20));
  Result<Vector> null_constant =
      CallVectors("*", {column, MakeConstant(Value::Null(LogicalType::Integer()), 3)});
  ASSERT_TRUE(null_constant.ok());
  EXPECT_EQ(null_constant->null_count(), 3);
  Vector dictionary =
      MakeDictionary(LogicalType::Integer(), {Value::Integer(100), Value::Integer(200)}, {1, 0, 1});
  Result<Vector> sum = CallVectors("+", {dictionary, column});
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(ReadAll(*sum)[0], Value::Integer(201));
  EXPECT_EQ(ReadAll(*sum)[2], Value::Integer(203));
}

TEST(ArithmeticTest, FloatsCheckOverflowAndDivision) {
  EXPECT_EQ(Text("+", {Value::Double(1.5), Value::Double(2.25)}), "3.75");
  EXPECT_EQ(ErrorOf("+", {Value::Double(1e308), Value::Double(1e308)}),
            "value out of range: overflow");
  EXPECT_EQ(ErrorOf("*", {Value::Double(1e-300), Value::Double(1e-300)}),
            "value out of range: underflow");
  EXPECT_EQ(ErrorOf("/", {Value::Double(1), Value::Double(0)}), "division by zero");
  EXPECT_EQ(Text("+", {Value::Double(INFINITY), Value::Double(1)}), "Infinity");
  EXPECT_EQ(Text("^", {Value::Integer(2), Value::Integer(10)}), "1024");
  EXPECT_EQ(Text("+", {Value::Real(1.5f), Value::Double(0.25)}), "1.75");
}

TEST(ArithmeticTest, DecimalsAreExact) {
  // PostgreSQL 15: 12.34 + 1.5 = 13.84, 12.34 * 1.5 = 18.510, 7.5 % 2 = 1.5.
  Value a = Decimal("12.34", 4, 2);
  Value b = Decimal("1.5", 2, 1);
  EXPECT_EQ(Text("+", {a, b}), "13.84");
  EXPECT_EQ(Text("-", {a, b}), "10.84");
  EXPECT_EQ(Text("*", {a, b}), "18.510");
  EXPECT_EQ(Text("%", {Decimal("7.5", 2, 1), Decimal("2", 1, 0)}), "1.5");
  // Division keeps max(6, s1 + p2 + 1) fraction digits (PostgreSQL shows more).
  EXPECT_EQ(Text("/", {Decimal("10", 2, 0), Decimal("4", 1, 0)}), "2.500000");
  EXPECT_EQ(Text("/", {Decimal("2", 1, 0), Decimal("3", 1, 0)}), "0.666667");
  EXPECT_EQ(Text("/", {Decimal("-2", 1, 0), Decimal("3", 1, 0)}), "-0.666667");
  EXPECT_EQ(ErrorOf("/", {a, Decimal("0", 1, 0)}), "division by zero");
  EXPECT_EQ(Text("-", {a}), "-12.34");
  // Integers meet decimals as numeric: 1 + 12.34.
  EXPECT_EQ(Text("+", {Value::Integer(1), a}), "13.34");
  Result<Value> sum = Call("+", {Value::Integer(1), a});
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->type(), LogicalType::Decimal(13, 2).value());
}

TEST(ArithmeticTest, DecimalOverflowIsAnError) {
  Value big = Decimal("99999999999999999999999999999999999999", 38, 0);
  Result<Value> sum = Call("+", {big, Decimal("1", 1, 0)});
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.status().code(), StatusCode::kOutOfRange);
  EXPECT_TRUE(sum.status().message().starts_with("numeric field overflow"))
      << sum.status().ToString();
  EXPECT_EQ(sum.status().sql_state(), "22003");
  // A product whose digits would pass 38 gives up integer digits, then scale, and rounds:
  // (20,9) * (20,9) is (38,16); 1.123456789^2 is 1.262155156750190521 exactly.
  Value wide = Decimal("1.123456789", 20, 9);
  Result<Value> product = Call("*", {wide, wide});
  ASSERT_TRUE(product.ok()) << product.status().ToString();
  EXPECT_EQ(product->type(), LogicalType::Decimal(38, 16).value());
  EXPECT_EQ(product->ToString(), "1.2621551567501905");
}

TEST(ArithmeticTest, TpchStyleExpressions) {
  // l_extendedprice * (1 - l_discount) * (1 + l_tax) on DECIMAL(15,2) columns.
  LogicalType money = LogicalType::Decimal(15, 2).value();
  Vector price = MakeVector(money, {Decimal("1000.10", 15, 2), Decimal("33.33", 15, 2)});
  Vector discount = MakeVector(money, {Decimal("0.05", 15, 2), Decimal("0.10", 15, 2)});
  Vector tax = MakeVector(money, {Decimal("0.08", 15, 2), Decimal("0.00", 15, 2)});
  Result<Vector> one_minus = CallVectors("-", {MakeConstant(Value::Integer(1), 2), discount});
  ASSERT_TRUE(one_minus.ok());
  Result<Vector> one_plus = CallVectors("+", {MakeConstant(Value::Integer(1), 2), tax});
  ASSERT_TRUE(one_plus.ok());
  Result<Vector> net = CallVectors("*", {price, *one_minus});
  ASSERT_TRUE(net.ok());
  Result<Vector> charge = CallVectors("*", {*net, *one_plus});
  ASSERT_TRUE(charge.ok()) << charge.status().ToString();
  EXPECT_EQ(ReadAll(*net)[0].ToString(), "950.0950");
  EXPECT_EQ(ReadAll(*charge)[0].ToString(), "1026.102600");
  EXPECT_EQ(ReadAll(*charge)[1].ToString(), "29.997000");
}

TEST(ArithmeticTest, NarrowDecimalsAgreeWithTheWideResultAtTheEdges) {
  // Decimals of at most 18 digits compute in 64 bits; the answers are those of exact
  // arithmetic at the largest magnitudes each type allows, of either sign, and NULL rows stay
  // NULL whatever their storage holds.
  LogicalType narrow = LogicalType::Decimal(17, 2).value();
  Vector a = MakeVector(
      narrow, {Decimal("999999999999999.99", 17, 2), Decimal("-999999999999999.99", 17, 2),
               Value::Null(narrow), Decimal("0.01", 17, 2)});
  Vector b = MakeVector(
      narrow, {Decimal("999999999999999.99", 17, 2), Decimal("-999999999999999.99", 17, 2),
               Decimal("1", 17, 2), Decimal("-0.01", 17, 2)});
  Result<Vector> sum = CallVectors("+", {a, b});
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(sum->type(), LogicalType::Decimal(18, 2).value());
  std::vector<Value> sums = ReadAll(*sum);
  EXPECT_EQ(sums[0].ToString(), "1999999999999999.98");
  EXPECT_EQ(sums[1].ToString(), "-1999999999999999.98");
  EXPECT_TRUE(sums[2].is_null());
  EXPECT_EQ(sums[3].ToString(), "0.00");
  Result<Vector> difference = CallVectors("-", {a, b});
  ASSERT_TRUE(difference.ok()) << difference.status().ToString();
  EXPECT_EQ(ReadAll(*difference)[3].ToString(), "0.02");
  // Operands of different scales are aligned first: 1 - 0.05 and 1 - (-0.01) at scale 2.
  LogicalType money = LogicalType::Decimal(15, 2).value();
  Vector discount = MakeVector(money, {Decimal("0.05", 15, 2), Decimal("-0.01", 15, 2)});
  Result<Vector> one_minus = CallVectors("-", {MakeConstant(Value::Integer(1), 2), discount});
  ASSERT_TRUE(one_minus.ok()) << one_minus.status().ToString();
  EXPECT_EQ(one_minus->type(), LogicalType::Decimal(16, 2).value());
  EXPECT_EQ(ReadAll(*one_minus)[0].ToString(), "0.95");
  EXPECT_EQ(ReadAll(*one_minus)[1].ToString(), "1.01");
  // (9,2) * (9,2) is (18,4) in 64 bits; (15,2) * (16,2) is (31,4), two 64-bit factors whose
  // product needs 128 bits.
  LogicalType small = LogicalType::Decimal(9, 2).value();
  Vector x = MakeVector(small, {Decimal("9999999.99", 9, 2), Decimal("-9999999.99", 9, 2)});
  Result<Vector> square = CallVectors("*", {x, x});
  ASSERT_TRUE(square.ok()) << square.status().ToString();
  EXPECT_EQ(square->type(), LogicalType::Decimal(18, 4).value());
  EXPECT_EQ(ReadAll(*square)[0].ToString(), "99999999800000.0001");
  EXPECT_EQ(ReadAll(*square)[1].ToString(), "99999999800000.0001");
  Vector price =
      MakeVector(money, {Decimal("9999999999999.99", 15, 2), Decimal("-9999999999999.99", 15, 2)});
  Result<Vector> wide = CallVectors("*", {price, *one_minus});
  ASSERT_TRUE(wide.ok()) << wide.status().ToString();
  EXPECT_EQ(wide->type(), LogicalType::Decimal(31, 4).value());
  EXPECT_EQ(ReadAll(*wide)[0].ToString(), "9499999999999.9905");
  EXPECT_EQ(ReadAll(*wide)[1].ToString(), "-10099999999999.9899");
}

TEST(ArithmeticTest, NarrowDecimalsBeyondTheirPrecisionStillOverflow) {
  // Storage that holds more digits than the type declares (a corrupt or foreign file) must not
  // wrap around in 64 bits: the exact path decides, and the result does not fit DECIMAL(8,4).
  LogicalType type = LogicalType::Decimal(4, 2).value();
  auto values = vector::Buffer::Allocate(2 * 8).value();
  values->mutable_data_as<int64_t>()[0] = 1;
  values->mutable_data_as<int64_t>()[1] = int64_t{1} << 62;
  Vector wrong = Vector::MakeFlat(type, 2, 0, nullptr, values, nullptr, {}).value();
  Result<Vector> product = CallVectors("*", {wrong, wrong});
  ASSERT_FALSE(product.ok());
  EXPECT_EQ(product.status().sql_state(), "22003");
  Result<Vector> sum = CallVectors("+", {wrong, wrong});
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.status().sql_state(), "22003");
}

TEST(ArithmeticTest, DateAndTimeArithmetic) {
  // PostgreSQL 15 answers.
  EXPECT_EQ(Text("+", {Date("2024-02-28"), Value::Integer(1)}), "2024-02-29");
  EXPECT_EQ(Text("-", {Date("2024-03-01"), Value::Integer(1)}), "2024-02-29");
  EXPECT_EQ(Text("-", {Date("2024-03-01"), Date("2024-01-01")}), "60");
  EXPECT_EQ(Text("+", {Date("2024-01-31"), IntervalOf("1 month")}), "2024-02-29 00:00:00");
  EXPECT_EQ(Text("+", {Timestamp("2024-01-31 10:00"), IntervalOf("1 month 1 day 1 hour")}),
            "2024-03-01 11:00:00");
  EXPECT_EQ(Text("-", {Timestamp("2024-03-15 10:00"), Timestamp("2024-03-10 12:30")}),
            "4 days 21:30:00");
  EXPECT_EQ(Text("*", {IntervalOf("1 day"), Value::Double(1.5)}), "1 day 12:00:00");
  EXPECT_EQ(Text("/", {IntervalOf("1 mon"), Value::Double(3)}), "10 days");
  EXPECT_EQ(Text("*", {IntervalOf("1 mon"), Value::Double(0.5)}), "15 days");
  EXPECT_EQ(Text("-", {IntervalOf("2 hours"), IntervalOf("3 hours")}), "-01:00:00");
  EXPECT_EQ(Text("-", {IntervalOf("1 day 2 hours")}), "-1 days -02:00:00");
  EXPECT_EQ(Text("+", {Date("2024-01-01"), Value::Time(types::ParseTime("10:30").value())}),
            "2024-01-01 10:30:00");
  EXPECT_EQ(Text("-", {Date("1998-12-01"), IntervalOf("90 days")}), "1998-09-02 00:00:00");
  EXPECT_EQ(ErrorOf("+", {Date("5874897-12-31"), Value::Integer(1)}), "date out of range");
}

}  // namespace
}  // namespace floe::sql
