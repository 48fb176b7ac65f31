#include "sql/execution/runtime_filter.h"

#include <random>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sql/execution/operators/hash_join.h"
#include "unit/sql/execution/test_tables.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

vector::Vector BigInts(const std::vector<std::optional<int64_t>>& values) {
  vector::VectorBuilder builder(LogicalType::BigInt());
  for (const auto& value : values) {
    EXPECT_TRUE((value.has_value() ? builder.Append<int64_t>(*value) : builder.AppendNull()).ok());
  }
  return builder.Finish().value();
}

std::vector<uint32_t> Probe(const RuntimeFilter& filter, const vector::Vector& values) {
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> offsets;
  std::vector<uint32_t> kept;
  filter.Probe(values, bytes, offsets, kept);
  return kept;
}

TEST(RuntimeFilterTest, KeepsEveryBuildKeyAndDropsNulls) {
  RuntimeFilter filter(1, LogicalType::BigInt(), "k");
  EXPECT_FALSE(filter.is_ready());
  ASSERT_TRUE(filter.Build(BigInts({5, std::nullopt, -3, 5, 1000}), {}, nullptr).ok());
  filter.Publish();
  ASSERT_TRUE(filter.is_ready());
  EXPECT_EQ(filter.num_keys(), 4);
  EXPECT_EQ(filter.min()->bigint_value(), -3);
  EXPECT_EQ(filter.max()->bigint_value(), 1000);
  // Rows 0, 2 and 4 hold build keys; NULL never matches an `=` key.
  std::vector<uint32_t> kept = Probe(filter, BigInts({5, std::nullopt, 1000, 7, -3}));
  EXPECT_EQ(kept, (std::vector<uint32_t>{0, 2, 4}));
}

TEST(RuntimeFilterTest, HasNoFalseNegativesAndFewFalsePositives) {
  std::mt19937_64 random(42);
  std::vector<std::optional<int64_t>> build;
  std::unordered_set<int64_t> keys;
  for (int i = 0; i < 100000; ++i) {
    const auto key = static_cast<int64_t>(random() % 100000000);
    build.emplace_back(key);
    keys.insert(key);
  }
  RuntimeFilter filter(1, LogicalType::BigInt(), "k");
  ASSERT_TRUE(filter.Build(BigInts(build), {}, nullptr).ok());
  filter.Publish();
  EXPECT_EQ(Probe(filter, BigInts(build)).size(), build.size());
  std::vector<std::optional<int64_t>> others;
  for (int64_t value = 200000000; others.size() < 200000; ++value) {
    others.emplace_back(value);
  }
  // 16 bits per key: well under 2% of keys that are not there get through.
  EXPECT_LT(Probe(filter, BigInts(others)).size(), others.size() / 50);
}

TEST(RuntimeFilterTest, SmallFiltersAreNearlyExact) {
  RuntimeFilter filter(1, LogicalType::BigInt(), "k");
  ASSERT_TRUE(filter.Build(BigInts({1, 7, 32}), {}, nullptr).ok());
  filter.Publish();
  std::vector<std::optional<int64_t>> probe;
  for (int64_t value = 1; value <= 200000; ++value) {
    probe.emplace_back(value);
  }
  std::vector<uint32_t> kept = Probe(filter, BigInts(probe));
  EXPECT_GE(kept.size(), 3u);
  EXPECT_LE(kept.size(), 5u);
}

TEST(RuntimeFilterTest, EmptyBuildSideKeepsNothing) {
  RuntimeFilter filter(1, LogicalType::BigInt(), "k");
  ASSERT_TRUE(filter.Build(BigInts({std::nullopt}), {}, nullptr).ok());
  filter.Publish();
  EXPECT_TRUE(filter.is_ready());
  EXPECT_FALSE(filter.min().has_value());
  EXPECT_TRUE(Probe(filter, BigInts({1, 2, std::nullopt})).empty());
}

TEST(RuntimeFilterTest, StringKeys) {
  vector::VectorBuilder build(LogicalType::Varchar());
  ASSERT_TRUE(build.AppendString("apple").ok());
  ASSERT_TRUE(build.AppendString("pear").ok());
  RuntimeFilter filter(1, LogicalType::Varchar(), "k");
  ASSERT_TRUE(filter.Build(build.Finish().value(), {}, nullptr).ok());
  filter.Publish();
  EXPECT_FALSE(filter.min().has_value());
  vector::VectorBuilder probe(LogicalType::Varchar());
  for (const char* value : {"pear", "plum", "apple", "apples"}) {
    ASSERT_TRUE(probe.AppendString(value).ok());
  }
  EXPECT_EQ(Probe(filter, probe.Finish().value()), (std::vector<uint32_t>{0, 2}));
}

TEST(RuntimeFilterTest, ChargesItsTracker) {
  MemoryTracker tracker("query", 16);
  RuntimeFilter filter(1, LogicalType::BigInt(), "k");
  std::vector<std::optional<int64_t>> build;
  for (int64_t value = 0; value < 1000; ++value) {
    build.emplace_back(value);
  }
  EXPECT_EQ(filter.Build(BigInts(build), {}, &tracker).code(), StatusCode::kResourceExhausted);
}

