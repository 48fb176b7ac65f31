#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sqllogictest/sql_connection.h"
#include "sqllogictest/test_file.h"

namespace floe::sqllogictest {

enum class Verdict : unsigned char { kPassed, kFailed, kSkipped };

/// The outcome of one statement or query record.
struct RecordOutcome {
  int line = 0;
  Verdict verdict = Verdict::kPassed;
  std::string message;  // Why the record failed (a report naming file:line) or was skipped.
};

/// The outcome of one test file.
struct FileOutcome {
  std::string path;
  std::vector<RecordOutcome> records;  // Statements and queries in the order they ran.
  std::string error;        // Set when the file could not be read, parsed or connected to.
  std::string skip_reason;  // Set when a `require` record skipped the rest of the file.
  bool is_halted = false;   // A `halt` record stopped the file.

  /// Returns how many records ended with `verdict`.
  size_t Count(Verdict verdict) const;
  /// Returns kFailed on an error or a failed record, else kSkipped when a `require` skipped
  /// the file, else kPassed.
  Verdict FileVerdict() const;
};

/// Runs the records of one test file, in order, against one connection.
///
/// Checks each query's column count and column type classes against its type letters, then
/// its values (see result_comparison.h). Not thread-safe; one runner per file.
class TestRunner {
 public:
  /// Answers whether the engine has a feature named by a `require` record.
  using FeatureCheck = std::function<bool(std::string_view feature)>;

  /// Keeps references to `connection`, which must outlive the runner.
  TestRunner(SqlConnection& connection, FeatureCheck has_feature);

  /// Runs every record of `file` and returns their outcomes.
  FileOutcome Run(const TestFile& file);

 private:
  struct LabelledResult {
    std::string hash;
    int line = 0;
  };

  bool RunControl(const Record& record, FileOutcome& outcome);
  RecordOutcome RunStatementOk(const Record& record);
  RecordOutcome RunStatementError(const Record& record);
  RecordOutcome RunQuery(const Record& record);
  std::string CheckColumns(const Record& record, const QueryResult& result) const;
  RecordOutcome CheckLabel(const Record& record, const QueryResult& result);
  RecordOutcome Failure(const Record& record, std::string_view reason,
                        std::string_view details) const;

  SqlConnection& connection_;
  FeatureCheck has_feature_;
  std::string path_;
  size_t hash_threshold_ = 0;
  bool is_skipping_ = false;
  std::map<std::string, LabelledResult> labelled_results_;
};

}  // namespace floe::sqllogictest
