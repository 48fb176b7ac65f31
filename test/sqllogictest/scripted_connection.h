#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqllogictest/sql_connection.h"

namespace floe::sqllogictest::testing {

/// Answers SQL from a fixed table of SQL text to result, for testing the runner without an
/// engine. SQL missing from the table fails with NotSupported.
using ScriptedAnswers = std::map<std::string, Result<QueryResult>, std::less<>>;

/// Returns a result with one column per type class, named c1, c2..., holding `rows`.
inline QueryResult MakeResult(std::vector<TypeClass> types,
                              std::vector<std::vector<TextValue>> rows) {
  QueryResult result;
  for (size_t i = 0; i < types.size(); ++i) {
    result.column_names.push_back("c" + std::to_string(i + 1));
  }
  result.column_types = std::move(types);
  result.rows = std::move(rows);
  return result;
}

/// A connection that answers from a ScriptedAnswers table and records what it ran.
class ScriptedConnection : public SqlConnection {
 public:
  explicit ScriptedConnection(ScriptedAnswers answers) : answers_(std::move(answers)) {}

  Result<QueryResult> Execute(std::string_view sql) override {
    executed_.emplace_back(sql);
    auto answer = answers_.find(sql);
    if (answer == answers_.end()) {
      return Status::NotSupported("no scripted answer for: {}", sql);
    }
    return answer->second;
  }

  /// Returns the SQL of every Execute call, in order.
  const std::vector<std::string>& Executed() const { return executed_; }

 private:
  ScriptedAnswers answers_;
  std::vector<std::string> executed_;
};

/// Opens ScriptedConnections that share one answer table; has the features it is given.
class ScriptedConnectionFactory : public SqlConnectionFactory {
 public:
  ScriptedConnectionFactory(ScriptedAnswers answers, std::set<std::string, std::less<>> features)
      : answers_(std::move(answers)), features_(std::move(features)) {}

  Result<std::unique_ptr<SqlConnection>> Connect(
      const std::filesystem::path& scratch_directory) override {
    std::error_code error;
    bool is_empty_directory = std::filesystem::is_directory(scratch_directory, error) &&
                              std::filesystem::is_empty(scratch_directory, error);
    if (!is_empty_directory) {
      return Status::InvalidArgument("scratch directory {} is not an empty directory",
                                     scratch_directory.string());
    }
    scratch_directories_.push_back(scratch_directory);
    return std::unique_ptr<SqlConnection>(std::make_unique<ScriptedConnection>(answers_));
  }

  bool HasFeature(std::string_view feature) const override {
    return features_.find(feature) != features_.end();
  }

  /// Returns the scratch directory of every Connect call, in order.
  const std::vector<std::filesystem::path>& ScratchDirectories() const {
    return scratch_directories_;
  }

 private:
  ScriptedAnswers answers_;
  std::set<std::string, std::less<>> features_;
  std::vector<std::filesystem::path> scratch_directories_;
};

}  // namespace floe::sqllogictest::testing
