#include "common/logging.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace floe {
namespace {

class LoggingTest : public ::testing::Test {
 protected:
  void Capture(LogLevel level, LogFormat format) {
    Logger::Configure(level, format, [this](std::string_view line) { lines_.emplace_back(line); });
  }
  void TearDown() override { Logger::Configure(LogLevel::kInfo, LogFormat::kText); }

  std::vector<std::string> lines_;
};

TEST_F(LoggingTest, TextLinesCarryLevelMessageAndFields) {
  Capture(LogLevel::kInfo, LogFormat::kText);
  FLOE_LOG_INFO("query finished", {"duration_ms", 12}, {"user", "alice"},
                {"sql", "SELECT 1"});
  ASSERT_EQ(lines_.size(), 1u);
  const std::string& line = lines_[0];
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line[4], '-');
  EXPECT_NE(line.find("Z info  query finished duration_ms=12 user=alice sql=\"SELECT 1\"\n"),
            std::string::npos)
      << line;
}

TEST_F(LoggingTest, EventsBelowTheLevelAreDropped) {
  Capture(LogLevel::kWarn, LogFormat::kText);
  FLOE_LOG_INFO("hidden");
  FLOE_LOG_DEBUG("hidden too");
  FLOE_LOG_ERROR("shown");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_NE(lines_[0].find("error shown"), std::string::npos);
  EXPECT_FALSE(Logger::IsEnabled(LogLevel::kInfo));
}

TEST_F(LoggingTest, JsonLinesParseAndEscape) {
  Capture(LogLevel::kDebug, LogFormat::kJson);
  FLOE_LOG_DEBUG("line\nbreak \"quoted\"", {"path", "a\\b"}, {"ok", true}, {"ratio", 0.5});
  ASSERT_EQ(lines_.size(), 1u);
  nlohmann::json event = nlohmann::json::parse(lines_[0]);
  EXPECT_EQ(event["level"], "debug");
  EXPECT_EQ(event["msg"], "line\nbreak \"quoted\"");
  EXPECT_EQ(event["path"], "a\\b");
  EXPECT_EQ(event["ok"], "true");
  EXPECT_EQ(event["ratio"], "0.5");
  EXPECT_EQ(event["ts"].get<std::string>().size(), 24u);
}

TEST_F(LoggingTest, ParsesLevelNames) {
  LogLevel level = LogLevel::kInfo;
  EXPECT_TRUE(Logger::ParseLevel("error", &level));
  EXPECT_EQ(level, LogLevel::kError);
  EXPECT_FALSE(Logger::ParseLevel("loud", &level));
}

}  // namespace
}  // namespace floe
