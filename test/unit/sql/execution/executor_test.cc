#include "sql/execution/executor.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "sql/execution/operators/filter.h"
#include "sql/execution/operators/hash_aggregate.h"
#include "sql/execution/operators/hash_join.h"
#include "sql/execution/operators/limit.h"
#include "sql/execution/operators/projection.h"
#include "sql/execution/operators/sort.h"
#include "sql/execution/operators/union_all.h"
#include "sql/execution/pipeline.h"
#include "sql/execution/sources/generate_series.h"
#include "types/temporal.h"
#include "unit/sql/execution/test_functions.h"
#include "unit/sql/execution/test_tables.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

PhysicalOperatorPtr Series(int64_t start, int64_t stop, int64_t step = 1) {
  return std::make_unique<TableScan>(
      GenerateSeries::Integers(LogicalType::BigInt(), start, stop, step).value());
}

class ExecutorTest : public ::testing::TestWithParam<int> {
 protected:
  ExecutorOptions Options() { return WithThreads(GetParam()); }
};

TEST_P(ExecutorTest, FilterAndProjection) {
  auto x = Col(0, LogicalType::BigInt(), "x");
  auto less = BigIntOp(BinaryOp::kLess);
  auto plus = BigIntOp(BinaryOp::kAdd);
  auto filter =
      std::make_unique<FilterOperator>(Series(1, 10), Expression::Function(less, {x, Lit(I(4))}));
  auto projection = std::make_unique<ProjectionOperator>(
      std::move(filter),
      std::vector<ExpressionPtr>{x, Expression::Function(plus, {x, Lit(I(100))}), Lit(S("c"))},
      std::vector<std::string>{"x", "y", "c"});
  EXPECT_EQ(projection->output_schema()->field(1).name, "y");
  EXPECT_EQ(Sorted(RunPlan(std::move(projection), Options())),
            (std::vector<std::string>{"1|101|c", "2|102|c", "3|103|c"}));
}

TEST_P(ExecutorTest, LimitIsExactAcrossThreads) {
  // 1,000,000 rows in eight morsels; the limit keeps exactly 12345 of them.
  auto limit = std::make_unique<LimitOperator>(Series(1, 1'000'000), 12345, 10);
  EXPECT_EQ(RunPlan(std::move(limit), Options()).size(), 12345u);
  auto offset_only = std::make_unique<LimitOperator>(Series(1, 100), -1, 90);
  EXPECT_EQ(RunPlan(std::move(offset_only), Options()).size(), 10u);
  auto past_the_end = std::make_unique<LimitOperator>(Series(1, 100), 5, 200);
  EXPECT_TRUE(RunPlan(std::move(past_the_end), Options()).empty());
}

TEST_P(ExecutorTest, UnionAllKeepsEveryRow) {
  std::vector<PhysicalOperatorPtr> children;
  children.push_back(Series(1, 3));
  children.push_back(Series(2, 4));
  auto plan = std::make_unique<UnionAllOperator>(std::move(children));
  EXPECT_EQ(Sorted(RunPlan(std::move(plan), Options())),
            (std::vector<std::string>{"1", "2", "2", "3", "3", "4"}));
}

TEST_P(ExecutorTest, UnionAllUnderAnAggregate) {
  std::vector<PhysicalOperatorPtr> children;
  children.push_back(Series(1, 1000));
  children.push_back(Series(1, 1000));
  auto plan = std::make_unique<HashAggregateOperator>(
      std::make_unique<UnionAllOperator>(std::move(children)), std::vector<ExpressionPtr>{},
      std::vector<AggregateSpec>{
          {BigIntAggregate(AggregateKind::kSum), {Col(0, LogicalType::BigInt())}, false, "total"}});
  EXPECT_EQ(RunPlan(std::move(plan), Options()), (std::vector<std::string>{"1001000"}));
}

TEST_P(ExecutorTest, GenerateSeries) {
  EXPECT_EQ(RunPlan(Series(10, 1, -4), Options()), (std::vector<std::string>{"10", "6", "2"}));
  EXPECT_TRUE(RunPlan(Series(5, 1), Options()).empty());
  EXPECT_EQ(GenerateSeries::Integers(LogicalType::BigInt(), 1, 2, 0).status().code(),
            StatusCode::kInvalidArgument);
  int64_t start = types::ParseTimestamp("2024-01-31 00:00:00").value();
  int64_t stop = types::ParseTimestamp("2024-05-01 00:00:00").value();
  auto months = std::make_unique<TableScan>(
      GenerateSeries::Timestamps(LogicalType::Timestamp(), start, stop, types::Interval{1, 0, 0})
          .value());
  // As in PostgreSQL, each step adds a month to the previous value.
  EXPECT_EQ(RunPlan(std::move(months), Options()),
            (std::vector<std::string>{"2024-01-31 00:00:00", "2024-02-29 00:00:00",
                                      "2024-03-29 00:00:00", "2024-04-29 00:00:00"}));
  auto hours = std::make_unique<TableScan>(
      GenerateSeries::Timestamps(LogicalType::Timestamp(), start, start + 3 * 3'600'000'000LL,
                                 types::Interval{0, 0, 3'600'000'000LL})
          .value());
  EXPECT_EQ(RunPlan(std::move(hours), Options()).size(), 4u);
}

TEST_P(ExecutorTest, JoinAggregateSortPlan) {
  // SELECT a.x % ... : join series 1..1000 with 500..1500 on x, then count and sort.
  auto join =
      std::make_unique<HashJoinOperator>(Series(1, 1000), Series(500, 1500), JoinType::kInner,
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())});
  auto aggregate = std::make_unique<HashAggregateOperator>(
      std::move(join), std::vector<ExpressionPtr>{},
      std::vector<AggregateSpec>{
          {BigIntAggregate(AggregateKind::kCountStar), {}, false, "n"},
          {BigIntAggregate(AggregateKind::kSum), {Col(1, LogicalType::BigInt())}, false, "s"}});
  EXPECT_EQ(RunPlan(std::move(aggregate), Options()), (std::vector<std::string>{"501|375750"}));
}

