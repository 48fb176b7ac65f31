#include "sql/execution/expression_evaluator.h"

#include <gtest/gtest.h>

#include "unit/sql/execution/test_functions.h"
#include "unit/sql/execution/test_tables.h"
#include "vector/buffer.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

class ExpressionEvaluatorTest : public ::testing::Test {
 protected:
  // Every combination of two three-valued booleans: (a, b) over {true, false, NULL}^2.
  static TestTable TruthTable() {
    TestTable table{{{"a", LogicalType::Boolean()}, {"b", LogicalType::Boolean()}}, {}};
    for (const Value& a : {B(true), B(false), NullBool()}) {
      for (const Value& b : {B(true), B(false), NullBool()}) {
        table.rows.push_back({a, b});
      }
    }
    return table;
  }

  std::vector<std::string> Values(const ExpressionPtr& expr, const vector::Batch& batch) {
    auto result = evaluator_.Evaluate(*expr, batch);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    std::vector<std::string> out;
    if (!result.ok()) {
      return out;
    }
    EXPECT_EQ(result->length(), batch.num_rows());
    for (int64_t r = 0; r < result->length(); ++r) {
      out.push_back(result->GetValue(r)->ToString());
    }
    return out;
  }

  FunctionContext context_;
  ExpressionEvaluator evaluator_{&context_};
};

TEST_F(ExpressionEvaluatorTest, AndOrNotFollowThreeValuedLogic) {
  TestTable table = TruthTable();
  vector::Batch batch = table.AsBatch();
  auto a = Col(0, LogicalType::Boolean());
  auto b = Col(1, LogicalType::Boolean());
  // Rows: TT TF TN FT FF FN NT NF NN.
  EXPECT_EQ(Values(Expression::And({a, b}), batch),
            (std::vector<std::string>{"t", "f", "NULL", "f", "f", "f", "NULL", "f", "NULL"}));
  EXPECT_EQ(Values(Expression::Or({a, b}), batch),
            (std::vector<std::string>{"t", "t", "t", "t", "f", "NULL", "t", "NULL", "NULL"}));
  EXPECT_EQ(Values(Expression::Not(a), batch),
            (std::vector<std::string>{"f", "f", "f", "t", "t", "t", "NULL", "NULL", "NULL"}));
}

TEST_F(ExpressionEvaluatorTest, BooleanTestsAreNeverNull) {
  vector::Batch batch = TruthTable().AsBatch();
  auto a = Col(0, LogicalType::Boolean());
  auto values = [&](ExpressionKind kind) { return Values(Expression::Test(kind, a), batch); };
  // Column a is t,t,t,f,f,f,NULL,NULL,NULL.
  EXPECT_EQ(values(ExpressionKind::kIsTrue),
            (std::vector<std::string>{"t", "t", "t", "f", "f", "f", "f", "f", "f"}));
  EXPECT_EQ(values(ExpressionKind::kIsNotTrue),
            (std::vector<std::string>{"f", "f", "f", "t", "t", "t", "t", "t", "t"}));
  EXPECT_EQ(values(ExpressionKind::kIsFalse),
            (std::vector<std::string>{"f", "f", "f", "t", "t", "t", "f", "f", "f"}));
  EXPECT_EQ(values(ExpressionKind::kIsNotFalse),
            (std::vector<std::string>{"t", "t", "t", "f", "f", "f", "t", "t", "t"}));
  EXPECT_EQ(values(ExpressionKind::kIsNull),
            (std::vector<std::string>{"f", "f", "f", "f", "f", "f", "t", "t", "t"}));
  EXPECT_EQ(values(ExpressionKind::kIsNotNull),
            (std::vector<std::string>{"t", "t", "t", "t", "t", "t", "f", "f", "f"}));
}

