#include "sql/execution/operators/hash_join.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <unistd.h>

#include "sql/execution/executor.h"
#include "unit/sql/execution/test_functions.h"
#include "unit/sql/execution/test_tables.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

// Left: (id, name) with a NULL key and a duplicate key; right: (id, tag) likewise.
TestTable Left() {
  return {
      {{"id", LogicalType::BigInt()}, {"name", LogicalType::Varchar()}},
      {{I(1), S("a")}, {I(2), S("b")}, {I(2), S("b2")}, {NullBigInt(), S("n")}, {I(4), S("d")}}};
}

TestTable Right() {
  return {{{"id", LogicalType::BigInt()}, {"tag", LogicalType::Varchar()}},
          {{I(2), S("x")}, {I(2), S("y")}, {I(3), S("z")}, {NullBigInt(), S("m")}, {I(1), S("w")}}};
}

PhysicalOperatorPtr Join(JoinType type, const TestTable& left, const TestTable& right,
                         ExpressionPtr residual = nullptr) {
  return std::make_unique<HashJoinOperator>(
      left.Scan(), right.Scan(), type, std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
      std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())}, std::move(residual));
}

class HashJoinTest : public ::testing::TestWithParam<int> {
 protected:
  std::vector<std::string> RunJoin(JoinType type, ExpressionPtr residual = nullptr) {
    return Sorted(
        RunPlan(Join(type, Left(), Right(), std::move(residual)), WithThreads(GetParam())));
  }
};

TEST_P(HashJoinTest, Inner) {
  EXPECT_EQ(RunJoin(JoinType::kInner),
            (std::vector<std::string>{"1|a|1|w", "2|b2|2|x", "2|b2|2|y", "2|b|2|x", "2|b|2|y"}));
}

TEST_P(HashJoinTest, Left) {
  EXPECT_EQ(RunJoin(JoinType::kLeft),
            (std::vector<std::string>{"1|a|1|w", "2|b2|2|x", "2|b2|2|y", "2|b|2|x", "2|b|2|y",
                                      "4|d|NULL|NULL", "NULL|n|NULL|NULL"}));
}

TEST_P(HashJoinTest, Right) {
  EXPECT_EQ(RunJoin(JoinType::kRight),
            (std::vector<std::string>{"1|a|1|w", "2|b2|2|x", "2|b2|2|y", "2|b|2|x", "2|b|2|y",
                                      "NULL|NULL|3|z", "NULL|NULL|NULL|m"}));
}

TEST_P(HashJoinTest, Full) {
  EXPECT_EQ(RunJoin(JoinType::kFull),
            (std::vector<std::string>{"1|a|1|w", "2|b2|2|x", "2|b2|2|y", "2|b|2|x", "2|b|2|y",
                                      "4|d|NULL|NULL", "NULL|NULL|3|z", "NULL|NULL|NULL|m",
                                      "NULL|n|NULL|NULL"}));
}

TEST_P(HashJoinTest, SemiAndAnti) {
  EXPECT_EQ(RunJoin(JoinType::kSemi), (std::vector<std::string>{"1|a", "2|b", "2|b2"}));
  EXPECT_EQ(RunJoin(JoinType::kAnti), (std::vector<std::string>{"4|d", "NULL|n"}));
}

