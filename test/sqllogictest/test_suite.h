#pragma once

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "sqllogictest/sql_connection.h"
#include "sqllogictest/test_runner.h"

namespace floe::sqllogictest {

/// Counts of files by verdict.
struct SuiteSummary {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;
};

/// Returns the final line of a run: "N passed, N failed", then ", N skipped" when any were.
std::string FormatSummary(const SuiteSummary& summary);

/// Returns the lines printed for one file: its verdict and counts, then every failure report.
std::string FormatFileOutcome(const FileOutcome& outcome);

/// Returns the test files named by `arguments`: files as given, folders searched recursively
/// for `*.test` files, in sorted order. Returns NotFound for a path that does not exist.
Result<std::vector<std::filesystem::path>> CollectTestFiles(std::span<const std::string> arguments);

/// Runs test files, each against a fresh database in its own scratch directory.
class TestSuite {
 public:
  /// Keeps references to `factory` and `output`, which must outlive the suite.
  TestSuite(SqlConnectionFactory& factory, std::ostream& output);

  /// Reads, parses and runs one file; an unreadable or malformed file fails with an error.
  FileOutcome RunFile(const std::filesystem::path& path);

  /// Runs the files in order, printing each file's outcome and then the summary line.
  SuiteSummary RunFiles(std::span<const std::filesystem::path> paths);

 private:
  Result<FileOutcome> RunInScratchDirectory(const TestFile& file);

  SqlConnectionFactory& factory_;
  std::ostream& output_;
};

}  // namespace floe::sqllogictest
