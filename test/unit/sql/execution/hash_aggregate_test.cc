#include "sql/execution/operators/hash_aggregate.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "sql/execution/executor.h"
#include "sql/execution/operators/filter.h"
#include "sql/execution/sources/batch_source.h"
#include "sql/execution/sources/generate_series.h"
#include "sql/functions/aggregate/ordered_aggregate.h"
#include "sql/functions/function_registry.h"
#include "unit/sql/execution/test_functions.h"
#include "unit/sql/execution/test_tables.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

TestTable Sales() {
  return {{{"region", LogicalType::Varchar()}, {"amount", LogicalType::BigInt()}},
          {{S("east"), I(10)},
           {S("west"), I(5)},
           {NullVarchar(), I(7)},
           {S("east"), NullBigInt()},
           {S("east"), I(10)},
           {NullVarchar(), I(1)},
           {S("west"), I(5)},
           {S("north"), NullBigInt()}}};
}

AggregateSpec Aggregate(AggregateKind kind, std::vector<ExpressionPtr> arguments,
                        bool is_distinct = false) {
  return {BigIntAggregate(kind), std::move(arguments), is_distinct, ""};
}

class HashAggregateTest : public ::testing::TestWithParam<int> {};

TEST_P(HashAggregateTest, GroupsIncludingNull) {
  auto amount = Col(1, LogicalType::BigInt());
  std::vector<AggregateSpec> aggregates;
  aggregates.push_back(Aggregate(AggregateKind::kSum, {amount}));
  aggregates.push_back(Aggregate(AggregateKind::kCount, {amount}));
  aggregates.push_back(Aggregate(AggregateKind::kCountStar, {}));
  aggregates.push_back(Aggregate(AggregateKind::kSum, {amount}, true));
  aggregates.push_back(Aggregate(AggregateKind::kCount, {amount}, true));
  auto plan = std::make_unique<HashAggregateOperator>(
      Sales().Scan(), std::vector<ExpressionPtr>{Col(0, LogicalType::Varchar())},
      std::move(aggregates));
  // region | sum | count | count(*) | sum(DISTINCT) | count(DISTINCT)
  EXPECT_EQ(Sorted(RunPlan(std::move(plan), WithThreads(GetParam()))),
            (std::vector<std::string>{"NULL|8|2|2|8|2", "east|20|2|3|10|1", "north|NULL|0|1|NULL|0",
                                      "west|10|2|2|5|1"}));
}

// Batches whose region key is dictionary-encoded as the Parquet reader hands it out: a
// dictionary holding "east" twice, and NULL rows marked in the validity whose indices are
// arbitrary (99).
PhysicalOperatorPtr ScanDictionaryRegions() {
  auto schema = std::make_shared<const vector::Schema>(std::vector<vector::Field>{
      {"region", LogicalType::Varchar()}, {"amount", LogicalType::BigInt()}});
  vector::VectorBuilder words(LogicalType::Varchar());
  for (const char* word : {"east", "west", "east"}) {
    EXPECT_TRUE(words.AppendString(word).ok());
  }
  auto dictionary = std::make_shared<const vector::Vector>(words.Finish().value());
  auto batch = [&](std::vector<int32_t> indices, std::vector<bool> valid,
                   std::vector<int64_t> amounts) {
    const auto rows = static_cast<int64_t>(indices.size());
    auto index_buffer = vector::Buffer::Allocate(rows * 4).value();
    std::memcpy(index_buffer->mutable_data(), indices.data(), indices.size() * 4);
    std::shared_ptr<vector::Buffer> validity;
    if (std::find(valid.begin(), valid.end(), false) != valid.end()) {
      validity = vector::Buffer::AllocateZeroed(vector::BitmapBytes(rows)).value();
      for (int64_t r = 0; r < rows; ++r) {
        if (valid[static_cast<size_t>(r)]) {
          vector::SetBit(validity->mutable_data(), r);
        }
      }
    }
    vector::VectorBuilder amount(LogicalType::BigInt());
    for (int64_t value : amounts) {
      EXPECT_TRUE(amount.Append<int64_t>(value).ok());
    }
    return vector::Batch::Make(
               schema,
               {vector::Vector::MakeDictionary(dictionary, rows, 0, index_buffer, validity).value(),
                amount.Finish().value()},
               rows)
        .value();
  };
  std::vector<vector::Batch> batches;
  batches.push_back(batch({0, 1, 2, 99}, {true, true, true, false}, {1, 2, 3, 4}));
  batches.push_back(batch({2, 2, 1, 0}, {true, true, true, true}, {10, 20, 30, 40}));
  batches.push_back(batch({99, 1, 0, 99}, {false, true, true, false}, {100, 200, 300, 400}));
  return std::make_unique<TableScan>(std::make_unique<BatchSource>(schema, std::move(batches)));
}