TEST_F(ExpressionEvaluatorTest, IsDistinctFromTreatsNullsAsEqual) {
  TestTable table{{{"x", LogicalType::BigInt()}, {"y", LogicalType::BigInt()}},
                  {{I(1), I(1)}, {I(1), I(2)}, {I(1), NullBigInt()}, {NullBigInt(), NullBigInt()}}};
  auto x = Col(0, LogicalType::BigInt());
  auto y = Col(1, LogicalType::BigInt());
  EXPECT_EQ(Values(Expression::IsDistinctFrom(x, y, false), table.AsBatch()),
            (std::vector<std::string>{"f", "t", "t", "f"}));
  EXPECT_EQ(Values(Expression::IsDistinctFrom(x, y, true), table.AsBatch()),
            (std::vector<std::string>{"t", "f", "f", "t"}));
}

TEST_F(ExpressionEvaluatorTest, InListWithNullsFollowsPostgres) {
  TestTable table{{{"x", LogicalType::BigInt()}}, {{I(1)}, {I(3)}, {NullBigInt()}}};
  vector::Batch batch = table.AsBatch();
  auto x = Col(0, LogicalType::BigInt());
  // 1 IN (1, 2) = t; 3 IN (1, 2) = f; NULL IN (1, 2) = NULL.
  EXPECT_EQ(Values(Expression::InList(x, {Lit(I(1)), Lit(I(2))}, false), batch),
            (std::vector<std::string>{"t", "f", "NULL"}));
  // With a NULL item, a non-match is NULL, not false.
  EXPECT_EQ(Values(Expression::InList(x, {Lit(I(1)), Lit(NullBigInt())}, false), batch),
            (std::vector<std::string>{"t", "NULL", "NULL"}));
  EXPECT_EQ(Values(Expression::InList(x, {Lit(I(1)), Lit(NullBigInt())}, true), batch),
            (std::vector<std::string>{"f", "NULL", "NULL"}));
  EXPECT_EQ(Values(Expression::InList(x, {Lit(I(1)), Lit(I(2))}, true), batch),
            (std::vector<std::string>{"f", "t", "NULL"}));
  // Items that are not constants are compared row by row.
  auto plus = BigIntOp(BinaryOp::kAdd);
  EXPECT_EQ(
      Values(Expression::InList(x, {Expression::Function(plus, {x, Lit(I(0))})}, false), batch),
      (std::vector<std::string>{"t", "t", "NULL"}));
}

TEST_F(ExpressionEvaluatorTest, CaseTakesTheFirstTrueBranch) {
  TestTable table{{{"x", LogicalType::BigInt()}}, {{I(1)}, {I(5)}, {I(10)}, {NullBigInt()}}};
  auto x = Col(0, LogicalType::BigInt());
  auto less = BigIntOp(BinaryOp::kLess);
  auto expr = Expression::Case(
      {Expression::Function(less, {x, Lit(I(3))}), Expression::Function(less, {x, Lit(I(7))})},
      {Lit(S("small")), Lit(S("medium"))}, Lit(S("large")), LogicalType::Varchar());
  EXPECT_EQ(Values(expr, table.AsBatch()),
            (std::vector<std::string>{"small", "medium", "large", "large"}));
  auto no_else = Expression::Case({Expression::Function(less, {x, Lit(I(3))})}, {x}, nullptr,
                                  LogicalType::BigInt());
  EXPECT_EQ(Values(no_else, table.AsBatch()),
            (std::vector<std::string>{"1", "NULL", "NULL", "NULL"}));
}

TEST_F(ExpressionEvaluatorTest, CaseEvaluatesBranchesOnlyOnTheirRows) {
  TestTable table{{{"x", LogicalType::BigInt()}}, {{I(0)}, {I(5)}}};
  auto x = Col(0, LogicalType::BigInt());
  auto divide = BigIntOp(BinaryOp::kDivide);
  auto equal = BigIntOp(BinaryOp::kEqual);
  // CASE WHEN x = 0 THEN 0 ELSE 10 / x END never divides by zero.
  auto expr =
      Expression::Case({Expression::Function(equal, {x, Lit(I(0))})}, {Lit(I(0))},
                       Expression::Function(divide, {Lit(I(10)), x}), LogicalType::BigInt());
  EXPECT_EQ(Values(expr, table.AsBatch()), (std::vector<std::string>{"0", "2"}));
}

