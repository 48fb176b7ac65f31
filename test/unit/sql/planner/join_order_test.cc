#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sql/binder/binder.h"
#include "sql/parser/parser.h"
#include "sql/planner/optimizer.h"

namespace floe::sql::planner {
namespace {

using binder::LogicalKind;
using binder::LogicalOperator;
using types::LogicalType;

// TPC-H's shape at scale factor 1, with the distinct counts Parquet statistics give
// (max - min + 1 of integer keys). `unknown_nationkeys` drops the counts of c_nationkey and
// s_nationkey, as for columns without statistics.
class TpchCatalog final : public binder::CatalogAccessor {
 public:
  bool unknown_customer_nationkey = false;
  bool unknown_nationkeys = false;

  Result<std::optional<binder::RelationInfo>> FindRelation(
      const std::vector<std::string>& name) override {
    struct Table {
      std::string name;
      std::vector<std::string> columns;
      int64_t rows;
      std::vector<double> distinct;
    };
    const double nationkeys = unknown_nationkeys ? 0 : 25;
    const std::vector<Table> tables = {
        {"customer",
         {"c_custkey", "c_nationkey"},
         150'000,
         {150'000, unknown_customer_nationkey ? 0 : nationkeys}},
        {"orders", {"o_orderkey", "o_custkey"}, 1'500'000, {1'500'000, 150'000}},
        {"supplier", {"s_suppkey", "s_nationkey"}, 10'000, {10'000, nationkeys}},
        {"nation", {"n_nationkey", "n_regionkey"}, 25, {25, 5}},
    };
    for (const Table& table : tables) {
      if (table.name != name.back()) {
        continue;
      }
      binder::RelationInfo info;
      info.display_name = table.name;
      for (const std::string& column : table.columns) {
        info.columns.push_back({column, LogicalType::BigInt()});
      }
      binder::ParquetSource source;
      source.files = {table.name + ".parquet"};
      source.columns = info.columns;
      source.row_count = table.rows;
      source.distinct_counts = table.distinct;
      info.parquet = source;
      return std::optional<binder::RelationInfo>(info);
    }
    return std::optional<binder::RelationInfo>();
  }
  Result<binder::ParquetSource> OpenParquet(std::string_view path) override {
    return Status::NotFound("no files in tests");
  }
  std::string CurrentUser() const override { return "tester"; }
  std::string CurrentSchema() const override { return "public"; }
};

class JoinOrderTest : public ::testing::Test {
 protected:
  binder::LogicalOperatorPtr Plan(const std::string& sql) {
    sql_ = sql;
    Result<parser::StatementPtr> statement = parser::ParseStatement(sql_);
    EXPECT_TRUE(statement.ok()) << statement.status().ToString();
    binder::Binder binder(catalog_, FunctionRegistry::Default(), sql_);
    Result<binder::BoundQuery> bound =
        binder.BindQuery(*(*statement)->As<parser::QueryStatement>().query);
    EXPECT_TRUE(bound.ok()) << bound.status().ToString();
    if (!bound.ok()) {
      return nullptr;
    }
    Result<binder::LogicalOperatorPtr> plan = Optimize(std::move(bound->plan));
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return plan.ok() ? std::move(plan).value() : nullptr;
  }

  // Returns the joins of the plan, deepest first.
  static std::vector<const LogicalOperator*> Joins(const LogicalOperator& plan) {
    std::vector<const LogicalOperator*> joins;
    std::function<void(const LogicalOperator&)> visit = [&](const LogicalOperator& op) {
      for (const auto& child : op.children) {
        visit(*child);
      }
      if (op.kind == LogicalKind::kJoin) {
        joins.push_back(&op);
      }
    };
    visit(plan);
    return joins;
  }

  // Returns the estimated rows of the only join of `sql`.
  double JoinRows(const std::string& sql) {
    binder::LogicalOperatorPtr plan = Plan(sql);
    if (plan == nullptr) {
      return -1;
    }
    std::vector<const LogicalOperator*> joins = Joins(*plan);
    EXPECT_EQ(joins.size(), 1u) << binder::LogicalPlanToString(*plan);
    return joins.empty() ? -1 : joins[0]->estimate.rows;
  }

  TpchCatalog catalog_;
  std::string sql_;
};

constexpr const char* kCustomerSupplier =
    "SELECT count(*) FROM customer, supplier WHERE c_nationkey = s_nationkey";

TEST_F(JoinOrderTest, ManyToManyJoinDividesByTheLargerDistinctCount) {
  // 150,000 · 10,000 / 25: every customer meets the 400 suppliers of its nation.
  EXPECT_DOUBLE_EQ(JoinRows(kCustomerSupplier), 60'000'000);
}

TEST_F(JoinOrderTest, KeyForeignKeyJoinGivesTheForeignKeySide) {
  EXPECT_DOUBLE_EQ(JoinRows("SELECT count(*) FROM orders, customer WHERE o_custkey = c_custkey"),
                   1'500'000);
}

TEST_F(JoinOrderTest, KeyWithoutStatisticsIsAssumedToShareTheOtherKeysValues) {
  catalog_.unknown_customer_nationkey = true;
  EXPECT_DOUBLE_EQ(JoinRows(kCustomerSupplier), 60'000'000);
}

TEST_F(JoinOrderTest, WithoutAnyStatisticsTheSmallerSourceHoldsTheKey) {
  catalog_.unknown_nationkeys = true;
  EXPECT_DOUBLE_EQ(JoinRows(kCustomerSupplier), 150'000);
}

TEST_F(JoinOrderTest, JoinsAreNotEstimatedLargerThanACrossProductAllows) {
  // A filtered side has no more distinct keys than rows.
  double rows = JoinRows(
      "SELECT count(*) FROM supplier, nation WHERE s_nationkey = n_nationkey AND n_regionkey = 2");
  EXPECT_LE(rows, 10'000 * 25 * 0.1);
  EXPECT_GT(rows, 0);
}

// TPC-H Q5's joins: customer and supplier share only a nation, so joining them first makes
// about 12 million rows at SF1; customer must meet orders first.
TEST_F(JoinOrderTest, DefersTheManyToManyNationJoin) {
  binder::LogicalOperatorPtr plan = Plan(
      "SELECT count(*) FROM customer, orders, supplier, nation WHERE c_custkey = o_custkey "
      "AND c_nationkey = s_nationkey AND s_nationkey = n_nationkey");
  ASSERT_NE(plan, nullptr);
  const std::string text = binder::LogicalPlanToString(*plan);
  for (const LogicalOperator* join : Joins(*plan)) {
    const std::string condition = join->condition->ToString();
    if (condition.find("c_nationkey") == std::string::npos) {
      continue;
    }
    // The join on the nation key must have orders below it, on either side.
    std::string below;
    for (const auto& child : join->children) {
      below += binder::LogicalPlanToString(*child);
    }
    EXPECT_NE(below.find("orders"), std::string::npos) << text;
    return;
  }
  ADD_FAILURE() << "no join on c_nationkey:\n" << text;
}

}  // namespace
}  // namespace floe::sql::planner
