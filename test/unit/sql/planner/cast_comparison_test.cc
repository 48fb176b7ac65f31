#include "sql/planner/cast_comparison.h"

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sql/execution/expression_evaluator.h"
#include "sql/functions/function_registry.h"
#include "types/temporal.h"
#include "types/value.h"
#include "vector/batch.h"
#include "vector/vector_builder.h"

namespace floe::sql::planner {
namespace {

using execution::Expression;
using execution::ExpressionKind;
using execution::ExpressionPtr;
using types::LogicalType;
using types::Value;

constexpr std::array<const char*, 6> kOps = {"=", "<>", "<", "<=", ">", ">="};

ExpressionPtr Compare(const std::string& op, ExpressionPtr left, ExpressionPtr right) {
  std::array<LogicalType, 2> types = {left->type(), right->type()};
  Result<ScalarFunction> function = FunctionRegistry::Default().ResolveScalar(op, types);
  EXPECT_TRUE(function.ok()) << function.status().ToString();
  return Expression::Function(std::make_shared<const ScalarFunction>(std::move(*function)),
                              {std::move(left), std::move(right)});
}

vector::Batch OneColumn(const LogicalType& type, const std::vector<Value>& values) {
  vector::VectorBuilder builder(type);
  for (const Value& value : values) {
    EXPECT_TRUE(builder.AppendValue(value).ok());
  }
  std::vector<vector::Field> fields = {{"x", type}};
  std::vector<vector::Vector> columns;
  columns.push_back(builder.Finish().value());
  return vector::Batch::Make(std::make_shared<const vector::Schema>(fields), std::move(columns),
                             static_cast<int64_t>(values.size()))
      .value();
}

bool HasCast(const Expression& expr) {
  if (expr.kind() == ExpressionKind::kCast) {
    return true;
  }
  for (const ExpressionPtr& child : expr.children()) {
    if (HasCast(*child)) {
      return true;
    }
  }
  return false;
}

class CastComparisonTest : public ::testing::Test {
 protected:
  std::vector<std::string> Evaluate(const ExpressionPtr& expr, const vector::Batch& batch) {
    execution::ExpressionEvaluator evaluator(&context_);
    Result<vector::Vector> result = evaluator.Evaluate(*expr, batch);
    EXPECT_TRUE(result.ok()) << expr->ToString() << ": " << result.status().ToString();
    std::vector<std::string> out;
    for (int64_t row = 0; result.ok() && row < result->length(); ++row) {
      out.push_back(result->GetValue(row)->ToString());
    }
    return out;
  }

  // Checks, for every operator and both operand orders, that the rewrite exists, casts nothing
  // and gives the original's answer on every row of `column`.
  void ExpectEquivalent(const vector::Batch& column, const LogicalType& wide,
                        const Value& constant) {
    ExpressionPtr x = Expression::ColumnRef(0, column.column(0).type(), "x");
    ExpressionPtr widened = Expression::Cast(x, wide);
    ExpressionPtr bound = Expression::Constant(constant);
    for (const char* op : kOps) {
      for (bool cast_on_left : {true, false}) {
        ExpressionPtr original =
            cast_on_left ? Compare(op, widened, bound) : Compare(op, bound, widened);
        ExpressionPtr rewritten = SimplifyCastComparison(original);
        ASSERT_NE(rewritten, nullptr) << original->ToString();
        EXPECT_FALSE(HasCast(*rewritten)) << rewritten->ToString();
        EXPECT_EQ(Evaluate(rewritten, column), Evaluate(original, column))
            << original->ToString() << " became " << rewritten->ToString();
      }
    }
  }

