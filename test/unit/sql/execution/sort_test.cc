#include "sql/execution/operators/sort.h"

#include <gtest/gtest.h>

#include "sql/execution/operators/limit.h"
#include "unit/sql/execution/test_tables.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

TestTable People() {
  return {{{"name", LogicalType::Varchar()}, {"age", LogicalType::BigInt()}},
          {{S("carol"), I(35)},
           {S("alice"), NullBigInt()},
           {S("bob"), I(-4)},
           {NullVarchar(), I(20)},
           {S("a very long name that exceeds the prefix, version 2"), I(20)},
           {S("a very long name that exceeds the prefix, version 1"), I(50)},
           {S("dave"), I(35)}}};
}

std::vector<std::string> Column(const std::vector<std::string>& rows, size_t column) {
  std::vector<std::string> values;
  for (const auto& row : rows) {
    size_t begin = 0;
    for (size_t c = 0; c < column; ++c) {
      begin = row.find('|', begin) + 1;
    }
    values.push_back(row.substr(begin, row.find('|', begin) - begin));
  }
  return values;
}

class SortTest : public ::testing::TestWithParam<int> {
 protected:
  std::vector<std::string> SortBy(std::vector<SortKey> keys, int64_t limit = -1,
                                  int64_t offset = 0) {
    auto plan = std::make_unique<SortOperator>(People().Scan(), std::move(keys), limit, offset);
    return RunPlan(std::move(plan), WithThreads(GetParam()));
  }
};

TEST_P(SortTest, AscendingPutsNullsLastByDefault) {
  auto rows = SortBy({{Col(1, LogicalType::BigInt()), false, std::nullopt}});
  EXPECT_EQ(Column(rows, 1),
            (std::vector<std::string>{"-4", "20", "20", "35", "35", "50", "NULL"}));
}

TEST_P(SortTest, DescendingPutsNullsFirstByDefault) {
  auto rows = SortBy({{Col(1, LogicalType::BigInt()), true, std::nullopt}});
  EXPECT_EQ(Column(rows, 1),
            (std::vector<std::string>{"NULL", "50", "35", "35", "20", "20", "-4"}));
}

TEST_P(SortTest, ExplicitNullsPlacement) {
  auto first = SortBy({{Col(1, LogicalType::BigInt()), false, true}});
  EXPECT_EQ(Column(first, 1),
            (std::vector<std::string>{"NULL", "-4", "20", "20", "35", "35", "50"}));
  auto last = SortBy({{Col(0, LogicalType::Varchar()), true, false}});
  EXPECT_EQ(Column(last, 0), (std::vector<std::string>{
                                 "dave", "carol", "bob", "alice",
                                 "a very long name that exceeds the prefix, version 2",
                                 "a very long name that exceeds the prefix, version 1", "NULL"}));
}

TEST_P(SortTest, SeveralKeysAndLongStrings) {
  auto rows = SortBy({{Col(1, LogicalType::BigInt()), true, false},
                      {Col(0, LogicalType::Varchar()), false, std::nullopt}});
  EXPECT_EQ(rows, (std::vector<std::string>{
                      "a very long name that exceeds the prefix, version 1|50", "carol|35",
                      "dave|35", "a very long name that exceeds the prefix, version 2|20",
                      "NULL|20", "bob|-4", "alice|NULL"}));
}

// When two strings share their normalized prefix, the strings decide before any later key.
TEST_P(SortTest, LongStringsTiedOnTheirPrefixDecideBeforeLaterKeys) {
  // Ordered by name then age: "version 1" (age 50) comes before "version 2" (age 20), although
  // the age alone would order them the other way.
  auto rows = SortBy({{Col(0, LogicalType::Varchar()), false, std::nullopt},
                      {Col(1, LogicalType::BigInt()), false, std::nullopt}});
  EXPECT_EQ(rows,
            (std::vector<std::string>{"a very long name that exceeds the prefix, version 1|50",
                                      "a very long name that exceeds the prefix, version 2|20",
                                      "alice|NULL", "bob|-4", "carol|35", "dave|35", "NULL|20"}));
}