TEST_P(HashAggregateTest, DictionaryKeysGroupByValueIncludingNull) {
  auto make_aggregates = [] {
    std::vector<AggregateSpec> aggregates;
    aggregates.push_back(Aggregate(AggregateKind::kSum, {Col(1, LogicalType::BigInt())}));
    aggregates.push_back(Aggregate(AggregateKind::kCountStar, {}));
    return aggregates;
  };
  auto plan = std::make_unique<HashAggregateOperator>(
      ScanDictionaryRegions(), std::vector<ExpressionPtr>{Col(0, LogicalType::Varchar())},
      make_aggregates());
  EXPECT_EQ(Sorted(RunPlan(std::move(plan), WithThreads(GetParam()))),
            (std::vector<std::string>{"NULL|504|3", "east|374|6", "west|232|3"}));
  // The same after a filter, which keeps the dictionary and the NULLs of the rows it keeps.
  auto filter = std::make_unique<FilterOperator>(
      ScanDictionaryRegions(), Expression::Function(BigIntOp(BinaryOp::kNotEqual),
                                                    {Col(1, LogicalType::BigInt()), Lit(I(3))}));
  plan = std::make_unique<HashAggregateOperator>(
      std::move(filter), std::vector<ExpressionPtr>{Col(0, LogicalType::Varchar())},
      make_aggregates());
  EXPECT_EQ(Sorted(RunPlan(std::move(plan), WithThreads(GetParam()))),
            (std::vector<std::string>{"NULL|504|3", "east|371|5", "west|232|3"}));
}

TEST_P(HashAggregateTest, UngroupedAggregateReturnsOneRowEvenWithoutInput) {
  auto amount = Col(1, LogicalType::BigInt());
  auto make = [&](TestTable table) {
    std::vector<AggregateSpec> aggregates;
    aggregates.push_back(Aggregate(AggregateKind::kSum, {amount}));
    aggregates.push_back(Aggregate(AggregateKind::kCountStar, {}));
    aggregates.push_back(Aggregate(AggregateKind::kMin, {amount}));
    return std::make_unique<HashAggregateOperator>(table.Scan(), std::vector<ExpressionPtr>{},
                                                   std::move(aggregates));
  };
  EXPECT_EQ(RunPlan(make(Sales()), WithThreads(GetParam())), (std::vector<std::string>{"38|8|1"}));
  TestTable empty = Sales();
  empty.rows.clear();
  EXPECT_EQ(RunPlan(make(empty), WithThreads(GetParam())),
            (std::vector<std::string>{"NULL|0|NULL"}));
}

TEST_P(HashAggregateTest, GroupByWithoutAggregatesIsDistinct) {
  auto plan = std::make_unique<HashAggregateOperator>(
      Sales().Scan(1),
      std::vector<ExpressionPtr>{Col(0, LogicalType::Varchar()), Col(1, LogicalType::BigInt())},
      std::vector<AggregateSpec>{});
  EXPECT_EQ(Sorted(RunPlan(std::move(plan), WithThreads(GetParam()))),
            (std::vector<std::string>{"NULL|1", "NULL|7", "east|10", "east|NULL", "north|NULL",
                                      "west|5"}));
}

TEST_P(HashAggregateTest, ManyGroupsAcrossThreads) {
  TestTable table{{{"k", LogicalType::BigInt()}, {"v", LogicalType::BigInt()}}, {}};
  for (int i = 0; i < 30000; ++i) {
    table.rows.push_back({I(i % 5000), I(1)});
  }
  std::vector<AggregateSpec> aggregates;
  aggregates.push_back(Aggregate(AggregateKind::kSum, {Col(1, LogicalType::BigInt())}));
  auto plan = std::make_unique<HashAggregateOperator>(
      table.Scan(1000), std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
      std::move(aggregates));
  auto rows = RunPlan(std::move(plan), WithThreads(GetParam()));
  ASSERT_EQ(rows.size(), 5000u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.substr(row.find('|')), "|6");
  }
}