TEST_F(ExpressionEvaluatorTest, CoalesceTakesTheFirstNonNull) {
  TestTable table{{{"a", LogicalType::BigInt()}, {"b", LogicalType::BigInt()}},
                  {{I(1), I(2)}, {NullBigInt(), I(2)}, {NullBigInt(), NullBigInt()}}};
  auto expr = Expression::Coalesce(
      {Col(0, LogicalType::BigInt()), Col(1, LogicalType::BigInt()), Lit(I(9))},
      LogicalType::BigInt());
  EXPECT_EQ(Values(expr, table.AsBatch()), (std::vector<std::string>{"1", "2", "9"}));
}

TEST_F(ExpressionEvaluatorTest, ErrorsPropagate) {
  TestTable table{{{"x", LogicalType::BigInt()}}, {{I(1)}, {I(0)}}};
  auto divide = BigIntOp(BinaryOp::kDivide);
  auto result = evaluator_.Evaluate(
      *Expression::Function(divide, {Lit(I(1)), Col(0, LogicalType::BigInt())}), table.AsBatch());
  EXPECT_EQ(result.status().code(), StatusCode::kDivisionByZero);
  auto plus = BigIntOp(BinaryOp::kAdd);
  auto overflow = evaluator_.Evaluate(
      *Expression::Function(plus, {Lit(I(INT64_MAX)), Col(0, LogicalType::BigInt())}),
      table.AsBatch());
  EXPECT_EQ(overflow.status().code(), StatusCode::kOutOfRange);
  auto parameter =
      evaluator_.Evaluate(*Expression::Parameter(1, LogicalType::BigInt()), table.AsBatch());
  EXPECT_EQ(parameter.status().code(), StatusCode::kInternal);
}

TEST_F(ExpressionEvaluatorTest, FilterShortCircuitsConjuncts) {
  TestTable table{{{"x", LogicalType::BigInt()}},
                  {{I(0)}, {I(2)}, {NullBigInt()}, {I(20)}, {I(0)}}};
  auto x = Col(0, LogicalType::BigInt());
  auto not_equal = BigIntOp(BinaryOp::kNotEqual);
  auto divide = BigIntOp(BinaryOp::kDivide);
  auto less = BigIntOp(BinaryOp::kLess);
  // x <> 0 AND 10 / x < 1: the division runs only where x <> 0 is true.
  auto predicate = Expression::And(
      {Expression::Function(not_equal, {x, Lit(I(0))}),
       Expression::Function(less, {Expression::Function(divide, {Lit(I(10)), x}), Lit(I(1))})});
  vector::SelectionVector selection;
  ASSERT_TRUE(evaluator_.Filter(*predicate, table.AsBatch(), selection).ok());
  ASSERT_EQ(selection.size(), 1);
  EXPECT_EQ(selection[0], 3u);
  // The same through the value path (AND evaluated as a vector) short-circuits too.
  EXPECT_EQ(Values(predicate, table.AsBatch()),
            (std::vector<std::string>{"f", "f", "NULL", "t", "f"}));
}

TEST_F(ExpressionEvaluatorTest, ConstantsStayConstant) {
  TestTable table{{{"x", LogicalType::BigInt()}}, {{I(1)}, {I(2)}, {I(3)}}};
  auto result = evaluator_.Evaluate(*Lit(I(7)), table.AsBatch());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->encoding(), vector::Encoding::kConstant);
  EXPECT_EQ(result->length(), 3);
  EXPECT_EQ(result->Get<int64_t>(2), 7);
}

TEST_F(ExpressionEvaluatorTest, DictionaryInputRunsOnTheDictionary) {
  // A dictionary of 2 strings indexed by 6 rows.
  vector::VectorBuilder dictionary_builder(LogicalType::Varchar());
  ASSERT_TRUE(dictionary_builder.AppendString("ab").ok());
  ASSERT_TRUE(dictionary_builder.AppendString("cd").ok());
  auto dictionary = std::make_shared<const vector::Vector>(dictionary_builder.Finish().value());
  auto indices = vector::Buffer::Allocate(6 * 4).value();
  const int32_t values[] = {0, 1, 1, 0, 0, 1};
  std::memcpy(indices->mutable_data(), values, sizeof(values));
  auto column = vector::Vector::MakeDictionary(dictionary, 6, 0, indices, nullptr).value();
  auto schema = std::make_shared<const vector::Schema>(
      std::vector<vector::Field>{{"s", LogicalType::Varchar()}});
  auto batch = vector::Batch::Make(schema, {column}, 6).value();
  auto rows_seen = std::make_shared<int64_t>(0);
  auto upper = Expression::Function(Upper(rows_seen), {Col(0, LogicalType::Varchar())});
  EXPECT_EQ(Values(upper, batch), (std::vector<std::string>{"AB", "CD", "CD", "AB", "AB", "CD"}));
  EXPECT_EQ(*rows_seen, 2);
}

