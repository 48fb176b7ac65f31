#include "sqllogictest/result_comparison.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqllogictest/md5.h"
#include "sqllogictest/scripted_connection.h"

namespace floe::sqllogictest {
namespace {

using testing::MakeResult;

std::vector<std::string> Values(std::initializer_list<const char*> values) {
  return std::vector<std::string>(values.begin(), values.end());
}

QueryExpectation Expect(std::string letters, SortMode mode, std::vector<std::string> values) {
  QueryExpectation expected;
  expected.type_letters = std::move(letters);
  expected.sort_mode = mode;
  expected.values = std::move(values);
  return expected;
}

ResultComparison CompareOrDie(const QueryExpectation& expected, const QueryResult& actual,
                              size_t hash_threshold = 0) {
  Result<ResultComparison> comparison = CompareQueryResult(expected, actual, hash_threshold);
  EXPECT_TRUE(comparison.ok()) << comparison.status().ToString();
  return comparison.ok() ? std::move(comparison).value() : ResultComparison{};
}

const QueryResult kTwoRows =
    MakeResult({TypeClass::kInteger, TypeClass::kText}, {{"2", "b"}, {"1", "a"}});

TEST(ResultComparisonTest, RendersNullAndEmptyString) {
  QueryResult result =
      MakeResult({TypeClass::kText, TypeClass::kText}, {{std::nullopt, ""}, {"NULL", "x"}});
  EXPECT_EQ(RenderValues(result), Values({"NULL", "(empty)", "NULL", "x"}));
}

TEST(ResultComparisonTest, RowSortOrdersRowsByTheirTextColumnByColumn) {
  std::vector<std::string> values = Values({"9", "b", "10", "z", "9", "a"});
  SortValues(values, 2, SortMode::kRowSort);
  EXPECT_EQ(values, Values({"10", "z", "9", "a", "9", "b"}));
}

TEST(ResultComparisonTest, ValueSortOrdersEveryValue) {
  std::vector<std::string> values = Values({"9", "b", "10", "a"});
  SortValues(values, 2, SortMode::kValueSort);
  EXPECT_EQ(values, Values({"10", "9", "a", "b"}));
}

TEST(ResultComparisonTest, NoSortKeepsOrder) {
  std::vector<std::string> values = Values({"9", "b", "10", "a"});
  SortValues(values, 2, SortMode::kNoSort);
  EXPECT_EQ(values, Values({"9", "b", "10", "a"}));
}

TEST(ResultComparisonTest, HashesValuesEachFollowedByNewline) {
  // Digests from `printf '1\n2\n3\n' | md5sum` and the like.
  EXPECT_EQ(*HashValues(Values({"1", "2", "3"})), "c0710d6b4f15dfa88f600b0e6b624077");
  EXPECT_EQ(*HashValues(Values({"a", "NULL", "(empty)"})), "72b876ccbd3d5d4fafd6e014287fa23c");
  EXPECT_EQ(*HashValues(Values({})), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(*Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(ResultComparisonTest, FloatValuesMatchWithinRelativeTolerance) {
  EXPECT_TRUE(ValuesMatch("0.3", "0.30000000000000004", true));
  EXPECT_TRUE(ValuesMatch("1e300", "1.0000000000001e300", true));
  EXPECT_TRUE(ValuesMatch("2", "2.0", true));
  EXPECT_TRUE(ValuesMatch("NaN", "NaN", true));
  EXPECT_FALSE(ValuesMatch("0.3", "0.3000001", true));
  EXPECT_FALSE(ValuesMatch("0", "1e-300", true));
  EXPECT_FALSE(ValuesMatch("NULL", "0", true));
  EXPECT_FALSE(ValuesMatch("0.3", "0.3x", true));
}

TEST(ResultComparisonTest, NonFloatValuesMatchExactly) {
  EXPECT_TRUE(ValuesMatch("abc", "abc", false));
  EXPECT_FALSE(ValuesMatch("0.3", "0.30000000000000004", false));
  EXPECT_FALSE(ValuesMatch("2", "2.0", false));
  EXPECT_FALSE(ValuesMatch("NULL", "(empty)", false));
}

TEST(ResultComparisonTest, NoSortRequiresTheSameOrder) {
  ResultComparison comparison =
      CompareOrDie(Expect("IT", SortMode::kNoSort, Values({"1", "a", "2", "b"})), kTwoRows);
  EXPECT_FALSE(comparison.matches);
  EXPECT_EQ(comparison.explanation,
            "row 1 column 1: expected '1', got '2'\n"
            "---- expected (2 rows)\n1\ta\n2\tb\n"
            "---- actual (2 rows)\n2\tb\n1\ta\n");
}

TEST(ResultComparisonTest, RowSortIgnoresOrderOnBothSides) {
  EXPECT_TRUE(CompareOrDie(Expect("IT", SortMode::kRowSort, Values({"2", "b", "1", "a"})), kTwoRows)
                  .matches);
  EXPECT_TRUE(CompareOrDie(Expect("IT", SortMode::kRowSort, Values({"1", "a", "2", "b"})), kTwoRows)
                  .matches);
  EXPECT_FALSE(
      CompareOrDie(Expect("IT", SortMode::kRowSort, Values({"1", "b", "2", "a"})), kTwoRows)
          .matches);
}

TEST(ResultComparisonTest, ValueSortIgnoresRowBoundaries) {
  EXPECT_TRUE(
      CompareOrDie(Expect("IT", SortMode::kValueSort, Values({"1", "b", "2", "a"})), kTwoRows)
          .matches);
}

TEST(ResultComparisonTest, ReportsRowCountDifference) {
  ResultComparison comparison =
      CompareOrDie(Expect("IT", SortMode::kRowSort, Values({"1", "a"})), kTwoRows);
  EXPECT_FALSE(comparison.matches);
  EXPECT_EQ(comparison.explanation.substr(0, comparison.explanation.find('\n')),
            "expected 1 rows, got 2");
  EXPECT_NE(comparison.explanation.find("---- actual (2 rows, sorted)\n1\ta\n2\tb\n"),
            std::string::npos);
}

TEST(ResultComparisonTest, DistinguishesNullFromEmptyString) {
  QueryResult empty = MakeResult({TypeClass::kText}, {{""}});
  EXPECT_TRUE(CompareOrDie(Expect("T", SortMode::kNoSort, Values({"(empty)"})), empty).matches);
  EXPECT_FALSE(CompareOrDie(Expect("T", SortMode::kNoSort, Values({"NULL"})), empty).matches);
  QueryResult null = MakeResult({TypeClass::kText}, {{std::nullopt}});
  EXPECT_TRUE(CompareOrDie(Expect("T", SortMode::kNoSort, Values({"NULL"})), null).matches);
}

TEST(ResultComparisonTest, AppliesToleranceToRColumnsOnly) {
  QueryResult result = MakeResult({TypeClass::kFloat, TypeClass::kText},
                                  {{"0.30000000000000004", "0.30000000000000004"}});
  EXPECT_TRUE(
      CompareOrDie(Expect("RT", SortMode::kNoSort, Values({"0.3", "0.30000000000000004"})), result)
          .matches);
  EXPECT_FALSE(
      CompareOrDie(Expect("RT", SortMode::kNoSort, Values({"0.3", "0.3"})), result).matches);
}

TEST(ResultComparisonTest, ComparesHashAfterSorting) {
  // printf '1\na\n2\nb\n' | md5sum
  QueryExpectation expected = Expect("IT", SortMode::kRowSort, {});
  expected.hash = ExpectedHash{4, "dcb405d9ab483907f29736a07728fa2d"};
  EXPECT_TRUE(CompareOrDie(expected, kTwoRows).matches);

  expected.sort_mode = SortMode::kNoSort;
  ResultComparison unsorted = CompareOrDie(expected, kTwoRows);
  EXPECT_FALSE(unsorted.matches);
  EXPECT_EQ(unsorted.explanation.substr(0, unsorted.explanation.find('\n')),
            "expected 4 values hashing to dcb405d9ab483907f29736a07728fa2d, got 4 values "
            "hashing to " +
                *HashValues(Values({"2", "b", "1", "a"})));
}

TEST(ResultComparisonTest, HashNeedsTheSameValueCount) {
  QueryExpectation expected = Expect("IT", SortMode::kRowSort, {});
  expected.hash = ExpectedHash{3, "dcb405d9ab483907f29736a07728fa2d"};
  EXPECT_FALSE(CompareOrDie(expected, kTwoRows).matches);
}

TEST(ResultComparisonTest, ShowsActualHashAboveThreshold) {
  QueryExpectation expected = Expect("IT", SortMode::kRowSort, Values({"1", "a"}));
  std::string hash_line = "4 values hashing to dcb405d9ab483907f29736a07728fa2d";
  EXPECT_NE(CompareOrDie(expected, kTwoRows, 3).explanation.find(hash_line), std::string::npos);
  EXPECT_EQ(CompareOrDie(expected, kTwoRows, 4).explanation.find(hash_line), std::string::npos);
  EXPECT_EQ(CompareOrDie(expected, kTwoRows, 0).explanation.find(hash_line), std::string::npos);
}

}  // namespace
}  // namespace floe::sqllogictest