TEST_P(HashJoinTest, ResidualConditionAppliesToMatches) {
  // ON l.id = r.id AND r.tag <> 'x' (as a string comparison on the joined row: columns 0-3).
  auto not_x = Expression::InList(Col(3, LogicalType::Varchar()), {Lit(S("x"))}, true);
  EXPECT_EQ(RunJoin(JoinType::kInner, not_x),
            (std::vector<std::string>{"1|a|1|w", "2|b2|2|y", "2|b|2|y"}));
  auto only_w = Expression::InList(Col(3, LogicalType::Varchar()), {Lit(S("w"))}, false);
  EXPECT_EQ(RunJoin(JoinType::kLeft, only_w),
            (std::vector<std::string>{"1|a|1|w", "2|b2|NULL|NULL", "2|b|NULL|NULL", "4|d|NULL|NULL",
                                      "NULL|n|NULL|NULL"}));
  EXPECT_EQ(RunJoin(JoinType::kRight, only_w),
            (std::vector<std::string>{"1|a|1|w", "NULL|NULL|2|x", "NULL|NULL|2|y", "NULL|NULL|3|z",
                                      "NULL|NULL|NULL|m"}));
  EXPECT_EQ(RunJoin(JoinType::kSemi, only_w), (std::vector<std::string>{"1|a"}));
  EXPECT_EQ(RunJoin(JoinType::kAnti, only_w),
            (std::vector<std::string>{"2|b", "2|b2", "4|d", "NULL|n"}));
}

// The build side is the preserved one: its rows come back, build columns only, each once
// however many probe rows match it (two probe rows have key 2); its NULL key matches nothing.
TEST_P(HashJoinTest, RightSemiAndAntiReturnBuildRows) {
  EXPECT_EQ(RunJoin(JoinType::kRightSemi), (std::vector<std::string>{"1|w", "2|x", "2|y"}));
  EXPECT_EQ(RunJoin(JoinType::kRightAnti), (std::vector<std::string>{"3|z", "NULL|m"}));
  // ON l.id = r.id AND l.name = 'b': only probe row (2, b) matches, and it matches two rows.
  auto only_b = [] {
    return Expression::InList(Col(1, LogicalType::Varchar()), {Lit(S("b"))}, false);
  };
  EXPECT_EQ(RunJoin(JoinType::kRightSemi, only_b()), (std::vector<std::string>{"2|x", "2|y"}));
  EXPECT_EQ(RunJoin(JoinType::kRightAnti, only_b()),
            (std::vector<std::string>{"1|w", "3|z", "NULL|m"}));
  // ON l.id = r.id AND r.tag <> 'x'.
  auto not_x = Expression::InList(Col(3, LogicalType::Varchar()), {Lit(S("x"))}, true);
  EXPECT_EQ(RunJoin(JoinType::kRightSemi, not_x), (std::vector<std::string>{"1|w", "2|y"}));
  EXPECT_EQ(RunJoin(JoinType::kRightAnti, not_x),
            (std::vector<std::string>{"2|x", "3|z", "NULL|m"}));
}

TEST_P(HashJoinTest, RightSemiEmitsEachBuildRowOnceOverManyProbeBatches) {
  // 5,000 probe rows of key 1 in batches of 7 all match the build side's two rows of key 1.
  TestTable probe{{{"k", LogicalType::BigInt()}}, {}};
  for (int i = 0; i < 5000; ++i) {
    probe.rows.push_back({I(1)});
  }
  TestTable build{{{"k", LogicalType::BigInt()}, {"v", LogicalType::Varchar()}},
                  {{I(1), S("p")}, {I(1), S("q")}, {I(2), S("r")}}};
  auto plan = [&](JoinType type) {
    return std::make_unique<HashJoinOperator>(
        probe.Scan(7), build.Scan(), type,
        std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
        std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())});
  };
  auto options = WithThreads(GetParam());
  EXPECT_EQ(Sorted(RunPlan(plan(JoinType::kRightSemi), options)),
            (std::vector<std::string>{"1|p", "1|q"}));
  EXPECT_EQ(Sorted(RunPlan(plan(JoinType::kRightAnti), options)),
            (std::vector<std::string>{"2|r"}));
}

