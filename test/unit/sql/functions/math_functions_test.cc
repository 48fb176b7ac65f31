#include <gtest/gtest.h>

#include "function_test_harness.h"

namespace floe::sql {
namespace {

using namespace floe::sql::testing;  // NOLINT(google-build-using-namespace)

// Answers below come from PostgreSQL 15.
TEST(MathFunctionsTest, Rounding) {
  // round(double) rounds half to even, round(numeric) half away from zero.
  EXPECT_EQ(Text("round", {Value::Double(2.5)}), "2");
  EXPECT_EQ(Text("round", {Value::Double(-2.5)}), "-2");
  EXPECT_EQ(Text("round", {Decimal("2.5", 2, 1)}), "3");
  EXPECT_EQ(Text("round", {Decimal("-2.5", 2, 1)}), "-3");
  EXPECT_EQ(Text("trunc", {Decimal("-2.7", 2, 1)}), "-2");
  EXPECT_EQ(Text("ceil", {Decimal("-1.5", 2, 1)}), "-1");
  EXPECT_EQ(Text("floor", {Decimal("-1.5", 2, 1)}), "-2");
  EXPECT_EQ(Text("ceil", {Decimal("2.5", 2, 1)}), "3");
  EXPECT_EQ(Text("floor", {Decimal("-2.5", 2, 1)}), "-3");
  EXPECT_EQ(Text("ceiling", {Value::Double(1.2)}), "2");
  // round(numeric, n) keeps the input's scale (PostgreSQL prints 2.35 and 1200).
  EXPECT_EQ(Text("round", {Decimal("2.345", 4, 3), Value::Integer(2)}), "2.350");
  EXPECT_EQ(Text("round", {Decimal("1234.5", 5, 1), Value::Integer(-2)}), "1200.0");
  EXPECT_EQ(Text("trunc", {Decimal("2.789", 4, 3), Value::Integer(1)}), "2.700");
  EXPECT_EQ(Text("round", {Value::Integer(7)}), "7");
}

TEST(MathFunctionsTest, RoundToAConstantScale) {
  // With the digits known at resolution, round(2.345, 2) is 2.35 and round(1234.5, -2) 1200, as
  // PostgreSQL prints them.
  auto round = [](const Value& value, int32_t digits) -> std::string {
    std::vector<LogicalType> types = {value.type(), LogicalType::Integer()};
    std::vector<Value> constants = {Value(), Value::Integer(digits)};
    Result<ScalarFunction> function =
        FunctionRegistry::Default().ResolveScalar("round", types, constants);
    if (!function.ok()) {
      return std::string(function.status().message());
    }
    FunctionContext context;
    std::vector<Vector> args = {MakeVector(value.type(), {value}),
                                MakeConstant(Value::Integer(digits), 1)};
    Result<Vector> result = function->kernel(context, args, 1);
    return result.ok() ? result->GetValue(0).value().ToString()
                       : std::string(result.status().message());
  };
  EXPECT_EQ(round(Decimal("2.345", 4, 3), 2), "2.35");
  EXPECT_EQ(round(Decimal("1234.5", 5, 1), -2), "1200");
  EXPECT_EQ(round(Decimal("2.5", 2, 1), 3), "2.500");
  EXPECT_EQ(round(Decimal("-2.345", 4, 3), 2), "-2.35");
  EXPECT_EQ(round(Decimal("9.99", 3, 2), 1), "10.0");
}

TEST(MathFunctionsTest, SignsAndAbsoluteValues) {
  EXPECT_EQ(Text("abs", {Value::Integer(-5)}), "5");
  EXPECT_EQ(Call("abs", {Value::SmallInt(-5)})->type(), LogicalType::SmallInt());
  EXPECT_EQ(ErrorOf("abs", {Value::Integer(INT32_MIN)}), "integer out of range");
  EXPECT_EQ(Text("abs", {Decimal("-1.50", 3, 2)}), "1.50");
  EXPECT_EQ(Text("sign", {Value::Integer(-3)}), "-1");
  EXPECT_EQ(Text("sign", {Decimal("0.0", 2, 1)}), "0");
}

TEST(MathFunctionsTest, PowersAndLogarithms) {
  EXPECT_EQ(Text("sqrt", {Value::Double(16)}), "4");
  EXPECT_EQ(ErrorOf("sqrt", {Value::Integer(-1)}), "cannot take square root of a negative number");
  EXPECT_EQ(ErrorOf("ln", {Value::Integer(0)}), "cannot take logarithm of zero");
  EXPECT_EQ(ErrorOf("ln", {Value::Integer(-1)}), "cannot take logarithm of a negative number");
  EXPECT_EQ(Text("log", {Value::Integer(100)}), "2");
  EXPECT_EQ(Text("log10", {Value::Integer(1000)}), "3");
  EXPECT_EQ(Text("log", {Value::Integer(2), Value::Integer(8)}), "3");
  EXPECT_EQ(Text("exp", {Value::Integer(1)}), "2.718281828459045");
  EXPECT_EQ(ErrorOf("exp", {Value::Double(1000)}), "value out of range: overflow");
  EXPECT_EQ(Text("power", {Value::Integer(2), Value::Integer(10)}), "1024");
  EXPECT_EQ(Text("degrees", {Call("pi", {}).value()}), "180");
  EXPECT_EQ(Text("radians", {Value::Integer(180)}), "3.141592653589793");
  EXPECT_EQ(Text("atan2", {Value::Integer(1), Value::Integer(1)}), "0.7853981633974483");
  EXPECT_EQ(ErrorOf("asin", {Value::Integer(2)}), "input is out of range");
  EXPECT_EQ(Text("width_bucket", {Value::Double(5.35), Value::Double(0.024), Value::Double(10.06),
                                  Value::Integer(5)}),
            "3");
}

TEST(MathFunctionsTest, RandomIsNotDeterministic) {
  std::vector<LogicalType> none;
  Result<ScalarFunction> random = FunctionRegistry::Default().ResolveScalar("random", none);
  ASSERT_TRUE(random.ok());
  EXPECT_FALSE(random->deterministic);
  FunctionContext context;
  Result<Vector> values = random->kernel(context, {}, 100);
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(values->length(), 100);
  for (int64_t row = 0; row < 100; ++row) {
    double value = values->Get<double>(row);
    EXPECT_GE(value, 0.0);
    EXPECT_LT(value, 1.0);
  }
}

}  // namespace
}  // namespace floe::sql
