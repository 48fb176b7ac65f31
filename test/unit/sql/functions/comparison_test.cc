#include <cmath>

#include <gtest/gtest.h>

#include "function_test_harness.h"
#include "types/interval.h"
#include "types/temporal.h"

namespace floe::sql {
namespace {

using namespace floe::sql::testing;  // NOLINT(google-build-using-namespace)

TEST(ComparisonTest, MixedNumericTypesCompareWithoutLoss) {
  // PostgreSQL 15: 1 = 1.0, 1::int = 1::bigint and 0.1::float8 = 0.1::numeric are all true.
  EXPECT_EQ(Text("=", {Value::Integer(1), Decimal("1.0", 2, 1)}), "t");
  EXPECT_EQ(Text("=", {Value::Integer(1), Value::BigInt(1)}), "t");
  EXPECT_EQ(Text("=", {Value::Double(0.1), Decimal("0.1", 2, 1)}), "t");
  EXPECT_EQ(Text("<", {Value::Integer(2147483647), Value::BigInt(2147483648)}), "t");
  EXPECT_EQ(Text("<", {Decimal("1.05", 3, 2), Decimal("1.1", 2, 1)}), "t");
  EXPECT_EQ(Text(">=", {Decimal("-1.10", 3, 2), Decimal("-1.1", 2, 1)}), "t");
  EXPECT_EQ(Text("<>", {Value::SmallInt(3), Value::Integer(3)}), "f");
}

TEST(ComparisonTest, NanSortsAboveEveryNumber) {
  EXPECT_EQ(Text(">", {Value::Double(NAN), Value::Double(1e308)}), "t");
  EXPECT_EQ(Text("=", {Value::Double(NAN), Value::Double(NAN)}), "t");
  EXPECT_EQ(Text("<", {Value::Double(-INFINITY), Value::Double(NAN)}), "t");
}

TEST(ComparisonTest, TextComparesBytewise) {
  // The C collation: 'a' < 'B' is false.
  EXPECT_EQ(Text("<", {Str("abc"), Str("abd")}), "t");
  EXPECT_EQ(Text("<", {Str("a"), Str("B")}), "f");
  EXPECT_EQ(Text("<", {Str("ab"), Str("abc")}), "t");
  EXPECT_EQ(Text("=", {Str("é"), Str("é")}), "t");
  EXPECT_EQ(Text(">", {Str("é"), Str("z")}), "t");
  EXPECT_EQ(Text("=", {Value::Bytea("\x01"), Value::Bytea("\x02")}), "f");
}

TEST(ComparisonTest, TemporalAndOtherTypes) {
  Value date = Value::Date(types::ParseDate("2024-01-01").value());
  Value midnight = Value::Timestamp(types::ParseTimestamp("2024-01-01 00:00").value());
  EXPECT_EQ(Text("=", {date, midnight}), "t");
  EXPECT_EQ(Text("<", {date, Value::Date(types::ParseDate("2024-01-02").value())}), "t");
  // Intervals compare by length with 30-day months.
  EXPECT_EQ(Text("=", {Value::Interval(types::ParseInterval("1 mon").value()),
                       Value::Interval(types::ParseInterval("30 days").value())}),
            "t");
  EXPECT_EQ(Text("<", {Value::Boolean(false), Value::Boolean(true)}), "t");
  EXPECT_EQ(Text("=", {Value::Boolean(true), Value::Null(LogicalType::Boolean())}), "NULL");
  EXPECT_EQ(ErrorOf("=", {Value::Integer(1), Str("a")}), "operator does not exist: integer = text");
}

TEST(ComparisonTest, VectorsOfEveryEncoding) {
  Vector left =
      MakeVector(LogicalType::Varchar(),
                 {Str("apple"), Str("pear"), Value::Null(LogicalType::Varchar()), Str("fig")});
  Result<Vector> result = CallVectors("=", {left, MakeConstant(Str("pear"), 4)});
  ASSERT_TRUE(result.ok());
  std::vector<Value> values = ReadAll(*result);
  EXPECT_EQ(values[0], Value::Boolean(false));
  EXPECT_EQ(values[1], Value::Boolean(true));
  EXPECT_TRUE(values[2].is_null());
  Vector dictionary =
      MakeDictionary(LogicalType::Varchar(), {Str("fig"), Str("apple")}, {1, 0, 0, 0});
  Result<Vector> pairwise = CallVectors("<", {dictionary, left});
  ASSERT_TRUE(pairwise.ok());
  values = ReadAll(*pairwise);
  EXPECT_EQ(values[0], Value::Boolean(false));
  EXPECT_EQ(values[1], Value::Boolean(true));
  EXPECT_TRUE(values[2].is_null());
  EXPECT_EQ(values[3], Value::Boolean(false));
  // More than 64 rows exercise the word-at-a-time output.
  std::vector<Value> numbers;
  for (int index = 0; index < 130; ++index) {
    numbers.push_back(Value::Integer(index));
  }
  Result<Vector> large = CallVectors(
      ">", {MakeVector(LogicalType::Integer(), numbers), MakeConstant(Value::Integer(64), 130)});
  ASSERT_TRUE(large.ok());
  EXPECT_EQ(large->GetValue(64).value(), Value::Boolean(false));
  EXPECT_EQ(large->GetValue(65).value(), Value::Boolean(true));
  EXPECT_EQ(large->GetValue(129).value(), Value::Boolean(true));
}

TEST(ComparisonTest, SlicesStartingInsideAByte) {
  std::vector<Value> left;
  std::vector<Value> right;
  for (int index = 0; index < 20; ++index) {
    left.push_back(index % 4 == 0 ? Value::Null(LogicalType::BigInt()) : Value::BigInt(index));
    right.push_back(index % 5 == 0 ? Value::Null(LogicalType::BigInt()) : Value::BigInt(10));
  }
  Vector a = MakeVector(LogicalType::BigInt(), left).Slice(3, 14);
  Vector b = MakeVector(LogicalType::BigInt(), right).Slice(3, 14);
  Result<Vector> result = CallVectors(">=", {a, b});
  ASSERT_TRUE(result.ok());
  for (int64_t row = 0; row < 14; ++row) {
    int index = static_cast<int>(row) + 3;
    Value value = result->GetValue(row).value();
    if (index % 4 == 0 || index % 5 == 0) {
      EXPECT_TRUE(value.is_null()) << index;
    } else {
      EXPECT_EQ(value, Value::Boolean(index >= 10)) << index;
    }
  }
  Result<Vector> sum = CallVectors("+", {a, b});
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->GetValue(0).value(), Value::BigInt(13));
  EXPECT_TRUE(sum->GetValue(1).value().is_null());
}

}  // namespace
}  // namespace floe::sql