TEST_P(HashJoinTest, NotInIsNullAware) {
  TestTable probe{{{"x", LogicalType::BigInt()}}, {{I(1)}, {I(5)}, {NullBigInt()}}};
  TestTable without_null{{{"y", LogicalType::BigInt()}}, {{I(1)}, {I(2)}}};
  TestTable with_null{{{"y", LogicalType::BigInt()}}, {{I(1)}, {NullBigInt()}}};
  TestTable empty{{{"y", LogicalType::BigInt()}}, {}};
  auto options = WithThreads(GetParam());
  // x NOT IN (1, 2): 5 only; NULL NOT IN (...) is NULL.
  EXPECT_EQ(Sorted(RunPlan(Join(JoinType::kNullAwareAnti, probe, without_null), options)),
            (std::vector<std::string>{"5"}));
  // x NOT IN (1, NULL): never true.
  EXPECT_TRUE(RunPlan(Join(JoinType::kNullAwareAnti, probe, with_null), options).empty());
  // x NOT IN (empty): always true, even for NULL.
  EXPECT_EQ(Sorted(RunPlan(Join(JoinType::kNullAwareAnti, probe, empty), options)),
            (std::vector<std::string>{"1", "5", "NULL"}));
  // A plain anti join (NOT EXISTS) keeps 5 and NULL.
  EXPECT_EQ(Sorted(RunPlan(Join(JoinType::kAnti, probe, with_null), options)),
            (std::vector<std::string>{"5", "NULL"}));
}

TEST_P(HashJoinTest, MarkJoinGivesInWithNulls) {
  TestTable probe{{{"x", LogicalType::BigInt()}}, {{I(1)}, {I(5)}, {NullBigInt()}}};
  TestTable with_null{{{"y", LogicalType::BigInt()}}, {{I(1)}, {NullBigInt()}}};
  TestTable without_null{{{"y", LogicalType::BigInt()}}, {{I(1)}}};
  TestTable empty{{{"y", LogicalType::BigInt()}}, {}};
  auto options = WithThreads(GetParam());
  EXPECT_EQ(Sorted(RunPlan(Join(JoinType::kMark, probe, with_null), options)),
            (std::vector<std::string>{"1|t", "5|NULL", "NULL|NULL"}));
  EXPECT_EQ(Sorted(RunPlan(Join(JoinType::kMark, probe, without_null), options)),
            (std::vector<std::string>{"1|t", "5|f", "NULL|NULL"}));
  EXPECT_EQ(Sorted(RunPlan(Join(JoinType::kMark, probe, empty), options)),
            (std::vector<std::string>{"1|f", "5|f", "NULL|f"}));
}

TEST_P(HashJoinTest, NullSafeKeysMatchNulls) {
  auto join = std::make_unique<HashJoinOperator>(
      Left().Scan(), Right().Scan(), JoinType::kInner,
      std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
      std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())}, nullptr, std::vector<bool>{true});
  auto rows = Sorted(RunPlan(std::move(join), WithThreads(GetParam())));
  EXPECT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows.back(), "NULL|n|NULL|m");
}

TEST_P(HashJoinTest, StringAndMultiColumnKeys) {
  TestTable left{{{"a", LogicalType::Varchar()}, {"b", LogicalType::BigInt()}},
                 {{S("k"), I(1)}, {S("k"), I(2)}, {S("a much longer key value"), I(1)}}};
  TestTable right{{{"a", LogicalType::Varchar()}, {"b", LogicalType::BigInt()}},
                  {{S("k"), I(2)}, {S("a much longer key value"), I(1)}, {S("k "), I(1)}}};
  auto join = std::make_unique<HashJoinOperator>(
      left.Scan(), right.Scan(), JoinType::kInner,
      std::vector<ExpressionPtr>{Col(0, LogicalType::Varchar()), Col(1, LogicalType::BigInt())},
      std::vector<ExpressionPtr>{Col(0, LogicalType::Varchar()), Col(1, LogicalType::BigInt())});
  EXPECT_EQ(
      Sorted(RunPlan(std::move(join), WithThreads(GetParam()))),
      (std::vector<std::string>{"a much longer key value|1|a much longer key value|1", "k|2|k|2"}));
}

