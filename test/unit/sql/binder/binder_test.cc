#include "sql/binder/binder.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sql/parser/parser.h"

namespace floe::sql::binder {
namespace {

using types::LogicalType;

// Two empty tables: t(a integer, b text) and u(a integer, c bigint).
class FakeCatalog final : public CatalogAccessor {
 public:
  Result<std::optional<RelationInfo>> FindRelation(const std::vector<std::string>& name) override {
    RelationInfo info;
    info.display_name = name.back();
    if (name.back() == "t") {
      info.columns = {{"a", LogicalType::Integer()}, {"b", LogicalType::Varchar()}};
    } else if (name.back() == "u") {
      info.columns = {{"a", LogicalType::Integer()}, {"c", LogicalType::BigInt()}};
    } else if (name.back() == "v") {
      info.kind = RelationInfo::Kind::kView;
      info.view_sql = "SELECT a + 1 AS x FROM t";
    } else {
      return std::optional<RelationInfo>();
    }
    return std::optional<RelationInfo>(info);
  }
  Result<ParquetSource> OpenParquet(std::string_view path) override {
    return Status::NotFound("no files in tests");
  }
  std::string CurrentUser() const override { return "tester"; }
  std::string CurrentSchema() const override { return "public"; }
};

class BinderTest : public ::testing::Test {
 protected:
  Result<BoundQuery> Bind(const std::string& sql) {
    sql_ = sql;
    FLOE_ASSIGN_OR_RETURN(parser::StatementPtr statement, parser::ParseStatement(sql_));
    statement_ = std::move(statement);
    if (statement_->kind != parser::StatementKind::kQuery) {
      return Status::InvalidArgument("not a query");
    }
    Binder binder(catalog_, FunctionRegistry::Default(), sql_);
    return binder.BindQuery(*statement_->As<parser::QueryStatement>().query);
  }

  // Binds and returns the output column types.
  std::vector<LogicalType> TypesOf(const std::string& sql) {
    Result<BoundQuery> bound = Bind(sql);
    EXPECT_TRUE(bound.ok()) << bound.status().ToString();
    std::vector<LogicalType> types;
    if (bound.ok()) {
      for (const LogicalColumn& column : bound->plan->columns) {
        types.push_back(column.type);
      }
    }
    return types;
  }

  Status ErrorOf(const std::string& sql) {
    Result<BoundQuery> bound = Bind(sql);
    return bound.ok() ? Status::OK() : bound.status();
  }

