#include "sqllogictest/test_runner.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqllogictest/scripted_connection.h"
#include "sqllogictest/test_file_parser.h"

namespace floe::sqllogictest {
namespace {

using testing::MakeResult;
using testing::ScriptedAnswers;
using testing::ScriptedConnection;

ScriptedAnswers Answers() {
  ScriptedAnswers answers;
  answers.emplace("CREATE TABLE t (a INT)", QueryResult{});
  answers.emplace("SELECT 1/0", Status::DivisionByZero("division by zero"));
  answers.emplace("SELECT * FROM missing",
                  Status::NotFound("relation \"missing\" does not exist").WithSqlState("42P01"));
  answers.emplace("SELECT a, b FROM t",
                  MakeResult({TypeClass::kInteger, TypeClass::kText}, {{"2", "b"}, {"1", "a"}}));
  answers.emplace("SELECT 0.1 + 0.2", MakeResult({TypeClass::kFloat}, {{"0.30000000000000004"}}));
  answers.emplace("SELECT true", MakeResult({TypeClass::kBoolean}, {{"t"}}));
  answers.emplace("SELECT now()", MakeResult({TypeClass::kDateTime}, {{"2024-01-31 10:00:00"}}));
  answers.emplace("SELECT '1 day'::interval", MakeResult({TypeClass::kOther}, {{"1 day"}}));
  for (int i = 0; i < 3; ++i) {
    std::string value = std::to_string(i);
    answers.emplace("SELECT " + value, MakeResult({TypeClass::kInteger}, {{value}}));
  }
  return answers;
}

struct RunResult {
  FileOutcome outcome;
  std::vector<std::string> executed;
};

RunResult RunText(std::string_view text, std::vector<std::string> features = {}) {
  Result<TestFile> file = ParseTestFile(text, "t.test");
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  ScriptedConnection connection(Answers());
  TestRunner runner(connection, [&](std::string_view feature) {
    return std::find(features.begin(), features.end(), feature) != features.end();
  });
  FileOutcome outcome = runner.Run(file.ok() ? *file : TestFile{});
  return {std::move(outcome), connection.Executed()};
}

// Runs a one-record file and returns that record's outcome.
RecordOutcome RunRecord(std::string_view text) {
  RunResult run = RunText(text);
  EXPECT_EQ(run.outcome.records.size(), 1u);
  return run.outcome.records.empty() ? RecordOutcome{} : run.outcome.records[0];
}

std::string FirstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

TEST(TestRunnerTest, PassesEveryKindOfRecord) {
  RunResult run = RunText(
      "statement ok\nCREATE TABLE t (a INT)\n\n"
      "statement error\nSELECT 1/0\n----\ndivision by\n\n"
      "statement error 22012\nSELECT 1/0\n\n"
      "statement error 42P01\nSELECT * FROM missing\n----\ndoes not exist\n\n"
      "query IT\nSELECT a, b FROM t\n----\n2\tb\n1\ta\n\n"
      "query IT rowsort\nSELECT a, b FROM t\n----\n1\ta\n2\tb\n\n"
      "query IT valuesort\nSELECT a, b FROM t\n----\n1\n2\na\nb\n\n"
      "query IT rowsort\nSELECT a, b FROM t\n----\n4 values hashing to "
      "dcb405d9ab483907f29736a07728fa2d\n\n"
      "query R\nSELECT 0.1 + 0.2\n----\n0.3\n\n"
      "query B\nSELECT true\n----\nt\n\n"
      "query D\nSELECT now()\n----\n2024-01-31 10:00:00\n\n"
      "query ?\nSELECT '1 day'::interval\n----\n1 day\n");
  EXPECT_EQ(run.outcome.records.size(), 12u);
  EXPECT_EQ(run.outcome.Count(Verdict::kPassed), 12u);
  for (const RecordOutcome& record : run.outcome.records) {
    EXPECT_EQ(record.message, "");
  }
  EXPECT_EQ(run.outcome.FileVerdict(), Verdict::kPassed);
}

TEST(TestRunnerTest, FailsWrongResultWithReadableReport) {
  RecordOutcome outcome = RunRecord("\nquery IT\nSELECT a, b FROM t\n----\n1\ta\n2\tb\n");
  EXPECT_EQ(outcome.verdict, Verdict::kFailed);
  EXPECT_EQ(outcome.line, 2);
  EXPECT_EQ(outcome.message,
            "t.test:2: wrong result\n"
            "---- sql\nSELECT a, b FROM t\n"
            "row 1 column 1: expected '1', got '2'\n"
            "---- expected (2 rows)\n1\ta\n2\tb\n"
            "---- actual (2 rows)\n2\tb\n1\ta\n");
}

TEST(TestRunnerTest, FailsMissingError) {
  RecordOutcome outcome = RunRecord("statement error\nSELECT 1\n");
  EXPECT_EQ(outcome.verdict, Verdict::kFailed);
  EXPECT_EQ(FirstLine(outcome.message), "t.test:1: statement succeeded, an error was expected");
}

TEST(TestRunnerTest, FailsErrorWithWrongMessage) {
  RecordOutcome outcome = RunRecord("statement error\nSELECT 1/0\n----\nout of range\n");
  EXPECT_EQ(outcome.verdict, Verdict::kFailed);
  EXPECT_EQ(outcome.message,
            "t.test:1: the error message does not contain the expected text\n"
            "---- sql\nSELECT 1/0\n"
            "---- expected text\nout of range\n"
            "---- actual error\ndivision by zero (SQLSTATE 22012)\n");
}

TEST(TestRunnerTest, FailsErrorWithWrongSqlState) {
  RecordOutcome outcome = RunRecord("statement error 22003\nSELECT 1/0\n");
  EXPECT_EQ(outcome.verdict, Verdict::kFailed);
  EXPECT_EQ(FirstLine(outcome.message), "t.test:1: expected SQLSTATE 22003, got 22012");
}

TEST(TestRunnerTest, FailsStatementThatErrors) {
  RecordOutcome outcome = RunRecord("statement ok\nSELECT 1/0\n");
  EXPECT_EQ(outcome.verdict, Verdict::kFailed);
  EXPECT_EQ(outcome.message,
            "t.test:1: statement failed\n---- sql\nSELECT 1/0\n"
            "division by zero (SQLSTATE 22012)\n");
}

TEST(TestRunnerTest, FailsQueryThatErrors) {
  RecordOutcome outcome = RunRecord("query I\nSELECT 1/0\n----\n1\n");
  EXPECT_EQ(outcome.verdict, Verdict::kFailed);
  EXPECT_EQ(FirstLine(outcome.message), "t.test:1: query failed");
}

TEST(TestRunnerTest, FailsWrongColumnCount) {
  RecordOutcome outcome = RunRecord("query I\nSELECT a, b FROM t\n----\n1\n2\n");
  EXPECT_EQ(outcome.verdict, Verdict::kFailed);
  EXPECT_EQ(FirstLine(outcome.message), "t.test:1: expected 1 columns (I), got 2");
}

TEST(TestRunnerTest, FailsWrongTypeClass) {
  RecordOutcome outcome = RunRecord("query II\nSELECT a, b FROM t\n----\n2\tb\n1\ta\n");
  EXPECT_EQ(outcome.verdict, Verdict::kFailed);
  EXPECT_EQ(FirstLine(outcome.message),
            "t.test:1: column 2 (c2) is text, type letter I expects integer");
  EXPECT_EQ(RunRecord("query T\nSELECT '1 day'::interval\n----\n1 day\n").verdict,
            Verdict::kFailed);
  EXPECT_EQ(RunRecord("query ??\nSELECT a, b FROM t\n----\n2\tb\n1\ta\n").verdict,
            Verdict::kPassed);
}

TEST(TestRunnerTest, FailsWrongHash) {
  RecordOutcome outcome = RunRecord(
      "query IT\nSELECT a, b FROM t\n----\n4 values hashing to "
      "dcb405d9ab483907f29736a07728fa2d\n");
  EXPECT_EQ(outcome.verdict, Verdict::kFailed);
}

TEST(TestRunnerTest, FailsQueryExpectingNoRowsThatReturnsRows) {
  EXPECT_EQ(RunRecord("query I\nSELECT 1\n").verdict, Verdict::kFailed);
}

TEST(TestRunnerTest, SkipsRecordsByEngineCondition) {
  RunResult run = RunText(
      "skipif floe\nstatement ok\nSELECT 1\n\n"
      "onlyif postgresql\nstatement ok\nSELECT 1\n\n"
      "onlyif floe\nstatement ok\nSELECT 0\n\n"
      "skipif postgresql\nstatement ok\nSELECT 2\n\n"
      "onlyif postgresql\nhalt\n\n"
      "statement ok\nSELECT 1\n");
  ASSERT_EQ(run.outcome.records.size(), 5u);
  EXPECT_EQ(run.outcome.records[0].verdict, Verdict::kSkipped);
  EXPECT_EQ(run.outcome.records[0].message, "skipif floe");
  EXPECT_EQ(run.outcome.records[1].verdict, Verdict::kSkipped);
  EXPECT_EQ(run.outcome.records[1].message, "onlyif postgresql");
  EXPECT_EQ(run.outcome.Count(Verdict::kPassed), 3u);
  EXPECT_EQ(run.executed, (std::vector<std::string>{"SELECT 0", "SELECT 2", "SELECT 1"}));
  EXPECT_FALSE(run.outcome.is_halted);
}

TEST(TestRunnerTest, ModeSkipSkipsUntilUnskip) {
  RunResult run = RunText(
      "mode skip\n\nstatement ok\nSELECT 1\n\nquery I\nSELECT 1\n----\n1\n\n"
      "mode unskip\n\nstatement ok\nSELECT 2\n");
  ASSERT_EQ(run.outcome.records.size(), 3u);
  EXPECT_EQ(run.outcome.Count(Verdict::kSkipped), 2u);
  EXPECT_EQ(run.outcome.records[0].message, "mode skip");
  EXPECT_EQ(run.executed, (std::vector<std::string>{"SELECT 2"}));
}

TEST(TestRunnerTest, HaltStopsTheFile) {
  RunResult run =
      RunText("statement ok\nSELECT 0\n\nonlyif floe\nhalt\n\nstatement ok\nSELECT 1\n");
  EXPECT_TRUE(run.outcome.is_halted);
  EXPECT_EQ(run.executed, (std::vector<std::string>{"SELECT 0"}));
  EXPECT_EQ(run.outcome.FileVerdict(), Verdict::kPassed);
}

TEST(TestRunnerTest, RequireSkipsTheFileWithoutTheFeature) {
  const char* text = "require parquet\n\nstatement ok\nSELECT 1\n";
  RunResult missing = RunText(text);
  EXPECT_EQ(missing.outcome.FileVerdict(), Verdict::kSkipped);
  EXPECT_EQ(missing.outcome.skip_reason, "require parquet: the engine does not provide it");
  EXPECT_TRUE(missing.executed.empty());

  RunResult present = RunText(text, {"parquet"});
  EXPECT_EQ(present.outcome.FileVerdict(), Verdict::kPassed);
  EXPECT_EQ(present.executed, (std::vector<std::string>{"SELECT 1"}));
}

TEST(TestRunnerTest, RunsLoopsAndNamesTheIterationOnFailure) {
  RunResult run = RunText("loop i 0 4\n\nquery I\nSELECT ${i}\n----\n${i}\n\nendloop\n");
  EXPECT_EQ(run.executed,
            (std::vector<std::string>{"SELECT 0", "SELECT 1", "SELECT 2", "SELECT 3"}));
  EXPECT_EQ(run.outcome.Count(Verdict::kPassed), 3u);
  ASSERT_EQ(run.outcome.Count(Verdict::kFailed), 1u);
  EXPECT_EQ(FirstLine(run.outcome.records[3].message), "t.test:3: query failed [i=3]");
}

TEST(TestRunnerTest, QueriesWithTheSameLabelMustAgree) {
  RunResult run = RunText(
      "query I nosort same\nSELECT 1\n----\n1\n\n"
      "query I nosort same\nSELECT 1\n----\n1\n\n"
      "query I nosort same\nSELECT 2\n----\n2\n");
  ASSERT_EQ(run.outcome.records.size(), 3u);
  EXPECT_EQ(run.outcome.records[1].verdict, Verdict::kPassed);
  EXPECT_EQ(run.outcome.records[2].verdict, Verdict::kFailed);
  EXPECT_EQ(FirstLine(run.outcome.records[2].message),
            "t.test:11: label same: result differs from the query at line 1");
}

TEST(TestRunnerTest, FailedRecordFailsTheFileAndLaterRecordsStillRun) {
  RunResult run = RunText("statement ok\nSELECT 1/0\n\nstatement ok\nSELECT 1\n");
  EXPECT_EQ(run.outcome.FileVerdict(), Verdict::kFailed);
  EXPECT_EQ(run.outcome.Count(Verdict::kFailed), 1u);
  EXPECT_EQ(run.outcome.Count(Verdict::kPassed), 1u);
}

}  // namespace
}  // namespace floe::sqllogictest
