#include "sqllogictest/test_runner.h"

#include <algorithm>
#include <utility>

#include <fmt/core.h>

#include "sqllogictest/result_comparison.h"

namespace floe::sqllogictest {
namespace {

bool LetterAccepts(char letter, TypeClass type_class) {
  switch (letter) {
    case 'I':
      return type_class == TypeClass::kInteger;
    case 'R':
      return type_class == TypeClass::kFloat;
    case 'T':
      return type_class == TypeClass::kText;
    case 'B':
      return type_class == TypeClass::kBoolean;
    case 'D':
      return type_class == TypeClass::kDateTime;
    default:
      return true;
  }
}

std::string_view LetterName(char letter) {
  switch (letter) {
    case 'I':
      return "integer";
    case 'R':
      return "floating point";
    case 'T':
      return "text";
    case 'B':
      return "boolean";
    case 'D':
      return "date/time";
    default:
      return "any type";
  }
}

std::string DescribeError(const Status& status) {
  return fmt::format("{} (SQLSTATE {})", status.message(), status.sql_state());
}

// Returns the reason a record does not run on this engine, or "" when it runs.
std::string ConditionBlocking(const Record& record) {
  for (const Condition& condition : record.conditions) {
    bool is_this_engine = condition.engine == kEngineName;
    if (condition.is_only_if != is_this_engine) {
      return fmt::format("{} {}", condition.is_only_if ? "onlyif" : "skipif", condition.engine);
    }
  }
  return "";
}

bool IsStatementOrQuery(RecordKind kind) {
  return kind == RecordKind::kStatementOk || kind == RecordKind::kStatementError ||
         kind == RecordKind::kQuery;
}

}  // namespace

size_t FileOutcome::Count(Verdict verdict) const {
  return static_cast<size_t>(
      std::count_if(records.begin(), records.end(),
                    [&](const RecordOutcome& record) { return record.verdict == verdict; }));
}

Verdict FileOutcome::FileVerdict() const {
  if (!error.empty() || Count(Verdict::kFailed) > 0) {
    return Verdict::kFailed;
  }
  return skip_reason.empty() ? Verdict::kPassed : Verdict::kSkipped;
}

TestRunner::TestRunner(SqlConnection& connection, FeatureCheck has_feature)
    : connection_(connection), has_feature_(std::move(has_feature)) {}

FileOutcome TestRunner::Run(const TestFile& file) {
  path_ = file.path;
  hash_threshold_ = 0;
  is_skipping_ = false;
  labelled_results_.clear();
  FileOutcome outcome;
  outcome.path = file.path;
  for (const Record& record : file.records) {
    std::string blocking = ConditionBlocking(record);
    if (IsStatementOrQuery(record.kind) && (is_skipping_ || !blocking.empty())) {
      std::string reason = blocking.empty() ? "mode skip" : blocking;
      outcome.records.push_back({record.line, Verdict::kSkipped, reason});
      continue;
    }
    if (!blocking.empty()) {
      continue;
    }
    if (record.kind == RecordKind::kStatementOk) {
      outcome.records.push_back(RunStatementOk(record));
    } else if (record.kind == RecordKind::kStatementError) {
      outcome.records.push_back(RunStatementError(record));
    } else if (record.kind == RecordKind::kQuery) {
      outcome.records.push_back(RunQuery(record));
    } else if (!RunControl(record, outcome)) {
      break;
    }
  }
  return outcome;
}

// Returns false when the record ends the file (halt, or a require that is not met).
bool TestRunner::RunControl(const Record& record, FileOutcome& outcome) {
  switch (record.kind) {
    case RecordKind::kHalt:
      outcome.is_halted = true;
      return false;
    case RecordKind::kHashThreshold:
      hash_threshold_ = record.hash_threshold;
      return true;
    case RecordKind::kModeSkip:
    case RecordKind::kModeUnskip:
      is_skipping_ = record.kind == RecordKind::kModeSkip;
      return true;
    case RecordKind::kRequire:
      if (has_feature_ && has_feature_(record.feature)) {
        return true;
      }
      outcome.skip_reason =
          fmt::format("require {}: the engine does not provide it", record.feature);
      return false;
    default:
      return true;
  }
}

RecordOutcome TestRunner::RunStatementOk(const Record& record) {
  Result<QueryResult> result = connection_.Execute(record.sql);
  if (!result.ok()) {
    return Failure(record, "statement failed", DescribeError(result.status()) + "\n");
  }
  return {record.line, Verdict::kPassed, ""};
}

RecordOutcome TestRunner::RunStatementError(const Record& record) {
  Result<QueryResult> result = connection_.Execute(record.sql);
  if (result.ok()) {
    return Failure(record, "statement succeeded, an error was expected", "");
  }
  const Status& status = result.status();
  if (!record.expected_sql_state.empty() && status.sql_state() != record.expected_sql_state) {
    return Failure(
        record,
        fmt::format("expected SQLSTATE {}, got {}", record.expected_sql_state, status.sql_state()),
        DescribeError(status) + "\n");
  }
  if (status.message().find(record.expected_message) == std::string_view::npos) {
    return Failure(record, "the error message does not contain the expected text",
                   fmt::format("---- expected text\n{}\n---- actual error\n{}\n",
                               record.expected_message, DescribeError(status)));
  }
  return {record.line, Verdict::kPassed, ""};
}

RecordOutcome TestRunner::RunQuery(const Record& record) {
  Result<QueryResult> result = connection_.Execute(record.sql);
  if (!result.ok()) {
    return Failure(record, "query failed", DescribeError(result.status()) + "\n");
  }
  std::string column_error = CheckColumns(record, *result);
  if (!column_error.empty()) {
    return Failure(record, column_error, "");
  }
  Result<ResultComparison> comparison = CompareQueryResult(record.query, *result, hash_threshold_);
  if (!comparison.ok()) {
    return Failure(record, "cannot compare the result", comparison.status().ToString() + "\n");
  }
  if (!comparison->matches) {
    return Failure(record, "wrong result", comparison->explanation);
  }
  return CheckLabel(record, *result);
}

// Returns what is wrong with the result's shape, or "" when it fits the type letters.
std::string TestRunner::CheckColumns(const Record& record, const QueryResult& result) const {
  const std::string& letters = record.query.type_letters;
  if (result.column_types.size() != letters.size()) {
    return fmt::format("expected {} columns ({}), got {}", letters.size(), letters,
                       result.column_types.size());
  }
  for (size_t column = 0; column < letters.size(); ++column) {
    if (!LetterAccepts(letters[column], result.column_types[column])) {
      std::string name = column < result.column_names.size() ? result.column_names[column] : "";
      return fmt::format("column {} ({}) is {}, type letter {} expects {}", column + 1, name,
                         TypeClassName(result.column_types[column]), letters[column],
                         LetterName(letters[column]));
    }
  }
  for (size_t row = 0; row < result.rows.size(); ++row) {
    if (result.rows[row].size() != letters.size()) {
      return fmt::format("the engine returned {} values in row {} of a {}-column result",
                         result.rows[row].size(), row + 1, letters.size());
    }
  }
  return "";
}

// Queries sharing a label must return the same values (sqllogictest's label rule).
RecordOutcome TestRunner::CheckLabel(const Record& record, const QueryResult& result) {
  if (record.query.label.empty()) {
    return {record.line, Verdict::kPassed, ""};
  }
  std::vector<std::string> values = RenderValues(result);
  SortValues(values, record.query.NumColumns(), record.query.sort_mode);
  Result<std::string> hash = HashValues(values);
  if (!hash.ok()) {
    return Failure(record, "cannot hash the result", hash.status().ToString() + "\n");
  }
  auto [entry, is_new] =
      labelled_results_.try_emplace(record.query.label, LabelledResult{*hash, record.line});
  if (!is_new && entry->second.hash != *hash) {
    return Failure(record,
                   fmt::format("label {}: result differs from the query at line {}",
                               record.query.label, entry->second.line),
                   "");
  }
  return {record.line, Verdict::kPassed, ""};
}

RecordOutcome TestRunner::Failure(const Record& record, std::string_view reason,
                                  std::string_view details) const {
  std::string report = fmt::format("{}:{}: {}", path_, record.line, reason);
  if (!record.loop_bindings.empty()) {
    report += fmt::format(" [{}]", record.loop_bindings);
  }
  report += fmt::format("\n---- sql\n{}\n{}", record.sql, details);
  return {record.line, Verdict::kFailed, std::move(report)};
}

}  // namespace floe::sqllogictest