TEST_P(HashJoinTest, NestedLoopJoinWithoutKeys) {
  TestTable left{{{"x", LogicalType::BigInt()}}, {{I(1)}, {I(5)}, {I(9)}}};
  TestTable right{{{"y", LogicalType::BigInt()}}, {{I(3)}, {I(6)}}};
  auto less = BigIntOp(BinaryOp::kLess);
  auto make = [&](JoinType type, ExpressionPtr condition) {
    return std::make_unique<HashJoinOperator>(left.Scan(), right.Scan(), type,
                                              std::vector<ExpressionPtr>{},
                                              std::vector<ExpressionPtr>{}, condition);
  };
  auto x_less_y =
      Expression::Function(less, {Col(0, LogicalType::BigInt()), Col(1, LogicalType::BigInt())});
  auto options = WithThreads(GetParam());
  EXPECT_EQ(Sorted(RunPlan(make(JoinType::kInner, x_less_y), options)),
            (std::vector<std::string>{"1|3", "1|6", "5|6"}));
  EXPECT_EQ(Sorted(RunPlan(make(JoinType::kLeft, x_less_y), options)),
            (std::vector<std::string>{"1|3", "1|6", "5|6", "9|NULL"}));
  EXPECT_EQ(RunPlan(make(JoinType::kInner, nullptr), options).size(), 6u);  // Cross join.
  auto join = make(JoinType::kInner, nullptr);
  EXPECT_EQ(join->Name(), "NESTED_LOOP_JOIN");
}

TEST_P(HashJoinTest, ManyDuplicatesSpanSeveralOutputBatches) {
  TestTable left{{{"k", LogicalType::BigInt()}}, {}};
  TestTable right{{{"k", LogicalType::BigInt()}}, {}};
  for (int i = 0; i < 100; ++i) {
    left.rows.push_back({I(i % 2)});
    right.rows.push_back({I(i % 4)});
  }
  auto join =
      std::make_unique<HashJoinOperator>(left.Scan(7), right.Scan(9), JoinType::kInner,
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())});
  // Keys 0 and 1: 50 left rows each, 25 right rows each.
  EXPECT_EQ(RunPlan(std::move(join), WithThreads(GetParam())).size(), 2u * 50 * 25);
}

TEST_P(HashJoinTest, EmptySides) {
  TestTable empty_right = Right();
  empty_right.rows.clear();
  TestTable empty_left = Left();
  empty_left.rows.clear();
  auto options = WithThreads(GetParam());
  EXPECT_EQ(Sorted(RunPlan(Join(JoinType::kLeft, Left(), empty_right), options)),
            (std::vector<std::string>{"1|a|NULL|NULL", "2|b2|NULL|NULL", "2|b|NULL|NULL",
                                      "4|d|NULL|NULL", "NULL|n|NULL|NULL"}));
  EXPECT_TRUE(RunPlan(Join(JoinType::kInner, Left(), empty_right), options).empty());
  EXPECT_EQ(RunPlan(Join(JoinType::kFull, empty_left, Right()), options).size(), 5u);
  EXPECT_EQ(RunPlan(Join(JoinType::kAnti, Left(), empty_right), options).size(), 5u);
  EXPECT_TRUE(RunPlan(Join(JoinType::kRightSemi, empty_left, Right()), options).empty());
  EXPECT_EQ(RunPlan(Join(JoinType::kRightAnti, empty_left, Right()), options).size(), 5u);
  EXPECT_TRUE(RunPlan(Join(JoinType::kRightAnti, Left(), empty_right), options).empty());
}

// A build side of 64 Ki BIGINT rows (512 KiB) arrives as 32 slices of one buffer, as a Parquet
// row group does. Keeping it costs the buffer once (plus the copy and hash table the build
// makes, about 3.5 MiB), so 8 MiB is enough; charging each slice for the whole buffer would
// count 16 MiB.
TEST_P(HashJoinTest, BuildSideOfSlicesIsChargedOnce) {
  TestTable probe{{{"x", LogicalType::BigInt()}}, {{I(5)}, {I(65535)}, {I(65536)}}};
  for (bool is_tracked : {false, true}) {
    MemoryTracker tracker("query", 8 << 20);
    auto options = WithThreads(GetParam());
    options.tracker = &tracker;
    auto join = std::make_unique<HashJoinOperator>(
        probe.Scan(), ScanSlicesOfOneBuffer(65536, 2048, is_tracked ? &tracker : nullptr),
        JoinType::kSemi, std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
        std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())}, nullptr);
    EXPECT_EQ(Sorted(RunPlan(std::move(join), options)), (std::vector<std::string>{"5", "65535"}))
        << (is_tracked ? "tracked" : "untracked") << " input";
  }
}

