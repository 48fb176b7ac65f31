#include "sqllogictest/test_suite.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "sqllogictest/scripted_connection.h"

namespace floe::sqllogictest {
namespace {

using testing::MakeResult;
using testing::ScriptedAnswers;
using testing::ScriptedConnectionFactory;

class TestSuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "slt-suite-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
  }

  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

  std::filesystem::path Write(const std::string& name, std::string_view text) {
    std::filesystem::path path = folder_ / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path;
  }

  static ScriptedConnectionFactory MakeFactory() {
    ScriptedAnswers answers;
    answers.emplace("SELECT 1", MakeResult({TypeClass::kInteger}, {{"1"}}));
    return ScriptedConnectionFactory(std::move(answers), {"parquet"});
  }

  std::filesystem::path folder_;
};

TEST_F(TestSuiteTest, FormatsSummaryLine) {
  EXPECT_EQ(FormatSummary({.passed = 2, .failed = 1, .skipped = 0}), "2 passed, 1 failed");
  EXPECT_EQ(FormatSummary({.passed = 0, .failed = 0, .skipped = 3}),
            "0 passed, 0 failed, 3 skipped");
}

TEST_F(TestSuiteTest, RunsFilesAndCountsThem) {
  std::vector<std::filesystem::path> files = {
      Write("pass.test", "query I\nSELECT 1\n----\n1\n"),
      Write("fail.test", "query I\nSELECT 1\n----\n2\n"),
      Write("skip.test", "require s3\n\nquery I\nSELECT 1\n----\n1\n"),
      Write("malformed.test", "query X\nSELECT 1\n"),
      folder_ / "absent.test",
  };
  ScriptedConnectionFactory factory = MakeFactory();
  std::ostringstream output;
  SuiteSummary summary = TestSuite(factory, output).RunFiles(files);
  EXPECT_EQ(summary.passed, 1u);
  EXPECT_EQ(summary.failed, 3u);
  EXPECT_EQ(summary.skipped, 1u);
  std::string text = output.str();
  EXPECT_NE(text.find("PASS " + files[0].string() + " (1 passed, 0 failed, 0 skipped records)\n"),
            std::string::npos);
  EXPECT_NE(text.find("FAIL " + files[1].string()), std::string::npos);
  EXPECT_NE(text.find(files[1].string() + ":1: wrong result\n"), std::string::npos);
  EXPECT_NE(text.find("SKIP " + files[2].string() +
                      " (0 passed, 0 failed, 0 skipped records): require s3"),
            std::string::npos);
  EXPECT_NE(text.find(files[3].string() + ":1: type letters 'X'"), std::string::npos);
  EXPECT_NE(text.find("IOError: cannot open " + files[4].string()), std::string::npos);
  EXPECT_EQ(text.substr(text.rfind('\n', text.size() - 2) + 1), "1 passed, 3 failed, 1 skipped\n");
}

TEST_F(TestSuiteTest, GivesEachFileAFreshScratchDirectoryAndRemovesIt) {
  std::filesystem::path file = Write("a.test", "statement ok\nSELECT 1\n");
  ScriptedConnectionFactory factory = MakeFactory();
  std::ostringstream output;
  TestSuite suite(factory, output);
  EXPECT_EQ(suite.RunFile(file).FileVerdict(), Verdict::kPassed);
  EXPECT_EQ(suite.RunFile(file).FileVerdict(), Verdict::kPassed);
  ASSERT_EQ(factory.ScratchDirectories().size(), 2u);
  EXPECT_NE(factory.ScratchDirectories()[0], factory.ScratchDirectories()[1]);
  for (const std::filesystem::path& scratch : factory.ScratchDirectories()) {
    EXPECT_FALSE(std::filesystem::exists(scratch)) << scratch;
  }
}

TEST_F(TestSuiteTest, CollectsTestFilesFromFoldersInOrder) {
  Write("b/two.test", "");
  Write("b/one.test", "");
  Write("b/slow.test_slow", "");
  Write("b/notes.md", "");
  Write("a.test", "");
  std::vector<std::string> arguments = {(folder_ / "b").string(), (folder_ / "a.test").string()};
  Result<std::vector<std::filesystem::path>> files = CollectTestFiles(arguments);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(*files, (std::vector<std::filesystem::path>{
                        folder_ / "b/one.test", folder_ / "b/two.test", folder_ / "a.test"}));
}

TEST_F(TestSuiteTest, RejectsMissingPath) {
  std::vector<std::string> arguments = {(folder_ / "nowhere").string()};
  Result<std::vector<std::filesystem::path>> files = CollectTestFiles(arguments);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace floe::sqllogictest
