#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sqllogictest/sql_connection.h"
#include "sqllogictest/test_file.h"

namespace floe::sqllogictest {

/// The relative difference below which two R values that both parse as numbers are equal.
inline constexpr double kFloatRelativeTolerance = 1e-9;

/// Returns a result's values in row-major order as test files write them: NULL as "NULL", the
/// empty string as "(empty)", anything else unchanged.
std::vector<std::string> RenderValues(const QueryResult& result);

/// Sorts row-major `values` (rows of `num_columns`) as `mode` requires: rows by their values
/// compared column by column as strings, or every value on its own.
void SortValues(std::vector<std::string>& values, size_t num_columns, SortMode mode);

/// Returns the MD5 of the values, each followed by "\n", as sqllogictest hashes a result.
Result<std::string> HashValues(std::span<const std::string> values);

/// Returns whether an expected value matches an actual one: equal text, or, when `is_float`,
/// two numbers within kFloatRelativeTolerance of each other.
bool ValuesMatch(std::string_view expected, std::string_view actual, bool is_float);

/// How an actual result compares with a query record's expectation.
struct ResultComparison {
  bool matches = true;
  std::string explanation;  // When not matching: the reason, then expected and actual rows.
};

/// Compares an engine's result with what a query record expects, after sorting both as the
/// record's sort mode says. Column count and type classes are the runner's to check; the
/// result must have `expected.NumColumns()` values per row. `hash_threshold` (0 for none)
/// makes the explanation show the actual result's hash when it holds more values.
Result<ResultComparison> CompareQueryResult(const QueryExpectation& expected,
                                            const QueryResult& actual, size_t hash_threshold);

}  // namespace floe::sqllogictest