TEST_P(HashJoinTest, BuildSideOverTheBudgetFails) {
  TestTable probe{{{"x", LogicalType::BigInt()}}, {{I(5)}}};
  MemoryTracker tracker("query", 1 << 20);
  auto options = WithThreads(GetParam());
  options.tracker = &tracker;
  auto join = std::make_unique<HashJoinOperator>(
      probe.Scan(), ScanSlicesOfOneBuffer(65536, 2048, nullptr), JoinType::kSemi,
      std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
      std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())}, nullptr);
  auto result = Executor::Collect(std::move(join), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
}

// Probe rows: keys 0..24999 twice over (keys 20000 and up match nothing), every 97th key NULL.
TestTable SpillProbe() {
  TestTable table{{{"k", LogicalType::BigInt()}, {"p", LogicalType::Varchar()}}, {}};
  for (int64_t i = 0; i < 50000; ++i) {
    table.rows.push_back(
        {i % 97 == 0 ? NullBigInt() : I(i % 25000), S("probe-" + std::to_string(i))});
  }
  return table;
}

// Build rows: keys 0..19999 three times over plus keys 30000 and up that match nothing, a
// DOUBLE (-0 and NaN among them, which must come back bit for bit) and a string; every 89th
// key NULL unless `without_nulls`.
TestTable SpillBuild(bool without_nulls = false) {
  TestTable table{
      {{"k", LogicalType::BigInt()}, {"d", LogicalType::Double()}, {"b", LogicalType::Varchar()}},
      {}};
  for (int64_t i = 0; i < 150000; ++i) {
    const int64_t key = i < 60000 ? i % 20000 : 30000 + i;
    const double value = i == 7 ? -0.0 : i == 8 ? std::nan("") : static_cast<double>(i) / 4;
    table.rows.push_back({!without_nulls && i % 89 == 0 ? NullBigInt() : I(key),
                          Value::Double(value), S("build-" + std::to_string(i))});
  }
  return table;
}

PhysicalOperatorPtr SpillJoin(JoinType type, bool without_nulls, HashJoinOperator** join,
                              ExpressionPtr residual = nullptr) {
  auto plan = std::make_unique<HashJoinOperator>(
      SpillProbe().Scan(1000), SpillBuild(without_nulls).Scan(1000), type,
      std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
      std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())}, std::move(residual));
  if (join != nullptr) {
    *join = plan.get();
  }
  return plan;
}

// Pulls the result a batch at a time, so that the rows already returned take no budget. With
// `watched` (an operator of `plan`), `spilled_files` gets the files it spilled, read before the
// stream frees the plan.
std::vector<std::string> RunStreaming(PhysicalOperatorPtr plan, ExecutorOptions options,
                                      const PhysicalOperator* watched = nullptr,
                                      int64_t* spilled_files = nullptr) {
  auto stream = Executor::Execute(std::move(plan), options);
  EXPECT_TRUE(stream.ok()) << stream.status().ToString();
  std::vector<std::string> rows;
  if (!stream.ok()) {
    return rows;
  }
  while (true) {
    auto batch = (*stream)->Next();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok() || !batch->has_value()) {
      break;
    }
    for (auto& row : RowStrings({**batch})) {
      rows.push_back(std::move(row));
    }
  }
  if (watched != nullptr) {
    *spilled_files = watched->profile().spilled_files.load();
  }
  return Sorted(std::move(rows));
}

class HashJoinSpillTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    // Named by process: test binaries of several builds may run at once.
    temp_ =
        std::filesystem::path(::testing::TempDir()) / ("join_spill_" + std::to_string(::getpid()));
    std::filesystem::remove_all(temp_);
  }
  void TearDown() override { std::filesystem::remove_all(temp_); }

  // The build side (about 4 MiB) passes a third of the 6 MiB budget, so the join spills;
  // its answer must be the one it gives without a budget.
  void ExpectSameAsInMemory(JoinType type, bool without_nulls = false,
                            const std::function<ExpressionPtr()>& residual = nullptr) {
    SCOPED_TRACE(std::string(JoinTypeName(type)) + (without_nulls ? " without NULLs" : ""));
    auto expected =
        RunStreaming(SpillJoin(type, without_nulls, nullptr, residual ? residual() : nullptr),
                     WithThreads(GetParam()));
    ASSERT_FALSE(expected.empty());
    MemoryTracker tracker("query", 6 << 20);
    auto options = WithThreads(GetParam());
    options.tracker = &tracker;
    options.temp_directory = temp_.string();
    HashJoinOperator* join = nullptr;
    auto plan = SpillJoin(type, without_nulls, &join, residual ? residual() : nullptr);
    int64_t spilled_files = 0;
    auto actual = RunStreaming(std::move(plan), options, join, &spilled_files);
    EXPECT_EQ(actual.size(), expected.size());
    EXPECT_TRUE(actual == expected) << "spilled answer differs";
    EXPECT_GT(spilled_files, 0);
    EXPECT_TRUE(std::filesystem::is_empty(temp_)) << "spill files left behind";
    EXPECT_EQ(tracker.used(), 0);
  }

  std::filesystem::path temp_;
};

TEST_P(HashJoinSpillTest, EveryJoinTypeGivesTheInMemoryAnswer) {
  for (JoinType type :
       {JoinType::kInner, JoinType::kLeft, JoinType::kRight, JoinType::kFull, JoinType::kSemi,
        JoinType::kAnti, JoinType::kMark, JoinType::kRightSemi, JoinType::kRightAnti}) {
    ExpectSameAsInMemory(type);
  }
  // NOT IN: no row when a build key is NULL; without NULLs, the unmatched non-NULL keys.
  ExpectSameAsInMemory(JoinType::kMark, /*without_nulls=*/true);
  ExpectSameAsInMemory(JoinType::kNullAwareAnti, /*without_nulls=*/true);
  {
    MemoryTracker tracker("query", 6 << 20);
    auto options = WithThreads(GetParam());
    options.tracker = &tracker;
    options.temp_directory = temp_.string();
    EXPECT_TRUE(RunStreaming(SpillJoin(JoinType::kNullAwareAnti, false, nullptr), options).empty());
  }
}

TEST_P(HashJoinSpillTest, ResidualConditionsStayRight) {
  // ON p.k = b.k AND b.b NOT IN ('build-5', 'build-20005'): columns 0-1 probe, 2-4 build.
  auto residual = [] {
    return Expression::InList(Col(4, LogicalType::Varchar()),
                              {Lit(S("build-5")), Lit(S("build-20005"))}, true);
  };
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kFull, JoinType::kAnti,
                        JoinType::kRightSemi, JoinType::kRightAnti}) {
    ExpectSameAsInMemory(type, false, residual);
  }
}

// Build keys 0..19999 appear three times each and every probe key 0..19999 has a non-NULL
// probe row, so every build row of such a key matches (60,000 less the 675 NULL keys): a
// spilled RIGHT SEMI join returns each once, and RIGHT ANTI the other 90,675 (NULL keys
// included).
TEST_P(HashJoinSpillTest, RightSemiAndAntiSplitTheBuildRows) {
  for (const auto& [type, rows] : {std::pair{JoinType::kRightSemi, size_t{59325}},
                                   std::pair{JoinType::kRightAnti, size_t{90675}}}) {
    SCOPED_TRACE(JoinTypeName(type));
    MemoryTracker tracker("query", 6 << 20);
    auto options = WithThreads(GetParam());
    options.tracker = &tracker;
    options.temp_directory = temp_.string();
    HashJoinOperator* join = nullptr;
    auto plan = SpillJoin(type, false, &join);
    int64_t spilled_files = 0;
    auto actual = RunStreaming(std::move(plan), options, join, &spilled_files);
    EXPECT_EQ(actual.size(), rows);
    EXPECT_EQ(std::adjacent_find(actual.begin(), actual.end()), actual.end()) << "a row twice";
    EXPECT_GT(spilled_files, 0);
  }
}