TEST_P(HashAggregateTest, AggregateErrorsPropagate) {
  TestTable table{{{"v", LogicalType::BigInt()}}, {{I(INT64_MAX)}, {I(1)}}};
  std::vector<AggregateSpec> aggregates;
  aggregates.push_back(Aggregate(AggregateKind::kSum, {Col(0, LogicalType::BigInt())}));
  auto plan = std::make_unique<HashAggregateOperator>(table.Scan(5), std::vector<ExpressionPtr>{},
                                                      std::move(aggregates));
  auto result = Executor::Collect(std::move(plan), WithThreads(GetParam()));
  EXPECT_EQ(result.status().code(), StatusCode::kOutOfRange);
}

// string_agg(v::text, ',' ORDER BY v DESC) over (k, v) rows: arguments v and ',', sorted by v.
AggregateSpec OrderedStringAgg() {
  std::vector<LogicalType> types = {LogicalType::Varchar(), LogicalType::Varchar()};
  auto inner = FunctionRegistry::Default().ResolveAggregate("string_agg", types);
  EXPECT_TRUE(inner.ok());
  AggregateSpec spec;
  spec.function =
      MakeOrderedAggregate(std::move(*inner), 2, types, {AggregateOrderKey{0, true, false}}, false);
  spec.arguments = {Col(1, LogicalType::Varchar()), Lit(S(","))};
  return spec;
}