// A join whose build side holds keys 2 and 3 filters the scan of its probe side: rows of other
// keys never reach the join, and the scan's EXPLAIN line says how many rows it kept.
TEST(RuntimeFilterTest, JoinFiltersTheScanOfItsProbeSide) {
  TestTable probe{{{"id", LogicalType::BigInt()}}, {}};
  for (int64_t i = 0; i < 100; ++i) {
    probe.rows.push_back({i % 10 == 9 ? NullBigInt() : I(i % 10)});
  }
  TestTable build{{{"id", LogicalType::BigInt()}}, {{I(2)}, {I(3)}, {NullBigInt()}}};
  auto scan =
      std::make_unique<TableScan>(std::make_unique<BatchSource>(probe.Schema(), probe.Batches(7)));
  auto filter = std::make_shared<RuntimeFilter>(1, LogicalType::BigInt(), "id");
  scan->AddRuntimeFilter(filter, Col(0, LogicalType::BigInt(), "id"));
  auto join =
      std::make_unique<HashJoinOperator>(std::move(scan), build.Scan(), JoinType::kInner,
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())});
  ASSERT_TRUE(join->CanFilterProbeSide(0));
  join->AddRuntimeFilter(0, filter);
  auto stream = Executor::Execute(std::move(join), WithThreads(2)).value();
  int64_t rows = 0;
  while (auto batch = stream->Next().value()) {
    rows += batch->num_rows();
  }
  EXPECT_EQ(rows, 20);
  const std::string explain = stream->Explain({.analyze = true, .timing = false});
  EXPECT_NE(explain.find("runtime filter #1: #0, from 2 build keys"), std::string::npos) << explain;
  EXPECT_NE(explain.find("runtime filter #1: id, kept 20 of 100 rows"), std::string::npos)
      << explain;
}

// The build side is the preserved one: probe rows without a build key can neither match a
// build row (RIGHT SEMI) nor keep one out (RIGHT ANTI), so the filter drops them at the scan.
TEST(RuntimeFilterTest, RightSemiAndAntiJoinsFilterTheirProbeSide) {
  TestTable probe{{{"id", LogicalType::BigInt()}}, {}};
  for (int64_t i = 0; i < 100; ++i) {
    probe.rows.push_back({i % 10 == 9 ? NullBigInt() : I(i % 10)});
  }
  TestTable build{{{"id", LogicalType::BigInt()}}, {{I(2)}, {I(3)}, {NullBigInt()}, {I(42)}}};
  for (const auto& [type, expected] :
       {std::pair{JoinType::kRightSemi, std::vector<std::string>{"2", "3"}},
        std::pair{JoinType::kRightAnti, std::vector<std::string>{"42", "NULL"}}}) {
    SCOPED_TRACE(JoinTypeName(type));
    auto scan = std::make_unique<TableScan>(
        std::make_unique<BatchSource>(probe.Schema(), probe.Batches(7)));
    auto filter = std::make_shared<RuntimeFilter>(1, LogicalType::BigInt(), "id");
    scan->AddRuntimeFilter(filter, Col(0, LogicalType::BigInt(), "id"));
    auto join = std::make_unique<HashJoinOperator>(
        std::move(scan), build.Scan(), type,
        std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
        std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())});
    join->AddRuntimeFilter(0, filter);
    auto stream = Executor::Execute(std::move(join), WithThreads(2)).value();
    std::vector<vector::Batch> batches;
    while (auto batch = stream->Next().value()) {
      batches.push_back(std::move(*batch));
    }
    EXPECT_EQ(Sorted(RowStrings(batches)), expected);
    const std::string explain = stream->Explain({.analyze = true, .timing = false});
    EXPECT_NE(explain.find("runtime filter #1: id, kept 20 of 100 rows"), std::string::npos)
        << explain;
  }
}

TEST(RuntimeFilterTest, OnlyJoinsThatDropUnmatchedProbeRowsFilter) {
  TestTable table{{{"id", LogicalType::BigInt()}}, {{I(1)}}};
  auto join = [&](JoinType type, std::vector<bool> null_equals_null = {}) {
    return HashJoinOperator(table.Scan(), table.Scan(), type,
                            std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
                            std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())}, nullptr,
                            std::move(null_equals_null));
  };
  for (JoinType type : {JoinType::kInner, JoinType::kSemi, JoinType::kRight, JoinType::kRightSemi,
                        JoinType::kRightAnti}) {
    EXPECT_TRUE(join(type).CanFilterProbeSide(0)) << JoinTypeName(type);
  }
  for (JoinType type : {JoinType::kLeft, JoinType::kFull, JoinType::kAnti, JoinType::kNullAwareAnti,
                        JoinType::kMark}) {
    EXPECT_FALSE(join(type).CanFilterProbeSide(0)) << JoinTypeName(type);
  }
  EXPECT_FALSE(join(JoinType::kSemi, {true}).CanFilterProbeSide(0));
}

}  // namespace
}  // namespace floe::sql::execution
