#include "sql/execution/operators/recursive_cte.h"

#include <gtest/gtest.h>

#include "sql/execution/operators/filter.h"
#include "sql/execution/operators/projection.h"
#include "unit/sql/execution/test_functions.h"
#include "unit/sql/execution/test_tables.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

std::shared_ptr<const vector::Schema> NumberSchema() {
  return std::make_shared<const vector::Schema>(
      std::vector<vector::Field>{{"n", LogicalType::BigInt(), true}});
}

// The recursive term `SELECT step(n) FROM work_table WHERE n < limit`.
RecursiveCteOperator::PlanFactory Term(std::shared_ptr<WorkTable> table, ExpressionPtr step,
                                       int64_t limit) {
  return [table, step, limit]() -> Result<PhysicalOperatorPtr> {
    PhysicalOperatorPtr scan =
        std::make_unique<TableScan>(std::make_unique<WorkTableScan>(NumberSchema(), table));
    ExpressionPtr below = Expression::Function(BigIntOp(BinaryOp::kLess),
                                               {Col(0, LogicalType::BigInt()), Lit(I(limit))});
    auto filter = std::make_unique<FilterOperator>(std::move(scan), below);
    return std::make_unique<ProjectionOperator>(std::move(filter), std::vector<ExpressionPtr>{step},
                                                std::vector<std::string>{"n"});
  };
}

ExpressionPtr PlusOne() {
  return Expression::Function(BigIntOp(BinaryOp::kAdd), {Col(0, LogicalType::BigInt()), Lit(I(1))});
}

class RecursiveCteTest : public ::testing::TestWithParam<int> {};

TEST_P(RecursiveCteTest, UnionAllRunsUntilAnIterationAddsNothing) {
  auto table = std::make_shared<WorkTable>();
  TestTable anchor{{{"n", LogicalType::BigInt()}}, {{I(1)}, {I(10)}}};
  auto plan = std::make_unique<RecursiveCteOperator>(NumberSchema(), "t", anchor.Scan(),
                                                     Term(table, PlusOne(), 4), table, true, 100);
  EXPECT_EQ(Sorted(RunPlan(std::move(plan), WithThreads(GetParam()))),
            (std::vector<std::string>{"1", "10", "2", "3", "4"}));
}

TEST_P(RecursiveCteTest, UnionDropsRowsSeenBeforeSoCyclesEnd) {
  auto table = std::make_shared<WorkTable>();
  TestTable anchor{{{"n", LogicalType::BigInt()}}, {{I(1)}, {I(1)}, {NullBigInt()}}};
  // n stays n: every iteration repeats its input, which UNION drops.
  auto plan = std::make_unique<RecursiveCteOperator>(
      NumberSchema(), "t", anchor.Scan(), Term(table, Col(0, LogicalType::BigInt()), 100), table,
      false, 100);
  EXPECT_EQ(Sorted(RunPlan(std::move(plan), WithThreads(GetParam()))),
            (std::vector<std::string>{"1", "NULL"}));
}

TEST_P(RecursiveCteTest, FailsPastTheIterationCap) {
  auto table = std::make_shared<WorkTable>();
  TestTable anchor{{{"n", LogicalType::BigInt()}}, {{I(1)}}};
  auto plan = std::make_unique<RecursiveCteOperator>(NumberSchema(), "t", anchor.Scan(),
                                                     Term(table, PlusOne(), 1000), table, true, 5);
  auto batches = Executor::Collect(std::move(plan), WithThreads(GetParam()));
  ASSERT_FALSE(batches.ok());
  EXPECT_EQ(batches.status().sql_state(), "54001");
}

INSTANTIATE_TEST_SUITE_P(Threads, RecursiveCteTest, ::testing::Values(1, 4));

}  // namespace
}  // namespace floe::sql::execution
