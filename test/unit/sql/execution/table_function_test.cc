#include "sql/execution/operators/table_function.h"

#include <gtest/gtest.h>

#include "sql/execution/operators/limit.h"
#include "unit/sql/execution/test_tables.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

// generate_series(1, n) for n = 3, NULL, 0, 2 (and a long series from one row).
TestTable Bounds() {
  return {{{"n", LogicalType::BigInt()}}, {{I(3)}, {NullBigInt()}, {I(0)}, {I(2)}}};
}

PhysicalOperatorPtr Series(PhysicalOperatorPtr input, ExpressionPtr stop, ExpressionPtr step,
                           bool keeps_empty, bool with_ordinality) {
  std::vector<ExpressionPtr> arguments = {Lit(I(1)), std::move(stop), std::move(step)};
  return std::make_unique<TableFunctionOperator>(
      std::move(input), TableFunctionKind::kIntegerSeries, "generate_series", std::move(arguments),
      LogicalType::BigInt(), keeps_empty, with_ordinality);
}

class TableFunctionTest : public ::testing::TestWithParam<int> {};

TEST_P(TableFunctionTest, RepeatsEachRowPerValue) {
  auto plan = Series(Bounds().Scan(), Col(0, LogicalType::BigInt()), Lit(I(1)), false, false);
  EXPECT_EQ(Sorted(RunPlan(std::move(plan), WithThreads(GetParam()))),
            (std::vector<std::string>{"2|1", "2|2", "3|1", "3|2", "3|3"}));
}

TEST_P(TableFunctionTest, KeepsRowsWithoutValuesAndNumbersValues) {
  auto plan = Series(Bounds().Scan(), Col(0, LogicalType::BigInt()), Lit(I(1)), true, true);
  EXPECT_EQ(Sorted(RunPlan(std::move(plan), WithThreads(GetParam()))),
            (std::vector<std::string>{"0|NULL|NULL", "2|1|1", "2|2|2", "3|1|1", "3|2|2", "3|3|3",
                                      "NULL|NULL|NULL"}));
}

TEST_P(TableFunctionTest, DescendingStep) {
  TestTable negative = {{{"n", LogicalType::BigInt()}}, {{I(-2)}, {I(-5)}}};
  auto down = Series(negative.Scan(), Lit(I(-3)), Col(0, LogicalType::BigInt()), false, true);
  EXPECT_EQ(Sorted(RunPlan(std::move(down), WithThreads(GetParam()))),
            (std::vector<std::string>{"-2|-1|2", "-2|-3|3", "-2|1|1", "-5|1|1"}));
}

TEST_P(TableFunctionTest, ZeroStepFails) {
  auto plan = Series(Bounds().Scan(), Lit(I(5)), Col(0, LogicalType::BigInt()), false, false);
  auto batches = Executor::Collect(std::move(plan), WithThreads(GetParam()));
  ASSERT_FALSE(batches.ok());
  EXPECT_EQ(batches.status().sql_state(), "22023");
  EXPECT_NE(batches.status().ToString().find("step size cannot equal zero"), std::string::npos);
}

TEST_P(TableFunctionTest, LongSeriesIsCutIntoBatches) {
  TestTable one = {{{"n", LogicalType::BigInt()}}, {{I(5000)}}};
  auto plan = Series(one.Scan(), Col(0, LogicalType::BigInt()), Lit(I(1)), false, true);
  auto batches = Executor::Collect(std::move(plan), WithThreads(GetParam()));
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  int64_t rows = 0;
  for (const vector::Batch& batch : *batches) {
    EXPECT_LE(batch.num_rows(), vector::Batch::kDefaultBatchSize);
    rows += batch.num_rows();
  }
  EXPECT_EQ(rows, 5000);
  EXPECT_GE(batches->size(), 3u);
}

// Ten million rows of three BIGINT columns kept by the result cannot fit in 4 MiB: the output
// batches are charged to the query's tracker.
TEST_P(TableFunctionTest, OutputIsChargedToTheQuery) {
  MemoryTracker tracker("query", 4 << 20);
  auto options = WithThreads(GetParam());
  options.tracker = &tracker;
  TestTable one = {{{"n", LogicalType::BigInt()}}, {{I(10'000'000)}}};
  auto plan = Series(one.Scan(), Col(0, LogicalType::BigInt()), Lit(I(1)), false, true);
  auto batches = Executor::Collect(std::move(plan), options);
  ASSERT_FALSE(batches.ok());
  EXPECT_EQ(batches.status().code(), StatusCode::kResourceExhausted);
}

// A trillion values from one row: the output streams a batch at a time, so a LIMIT above stops
// it after its first batch instead of waiting for (and holding) all of them.
TEST_P(TableFunctionTest, StreamsLongSeriesIntoALimit) {
  MemoryTracker tracker("query", 4 << 20);
  auto options = WithThreads(GetParam());
  options.tracker = &tracker;
  TestTable one = {{{"n", LogicalType::BigInt()}}, {{I(1'000'000'000'000)}}};
  auto series = Series(one.Scan(), Col(0, LogicalType::BigInt()), Lit(I(1)), false, false);
  auto plan = std::make_unique<LimitOperator>(std::move(series), 3, 0);
  EXPECT_EQ(RunPlan(std::move(plan), options),
            (std::vector<std::string>{"1000000000000|1", "1000000000000|2", "1000000000000|3"}));
}

TEST_P(TableFunctionTest, TimestampSeriesClampsMonths) {
  TestTable starts = {{{"t", LogicalType::Timestamp()}},
                      {{Value::Timestamp(1706659200000000)}}};  // 2024-01-31 00:00
  std::vector<ExpressionPtr> arguments = {
      Col(0, LogicalType::Timestamp()),
      Lit(Value::Timestamp(1714435200000000)),  // 2024-04-30 00:00
      Lit(Value::Interval({1, 0, 0}))};
  auto plan = std::make_unique<TableFunctionOperator>(
      starts.Scan(), TableFunctionKind::kTimestampSeries, "generate_series", std::move(arguments),
      LogicalType::Timestamp(), false, false);
  std::vector<std::string> rows = RunPlan(std::move(plan), WithThreads(GetParam()));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_NE(rows[1].find("2024-02-29"), std::string::npos) << rows[1];
  EXPECT_NE(rows[3].find("2024-04-29"), std::string::npos) << rows[3];
}

INSTANTIATE_TEST_SUITE_P(Threads, TableFunctionTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace floe::sql::execution
