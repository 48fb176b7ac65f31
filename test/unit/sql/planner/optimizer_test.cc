#include "sql/planner/optimizer.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sql/binder/binder.h"
#include "sql/parser/parser.h"

namespace floe::sql::planner {
namespace {

using binder::LogicalOperator;
using types::LogicalType;

// Parquet-backed tables with row counts: big(k, v) of 1,000,000 rows and small(k, name) of 10.
class FakeCatalog final : public binder::CatalogAccessor {
 public:
  Result<std::optional<binder::RelationInfo>> FindRelation(
      const std::vector<std::string>& name) override {
    binder::RelationInfo info;
    info.display_name = name.back();
    binder::ParquetSource source;
    source.files = {name.back() + ".parquet"};
    if (name.back() == "big") {
      info.columns = {{"k", LogicalType::Integer()}, {"v", LogicalType::BigInt()}};
      source.row_count = 1'000'000;
    } else if (name.back() == "small") {
      info.columns = {{"k", LogicalType::Integer()}, {"name", LogicalType::Varchar()}};
      source.row_count = 10;
    } else {
      return std::optional<binder::RelationInfo>();
    }
    source.columns = info.columns;
    info.parquet = source;
    return std::optional<binder::RelationInfo>(info);
  }
  Result<binder::ParquetSource> OpenParquet(std::string_view path) override {
    return Status::NotFound("no files in tests");
  }
  std::string CurrentUser() const override { return "tester"; }
  std::string CurrentSchema() const override { return "public"; }
};

class OptimizerTest : public ::testing::Test {
 protected:
  std::string Plan(const std::string& sql, const OptimizerOptions& options = {}) {
    sql_ = sql;
    Result<parser::StatementPtr> statement = parser::ParseStatement(sql_);
    EXPECT_TRUE(statement.ok()) << statement.status().ToString();
    binder::Binder binder(catalog_, FunctionRegistry::Default(), sql_);
    Result<binder::BoundQuery> bound =
        binder.BindQuery(*(*statement)->As<parser::QueryStatement>().query);
    EXPECT_TRUE(bound.ok()) << bound.status().ToString();
    if (!bound.ok()) {
      return "";
    }
    Result<binder::LogicalOperatorPtr> plan = Optimize(std::move(bound->plan), options);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return plan.ok() ? binder::LogicalPlanToString(**plan) : "";
  }

  FakeCatalog catalog_;
  std::string sql_;
};

TEST_F(OptimizerTest, TurnsWhereEqualityOverCrossProductIntoJoinCondition) {
  std::string plan = Plan("SELECT v, name FROM big, small WHERE big.k = small.k AND v > 5");
  EXPECT_NE(plan.find("Join INNER on (k = k)"), std::string::npos) << plan;
  // The single-table condition sits on the scan of big, not above the join.
  EXPECT_NE(plan.find("Filter (v > 5)"), std::string::npos) << plan;
  EXPECT_LT(plan.find("Join INNER"), plan.find("Filter (v > 5)")) << plan;
}

TEST_F(OptimizerTest, PutsTheSmallerInputOnTheBuildSide) {
  std::string plan = Plan("SELECT v FROM small JOIN big ON big.k = small.k");
  size_t big = plan.find("ParquetScan big");
  size_t small = plan.find("ParquetScan small");
  ASSERT_NE(big, std::string::npos) << plan;
  ASSERT_NE(small, std::string::npos) << plan;
  EXPECT_LT(big, small) << "the build (second) child should be small:\n" << plan;
}

TEST_F(OptimizerTest, PushesComparisonsIntoParquetScans) {
  std::string plan = Plan("SELECT v FROM big WHERE k = 3 AND v >= 10");
  EXPECT_NE(plan.find("pruning on 2 predicates"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, MakesOrderByLimitATopN) {
  std::string plan = Plan("SELECT v FROM big ORDER BY v DESC LIMIT 5");
  EXPECT_NE(plan.find("TopN 5 by"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Limit"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, FoldsConstants) {
  std::string plan = Plan("SELECT v FROM big WHERE v > 2 + 3");
  EXPECT_NE(plan.find("(v > 5)"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, ReplacesFalseFiltersWithEmptySource) {
  std::string plan = Plan("SELECT v FROM big WHERE 1 = 2");
  EXPECT_NE(plan.find("Empty"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("ParquetScan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, FactorsConditionsCommonToEveryOrBranch) {
  std::string plan = Plan(
      "SELECT v FROM big, small WHERE (big.k = small.k AND v = 1) OR "
      "(big.k = small.k AND v = 2)");
  EXPECT_NE(plan.find("Join INNER on (k = k)"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, PushesOnlyPartitionKeyFiltersBelowWindows) {
  std::string plan = Plan(
      "SELECT * FROM (SELECT k, v, sum(v) OVER (PARTITION BY k ORDER BY v) AS s FROM big) w "
      "WHERE k = 3 AND v > 10");
  // k = 3 keeps or drops whole partitions; v > 10 would change the sums of the rows kept.
  EXPECT_LT(plan.find("Filter (v > 10)"), plan.find("Window")) << plan;
  EXPECT_GT(plan.find("k = 3"), plan.find("Window")) << plan;
}

TEST_F(OptimizerTest, PrunesWindowCallsNobodyReads) {
  std::string plan = Plan(
      "SELECT k, r FROM (SELECT k, rank() OVER (ORDER BY k) AS r, sum(v) OVER (ORDER BY k) AS s "
      "FROM big) w");
  EXPECT_NE(plan.find("functions=[rank()]"), std::string::npos) << plan;
  // Without a window column read, the window goes and v is not read at all.
  plan = Plan("SELECT k FROM (SELECT k, sum(v) OVER (PARTITION BY k) AS s FROM big) w");
  EXPECT_EQ(plan.find("Window"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, KeepsLeftJoinFiltersOnThePreservedSide) {
  std::string plan = Plan(
      "SELECT v FROM big LEFT JOIN small ON big.k = small.k WHERE "
      "small.name IS NULL");
  // The IS NULL test on the nullable side must stay above the join.
  EXPECT_LT(plan.find("Filter (name IS NULL)"), plan.find("Join LEFT")) << plan;
}

TEST_F(OptimizerTest, ComparesWidenedColumnsInTheirOwnTypeSoScansCanPrune) {
  // k is an integer: `k < 7::bigint` would cast every k to bigint.
  std::string plan = Plan("SELECT v FROM big WHERE k < 7::bigint AND k >= 2 + 1");
  EXPECT_NE(plan.find("Filter ((k < 7) AND (k >= 3))"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("CAST"), std::string::npos) << plan;
  EXPECT_NE(plan.find("pruning on 2 predicates"), std::string::npos) << plan;
}

}  // namespace
}  // namespace floe::sql::planner