// Runs string_agg ordered by value over `table` and expects it to fail the budget of `options`.
void ExpectOrderedStringAggFails(const TestTable& table, const ExecutorOptions& options) {
  std::vector<AggregateSpec> aggregates;
  aggregates.push_back(OrderedStringAgg());
  auto plan = std::make_unique<HashAggregateOperator>(
      table.Scan(1000), std::vector<ExpressionPtr>{}, std::move(aggregates));
  auto result = Executor::Collect(std::move(plan), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
}

// Rows of many groups reach several threads in small batches, each thread building partial
// states; every group's string still lists its values in order.
TEST_P(HashAggregateTest, OrderedAggregateKeepsOrderAcrossThreads) {
  TestTable table{{{"k", LogicalType::BigInt()}, {"v", LogicalType::Varchar()}}, {}};
  for (int i = 0; i < 4000; ++i) {
    table.rows.push_back({I(i % 20), S(std::to_string(1000 + (i * 7919) % 4000))});
  }
  std::vector<AggregateSpec> aggregates;
  aggregates.push_back(OrderedStringAgg());
  auto plan = std::make_unique<HashAggregateOperator>(
      table.Scan(100), std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
      std::move(aggregates));
  auto rows = RunPlan(std::move(plan), WithThreads(GetParam()));
  ASSERT_EQ(rows.size(), 20u);
  for (const std::string& row : rows) {
    std::string list = row.substr(row.find('|') + 1);
    std::vector<std::string> values;
    for (size_t start = 0; start <= list.size();) {
      size_t end = std::min(list.find(',', start), list.size());
      values.push_back(list.substr(start, end - start));
      start = end + 1;
    }
    ASSERT_EQ(values.size(), 200u) << row;
    EXPECT_TRUE(std::is_sorted(values.rbegin(), values.rend())) << row;
  }
}

// 50,000 rows of one group, each with a distinct string of about 45 bytes: more than a
// 2 MiB budget holds once an ordered aggregate buffers them.
TestTable LongStringsInOneGroup() {
  TestTable table{{{"k", LogicalType::BigInt()}, {"v", LogicalType::Varchar()}}, {}};
  for (int i = 0; i < 50000; ++i) {
    table.rows.push_back({I(0), S(std::string(40, 'x') + std::to_string(i))});
  }
  return table;
}

// The buffered rows are charged to the query's budget, so a large input fails cleanly.
TEST_P(HashAggregateTest, OrderedAggregateOverTheBudgetFails) {
  TestTable table = LongStringsInOneGroup();
  MemoryTracker tracker("query", 2 << 20);
  auto options = WithThreads(GetParam());
  options.tracker = &tracker;
  // The same input fits when nothing buffers it.
  std::vector<AggregateSpec> counts;
  counts.push_back(Aggregate(AggregateKind::kCountStar, {}));
  EXPECT_EQ(RunPlan(std::make_unique<HashAggregateOperator>(
                        table.Scan(1000), std::vector<ExpressionPtr>{}, std::move(counts)),
                    options),
            (std::vector<std::string>{"50000"}));
  ExpectOrderedStringAggFails(table, options);
}

PhysicalOperatorPtr Series(int64_t start, int64_t stop) {
  return std::make_unique<TableScan>(
      GenerateSeries::Integers(LogicalType::BigInt(), start, stop, 1).value());
}

// Half a million groups need far more than 4 MiB per thread (the scan's morsels take about
// 1 MiB per thread of that): the aggregate spills its partitions, merges them a part at a
// time, and leaves nothing behind in the temp directory.
TEST_P(HashAggregateTest, SpillsWhenOverTheBudget) {
  for (bool is_distinct : {false, true}) {
    // Named by process: test binaries of several builds may run at once.
    std::filesystem::path temp = std::filesystem::path(::testing::TempDir()) /
                                 ("aggregate_spill_" + std::to_string(::getpid()));
    std::filesystem::remove_all(temp);
    MemoryTracker tracker("query", int64_t{4 << 20} * GetParam());
    auto options = WithThreads(GetParam());
    options.tracker = &tracker;
    options.temp_directory = temp.string();
    auto value = Col(0, LogicalType::BigInt());
    std::vector<AggregateSpec> inner;
    inner.push_back(Aggregate(AggregateKind::kSum, {value}));
    inner.push_back(Aggregate(AggregateKind::kCount, {value}, is_distinct));
    auto grouped = std::make_unique<HashAggregateOperator>(
        Series(1, 500'000), std::vector<ExpressionPtr>{value}, std::move(inner));
    HashAggregateOperator* spilling = grouped.get();
    std::vector<AggregateSpec> outer;
    outer.push_back(Aggregate(AggregateKind::kCountStar, {}));
    outer.push_back(Aggregate(AggregateKind::kSum, {Col(1, LogicalType::BigInt())}));
    outer.push_back(Aggregate(AggregateKind::kSum, {Col(2, LogicalType::BigInt())}));
    auto plan = std::make_unique<HashAggregateOperator>(
        std::move(grouped), std::vector<ExpressionPtr>{}, std::move(outer));
    auto stream = Executor::Execute(std::move(plan), options);
    ASSERT_TRUE(stream.ok()) << stream.status().ToString();
    std::vector<vector::Batch> batches;
    while (true) {
      auto batch = (*stream)->Next();
      ASSERT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch->has_value()) {
        break;
      }
      batches.push_back(std::move(**batch));
    }
    EXPECT_EQ(RowStrings(batches), (std::vector<std::string>{"500000|125000250000|500000"}));
    EXPECT_GT(spilling->profile().spilled_files.load(), 0);
    EXPECT_GT(spilling->profile().spilled_bytes.load(), 4 << 20);
    batches.clear();
    stream->reset();
    EXPECT_TRUE(std::filesystem::is_empty(temp)) << "spill files left behind";
    EXPECT_EQ(tracker.used(), 0);
  }
}

// Ordered aggregates keep values whose states own memory: they cannot spill and still fail
// cleanly, never with a wrong answer.
TEST_P(HashAggregateTest, AggregateThatCannotSpillFailsCleanly) {
  TestTable table = LongStringsInOneGroup();
  MemoryTracker tracker("query", 2 << 20);
  auto options = WithThreads(GetParam());
  options.tracker = &tracker;
  options.temp_directory = (std::filesystem::path(::testing::TempDir()) /
                            ("aggregate_no_spill_" + std::to_string(::getpid())))
                               .string();
  ExpectOrderedStringAggFails(table, options);
}

INSTANTIATE_TEST_SUITE_P(Threads, HashAggregateTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace floe::sql::execution