  FakeCatalog catalog_;
  std::string sql_;
  parser::StatementPtr statement_;
};

TEST_F(BinderTest, TypesLiteralsAsPostgresDoes) {
  auto types = TypesOf("SELECT 1, 3000000000, 1.50, 'abc', NULL, true");
  ASSERT_EQ(types.size(), 6u);
  EXPECT_EQ(types[0], LogicalType::Integer());
  EXPECT_EQ(types[1], LogicalType::BigInt());
  EXPECT_EQ(types[2], *LogicalType::Decimal(3, 2));
  EXPECT_EQ(types[3], LogicalType::Varchar());
  EXPECT_EQ(types[4], LogicalType::Varchar());
  EXPECT_EQ(types[5], LogicalType::Boolean());
}

TEST_F(BinderTest, CoercesUnknownLiteralsToTheOtherOperand) {
  auto types = TypesOf("SELECT DATE '2024-01-31' > '2024-01-01', a + '2' FROM t");
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types[0], LogicalType::Boolean());
  EXPECT_EQ(types[1], LogicalType::Integer());
}

TEST_F(BinderTest, NamesOutputColumnsAsPostgresDoes) {
  Result<BoundQuery> bound = Bind(
      "SELECT a, a + 1, count(*), b AS bee, CAST(a AS bigint) FROM t "
      "GROUP BY a, b");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  std::vector<std::string> names;
  for (const LogicalColumn& column : bound->plan->columns) {
    names.push_back(column.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a", "?column?", "count", "bee", "a"}));
}

TEST_F(BinderTest, ReportsUndefinedColumnWithPosition) {
  Status status = ErrorOf("SELECT nope FROM t");
  EXPECT_EQ(status.sql_state(), "42703");
  EXPECT_EQ(status.message(), "column \"nope\" does not exist");
  EXPECT_EQ(status.position(), 8);
}

TEST_F(BinderTest, ReportsAmbiguousColumn) {
  Status status = ErrorOf("SELECT a FROM t, u");
  EXPECT_EQ(status.sql_state(), "42702");
  EXPECT_EQ(status.message(), "column reference \"a\" is ambiguous");
}

TEST_F(BinderTest, ReportsUndefinedRelation) {
  Status status = ErrorOf("SELECT * FROM missing");
  EXPECT_EQ(status.sql_state(), "42P01");
  EXPECT_EQ(status.message(), "relation \"missing\" does not exist");
  EXPECT_EQ(status.position(), 15);
}

TEST_F(BinderTest, ReportsMissingFromClauseEntry) {
  Status status = ErrorOf("SELECT x.a FROM t");
  EXPECT_EQ(status.sql_state(), "42P01");
  EXPECT_EQ(status.message(), "missing FROM-clause entry for table \"x\"");
}

TEST_F(BinderTest, ReportsUngroupedColumn) {
  Status status = ErrorOf("SELECT a, b FROM t GROUP BY a");
  EXPECT_EQ(status.sql_state(), "42803");
  EXPECT_EQ(status.message(),
            "column \"t.b\" must appear in the GROUP BY clause or be used in an aggregate "
            "function");
}

TEST_F(BinderTest, RejectsAggregatesInWhere) {
  Status status = ErrorOf("SELECT a FROM t WHERE sum(a) > 1");
  EXPECT_EQ(status.sql_state(), "42803");
  EXPECT_EQ(status.message(), "aggregate functions are not allowed in WHERE");
}

TEST_F(BinderTest, AcceptsGroupedExpressions) {
  EXPECT_TRUE(ErrorOf("SELECT a + 1, count(*) FROM t GROUP BY a + 1").ok());
  EXPECT_TRUE(ErrorOf("SELECT a AS k, sum(a) FROM t GROUP BY k ORDER BY 2 DESC").ok());
  EXPECT_TRUE(ErrorOf("SELECT a FROM t GROUP BY 1 HAVING count(*) > 1").ok());
}

TEST_F(BinderTest, MergesUsingColumns) {
  Result<BoundQuery> bound = Bind("SELECT * FROM t JOIN u USING (a)");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  std::vector<std::string> names;
  for (const LogicalColumn& column : bound->plan->columns) {
    names.push_back(column.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(ErrorOf("SELECT a, t.a, u.a FROM t JOIN u USING (a)").ok());
}

TEST_F(BinderTest, ResolvesUnionTypes) {
  auto types = TypesOf("SELECT a FROM t UNION SELECT c FROM u");
  ASSERT_EQ(types.size(), 1u);
  EXPECT_EQ(types[0], LogicalType::BigInt());
  Status status = ErrorOf("SELECT a FROM t UNION SELECT b FROM t");
  EXPECT_EQ(status.sql_state(), "42804");
}

TEST_F(BinderTest, DecorrelatesExistsIntoSemiJoin) {
  Result<BoundQuery> bound =
      Bind("SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a AND u.c > 0)");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  std::string plan = LogicalPlanToString(*bound->plan);
  EXPECT_NE(plan.find("Join SEMI on"), std::string::npos) << plan;
}

TEST_F(BinderTest, DecorrelatesScalarAggregateIntoGroupedLeftJoin) {
  Result<BoundQuery> bound =
      Bind("SELECT a FROM t WHERE a < (SELECT avg(c) FROM u WHERE u.a = t.a)");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  std::string plan = LogicalPlanToString(*bound->plan);
  EXPECT_NE(plan.find("Join LEFT on"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Aggregate groups=[a]"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("EnforceSingleRow"), std::string::npos) << plan;
}

TEST_F(BinderTest, KeepsSingleRowCheckOnUncorrelatedScalarSubquery) {
  Result<BoundQuery> bound = Bind("SELECT (SELECT c FROM u) FROM t");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  EXPECT_NE(LogicalPlanToString(*bound->plan).find("EnforceSingleRow"), std::string::npos);
}

TEST_F(BinderTest, RejectsUnsupportedConstructsClearly) {
  Status status = ErrorOf("SELECT count(DISTINCT a) OVER () FROM t");
  EXPECT_EQ(status.code(), StatusCode::kNotSupported);
  EXPECT_EQ(status.sql_state(), "0A000");
  status = ErrorOf("SELECT * FROM t LEFT JOIN LATERAL generate_series(1, t.a) g ON g > 1");
  EXPECT_EQ(status.sql_state(), "0A000");
}

TEST_F(BinderTest, RunsFunctionInFromOverTheItemsBeforeIt) {
  Result<BoundQuery> bound = Bind("SELECT * FROM t, generate_series(1, t.a) g");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  std::string plan = LogicalPlanToString(*bound->plan);
  EXPECT_NE(plan.find("TableFunction generate_series(1, "), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Join"), std::string::npos) << plan;
}

TEST_F(BinderTest, StacksOneWindowPerPartitionAndOrder) {
  Result<BoundQuery> bound = Bind(
      "SELECT a, row_number() OVER (PARTITION BY b ORDER BY a), sum(a) OVER (PARTITION BY b "
      "ORDER BY a), rank() OVER (ORDER BY a), sum(a) OVER (PARTITION BY b ORDER BY a) FROM t");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  std::string plan = LogicalPlanToString(*bound->plan);
  // The two windows with PARTITION BY b ORDER BY a share one operator, and the repeated sum
  // one column.
  EXPECT_NE(plan.find("Window partition=[] order=[a] functions=[rank()]"), std::string::npos)
      << plan;
  EXPECT_NE(plan.find("Window partition=[b] order=[a] functions=[row_number(), sum(a) RANGE "
                      "BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW]"),
            std::string::npos)
      << plan;
  std::vector<LogicalType> types = TypesOf(
      "SELECT row_number() OVER (), percent_rank() OVER (), ntile(2) OVER (), sum(a) OVER (), "
      "lag(c, 1, 0.5) OVER () FROM u");
  ASSERT_EQ(types.size(), 5u);
  EXPECT_EQ(types[0], LogicalType::BigInt());
  EXPECT_EQ(types[1], LogicalType::Double());
  EXPECT_EQ(types[2], LogicalType::Integer());
  EXPECT_EQ(types[3], LogicalType::BigInt());
  // lag's value and default share their common type, numeric.
  EXPECT_EQ(types[4].id(), types::TypeId::kDecimal);
}

TEST_F(BinderTest, BindsWindowsOverGroupedRows) {
  Result<BoundQuery> bound =
      Bind("SELECT b, sum(sum(a)) OVER (ORDER BY count(*)) FROM t GROUP BY b");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  std::string plan = LogicalPlanToString(*bound->plan);
  EXPECT_LT(plan.find("Window"), plan.find("Aggregate")) << plan;
  Status status = ErrorOf("SELECT b, sum(a) OVER () FROM t GROUP BY b");
  EXPECT_EQ(status.sql_state(), "42803");
}

TEST_F(BinderTest, ReportsWindowErrorsAsPostgresDoes) {
  struct Case {
    std::string sql;
    std::string sql_state;
    std::string message;
  };
  std::vector<Case> cases = {
      {"SELECT a FROM t WHERE row_number() OVER () > 1", "42P20",
       "window functions are not allowed in WHERE"},
      {"SELECT sum(sum(a) OVER ()) OVER () FROM t", "42P20",
       "window function calls cannot be nested"},
      {"SELECT sum(row_number() OVER ()) FROM t", "42803",
       "aggregate function calls cannot contain window function calls"},
      {"SELECT row_number() FROM t", "42809", "window function row_number requires an OVER clause"},
      {"SELECT sum(a) OVER w FROM t", "42704", "window \"w\" does not exist"},
      {"SELECT sum(a) OVER (w ORDER BY a) FROM t WINDOW w AS (ORDER BY b)", "42P20",
       "cannot override ORDER BY clause of window \"w\""},
      {"SELECT sum(a) OVER (GROUPS 1 PRECEDING) FROM t", "42P20",
       "GROUPS mode requires an ORDER BY clause"},
      {"SELECT sum(a) OVER (ROWS a PRECEDING) FROM t", "42P10",
       "argument of ROWS must not contain variables"},
      {"SELECT sum(a) OVER (ORDER BY b RANGE 1 PRECEDING) FROM t", "0A000",
       "RANGE with offset PRECEDING/FOLLOWING is not supported for column type text"},
  };
  for (const Case& c : cases) {
    Status status = ErrorOf(c.sql);
    EXPECT_EQ(status.sql_state(), c.sql_state) << c.sql << ": " << status.ToString();
    EXPECT_EQ(status.message(), c.message) << c.sql;
  }
}

TEST_F(BinderTest, BindsRecursiveCteOverItsWorkTable) {
  Result<BoundQuery> bound = Bind(
      "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "
      "SELECT * FROM r");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  std::string plan = LogicalPlanToString(*bound->plan);
  EXPECT_NE(plan.find("RecursiveUnion All r"), std::string::npos) << plan;
  EXPECT_NE(plan.find("WorkTableScan r"), std::string::npos) << plan;
  // Without a self-reference the CTE is an ordinary UNION.
  bound = Bind("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT 2) SELECT * FROM r");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  plan = LogicalPlanToString(*bound->plan);
  EXPECT_EQ(plan.find("RecursiveUnion"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Union All"), std::string::npos) << plan;
}

TEST_F(BinderTest, BindsGroupingSetsAsOneAggregateOverSetNumbers) {
  Result<BoundQuery> bound = Bind("SELECT a, b, count(*) FROM t GROUP BY ROLLUP (a, b)");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  std::string plan = LogicalPlanToString(*bound->plan);
  // (a, b), (a) and (): one row per set crossed with the input.
  EXPECT_NE(plan.find("Values (3 rows)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("CASE"), std::string::npos) << plan;
  Status status =
      ErrorOf("SELECT count(*) FROM t GROUP BY CUBE (a, a, a, a, a, a, a, a, a, a, a, a, a)");
  EXPECT_EQ(status.sql_state(), "54001");
}

TEST_F(BinderTest, ExpandsViewsAndCtes) {
  auto types = TypesOf("SELECT x FROM v");
  ASSERT_EQ(types.size(), 1u);
  EXPECT_EQ(types[0], LogicalType::Integer());
  types = TypesOf("WITH w AS (SELECT b FROM t), z AS (SELECT * FROM w) SELECT b FROM z");
  ASSERT_EQ(types.size(), 1u);
  EXPECT_EQ(types[0], LogicalType::Varchar());
}

TEST_F(BinderTest, InfersParameterTypes) {
  Result<BoundQuery> bound = Bind("SELECT a FROM t WHERE a = $1 AND b LIKE $2");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  ASSERT_EQ(bound->parameter_types.size(), 2u);
  EXPECT_EQ(bound->parameter_types[0], LogicalType::Integer());
  EXPECT_EQ(bound->parameter_types[1], LogicalType::Varchar());
}

}  // namespace
}  // namespace floe::sql::binder
