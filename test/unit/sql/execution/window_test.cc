#include "sql/execution/operators/window.h"

#include <gtest/gtest.h>

#include "sql/execution/operators/sort.h"
#include "unit/sql/execution/test_functions.h"
#include "unit/sql/execution/test_tables.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

// (grp, v): group a has 10, 20, 20, 30; group b has NULL, 5; a NULL group has 1.
TestTable Scores() {
  return {{{"grp", LogicalType::Varchar()}, {"v", LogicalType::BigInt()}},
          {{S("a"), I(20)},
           {S("b"), I(5)},
           {S("a"), I(10)},
           {NullVarchar(), I(1)},
           {S("a"), I(30)},
           {S("b"), NullBigInt()},
           {S("a"), I(20)}}};
}

WindowFunctionSpec Ranking(WindowFunctionKind kind, std::string name) {
  WindowFunctionSpec spec;
  spec.kind = kind;
  spec.type = LogicalType::BigInt();
  spec.name = std::move(name);
  return spec;
}

class WindowTest : public ::testing::TestWithParam<int> {
 protected:
  // Runs the window over Scores() partitioned by grp, ordered by v, then sorts the output by
  // (grp, v, first function) so the expectation is deterministic.
  std::vector<std::string> RunWindow(std::vector<WindowFunctionSpec> functions,
                                     bool ordered = true) {
    std::vector<SortKey> order;
    if (ordered) {
      order.push_back({Col(1, LogicalType::BigInt()), false, std::nullopt});
    }
    auto window = std::make_unique<WindowOperator>(
        Scores().Scan(), std::vector<ExpressionPtr>{Col(0, LogicalType::Varchar())},
        std::move(order), std::move(functions));
    auto sort = std::make_unique<SortOperator>(
        std::move(window),
        std::vector<SortKey>{{Col(0, LogicalType::Varchar()), false, std::nullopt},
                             {Col(1, LogicalType::BigInt()), false, std::nullopt},
                             {Col(2, LogicalType::BigInt()), false, std::nullopt}});
    return RunPlan(std::move(sort), WithThreads(GetParam()));
  }
};

TEST_P(WindowTest, RowNumberRankDenseRank) {
  std::vector<WindowFunctionSpec> functions;
  functions.push_back(Ranking(WindowFunctionKind::kRowNumber, "rn"));
  functions.push_back(Ranking(WindowFunctionKind::kRank, "rank"));
  functions.push_back(Ranking(WindowFunctionKind::kDenseRank, "dense"));
  EXPECT_EQ(RunWindow(std::move(functions)),
            (std::vector<std::string>{"a|10|1|1|1", "a|20|2|2|2", "a|20|3|2|2", "a|30|4|4|3",
                                      "b|5|1|1|1", "b|NULL|2|2|2", "NULL|1|1|1|1"}));
}

TEST_P(WindowTest, LagAndLead) {
  WindowFunctionSpec lag;
  lag.kind = WindowFunctionKind::kLag;
  lag.arguments = {Col(1, LogicalType::BigInt())};
  lag.type = LogicalType::BigInt();
  lag.name = "lag";
  WindowFunctionSpec lead = lag;
  lead.kind = WindowFunctionKind::kLead;
  lead.offset = 2;
  lead.default_value = Lit(I(-1));
  lead.name = "lead";
  std::vector<WindowFunctionSpec> functions = {lag, lead};
  EXPECT_EQ(RunWindow(std::move(functions)),
            (std::vector<std::string>{"a|10|NULL|20", "a|20|10|30", "a|20|20|-1", "a|30|20|-1",
                                      "b|5|NULL|-1", "b|NULL|5|-1", "NULL|1|NULL|-1"}));
}

TEST_P(WindowTest, RunningSumUsesRangeFramesWithPeers) {
  WindowFunctionSpec sum;
  sum.kind = WindowFunctionKind::kAggregate;
  sum.aggregate = BigIntAggregate(AggregateKind::kSum);
  sum.arguments = {Col(1, LogicalType::BigInt())};
  sum.name = "running";
  WindowFunctionSpec rows_sum = sum;
  rows_sum.frame.unit = WindowFrame::Unit::kRows;
  rows_sum.name = "rows_running";
  WindowFunctionSpec moving = sum;
  moving.frame = {.unit = WindowFrame::Unit::kRows,
                  .start = WindowFrame::Bound::kPreceding,
                  .start_offset = 1,
                  .end = WindowFrame::Bound::kFollowing,
                  .end_offset = 1};
  moving.name = "moving";
  WindowFunctionSpec count = sum;
  count.aggregate = BigIntAggregate(AggregateKind::kCountStar);
  count.arguments = {};
  count.frame = {.start = WindowFrame::Bound::kUnboundedPreceding,
                 .end = WindowFrame::Bound::kUnboundedFollowing};
  count.name = "n";
  std::vector<WindowFunctionSpec> functions = {sum, rows_sum, moving, count};
  // RANGE: peers (the two 20s) share the sum 50; ROWS: 30 then 50. Sorted by the first
  // function column, so the ROWS values of the two 20 rows appear in that order.
  EXPECT_EQ(RunWindow(std::move(functions)),
            (std::vector<std::string>{"a|10|10|10|30|4", "a|20|50|30|50|4", "a|20|50|50|70|4",
                                      "a|30|80|80|50|4", "b|5|5|5|5|2", "b|NULL|5|5|5|2",
                                      "NULL|1|1|1|1|1"}));
}

