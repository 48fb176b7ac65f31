#include "sql/execution/expression.h"

#include <gtest/gtest.h>

#include "unit/sql/execution/test_functions.h"
#include "unit/sql/execution/test_tables.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

TEST(ExpressionTest, ToStringReadsLikeSql) {
  auto less = BigIntOp(BinaryOp::kLess);
  auto expr =
      Expression::And({Expression::Function(less, {Col(0, LogicalType::BigInt(), "a"), Lit(I(24))}),
                       Expression::Test(ExpressionKind::kIsNotNull, Col(1, LogicalType::Varchar())),
                       Expression::InList(Col(1, LogicalType::Varchar(), "b"),
                                          {Lit(S("x")), Lit(S("it's"))}, true)});
  EXPECT_EQ(expr->ToString(), "((a < 24) AND (#1 IS NOT NULL) AND (b NOT IN ('x', 'it''s')))");
  auto cast = Expression::Cast(Col(0, LogicalType::Integer(), "n"), LogicalType::BigInt());
  EXPECT_EQ(cast->ToString(), "CAST(n AS bigint)");
  auto case_expr = Expression::Case({Expression::Test(ExpressionKind::kIsTrue, Lit(B(true)))},
                                    {Lit(I(1))}, nullptr, LogicalType::BigInt());
  EXPECT_EQ(case_expr->ToString(), "CASE WHEN (true IS TRUE) THEN 1 ELSE NULL END");
  EXPECT_EQ(Expression::Parameter(2, LogicalType::BigInt())->ToString(), "$2");
}

TEST(ExpressionTest, AndOrFlatten) {
  auto a = Col(0, LogicalType::Boolean());
  auto b = Col(1, LogicalType::Boolean());
  auto c = Col(2, LogicalType::Boolean());
  auto nested = Expression::And({Expression::And({a, b}), c});
  EXPECT_EQ(nested->children().size(), 3u);
  EXPECT_EQ(SplitConjuncts(nested).size(), 3u);
  EXPECT_EQ(SplitConjuncts(a).size(), 1u);
}

TEST(ExpressionTest, StructuralEqualityAndHash) {
  auto plus = BigIntOp(BinaryOp::kAdd);
  auto plus_again = BigIntOp(BinaryOp::kAdd);  // Resolved twice: still the same function.
  auto x = Expression::Function(plus, {Col(0, LogicalType::BigInt()), Lit(I(1))});
  auto y = Expression::Function(plus_again, {Col(0, LogicalType::BigInt()), Lit(I(1))});
  auto z = Expression::Function(plus, {Col(1, LogicalType::BigInt()), Lit(I(1))});
  EXPECT_TRUE(x->Equals(*y));
  EXPECT_EQ(x->Hash(), y->Hash());
  EXPECT_FALSE(x->Equals(*z));
  EXPECT_FALSE(Lit(I(1))->Equals(*Lit(Value::Integer(1))));
  EXPECT_TRUE(ExpressionsEqual(nullptr, nullptr));
  EXPECT_FALSE(ExpressionsEqual(x, nullptr));
}

TEST(ExpressionTest, ConstantnessAndVolatility) {
  auto plus = BigIntOp(BinaryOp::kAdd);
  EXPECT_TRUE(Expression::Function(plus, {Lit(I(1)), Lit(I(2))})->IsConstant());
  EXPECT_FALSE(
      Expression::Function(plus, {Col(0, LogicalType::BigInt()), Lit(I(2))})->IsConstant());
  EXPECT_FALSE(Expression::Parameter(1, LogicalType::BigInt())->IsConstant());
  EXPECT_TRUE(Expression::Parameter(1, LogicalType::BigInt())->IsColumnFree());
  auto random = std::make_shared<ScalarFunction>(*plus);
  random->deterministic = false;
  auto volatile_call = Expression::Function(random, {Lit(I(1)), Lit(I(2))});
  EXPECT_FALSE(volatile_call->IsConstant());
  EXPECT_TRUE(volatile_call->HasVolatile());
  // A volatile expression is never "the same" as another, not even itself.
  EXPECT_FALSE(volatile_call->Equals(*volatile_call));
}

TEST(ExpressionTest, RemapShiftAndCollectColumns) {
  auto plus = BigIntOp(BinaryOp::kAdd);
  auto expr = Expression::Function(
      plus, {Col(0, LogicalType::BigInt(), "a"), Col(2, LogicalType::BigInt(), "c")});
  std::vector<int64_t> mapping = {5, -1, 1};
  auto remapped = RemapColumns(expr, mapping);
  ASSERT_TRUE(remapped.ok());
  std::vector<int64_t> columns;
  CollectColumns(**remapped, columns);
  EXPECT_EQ(columns, (std::vector<int64_t>{1, 5}));
  std::vector<int64_t> bad = {0, 1};
  EXPECT_EQ(RemapColumns(expr, bad).status().code(), StatusCode::kInvalidArgument);
  columns.clear();
  CollectColumns(*ShiftColumns(expr, 3), columns);
  EXPECT_EQ(columns, (std::vector<int64_t>{3, 5}));
  // Untouched subtrees are shared, not copied.
  auto constant = Lit(I(7));
  auto unchanged = RemapColumns(constant, mapping);
  EXPECT_EQ(unchanged->get(), constant.get());
}

TEST(ExpressionTest, BindParameters) {
  auto plus = BigIntOp(BinaryOp::kAdd);
  auto expr = Expression::Function(plus, {Expression::Parameter(1, LogicalType::BigInt()),
                                          Expression::Parameter(2, LogicalType::BigInt())});
  std::vector<Value> parameters = {I(4), Value()};
  auto bound = BindParameters(expr, parameters);
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  EXPECT_EQ((*bound)->ToString(), "(4 + NULL)");
  EXPECT_TRUE((*bound)->IsConstant());
  EXPECT_EQ((*bound)->child(1).type(), LogicalType::BigInt());
  std::vector<Value> too_few = {I(4)};
  EXPECT_EQ(BindParameters(expr, too_few).status().code(), StatusCode::kInvalidArgument);
  std::vector<Value> wrong_type = {S("x"), I(1)};
  EXPECT_EQ(BindParameters(expr, wrong_type).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace floe::sql::execution