TEST_F(ExpressionEvaluatorTest, FilterTestsCheapConjunctsOnEveryRowButNotFallibleOnes) {
  // x <> 0 keeps most rows, so x < 5 runs over all of them; the division still sees only the
  // rows both kept (a zero would fail it).
  TestTable table{{{"x", LogicalType::BigInt()}},
                  {{I(1)}, {I(2)}, {I(0)}, {I(4)}, {I(5)}, {NullBigInt()}, {I(3)}}};
  auto x = Col(0, LogicalType::BigInt());
  auto predicate = Expression::And(
      {Expression::Function(BigIntOp(BinaryOp::kNotEqual), {x, Lit(I(0))}),
       Expression::Function(BigIntOp(BinaryOp::kLess), {x, Lit(I(5))}),
       Expression::Function(
           BigIntOp(BinaryOp::kGreater),
           {Expression::Function(BigIntOp(BinaryOp::kDivide), {Lit(I(10)), x}), Lit(I(2))})});
  vector::SelectionVector selection;
  ASSERT_TRUE(evaluator_.Filter(*predicate, table.AsBatch(), selection).ok());
  // 10 / 1, 10 / 2 and 10 / 3 pass; 10 / 4 = 2 does not.
  ASSERT_EQ(selection.size(), 3);
  EXPECT_EQ(selection[0], 0u);
  EXPECT_EQ(selection[1], 1u);
  EXPECT_EQ(selection[2], 6u);
}

TEST_F(ExpressionEvaluatorTest, EvaluateAllComputesSharedCallsOnce) {
  TestTable table{{{"s", LogicalType::Varchar()}},
                  {{S("ab")}, {Value::Null(LogicalType::Varchar())}, {S("c")}}};
  vector::Batch batch = table.AsBatch();
  auto rows_seen = std::make_shared<int64_t>(0);
  auto upper = Upper(rows_seen);
  // Two equal calls built apart, as the binder builds two aggregates' arguments.
  std::vector<ExpressionPtr> exprs = {Expression::Function(upper, {Col(0, LogicalType::Varchar())}),
                                      Expression::Function(upper, {Col(0, LogicalType::Varchar())}),
                                      Col(0, LogicalType::Varchar())};
  std::vector<vector::Vector> results;
  ASSERT_TRUE(evaluator_.EvaluateAll(exprs, batch, results).ok());
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(*rows_seen, 3);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(results[i].GetValue(0)->ToString(), "AB");
    EXPECT_TRUE(results[i].IsNull(1));
    EXPECT_EQ(results[i].GetValue(2)->ToString(), "C");
  }
  EXPECT_EQ(results[2].GetValue(2)->ToString(), "c");
  // The next batch computes its own values.
  ASSERT_TRUE(evaluator_.EvaluateAll(exprs, batch, results).ok());
  EXPECT_EQ(*rows_seen, 6);
}

TEST_F(ExpressionEvaluatorTest, CastUsesTheFunctionLibrary) {
  TestTable table{{{"x", LogicalType::BigInt()}}, {{I(12)}, {NullBigInt()}}};
  auto cast = Expression::Cast(Col(0, LogicalType::BigInt()), LogicalType::Varchar());
  EXPECT_EQ(Values(cast, table.AsBatch()), (std::vector<std::string>{"12", "NULL"}));
  auto narrowing = Expression::Cast(Lit(I(int64_t{1} << 40)), LogicalType::Integer());
  EXPECT_FALSE(evaluator_.Evaluate(*narrowing, table.AsBatch()).ok());
}

}  // namespace
}  // namespace floe::sql::execution
