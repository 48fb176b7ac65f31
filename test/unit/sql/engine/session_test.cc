#include "sql/engine/session.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "sql/engine/database.h"
#include "sql/engine/result_text.h"

namespace floe::sql::engine {
namespace {

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("floe-session-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(directory_);
    Settings settings;
    settings.warehouse = (directory_ / "warehouse").string();
    settings.metastore = "sqlite:" + (directory_ / "floe.db").string();
    settings.threads = 2;
    Result<std::shared_ptr<Database>> database = Database::Open(settings);
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = *database;
    session_ = database_->Connect("alice");
  }
  void TearDown() override {
    session_.reset();
    database_.reset();
    std::filesystem::remove_all(directory_);
  }

  std::vector<TextRow> Rows(QueryResult& result) {
    std::vector<TextRow> rows;
    Result<std::vector<vector::Batch>> batches = result.FetchAll();
    EXPECT_TRUE(batches.ok()) << batches.status().ToString();
    for (const vector::Batch& batch : *batches) {
      EXPECT_TRUE(AppendTextRows(batch, rows).ok());
    }
    return rows;
  }

  std::filesystem::path directory_;
  std::shared_ptr<Database> database_;
  std::unique_ptr<Session> session_;
};

TEST_F(SessionTest, ReturnsColumnsRowsAndTag) {
  Result<QueryResult> result = session_->Execute(
      "SELECT x, x * 2 AS y FROM generate_series(1, 3) "
      "AS g(x) ORDER BY x");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->columns().size(), 2u);
  EXPECT_EQ(result->columns()[1].name, "y");
  std::vector<TextRow> rows = Rows(*result);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(*rows[2][1], "6");
  EXPECT_EQ(result->command_tag(), "SELECT 3");
}

TEST_F(SessionTest, RunsSeveralStatementsInOrder) {
  Result<QueryResult> result =
      session_->Execute("SET application_name = 'a'; SHOW application_name");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<TextRow> rows = Rows(*result);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*rows[0][0], "a");
  EXPECT_EQ(result->command_tag(), "SHOW");
}

TEST_F(SessionTest, CarriesTheUser) {
  EXPECT_EQ(session_->context().user, "alice");
  Result<QueryResult> result = session_->Execute("SELECT current_user");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(*Rows(*result)[0][0], "alice");
}

TEST_F(SessionTest, DescribesAndRunsPreparedStatements) {
  Result<StatementDescription> description =
      session_->Prepare("q",
                        "SELECT x + $1 AS total FROM generate_series(1, 2) AS g(x) "
                        "WHERE x > $2");
  ASSERT_TRUE(description.ok()) << description.status().ToString();
  ASSERT_EQ(description->parameter_types.size(), 2u);
  EXPECT_EQ(description->parameter_types[0], types::LogicalType::Integer());
  ASSERT_EQ(description->columns.size(), 1u);
  EXPECT_EQ(description->columns[0].name, "total");
  std::vector<types::Value> parameters = {types::Value::Integer(10), types::Value::Integer(1)};
  Result<QueryResult> result = session_->ExecutePrepared("q", parameters);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<TextRow> rows = Rows(*result);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*rows[0][0], "12");
}

TEST_F(SessionTest, ReportsErrorsWithPositionAndSqlState) {
  Result<QueryResult> result = session_->Execute("SELECT 1;\nSELECT nope");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().sql_state(), "42703");
  EXPECT_EQ(result.status().position(), 18);
}

TEST_F(SessionTest, RejectsUnsupportedStatementsClearly) {
  Result<QueryResult> result = session_->Execute("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().sql_state(), "0A000");
}

}  // namespace
}  // namespace floe::sql::engine