TEST_P(HashJoinSpillTest, ReportsSpillingAndRemovesItsFiles) {
  MemoryTracker tracker("query", 6 << 20);
  auto options = WithThreads(GetParam());
  options.tracker = &tracker;
  options.temp_directory = temp_.string();
  HashJoinOperator* join = nullptr;
  auto plan = SpillJoin(JoinType::kInner, false, &join);
  auto stream = Executor::Execute(std::move(plan), options);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  int64_t rows = 0;
  while (true) {
    auto batch = (*stream)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch->has_value()) {
      break;
    }
    rows += (*batch)->num_rows();
  }
  // 50000 probe rows, 515 with NULL keys; 4/5 of the others match three build rows each,
  // less those whose build key is NULL.
  EXPECT_GT(rows, 100000);
  EXPECT_GT(join->profile().spilled_files.load(), 0);
  EXPECT_GT(join->profile().spilled_bytes.load(), 4 << 20);
  EXPECT_NE(join->Explain({.analyze = true}).find("spilled:"), std::string::npos);
  stream->reset();
  EXPECT_TRUE(std::filesystem::is_empty(temp_)) << "spill files left behind";
}

// A spilled join returns rows only once it joins its partitions: cancelling it then (the
// consumer goes away after the first batch) removes its spill files.
TEST_P(HashJoinSpillTest, CancelledQueryLeavesNoFiles) {
  MemoryTracker tracker("query", 6 << 20);
  auto options = WithThreads(GetParam());
  options.tracker = &tracker;
  options.temp_directory = temp_.string();
  auto stream = Executor::Execute(SpillJoin(JoinType::kFull, false, nullptr), options);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  {
    auto batch = (*stream)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    ASSERT_TRUE(batch->has_value());
    EXPECT_FALSE(std::filesystem::is_empty(temp_));
  }
  stream->reset();
  EXPECT_TRUE(std::filesystem::is_empty(temp_)) << "spill files left behind";
  EXPECT_EQ(tracker.used(), 0);
}

// 600,000 build rows make partitions too large for the budget: each is split again by more
// bits of the hash before the join, which must not lose or repeat a row, matched or not.
TEST_P(HashJoinSpillTest, PartitionsTooLargeAreSplitAgain) {
  TestTable build{{{"k", LogicalType::BigInt()}, {"b", LogicalType::Varchar()}}, {}};
  for (int64_t i = 0; i < 600000; ++i) {
    build.rows.push_back({i % 101 == 0 ? NullBigInt() : I(i), S("b" + std::to_string(i))});
  }
  TestTable probe{{{"k", LogicalType::BigInt()}}, {}};
  for (int64_t i = 0; i < 20000; ++i) {
    probe.rows.push_back({I(i * 37)});
  }
  auto plan = [&](JoinType type) {
    return std::make_unique<HashJoinOperator>(
        probe.Scan(1000), build.Scan(2000), type,
        std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
        std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())});
  };
  for (JoinType type : {JoinType::kInner, JoinType::kRight, JoinType::kRightSemi}) {
    SCOPED_TRACE(JoinTypeName(type));
    auto expected = RunStreaming(plan(type), WithThreads(GetParam()));
    MemoryTracker tracker("query", 6 << 20);
    auto options = WithThreads(GetParam());
    options.tracker = &tracker;
    options.temp_directory = temp_.string();
    auto join = plan(type);
    HashJoinOperator* spilling = join.get();
    int64_t spilled_files = 0;
    auto actual = RunStreaming(std::move(join), options, spilling, &spilled_files);
    EXPECT_EQ(actual.size(), expected.size());
    EXPECT_TRUE(actual == expected) << "spilled answer differs";
    // 16 partitions per side and thread at first; splitting writes many more.
    EXPECT_GT(spilled_files, 200);
    EXPECT_TRUE(std::filesystem::is_empty(temp_)) << "spill files left behind";
  }
}

