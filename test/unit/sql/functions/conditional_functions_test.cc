#include <gtest/gtest.h>

#include "function_test_harness.h"

namespace floe::sql {
namespace {

using namespace floe::sql::testing;  // NOLINT(google-build-using-namespace)

TEST(ConditionalFunctionsTest, CoalesceNullifGreatestLeast) {
  Value null_int = Value::Null(LogicalType::Integer());
  EXPECT_EQ(Text("coalesce", {null_int, Value::Integer(2), Value::Integer(3)}), "2");
  EXPECT_EQ(Text("coalesce", {null_int, null_int}), "NULL");
  // coalesce(NULL, 1, 2.5) is numeric (PostgreSQL prints 1; Floe keeps the common scale).
  Result<Value> mixed = Call("coalesce", {Value(), Value::Integer(1), Decimal("2.5", 2, 1)});
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(mixed->ToString(), "1.0");
  EXPECT_EQ(Text("nullif", {Value::Integer(1), Value::Integer(1)}), "NULL");
  EXPECT_EQ(Text("nullif", {Value::Integer(1), Value::Integer(2)}), "1");
  EXPECT_EQ(Text("nullif", {Value::Integer(1), Decimal("1.0", 2, 1)}), "NULL");
  EXPECT_EQ(Text("greatest", {Value::Integer(1), null_int, Value::Integer(3)}), "3");
  EXPECT_EQ(Text("least", {Str("b"), Str("a"), Str("c")}), "a");
  EXPECT_EQ(Text("greatest", {null_int}), "NULL");
  EXPECT_EQ(ErrorOf("coalesce", {Value::Integer(1), Str("a")}),
            "COALESCE types integer and text cannot be matched");
}

TEST(ConditionalFunctionsTest, CoalesceOverVectors) {
  LogicalType money = LogicalType::Decimal(15, 2).value();
  Vector first =
      MakeVector(money, {Value::Null(money), Decimal("1.50", 15, 2), Value::Null(money)});
  Vector second = MakeDictionary(money, {Decimal("9.99", 15, 2), Value::Null(money)}, {0, 0, 1});
  Result<Vector> result = CallVectors("coalesce", {first, second});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<Value> values = ReadAll(*result);
  EXPECT_EQ(values[0].ToString(), "9.99");
  EXPECT_EQ(values[1].ToString(), "1.50");
  EXPECT_TRUE(values[2].is_null());
  Vector names =
      MakeVector(LogicalType::Varchar(), {Value::Null(LogicalType::Varchar()), Str("b")});
  Result<Vector> text = CallVectors("coalesce", {names, MakeConstant(Str("none"), 2)});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(ReadAll(*text)[0].ToString(), "none");
  EXPECT_EQ(ReadAll(*text)[1].ToString(), "b");
}

TEST(ConditionalFunctionsTest, TypeNamesAndUuids) {
  EXPECT_EQ(Text("pg_typeof", {Value::Integer(1)}), "integer");
  EXPECT_EQ(Text("pg_typeof", {Decimal("1.5", 2, 1)}), "numeric");
  EXPECT_EQ(Text("pg_typeof", {Value()}), "unknown");
  EXPECT_EQ(Text("pg_typeof", {Value::Null(LogicalType::Date())}), "date");
  Result<Value> uuid = Call("gen_random_uuid", {});
  ASSERT_TRUE(uuid.ok());
  std::string text = uuid->ToString();
  EXPECT_EQ(text.size(), 36u);
  EXPECT_EQ(text[14], '4');
  EXPECT_NE(text, Call("gen_random_uuid", {})->ToString());
}

}  // namespace
}  // namespace floe::sql