TEST_P(SortTest, TopNWithOffset) {
  auto rows = SortBy({{Col(1, LogicalType::BigInt()), false, std::nullopt},
                      {Col(0, LogicalType::Varchar()), false, std::nullopt}},
                     3, 1);
  EXPECT_EQ(rows,
            (std::vector<std::string>{"a very long name that exceeds the prefix, version 2|20",
                                      "NULL|20", "carol|35"}));
}

TEST_P(SortTest, LargeInputSortsAcrossRunsAndKeepsOrderToTheResult) {
  TestTable table{{{"v", LogicalType::BigInt()}}, {}};
  const int64_t n = 70000;
  for (int64_t i = 0; i < n; ++i) {
    table.rows.push_back({I((i * 7919) % n)});
  }
  auto sort = std::make_unique<SortOperator>(
      table.Scan(4096), std::vector<SortKey>{{Col(0, LogicalType::BigInt()), true, std::nullopt}});
  auto rows = RunPlan(std::move(sort), WithThreads(GetParam()));
  ASSERT_EQ(static_cast<int64_t>(rows.size()), n);
  for (int64_t i = 0; i < n; ++i) {
    ASSERT_EQ(rows[static_cast<size_t>(i)], std::to_string(n - 1 - i));
  }
  // Top-N over the same input keeps only n rows per thread as it goes.
  auto top = std::make_unique<SortOperator>(
      table.Scan(4096), std::vector<SortKey>{{Col(0, LogicalType::BigInt()), false, std::nullopt}},
      5, 0);
  EXPECT_EQ(RunPlan(std::move(top), WithThreads(GetParam())),
            (std::vector<std::string>{"0", "1", "2", "3", "4"}));
}

TEST_P(SortTest, LimitAboveSortKeepsTheFirstRows) {
  TestTable table{{{"v", LogicalType::BigInt()}}, {}};
  for (int64_t i = 0; i < 10000; ++i) {
    table.rows.push_back({I(10000 - i)});
  }
  auto sort = std::make_unique<SortOperator>(
      table.Scan(100), std::vector<SortKey>{{Col(0, LogicalType::BigInt()), false, std::nullopt}});
  auto limit = std::make_unique<LimitOperator>(std::move(sort), 3, 4095);
  EXPECT_EQ(RunPlan(std::move(limit), WithThreads(GetParam())),
            (std::vector<std::string>{"4096", "4097", "4098"}));
}

TEST_P(SortTest, EmptyInput) {
  TestTable empty = People();
  empty.rows.clear();
  auto sort = std::make_unique<SortOperator>(
      empty.Scan(), std::vector<SortKey>{{Col(1, LogicalType::BigInt()), false, std::nullopt}});
  EXPECT_TRUE(RunPlan(std::move(sort), WithThreads(GetParam())).empty());
}

// 64 Ki rows (512 KiB) in 32 slices of one buffer, sorted under 8 MiB: the buffer is charged
// once, not once per slice (16 MiB, twice that with the key column that shares it).
TEST_P(SortTest, InputOfSlicesIsChargedOnce) {
  MemoryTracker tracker("query", 8 << 20);
  auto options = WithThreads(GetParam());
  options.tracker = &tracker;
  auto plan = std::make_unique<SortOperator>(
      ScanSlicesOfOneBuffer(65536, 2048, nullptr),
      std::vector<SortKey>{{Col(0, LogicalType::BigInt()), true, std::nullopt}});
  std::vector<std::string> rows = RunPlan(std::move(plan), options);
  ASSERT_EQ(rows.size(), 65536u);
  EXPECT_EQ(rows.front(), "65535");
  EXPECT_EQ(rows.back(), "0");
}

INSTANTIATE_TEST_SUITE_P(Threads, SortTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace floe::sql::execution
