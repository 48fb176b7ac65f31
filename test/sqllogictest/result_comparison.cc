#include "sqllogictest/result_comparison.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>

#include <fmt/core.h>

#include "sqllogictest/md5.h"

namespace floe::sqllogictest {
namespace {

// Keeps a failure report readable when a query returns thousands of rows.
constexpr size_t kMaxRowsShown = 100;

std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

bool IsFloatValue(const QueryExpectation& expected, size_t value_index) {
  const std::string& letters = expected.type_letters;
  if (expected.sort_mode == SortMode::kValueSort) {
    // Sorting values loses their columns, so tolerance applies only when every column is R.
    return letters.find_first_not_of('R') == std::string::npos;
  }
  return letters[value_index % letters.size()] == 'R';
}

std::string FormatRows(std::span<const std::string> values, size_t num_columns) {
  std::string text;
  size_t num_rows = values.size() / num_columns;
  for (size_t row = 0; row < std::min(num_rows, kMaxRowsShown); ++row) {
    for (size_t column = 0; column < num_columns; ++column) {
      text += column == 0 ? "" : "\t";
      text += values[row * num_columns + column];
    }
    text += '\n';
  }
  if (num_rows > kMaxRowsShown) {
    text += fmt::format("... {} more rows\n", num_rows - kMaxRowsShown);
  }
  return text;
}

std::string DescribeRows(std::string_view heading, std::span<const std::string> values,
                         size_t num_columns, SortMode mode) {
  std::string_view order = mode == SortMode::kNoSort ? "" : ", sorted";
  return fmt::format("---- {} ({} rows{})\n{}", heading, values.size() / num_columns, order,
                     FormatRows(values, num_columns));
}

// Returns the first difference between sorted expected and actual values, or "" if none.
std::string FindDifference(const QueryExpectation& expected,
                           std::span<const std::string> expected_values,
                           std::span<const std::string> actual_values) {
  size_t num_columns = expected.NumColumns();
  if (expected_values.size() != actual_values.size()) {
    return fmt::format("expected {} rows, got {}", expected_values.size() / num_columns,
                       actual_values.size() / num_columns);
  }
  for (size_t i = 0; i < expected_values.size(); ++i) {
    if (!ValuesMatch(expected_values[i], actual_values[i], IsFloatValue(expected, i))) {
      return fmt::format("row {} column {}: expected '{}', got '{}'", i / num_columns + 1,
                         i % num_columns + 1, expected_values[i], actual_values[i]);
    }
  }
  return "";
}

Result<ResultComparison> CompareWithHash(const QueryExpectation& expected,
                                         std::span<const std::string> actual_values) {
  FLOE_ASSIGN_OR_RETURN(std::string actual_hash, HashValues(actual_values));
  const ExpectedHash& hash = *expected.hash;
  if (actual_values.size() == hash.num_values && actual_hash == hash.md5) {
    return ResultComparison{};
  }
  std::string reason = fmt::format("expected {} values hashing to {}, got {} values hashing to {}",
                                   hash.num_values, hash.md5, actual_values.size(), actual_hash);
  return ResultComparison{
      false, reason + "\n" +
                 DescribeRows("actual", actual_values, expected.NumColumns(), expected.sort_mode)};
}

}  // namespace

std::vector<std::string> RenderValues(const QueryResult& result) {
  std::vector<std::string> values;
  for (const std::vector<TextValue>& row : result.rows) {
    for (const TextValue& value : row) {
      if (!value.has_value()) {
        values.emplace_back("NULL");
      } else if (value->empty()) {
        values.emplace_back("(empty)");
      } else {
        values.push_back(*value);
      }
    }
  }
  return values;
}

void SortValues(std::vector<std::string>& values, size_t num_columns, SortMode mode) {
  if (mode == SortMode::kValueSort) {
    std::sort(values.begin(), values.end());
    return;
  }
  if (mode == SortMode::kNoSort || num_columns == 0) {
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t start = 0; start + num_columns <= values.size(); start += num_columns) {
    rows.emplace_back(
        std::make_move_iterator(values.begin() + static_cast<ptrdiff_t>(start)),
        std::make_move_iterator(values.begin() + static_cast<ptrdiff_t>(start + num_columns)));
  }
  std::sort(rows.begin(), rows.end());
  values.clear();
  for (std::vector<std::string>& row : rows) {
    std::move(row.begin(), row.end(), std::back_inserter(values));
  }
}

Result<std::string> HashValues(std::span<const std::string> values) {
  std::string joined;
  for (const std::string& value : values) {
    joined += value;
    joined += '\n';
  }
  return Md5Hex(joined);
}

bool ValuesMatch(std::string_view expected, std::string_view actual, bool is_float) {
  if (expected == actual) {
    return true;
  }
  if (!is_float) {
    return false;
  }
  std::optional<double> expected_number = ParseNumber(expected);
  std::optional<double> actual_number = ParseNumber(actual);
  if (!expected_number || !actual_number) {
    return false;
  }
  if (*expected_number == *actual_number) {
    return true;
  }
  double scale = std::max(std::fabs(*expected_number), std::fabs(*actual_number));
  return std::fabs(*expected_number - *actual_number) <= kFloatRelativeTolerance * scale;
}

Result<ResultComparison> CompareQueryResult(const QueryExpectation& expected,
                                            const QueryResult& actual, size_t hash_threshold) {
  size_t num_columns = expected.NumColumns();
  std::vector<std::string> actual_values = RenderValues(actual);
  SortValues(actual_values, num_columns, expected.sort_mode);
  if (expected.hash.has_value()) {
    return CompareWithHash(expected, actual_values);
  }
  std::vector<std::string> expected_values = expected.values;
  SortValues(expected_values, num_columns, expected.sort_mode);
  std::string difference = FindDifference(expected, expected_values, actual_values);
  if (difference.empty()) {
    return ResultComparison{};
  }
  std::string explanation =
      difference + "\n" +
      DescribeRows("expected", expected_values, num_columns, expected.sort_mode) +
      DescribeRows("actual", actual_values, num_columns, expected.sort_mode);
  if (hash_threshold > 0 && actual_values.size() > hash_threshold) {
    FLOE_ASSIGN_OR_RETURN(std::string actual_hash, HashValues(actual_values));
    explanation += fmt::format("---- actual as a hash\n{} values hashing to {}\n",
                               actual_values.size(), actual_hash);
  }
  return ResultComparison{false, std::move(explanation)};
}

}  // namespace floe::sqllogictest
