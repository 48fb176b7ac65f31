#include "table/predicate.h"

#include <gtest/gtest.h>

#include "table/predicate_evaluator.h"
#include "table/value_serialization.h"

namespace floe::table {
namespace {

using types::Value;

Schema TestSchema() {
  auto schema =
      Schema::Make(0, {NestedField{1, "id", Type::Primitive(TypeKind::kLong), true},
                       NestedField{2, "name", Type::Primitive(TypeKind::kString), false},
                       NestedField{3, "ts", Type::Primitive(TypeKind::kTimestamp), false},
                       NestedField{4, "score", Type::Primitive(TypeKind::kDouble), false}});
  return *schema;
}

types::LogicalType LogicalTypeOfLong() {
  return types::LogicalType::BigInt();
}

std::string Bound(TypeKind kind, const Value& value) {
  return *SerializeValue(Type::Primitive(kind), value);
}

DataFile FileWithIds(int64_t low, int64_t high, int64_t nulls) {
  DataFile file;
  file.record_count = 10;
  file.value_counts = {{1, 10}, {2, 10}};
  file.null_value_counts = {{1, nulls}, {2, 10}};
  file.nan_value_counts = {{4, 0}};
  file.lower_bounds = {{1, Bound(TypeKind::kLong, Value::BigInt(low))}};
  file.upper_bounds = {{1, Bound(TypeKind::kLong, Value::BigInt(high))}};
  return file;
}

TEST(PredicateTest, PushDownNotNegatesLeaves) {
  Predicate predicate =
      Predicate::Not(Predicate::And(Predicate::Less(1, Value::BigInt(5)), Predicate::IsNull(2)));
  Predicate pushed = predicate.PushDownNot();
  EXPECT_EQ(pushed,
            Predicate::Or(Predicate::GreaterEqual(1, Value::BigInt(5)), Predicate::IsNotNull(2)));
  EXPECT_EQ(Predicate::Not(Predicate::Not(Predicate::IsNan(4))).PushDownNot(), Predicate::IsNan(4));
  EXPECT_EQ(Predicate::And(Predicate::True(), Predicate::IsNull(2)), Predicate::IsNull(2));
  EXPECT_EQ(Predicate::In(1, {}).kind(), Predicate::Kind::kFalse);
  EXPECT_EQ(pushed.ToString(), "($1 >= 5 OR $2 IS NOT NULL)");
}

TEST(PredicateTest, FileStatisticsPrune) {
  Schema schema = TestSchema();
  DataFile file = FileWithIds(10, 20, 0);
  auto may = [&](const Predicate& predicate) {
    return PredicateEvaluator(schema, predicate).FileMayMatch(file);
  };
  EXPECT_TRUE(may(Predicate::Equal(1, Value::BigInt(15))));
  EXPECT_FALSE(may(Predicate::Equal(1, Value::BigInt(21))));
  EXPECT_FALSE(may(Predicate::Equal(1, Value::Integer(9))));  // Cast exactly to long.
  EXPECT_FALSE(may(Predicate::Less(1, Value::BigInt(10))));
  EXPECT_TRUE(may(Predicate::LessEqual(1, Value::BigInt(10))));
  EXPECT_FALSE(may(Predicate::Greater(1, Value::BigInt(20))));
  EXPECT_TRUE(may(Predicate::GreaterEqual(1, Value::BigInt(20))));
  EXPECT_FALSE(may(Predicate::In(1, {Value::BigInt(1), Value::BigInt(30)})));
  EXPECT_TRUE(may(Predicate::In(1, {Value::BigInt(1), Value::BigInt(12)})));
  EXPECT_TRUE(may(Predicate::NotEqual(1, Value::BigInt(15))));
  EXPECT_FALSE(may(Predicate::IsNull(1)));     // No nulls.
  EXPECT_FALSE(may(Predicate::IsNotNull(2)));  // All nulls.
  EXPECT_FALSE(may(Predicate::Equal(2, Value::Varchar("x"))));
  EXPECT_FALSE(may(Predicate::IsNan(4)));
  // NaN sorts above every number; bounds leave it out, so > cannot prune a file that may hold
  // NaN, and can one that holds none.
  DataFile floats = file;
  floats.lower_bounds = {{4, Bound(TypeKind::kDouble, Value::Double(1.0))}};
  floats.upper_bounds = {{4, Bound(TypeKind::kDouble, Value::Double(2.0))}};
  floats.nan_value_counts = {{4, 3}};
  EXPECT_TRUE(
      PredicateEvaluator(schema, Predicate::Greater(4, Value::Double(5.0))).FileMayMatch(floats));
  EXPECT_FALSE(
      PredicateEvaluator(schema, Predicate::Less(4, Value::Double(0.5))).FileMayMatch(floats));
  floats.nan_value_counts = {{4, 0}};
  EXPECT_FALSE(
      PredicateEvaluator(schema, Predicate::Greater(4, Value::Double(5.0))).FileMayMatch(floats));
  EXPECT_TRUE(may(Predicate::Equal(4, Value::Double(1.0))));  // No statistics.
  EXPECT_TRUE(may(Predicate::Equal(99, Value::BigInt(1))));   // Unknown field.
  EXPECT_FALSE(may(Predicate::Not(Predicate::LessEqual(1, Value::BigInt(20)))));
  EXPECT_TRUE(may(Predicate::Or(Predicate::Equal(1, Value::BigInt(0)),
                                Predicate::Equal(1, Value::BigInt(11)))));
  EXPECT_FALSE(may(Predicate::And(Predicate::Equal(1, Value::BigInt(11)),
                                  Predicate::Equal(1, Value::BigInt(0)))));
}

TEST(PredicateTest, PartitionValuesPruneThroughTransforms) {
  Schema schema = TestSchema();
  PartitionSpec spec(0, {PartitionField{{3}, 1000, "ts_day", Transform::Day()},
                         PartitionField{{1}, 1001, "id_bucket", *Transform::Bucket(16)},
                         PartitionField{{2}, 1002, "name_trunc", *Transform::Truncate(2)}});
  const int64_t day = 86400LL * 1000000;
  auto bucket_of = [](int64_t id) {
    return *Transform::Bucket(16)->Apply(Type::Primitive(TypeKind::kLong), Value::BigInt(id));
  };
  std::vector<Value> tuple = {Value::Date(100), bucket_of(7), Value::Varchar("ab")};
  auto may = [&](const Predicate& predicate) {
    return PredicateEvaluator(schema, predicate).PartitionMayMatch(spec, tuple);
  };
  EXPECT_TRUE(may(Predicate::Equal(3, Value::Timestamp(100 * day + 5))));
  EXPECT_FALSE(may(Predicate::Equal(3, Value::Timestamp(101 * day))));
  EXPECT_FALSE(may(Predicate::Less(3, Value::Timestamp(100 * day))));  // Day 99 or before.
  EXPECT_TRUE(may(Predicate::Less(3, Value::Timestamp(100 * day + 1))));
  EXPECT_TRUE(may(Predicate::GreaterEqual(3, Value::Timestamp(100 * day + 7))));
  EXPECT_FALSE(may(Predicate::Greater(3, Value::Timestamp(101 * day))));
  EXPECT_TRUE(may(Predicate::Equal(1, Value::BigInt(7))));
  bool some_pruned = false;
  for (int64_t id = 0; id < 20; ++id) {
    some_pruned = some_pruned || !may(Predicate::Equal(1, Value::BigInt(id)));
  }
  EXPECT_TRUE(some_pruned);
  EXPECT_TRUE(may(Predicate::Less(1, Value::BigInt(-100))));  // Bucket: = and IN only.
  EXPECT_TRUE(may(Predicate::Equal(2, Value::Varchar("abc"))));
  EXPECT_FALSE(may(Predicate::Equal(2, Value::Varchar("xyz"))));
  EXPECT_FALSE(may(Predicate::Greater(2, Value::Varchar("b"))));
  EXPECT_FALSE(may(Predicate::IsNull(3)));
  tuple[0] = Value::Null(types::LogicalType::Date());
  EXPECT_TRUE(may(Predicate::IsNull(3)));
  EXPECT_FALSE(may(Predicate::Equal(3, Value::Timestamp(100 * day))));
}

TEST(PredicateTest, ResidualFoldsIdentityPartitions) {
  Schema schema = TestSchema();
  PartitionSpec spec(0, {PartitionField{{1}, 1000, "id", Transform::Identity()}});
  Predicate filter = Predicate::And(Predicate::Equal(1, Value::BigInt(5)),
                                    Predicate::Equal(2, Value::Varchar("a")));
  PredicateEvaluator evaluator(schema, filter);
  EXPECT_EQ(evaluator.Residual(spec, {Value::BigInt(5)}), Predicate::Equal(2, Value::Varchar("a")));
  EXPECT_EQ(evaluator.Residual(spec, {Value::BigInt(6)}), Predicate::False());
  EXPECT_EQ(evaluator.Residual(spec, {Value::Null(LogicalTypeOfLong())}), Predicate::False());
  PredicateEvaluator either(
      schema, Predicate::Or(Predicate::IsNull(1), Predicate::Equal(2, Value::Varchar("a"))));
  EXPECT_EQ(either.Residual(spec, {Value::Null(LogicalTypeOfLong())}), Predicate::True());
  EXPECT_EQ(either.Residual(spec, {Value::BigInt(1)}), Predicate::Equal(2, Value::Varchar("a")));
}

TEST(PredicateTest, ManifestSummariesPrune) {
  Schema schema = TestSchema();
  PartitionSpec spec(0, {PartitionField{{1}, 1000, "id", Transform::Identity()}});
  PartitionFieldSummary summary;
  summary.contains_null = false;
  summary.lower_bound = Bound(TypeKind::kLong, Value::BigInt(100));
  summary.upper_bound = Bound(TypeKind::kLong, Value::BigInt(200));
  auto may = [&](const Predicate& predicate) {
    return PredicateEvaluator(schema, predicate).ManifestMayMatch(spec, {summary});
  };
  EXPECT_TRUE(may(Predicate::Equal(1, Value::BigInt(150))));
  EXPECT_FALSE(may(Predicate::Equal(1, Value::BigInt(250))));
  EXPECT_FALSE(may(Predicate::Less(1, Value::BigInt(100))));
  EXPECT_FALSE(may(Predicate::IsNull(1)));
  EXPECT_TRUE(may(Predicate::IsNotNull(1)));
  EXPECT_FALSE(may(Predicate::NotEqual(1, Value::BigInt(150))) &&
               summary.lower_bound == summary.upper_bound);
}

TEST(PredicateTest, RowsEvaluateInThreeValuedLogic) {
  Schema schema = TestSchema();
  auto row = [](int32_t id) {
    if (id == 1) {
      return Value::BigInt(5);
    }
    if (id == 4) {
      return Value::Double(std::numeric_limits<double>::quiet_NaN());
    }
    return Value::Null(types::LogicalType::Varchar());
  };
  auto eval = [&](const Predicate& predicate) {
    return PredicateEvaluator(schema, predicate).EvaluateRow(row);
  };
  EXPECT_EQ(eval(Predicate::Equal(1, Value::Integer(5))), true);
  EXPECT_EQ(eval(Predicate::Equal(2, Value::Varchar("a"))), std::nullopt);
  EXPECT_EQ(eval(Predicate::Not(Predicate::Equal(2, Value::Varchar("a")))), std::nullopt);
  EXPECT_EQ(eval(Predicate::Or(Predicate::Equal(2, Value::Varchar("a")),
                               Predicate::Equal(1, Value::BigInt(5)))),
            true);
  EXPECT_EQ(eval(Predicate::IsNan(4)), true);
  EXPECT_EQ(eval(Predicate::Greater(4, Value::Double(1e300))), true);  // NaN above all.
  EXPECT_EQ(eval(Predicate::NotIn(1, {Value::BigInt(1), Value::BigInt(2)})), true);
  EXPECT_EQ(eval(Predicate::IsNull(2)), true);
}

}  // namespace
}  // namespace floe::table
