#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace floe::sqllogictest {

/// The engine name that `skipif` and `onlyif` records compare against.
inline constexpr std::string_view kEngineName = "floe";

/// How a query's values are ordered before they are compared (sqllogictest's sort modes).
enum class SortMode : unsigned char {
  kNoSort,     // Rows compare in the order the engine returns them.
  kRowSort,    // Rows are sorted by their rendered values, column by column.
  kValueSort,  // All values are sorted individually, ignoring row boundaries.
};

enum class RecordKind : unsigned char {
  kStatementOk,
  kStatementError,
  kQuery,
  kHalt,           // Stops the file.
  kHashThreshold,  // Sets the threshold above which failure reports show a result's hash.
  kModeSkip,       // Skips statements and queries until kModeUnskip.
  kModeUnskip,
  kRequire,  // Skips the rest of the file unless the engine has the feature.
};

/// A `skipif <engine>` or `onlyif <engine>` line that guards the record after it.
struct Condition {
  bool is_only_if = false;
  std::string engine;
};

/// The `N values hashing to <md5>` form of a query's expected result.
struct ExpectedHash {
  size_t num_values = 0;
  std::string md5;  // 32 lower-case hexadecimal digits.
};

/// What a `query` record expects.
struct QueryExpectation {
  std::string type_letters;  // One of I R T B D ? per column.
  SortMode sort_mode = SortMode::kNoSort;
  std::string label;
  std::vector<std::string> values;   // Row-major, as written ("NULL", "(empty)" included).
  std::optional<ExpectedHash> hash;  // Set instead of `values` for the hash form.

  size_t NumColumns() const { return type_letters.size(); }
};

/// One record of a test file. Fields beyond `kind`, `line` and `conditions` apply to the kinds
/// their comments name.
struct Record {
  RecordKind kind = RecordKind::kStatementOk;
  int line = 0;  // The line of the record's `statement`, `query` or control keyword.
  std::vector<Condition> conditions;
  std::string loop_bindings;  // "i=3" when the record was expanded from a loop.

  std::string sql;                 // Statements and queries.
  std::string expected_sql_state;  // kStatementError; empty accepts any SQLSTATE.
  std::string expected_message;    // kStatementError; empty accepts any message.
  QueryExpectation query;          // kQuery.
  size_t hash_threshold = 0;       // kHashThreshold.
  std::string feature;             // kRequire.
};

/// A parsed test file with its loops expanded.
struct TestFile {
  std::string path;
  std::vector<Record> records;
};

}  // namespace floe::sqllogictest
