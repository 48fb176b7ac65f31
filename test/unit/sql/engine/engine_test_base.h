#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "sql/engine/database.h"
#include "sql/engine/result_text.h"
#include "sql/engine/session.h"

namespace floe::sql::engine {

/// A fresh database per test, with its SQLite metastore and local warehouse in a scratch
/// directory that is removed afterwards, and one session of user "alice".
class EngineTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = std::filesystem::temp_directory_path() /
                 ("floe-engine-test-" + std::to_string(::getpid()) + "-" + test->test_suite_name() +
                  "-" + test->name());
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

  /// Pulls every row of `result` in PostgreSQL's text form; a failure fails the test.
  std::vector<TextRow> Rows(QueryResult& result) {
    std::vector<TextRow> rows;
    Result<std::vector<vector::Batch>> batches = result.FetchAll();
    EXPECT_TRUE(batches.ok()) << batches.status().ToString();
    if (!batches.ok()) {
      return rows;
    }
    for (const vector::Batch& batch : *batches) {
      EXPECT_TRUE(AppendTextRows(batch, rows).ok());
    }
    return rows;
  }

  /// Runs a statement that must succeed.
  void Run(const std::string& sql) {
    Result<QueryResult> result = session_->Execute(sql);
    ASSERT_TRUE(result.ok()) << sql << ": " << result.status().ToString();
  }

  /// The rows of a query, one string per row: values in text form ("NULL" for NULL) separated
  /// by "|". A failure fails the test.
  std::vector<std::string> Query(const std::string& sql) {
    Result<QueryResult> result = session_->Execute(sql);
    EXPECT_TRUE(result.ok()) << sql << ": " << result.status().ToString();
    if (!result.ok()) {
      return {};
    }
    std::vector<std::string> lines;
    for (const TextRow& row : Rows(*result)) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) {
        line += (i > 0 ? "|" : "") + row[i].value_or("NULL");
      }
      lines.push_back(line);
    }
    return lines;
  }

  std::filesystem::path directory_;
  std::shared_ptr<Database> database_;
  std::unique_ptr<Session> session_;
};

}  // namespace floe::sql::engine