  FunctionContext context_;
};

// Dates the cast accepts: from PostgreSQL's first date (4714-11-24 BC) to the last before the
// timestamp range ends, around `days`.
std::vector<Value> DatesAround(const std::vector<int64_t>& centres) {
  std::vector<Value> values = {Value::Null(LogicalType::Date()), Value::Date(types::kDateInfinity),
                               Value::Date(types::kDateNegativeInfinity)};
  for (int64_t centre : centres) {
    for (int64_t delta = -3; delta <= 3; ++delta) {
      int64_t days = centre + delta;
      if (days <= types::kDateNegativeInfinity || days >= types::kDateInfinity) {
        continue;
      }
      if (types::DateToTimestamp(static_cast<int32_t>(days)).ok()) {
        values.push_back(Value::Date(static_cast<int32_t>(days)));
      }
    }
  }
  return values;
}

TEST_F(CastComparisonTest, DateWidenedToTimestampComparesAsDate) {
  constexpr int64_t kDay = types::kMicrosPerDay;
  int32_t first_date = types::ParseDate("4714-11-24 BC").value();
  int64_t last_micros = types::ParseTimestamp("294246-12-31 23:59:59.999999").value();
  int32_t last_date = types::TimestampToDate(last_micros);
  std::vector<int64_t> bounds = {0,
                                 1,
                                 -1,
                                 kDay,
                                 kDay - 1,
                                 kDay + 1,
                                 -kDay,
                                 -kDay - 1,
                                 -kDay + 1,
                                 8766 * kDay,  // 1994-01-01
                                 8766 * kDay + 12 * 3600 * 1'000'000LL,
                                 -719528 * kDay - 7,  // before year 0
                                 int64_t{first_date} * kDay,
                                 int64_t{first_date} * kDay + 1,
                                 last_micros,
                                 int64_t{last_date} * kDay,
                                 types::kTimestampInfinity,
                                 types::kTimestampNegativeInfinity};
  std::vector<int64_t> centres = {0, -1, 1, 8766, -719528, first_date, last_date};
  vector::Batch dates = OneColumn(LogicalType::Date(), DatesAround(centres));
  ASSERT_GT(dates.num_rows(), 40);
  for (int64_t micros : bounds) {
    SCOPED_TRACE(micros);
    ExpectEquivalent(dates, LogicalType::Timestamp(), Value::Timestamp(micros));
  }
}

// A date cast to TIMESTAMPTZ is midnight in the session's time zone, which the planner does not
// know: the comparison keeps its cast.
TEST_F(CastComparisonTest, DateWidenedToTimestampTzKeepsItsCast) {
  ExpressionPtr x = Expression::ColumnRef(0, LogicalType::Date(), "x");
  ExpressionPtr widened = Expression::Cast(x, LogicalType::TimestampTz());
  ExpressionPtr bound = Expression::Constant(Value::TimestampTz(0));
  for (const char* op : kOps) {
    EXPECT_EQ(SimplifyCastComparison(Compare(op, widened, bound)), nullptr) << op;
  }
}

TEST_F(CastComparisonTest, IntegerWideningComparesInTheNarrowType) {
  struct Case {
    LogicalType narrow;
    LogicalType wide;
    int64_t min;
    int64_t max;
  };
  std::vector<Case> cases = {
      {LogicalType::SmallInt(), LogicalType::Integer(), INT16_MIN, INT16_MAX},
      {LogicalType::SmallInt(), LogicalType::BigInt(), INT16_MIN, INT16_MAX},
      {LogicalType::Integer(), LogicalType::BigInt(), INT32_MIN, INT32_MAX},
  };
  for (const Case& test : cases) {
    auto narrow_value = [&](int64_t v) {
      return test.narrow == LogicalType::SmallInt() ? Value::SmallInt(static_cast<int16_t>(v))
                                                    : Value::Integer(static_cast<int32_t>(v));
    };
    std::vector<Value> values = {Value::Null(test.narrow)};
    for (int64_t v : {test.min, test.min + 1, int64_t{-1}, int64_t{0}, int64_t{1}, int64_t{42},
                      test.max - 1, test.max}) {
      values.push_back(narrow_value(v));
    }
    vector::Batch column = OneColumn(test.narrow, values);
    for (int64_t bound : {test.min - 1, test.min, int64_t{0}, int64_t{42}, int64_t{43}, test.max,
                          test.max + 1, int64_t{std::numeric_limits<int32_t>::min()} * 4}) {
      SCOPED_TRACE(bound);
      if (test.wide == LogicalType::Integer() && (bound < INT32_MIN || bound > INT32_MAX)) {
        continue;
      }
      Value constant = test.wide == LogicalType::Integer()
                           ? Value::Integer(static_cast<int32_t>(bound))
                           : Value::BigInt(bound);
      ExpectEquivalent(column, test.wide, constant);
    }
  }
}

TEST_F(CastComparisonTest, LeavesOtherComparisonsAlone) {
  ExpressionPtr timestamp = Expression::ColumnRef(0, LogicalType::Timestamp(), "t");
  // Narrowing: CAST(timestamp AS date) = date loses the time of day.
  EXPECT_EQ(SimplifyCastComparison(Compare("=", Expression::Cast(timestamp, LogicalType::Date()),
                                           Expression::Constant(Value::Date(1)))),
            nullptr);
  ExpressionPtr date = Expression::ColumnRef(0, LogicalType::Date(), "d");
  // Two columns, and a NULL bound (which constant folding answers).
  EXPECT_EQ(SimplifyCastComparison(
                Compare("<", Expression::Cast(date, LogicalType::Timestamp()), timestamp)),
            nullptr);
  EXPECT_EQ(
      SimplifyCastComparison(Compare("<", Expression::Cast(date, LogicalType::Timestamp()),
                                     Expression::Constant(Value::Null(LogicalType::Timestamp())))),
      nullptr);
}

}  // namespace
}  // namespace floe::sql::planner
