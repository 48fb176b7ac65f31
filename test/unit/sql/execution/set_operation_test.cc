#include "sql/execution/operators/set_operation.h"

#include <gtest/gtest.h>

#include "unit/sql/execution/test_tables.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

TestTable LeftRows() {
  return {{{"a", LogicalType::BigInt()}, {"b", LogicalType::Varchar()}},
          {{I(1), S("x")},
           {I(1), S("x")},
           {I(1), S("x")},
           {I(2), S("y")},
           {NullBigInt(), S("n")},
           {NullBigInt(), S("n")},
           {I(3), NullVarchar()}}};
}

TestTable RightRows() {
  return {{{"c", LogicalType::BigInt()}, {"d", LogicalType::Varchar()}},
          {{I(1), S("x")}, {NullBigInt(), S("n")}, {I(4), S("z")}, {I(1), S("x")}}};
}

class SetOperationTest : public ::testing::TestWithParam<int> {
 protected:
  std::vector<std::string> RunSet(SetOperationKind kind, bool all) {
    auto plan =
        std::make_unique<SetOperationOperator>(LeftRows().Scan(), RightRows().Scan(), kind, all);
    return Sorted(RunPlan(std::move(plan), WithThreads(GetParam())));
  }
};

TEST_P(SetOperationTest, Union) {
  EXPECT_EQ(RunSet(SetOperationKind::kUnion, false),
            (std::vector<std::string>{"1|x", "2|y", "3|NULL", "4|z", "NULL|n"}));
  EXPECT_EQ(RunSet(SetOperationKind::kUnion, true).size(), 11u);
}

TEST_P(SetOperationTest, IntersectTreatsNullsAsEqual) {
  EXPECT_EQ(RunSet(SetOperationKind::kIntersect, false),
            (std::vector<std::string>{"1|x", "NULL|n"}));
  EXPECT_EQ(RunSet(SetOperationKind::kIntersect, true),
            (std::vector<std::string>{"1|x", "1|x", "NULL|n"}));
}

TEST_P(SetOperationTest, Except) {
  EXPECT_EQ(RunSet(SetOperationKind::kExcept, false), (std::vector<std::string>{"2|y", "3|NULL"}));
  EXPECT_EQ(RunSet(SetOperationKind::kExcept, true),
            (std::vector<std::string>{"1|x", "2|y", "3|NULL", "NULL|n"}));
}

INSTANTIATE_TEST_SUITE_P(Threads, SetOperationTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace floe::sql::execution