TEST_P(WindowTest, FirstAndLastValueWithoutOrderSeeTheWholePartition) {
  WindowFunctionSpec count;
  count.kind = WindowFunctionKind::kAggregate;
  count.aggregate = BigIntAggregate(AggregateKind::kCount);
  count.arguments = {Col(1, LogicalType::BigInt())};
  count.name = "n";
  WindowFunctionSpec first;
  first.kind = WindowFunctionKind::kFirstValue;
  first.arguments = {Col(1, LogicalType::BigInt())};
  first.type = LogicalType::BigInt();
  first.frame.unit = WindowFrame::Unit::kRows;
  first.frame.end = WindowFrame::Bound::kUnboundedFollowing;
  first.name = "first";
  std::vector<WindowFunctionSpec> functions = {count, first};
  auto rows = RunWindow(std::move(functions), false);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0].substr(0, 7), "a|10|4|");
  EXPECT_EQ(rows[4].substr(0, 6), "b|5|1|");
  EXPECT_EQ(rows[6], "NULL|1|1|1");
}

TEST_P(WindowTest, GroupsFramesAndExclusions) {
  WindowFunctionSpec groups;
  groups.kind = WindowFunctionKind::kAggregate;
  groups.aggregate = BigIntAggregate(AggregateKind::kSum);
  groups.arguments = {Col(1, LogicalType::BigInt())};
  groups.frame = {.unit = WindowFrame::Unit::kGroups,
                  .start = WindowFrame::Bound::kPreceding,
                  .start_offset = 1};
  groups.name = "groups";
  WindowFunctionSpec others = groups;
  others.frame = {.unit = WindowFrame::Unit::kRows,
                  .start = WindowFrame::Bound::kUnboundedPreceding,
                  .end = WindowFrame::Bound::kUnboundedFollowing,
                  .exclusion = WindowFrame::Exclusion::kTies};
  others.name = "others";
  std::vector<WindowFunctionSpec> functions = {groups, others};
  // Group a's peer groups are {10}, {20, 20}, {30}: one group back from a 20 reaches the 10;
  // EXCLUDE TIES drops the other 20 but keeps the row itself.
  EXPECT_EQ(RunWindow(std::move(functions)),
            (std::vector<std::string>{"a|10|10|80", "a|20|50|60", "a|20|50|60", "a|30|70|80",
                                      "b|5|5|5", "b|NULL|5|5", "NULL|1|1|1"}));
}

// RANGE offsets are measured on the ORDER BY key, which the planner passes with the bound values.
TEST(WindowOperatorTest, RangeOffsetsNeedTheKeyAndBoundValues) {
  WindowFunctionSpec sum;
  sum.kind = WindowFunctionKind::kAggregate;
  sum.aggregate = BigIntAggregate(AggregateKind::kSum);
  sum.arguments = {Col(1, LogicalType::BigInt())};
  sum.frame = {.start = WindowFrame::Bound::kPreceding, .start_offset = 1};
  auto window = std::make_unique<WindowOperator>(Scores().Scan(), std::vector<ExpressionPtr>{},
                                                 std::vector<SortKey>{},
                                                 std::vector<WindowFunctionSpec>{sum});
  EXPECT_EQ(Executor::Collect(std::move(window), WithThreads(2)).status().code(),
            StatusCode::kNotSupported);
}

// 64 Ki rows (512 KiB) in 32 slices of one buffer under 8 MiB: the buffer is charged once, not
// once per slice (16 MiB).
TEST_P(WindowTest, InputOfSlicesIsChargedOnce) {
  MemoryTracker tracker("query", 8 << 20);
  auto options = WithThreads(GetParam());
  options.tracker = &tracker;
  auto window = std::make_unique<WindowOperator>(
      ScanSlicesOfOneBuffer(65536, 2048, nullptr), std::vector<ExpressionPtr>{},
      std::vector<SortKey>{{Col(0, LogicalType::BigInt()), false, std::nullopt}},
      std::vector<WindowFunctionSpec>{Ranking(WindowFunctionKind::kRowNumber, "row_number")});
  auto batches = Executor::Collect(std::move(window), options);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  int64_t rows = 0;
  for (const auto& batch : *batches) {
    for (int64_t r = 0; r < batch.num_rows(); ++r) {
      EXPECT_EQ(batch.column(1).Get<int64_t>(r), batch.column(0).Get<int64_t>(r) + 1);
    }
    rows += batch.num_rows();
  }
  EXPECT_EQ(rows, 65536);
}

INSTANTIATE_TEST_SUITE_P(Threads, WindowTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace floe::sql::execution
