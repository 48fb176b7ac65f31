#include "sqllogictest/test_file_parser.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace floe::sqllogictest {
namespace {

TestFile ParseOrDie(std::string_view text) {
  Result<TestFile> file = ParseTestFile(text, "t.test");
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  return file.ok() ? std::move(file).value() : TestFile{};
}

std::vector<std::string> Values(std::initializer_list<const char*> values) {
  return std::vector<std::string>(values.begin(), values.end());
}

TEST(TestFileParserTest, ParsesStatementOk) {
  TestFile file = ParseOrDie("statement ok\nCREATE TABLE t (a INT)\n");
  ASSERT_EQ(file.records.size(), 1u);
  EXPECT_EQ(file.path, "t.test");
  EXPECT_EQ(file.records[0].kind, RecordKind::kStatementOk);
  EXPECT_EQ(file.records[0].line, 1);
  EXPECT_EQ(file.records[0].sql, "CREATE TABLE t (a INT)");
}

TEST(TestFileParserTest, JoinsMultiLineSqlAndSkipsComments) {
  TestFile file = ParseOrDie(
      "# leading comment\n\n\nstatement ok\nINSERT INTO t\n# inside\nVALUES (1)\n\n"
      "# between\n\nstatement ok\r\nSELECT 2\r\n");
  ASSERT_EQ(file.records.size(), 2u);
  EXPECT_EQ(file.records[0].line, 4);
  EXPECT_EQ(file.records[0].sql, "INSERT INTO t\nVALUES (1)");
  EXPECT_EQ(file.records[1].line, 11);
  EXPECT_EQ(file.records[1].sql, "SELECT 2");
}

TEST(TestFileParserTest, ParsesStatementErrorWithMessage) {
  TestFile file = ParseOrDie("statement error\nSELECT 1/0\n----\ndivision by zero\n");
  ASSERT_EQ(file.records.size(), 1u);
  EXPECT_EQ(file.records[0].kind, RecordKind::kStatementError);
  EXPECT_EQ(file.records[0].sql, "SELECT 1/0");
  EXPECT_EQ(file.records[0].expected_message, "division by zero");
  EXPECT_EQ(file.records[0].expected_sql_state, "");
}

TEST(TestFileParserTest, ParsesStatementErrorWithSqlStateAndNoMessage) {
  TestFile file = ParseOrDie("statement error 22012\nSELECT 1/0\n");
  ASSERT_EQ(file.records.size(), 1u);
  EXPECT_EQ(file.records[0].expected_sql_state, "22012");
  EXPECT_EQ(file.records[0].expected_message, "");
}

TEST(TestFileParserTest, ParsesQueryRowsSeparatedByTabs) {
  TestFile file = ParseOrDie("query IT\nSELECT a, b FROM t\n----\n1\tx\n2\tNULL\n3\t(empty)\n");
  ASSERT_EQ(file.records.size(), 1u);
  const Record& record = file.records[0];
  EXPECT_EQ(record.kind, RecordKind::kQuery);
  EXPECT_EQ(record.query.type_letters, "IT");
  EXPECT_EQ(record.query.sort_mode, SortMode::kNoSort);
  EXPECT_EQ(record.query.label, "");
  EXPECT_EQ(record.query.values, Values({"1", "x", "2", "NULL", "3", "(empty)"}));
  EXPECT_FALSE(record.query.hash.has_value());
}

TEST(TestFileParserTest, ParsesQueryValuesOnePerLine) {
  TestFile file = ParseOrDie("query IT\nSELECT a, b FROM t\n----\n1\nx\n2\ny\n");
  ASSERT_EQ(file.records.size(), 1u);
  EXPECT_EQ(file.records[0].query.values, Values({"1", "x", "2", "y"}));
}

TEST(TestFileParserTest, ParsesSortModeAndLabel) {
  TestFile file = ParseOrDie(
      "query I rowsort label-a\nSELECT 1\n----\n1\n\n"
      "query R valuesort\nSELECT 1.5\n----\n1.5\n\n"
      "query B label-b\nSELECT true\n----\nt\n\n"
      "query D nosort\nSELECT DATE '2024-01-31'\n----\n2024-01-31\n");
  ASSERT_EQ(file.records.size(), 4u);
  EXPECT_EQ(file.records[0].query.sort_mode, SortMode::kRowSort);
  EXPECT_EQ(file.records[0].query.label, "label-a");
  EXPECT_EQ(file.records[1].query.sort_mode, SortMode::kValueSort);
  EXPECT_EQ(file.records[1].query.label, "");
  EXPECT_EQ(file.records[2].query.sort_mode, SortMode::kNoSort);
  EXPECT_EQ(file.records[2].query.label, "label-b");
  EXPECT_EQ(file.records[3].query.type_letters, "D");
}

TEST(TestFileParserTest, ParsesHashedResult) {
  TestFile file = ParseOrDie(
      "query I?\nSELECT * FROM t\n----\n6 values hashing to c0710d6b4f15dfa88f600b0e6b624077\n");
  ASSERT_EQ(file.records.size(), 1u);
  const QueryExpectation& query = file.records[0].query;
  ASSERT_TRUE(query.hash.has_value());
  EXPECT_EQ(query.hash->num_values, 6u);
  EXPECT_EQ(query.hash->md5, "c0710d6b4f15dfa88f600b0e6b624077");
  EXPECT_TRUE(query.values.empty());
}

TEST(TestFileParserTest, QueryWithoutSeparatorExpectsNoRows) {
  TestFile file = ParseOrDie("query I\nSELECT 1 WHERE false\n\nquery I\nSELECT 2\n----\n\n");
  ASSERT_EQ(file.records.size(), 2u);
  EXPECT_TRUE(file.records[0].query.values.empty());
  EXPECT_TRUE(file.records[1].query.values.empty());
  EXPECT_FALSE(file.records[1].query.hash.has_value());
}

TEST(TestFileParserTest, AttachesConditionsToTheNextRecord) {
  TestFile file =
      ParseOrDie("skipif postgresql\nonlyif floe\nstatement ok\nSELECT 1\n\nonlyif sqlite\nhalt\n");
  ASSERT_EQ(file.records.size(), 2u);
  const Record& statement = file.records[0];
  EXPECT_EQ(statement.line, 3);
  ASSERT_EQ(statement.conditions.size(), 2u);
  EXPECT_FALSE(statement.conditions[0].is_only_if);
  EXPECT_EQ(statement.conditions[0].engine, "postgresql");
  EXPECT_TRUE(statement.conditions[1].is_only_if);
  EXPECT_EQ(statement.conditions[1].engine, "floe");
  EXPECT_EQ(file.records[1].kind, RecordKind::kHalt);
  ASSERT_EQ(file.records[1].conditions.size(), 1u);
}

TEST(TestFileParserTest, ParsesControlRecords) {
  TestFile file = ParseOrDie("require parquet\nhash-threshold 8\nmode skip\nmode unskip\nhalt\n");
  ASSERT_EQ(file.records.size(), 5u);
  EXPECT_EQ(file.records[0].kind, RecordKind::kRequire);
  EXPECT_EQ(file.records[0].feature, "parquet");
  EXPECT_EQ(file.records[1].kind, RecordKind::kHashThreshold);
  EXPECT_EQ(file.records[1].hash_threshold, 8u);
  EXPECT_EQ(file.records[1].line, 2);
  EXPECT_EQ(file.records[2].kind, RecordKind::kModeSkip);
  EXPECT_EQ(file.records[3].kind, RecordKind::kModeUnskip);
  EXPECT_EQ(file.records[4].kind, RecordKind::kHalt);
}

TEST(TestFileParserTest, ExpandsLoopsWithSubstitution) {
  TestFile file = ParseOrDie(
      "loop i 1 3\n\nquery I\nSELECT ${i} + 1\n----\n${i}1\n\nendloop\n\nstatement ok\nSELECT 0\n");
  ASSERT_EQ(file.records.size(), 3u);
  EXPECT_EQ(file.records[0].sql, "SELECT 1 + 1");
  EXPECT_EQ(file.records[0].query.values, Values({"11"}));
  EXPECT_EQ(file.records[0].loop_bindings, "i=1");
  EXPECT_EQ(file.records[0].line, 3);
  EXPECT_EQ(file.records[1].sql, "SELECT 2 + 1");
  EXPECT_EQ(file.records[1].loop_bindings, "i=2");
  EXPECT_EQ(file.records[2].sql, "SELECT 0");
  EXPECT_EQ(file.records[2].loop_bindings, "");
}

TEST(TestFileParserTest, ExpandsNestedLoops) {
  TestFile file = ParseOrDie(
      "loop i 0 2\nloop j 5 7\nstatement ok\nSELECT ${i}, ${j}\n\nendloop\nendloop\n"
      "loop k 3 3\nstatement ok\nSELECT ${k}\n\nendloop\n");
  std::vector<std::string> sql;
  for (const Record& record : file.records) {
    sql.push_back(record.sql);
  }
  EXPECT_EQ(sql, Values({"SELECT 0, 5", "SELECT 0, 6", "SELECT 1, 5", "SELECT 1, 6"}));
  EXPECT_EQ(file.records[3].loop_bindings, "i=1 j=6");
}

TEST(TestFileParserTest, ParsesEmptyFile) {
  EXPECT_TRUE(ParseOrDie("").records.empty());
  EXPECT_TRUE(ParseOrDie("# only a comment\n\n").records.empty());
}

struct MalformedCase {
  const char* text;
  const char* error;
};

TEST(TestFileParserTest, RejectsMalformedRecordsWithFileAndLine) {
  const MalformedCase kCases[] = {
      {"statement maybe\nSELECT 1\n", "t.test:1: expected 'statement ok' or"},
      {"statement ok extra\nSELECT 1\n", "t.test:1: expected 'statement ok' or"},
      {"\nstatement ok\n\n", "t.test:2: record has no SQL"},
      {"statement ok\nSELECT 1\n----\nx\n", "t.test:3: statement ok takes no expected output"},
      {"statement error 2201\nSELECT 1\n", "t.test:1: '2201' is not a five-character SQLSTATE"},
      {"query\nSELECT 1\n", "t.test:1: expected 'query <type letters>"},
      {"query IX\nSELECT 1\n", "t.test:1: type letters 'IX' must each be one of"},
      {"query I sorted label\nSELECT 1\n", "t.test:1: unknown sort mode 'sorted'"},
      {"query I rowsort a b\nSELECT 1\n", "t.test:1: expected 'query <type letters>"},
      {"query II\nSELECT 1, 2\n----\n1\t2\n1\t2\t3\n",
       "t.test:5: line has 3 values, the query has 2 columns"},
      {"query II\nSELECT 1, 2\n----\n1\n2\n3\n", "t.test:4: 3 values cannot fill rows of 2"},
      {"query II\nSELECT 1, 2\n----\n1\t2\n3\n", "t.test:5: line has 1 value, the query has 2"},
      {"query I\nSELECT 1\n----\n3 values hashing to xyz\n",
       "t.test:4: expected '<count> values hashing to"},
      {"hash-threshold many\n", "t.test:1: hash-threshold takes a non-negative integer"},
      {"mode fast\n", "t.test:1: unknown or malformed record 'mode fast'"},
      {"require\n", "t.test:1: unknown or malformed record 'require'"},
      {"halt now\n", "t.test:1: unknown or malformed record 'halt now'"},
      {"statement ok\nSELECT 1\n\nfrobnicate\n", "t.test:4: unknown or malformed record"},
      {"loop i 1\n", "t.test:1: expected 'loop <name> <start> <end>'"},
      {"loop 9 1 x\n", "t.test:1: expected 'loop <name> <start> <end>'"},
      {"endloop\n", "t.test:1: endloop without loop"},
      {"loop i 0 2\nendloop now\n", "t.test:2: endloop takes no arguments"},
      {"\nloop i 0 2\nstatement ok\nSELECT 1\n", "t.test:2: loop without endloop"},
      {"loop i 0 200000\nstatement ok\nSELECT 1\n\nendloop\n", "t.test:1: more than 100000"},
      {"skipif\nstatement ok\nSELECT 1\n", "t.test:1: skipif takes one engine name"},
      {"onlyif floe\n\nstatement ok\nSELECT 1\n", "t.test:1: onlyif is not followed by a record"},
      {"skipif floe", "t.test:1: skipif is not followed by a record"},
      {"skipif floe\nrequire parquet\n", "t.test:2: skipif/onlyif may only precede"},
  };
  for (const MalformedCase& malformed : kCases) {
    Result<TestFile> file = ParseTestFile(malformed.text, "t.test");
    ASSERT_FALSE(file.ok()) << malformed.text;
    EXPECT_EQ(file.status().code(), StatusCode::kSyntaxError);
    EXPECT_EQ(file.status().message().rfind(malformed.error, 0), 0u)
        << "got: " << file.status().message() << "\nwanted: " << malformed.error;
  }
}

}  // namespace
}  // namespace floe::sqllogictest