// Partitions of 25,000 build rows fit the 40 MiB budget without a split; a RIGHT join emits
// each one's unmatched rows over several morsels, none twice.
TEST_P(HashJoinSpillTest, UnmatchedRowsOfLargePartitionsComeInMorsels) {
  TestTable build{{{"k", LogicalType::BigInt()}}, {}};
  for (int64_t i = 0; i < 400000; ++i) {
    build.rows.push_back({I(i)});
  }
  TestTable probe{{{"k", LogicalType::BigInt()}}, {}};
  for (int64_t i = 0; i < 1000; ++i) {
    probe.rows.push_back({I(i * 400)});
  }
  auto plan = [&] {
    return std::make_unique<HashJoinOperator>(
        probe.Scan(100), build.Scan(2000), JoinType::kRight,
        std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
        std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())});
  };
  auto expected = RunStreaming(plan(), WithThreads(GetParam()));
  MemoryTracker tracker("query", 40 << 20);
  auto options = WithThreads(GetParam());
  options.tracker = &tracker;
  options.temp_directory = temp_.string();
  auto join = plan();
  HashJoinOperator* spilling = join.get();
  int64_t spilled_files = 0;
  auto actual = RunStreaming(std::move(join), options, spilling, &spilled_files);
  EXPECT_EQ(actual.size(), 400000u);
  EXPECT_TRUE(actual == expected) << "spilled answer differs";
  EXPECT_GT(spilled_files, 0);
}

// A build side of one key cannot be split: the join fails with 53200 naming itself, and
// cleans up.
TEST_P(HashJoinSpillTest, OneKeyThatCannotFitFailsCleanly) {
  TestTable build{{{"k", LogicalType::BigInt()}, {"b", LogicalType::Varchar()}}, {}};
  for (int64_t i = 0; i < 300000; ++i) {
    build.rows.push_back({I(7), S("a fairly long build value " + std::to_string(i))});
  }
  TestTable probe{{{"k", LogicalType::BigInt()}}, {{I(7)}, {I(8)}}};
  MemoryTracker tracker("query", 6 << 20);
  auto options = WithThreads(GetParam());
  options.tracker = &tracker;
  options.temp_directory = temp_.string();
  auto plan =
      std::make_unique<HashJoinOperator>(probe.Scan(), build.Scan(1000), JoinType::kInner,
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())},
                                         std::vector<ExpressionPtr>{Col(0, LogicalType::BigInt())});
  auto result = Executor::Collect(std::move(plan), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(result.status().message().find("INNER hash join on"), std::string::npos)
      << result.status().ToString();
  EXPECT_NE(result.status().message().find("repeat too often to be split"), std::string::npos)
      << result.status().ToString();
  EXPECT_TRUE(std::filesystem::is_empty(temp_)) << "spill files left behind";
}

INSTANTIATE_TEST_SUITE_P(Threads, HashJoinSpillTest, ::testing::Values(1, 2, 4));

TEST(HashJoinExplainTest, DescribesKeysAndType) {
  auto join = Join(JoinType::kLeft, Left(), Right());
  std::string text = join->Explain({});
  EXPECT_NE(text.find("HASH_JOIN"), std::string::npos);
  EXPECT_NE(text.find("LEFT"), std::string::npos);
  EXPECT_NE(text.find("#0 = #0"), std::string::npos);
  EXPECT_NE(Join(JoinType::kRightSemi, Left(), Right())->Explain({}).find("RIGHT SEMI"),
            std::string::npos);
  EXPECT_NE(Join(JoinType::kRightAnti, Left(), Right())->Explain({}).find("RIGHT ANTI"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Threads, HashJoinTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace floe::sql::execution