TEST_P(ExecutorTest, MemoryBudgetExceededIsResourceExhausted) {
  MemoryTracker tracker("query", 8 * 1024 * 1024);
  ExecutorOptions options = Options();
  options.tracker = &tracker;
  auto aggregate = std::make_unique<HashAggregateOperator>(
      Series(1, 2'000'000), std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
      std::vector<AggregateSpec>{});
  auto result = Executor::Collect(std::move(aggregate), options);
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  auto sort = std::make_unique<SortOperator>(
      Series(1, 2'000'000), std::vector<SortKey>{{Col(0, LogicalType::BigInt()), false, {}}});
  EXPECT_EQ(Executor::Collect(std::move(sort), options).status().code(),
            StatusCode::kResourceExhausted);
  auto join =
      std::make_unique<HashJoinOperator>(Series(1, 10), Series(1, 2'000'000), JoinType::kInner,
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())});
  EXPECT_EQ(Executor::Collect(std::move(join), options).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(tracker.used(), 0);
}

TEST_P(ExecutorTest, CancellationStopsTheQuery) {
  auto stream = Executor::Execute(Series(1, 4'000'000'000LL), Options());
  ASSERT_TRUE(stream.ok());
  auto first = (*stream)->Next();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  (*stream)->Cancel();
  Status status;
  for (int i = 0; i < 1'000'000; ++i) {
    auto next = (*stream)->Next();
    if (!next.ok()) {
      status = next.status();
      break;
    }
    ASSERT_TRUE(next->has_value()) << "the query ended without being cancelled";
  }
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_EQ(status.sql_state(), "57014");
}

// A cross join makes its pairs inside one operator call: a cancel must stop it there too.
TEST_P(ExecutorTest, CancellationStopsACrossJoin) {
  MemoryTracker tracker("query", int64_t{1} << 30);
  ExecutorOptions options = Options();
  options.tracker = &tracker;
  auto join = std::make_unique<HashJoinOperator>(Series(1, 100'000), Series(1, 100'000),
                                                 JoinType::kInner, std::vector<ExpressionPtr>{},
                                                 std::vector<ExpressionPtr>{});
  auto count = std::make_unique<HashAggregateOperator>(
      std::move(join), std::vector<ExpressionPtr>{},
      std::vector<AggregateSpec>{{BigIntAggregate(AggregateKind::kCountStar), {}, false, "n"}});
  auto stream = Executor::Execute(std::move(count), options);
  ASSERT_TRUE(stream.ok());
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    (*stream)->Cancel();
  });
  auto started = std::chrono::steady_clock::now();
  auto next = (*stream)->Next();
  canceller.join();
  ASSERT_FALSE(next.ok()) << "10^10 pairs counted before the cancel";
  EXPECT_EQ(next.status().code(), StatusCode::kCancelled) << next.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST_P(ExecutorTest, DestroyingAStreamStopsTheQuery) {
  auto stream = Executor::Execute(Series(1, 4'000'000'000LL), Options());
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->Next().ok());
  stream->reset();  // Must return promptly, having stopped the background work.
}

TEST_P(ExecutorTest, ExplainAnalyzeCountsRows) {
  auto x = Col(0, LogicalType::BigInt(), "x");
  auto less = BigIntOp(BinaryOp::kLess);
  auto filter = std::make_unique<FilterOperator>(Series(1, 5000),
                                                 Expression::Function(less, {x, Lit(I(11))}));
  filter->set_estimated_rows(10);
  auto stream = Executor::Execute(std::move(filter), Options());
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->Drain().ok());
  EXPECT_EQ((*stream)->plan().profile().rows_out.load(), 10);
  EXPECT_EQ((*stream)->plan().child(0).profile().rows_out.load(), 5000);
  std::string text = (*stream)->Explain({.analyze = true});
  EXPECT_NE(text.find("FILTER (estimated rows=10) (actual rows=10"), std::string::npos) << text;
  EXPECT_NE(text.find("(x < 11)"), std::string::npos) << text;
  EXPECT_NE(text.find("-> GENERATE_SERIES"), std::string::npos) << text;
  EXPECT_NE(text.find("actual rows=5000"), std::string::npos) << text;
}

TEST(PipelineTest, BreakersSplitPipelines) {
  auto join =
      std::make_unique<HashJoinOperator>(Series(1, 10), Series(1, 10), JoinType::kFull,
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())});
  auto limit = std::make_unique<LimitOperator>(std::move(join), 5, 0);
  auto sort = std::make_unique<SortOperator>(
      std::move(limit), std::vector<SortKey>{{Col(0, LogicalType::BigInt()), false, {}}});
  auto collector = std::make_unique<LimitOperator>(Series(1, 1), 1, 0);  // Stands in as sink.
  auto pipelines = BuildPipelines(*sort, *collector);
  ASSERT_TRUE(pipelines.ok());
  std::vector<std::string> texts;
  for (const auto& pipeline : *pipelines) {
    texts.push_back(pipeline.ToString());
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"GENERATE_SERIES -> HASH_JOIN",
                                             "GENERATE_SERIES -> HASH_JOIN -> LIMIT -> SORT",
                                             "HASH_JOIN -> LIMIT -> SORT", "SORT -> LIMIT"}));
}

INSTANTIATE_TEST_SUITE_P(Threads, ExecutorTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace floe::sql::execution
