#include "common/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace floe {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              ("floe_config_test_" + std::to_string(::getpid()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::string WriteFile(const std::string& text) {
    std::string path = (folder_ / "floe.toml").string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path folder_;
};

TEST_F(ConfigTest, DefaultsServeTheEmbeddedCase) {
  ConfigSources sources;
  sources.file = WriteFile("");
  Result<Config> config = Config::Load(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const Settings& settings = config->settings();
  EXPECT_EQ(settings.warehouse, "./warehouse");
  EXPECT_EQ(settings.metastore, "sqlite:./warehouse/floe.db");
  EXPECT_EQ(settings.listen, "127.0.0.1");
  EXPECT_EQ(settings.pg_port, 5433);
  EXPECT_EQ(settings.http_port, 8181);
  EXPECT_EQ(settings.threads, 0);
  EXPECT_EQ(config->SourceOf("pg_port"), SettingSource::kDefault);
}

TEST_F(ConfigTest, FlagsBeatEnvironmentBeatsFileBeatsDefault) {
  ConfigSources sources;
  sources.file = WriteFile(
      "warehouse = \"/data/file\"\n"
      "[server]\npg_port = 6000\nhttp_port = 6001\nlisten = \"0.0.0.0\"\n");
  sources.environment = {{"FLOE_PG_PORT", "7000"}, {"FLOE_HTTP_PORT", "7001"},
                         {"FLOE_UNRELATED", "x"}, {"PATH", "/bin"}};
  sources.flags = {{"pg_port", "8000"}};
  Result<Config> config = Config::Load(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->settings().pg_port, 8000);
  EXPECT_EQ(config->SourceOf("pg_port"), SettingSource::kFlag);
  EXPECT_EQ(config->settings().http_port, 7001);
  EXPECT_EQ(config->SourceOf("http_port"), SettingSource::kEnvironment);
  EXPECT_EQ(config->settings().listen, "0.0.0.0");
  EXPECT_EQ(config->SourceOf("listen"), SettingSource::kFile);
  EXPECT_EQ(config->settings().warehouse, "/data/file");
  EXPECT_EQ(config->settings().log_level, "info");
  EXPECT_EQ(config->SourceOf("log_level"), SettingSource::kDefault);
}

TEST_F(ConfigTest, LocalWarehouseCarriesItsMetastoreUnlessOneIsConfigured) {
  ConfigSources sources;
  sources.file = WriteFile("");
  sources.flags = {{"warehouse", "/data/lake/"}};
  Result<Config> config = Config::Load(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->settings().metastore, "sqlite:/data/lake/floe.db");

  sources.environment = {{"FLOE_METASTORE", "postgresql://floe@db/floe"}};
  config = Config::Load(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->settings().metastore, "postgresql://floe@db/floe");

  sources.environment = {};
  sources.flags = {{"warehouse", "s3://bucket/lake"}};
  config = Config::Load(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->settings().metastore, "sqlite:./warehouse/floe.db");
}

TEST_F(ConfigTest, DottedKeysAndSectionsNameTheSameSetting) {
  ConfigSources sources;
  sources.file = WriteFile("server.pg_port = 6543\nlog.format = \"json\"\n");
  Result<Config> config = Config::Load(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->settings().pg_port, 6543);
  EXPECT_EQ(config->settings().log_format, "json");
}

TEST_F(ConfigTest, BadValuesNameTheSettingAndTheirSource) {
  ConfigSources sources;
  sources.file = WriteFile("");
  sources.environment = {{"FLOE_PG_PORT", "99999"}};
  Result<Config> config = Config::Load(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(), "invalid pg_port from FLOE_PG_PORT: 99999 is outside 1..65535");

  sources.environment = {};
  sources.flags = {{"log_level", "loud"}};
  config = Config::Load(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(),
            "invalid log_level from --log-level: \"loud\" is not one of debug, info, warn, error");

  sources.flags = {{"http_port", "80a"}};
  config = Config::Load(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(),
            "invalid http_port from --http-port: expected an integer, got \"80a\"");
}

TEST_F(ConfigTest, UnknownKeysInTheFileAreErrors) {
  ConfigSources sources;
  sources.file = WriteFile("[server]\npg_prot = 5433\n");
  Result<Config> config = Config::Load(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("unknown setting \"server.pg_prot\""),
            std::string_view::npos);
}

TEST_F(ConfigTest, MalformedFileIsASyntaxErrorWithItsLine) {
  ConfigSources sources;
  sources.file = WriteFile("warehouse = \"x\"\n[server\n");
  Result<Config> config = Config::Load(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kSyntaxError);
  EXPECT_NE(config.status().message().find("line 2"), std::string_view::npos)
      << config.status().message();
}

TEST_F(ConfigTest, MissingExplicitFileIsNotFound) {
  ConfigSources sources;
  sources.file = (folder_ / "absent.toml").string();
  Result<Config> config = Config::Load(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kNotFound);
}

TEST_F(ConfigTest, TomlOutputShowsEveryValueWithItsSource) {
  ConfigSources sources;
  sources.file = WriteFile("");
  sources.flags = {{"threads", "4"}};
  Result<Config> config = Config::Load(sources);
  ASSERT_TRUE(config.ok());
  std::string toml = config->ToToml();
  EXPECT_NE(toml.find("threads = 4  # flag\n"), std::string::npos) << toml;
  EXPECT_NE(toml.find("[server]\nlisten = \"127.0.0.1\"  # default\n"), std::string::npos) << toml;
}

TEST_F(ConfigTest, SecretsAreMaskedInTheTomlOutput) {
  ConfigSources sources;
  sources.file = WriteFile("[s3]\nendpoint = \"http://127.0.0.1:9000\"\n");
  sources.environment = {{"FLOE_S3_SECRET_ACCESS_KEY", "very-secret"}};
  Result<Config> config = Config::Load(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->settings().s3_secret_access_key, "very-secret");
  std::string toml = config->ToToml();
  EXPECT_EQ(toml.find("very-secret"), std::string::npos) << toml;
  EXPECT_NE(toml.find("secret_access_key = \"********\"  # environment"), std::string::npos)
      << toml;
  EXPECT_NE(toml.find("[s3]\nendpoint = \"http://127.0.0.1:9000\"  # file"), std::string::npos)
      << toml;
}

TEST(ConfigNamesTest, EnvironmentVariablesAndFlagsDeriveFromTheName) {
  EXPECT_EQ(Config::EnvironmentVariableOf("query_memory_limit"), "FLOE_QUERY_MEMORY_LIMIT");
  EXPECT_EQ(Config::FlagOf("query_memory_limit"), "--query-memory-limit");
  EXPECT_GE(Config::AllSettings().size(), 21u);
}

TEST(ByteSizeTest, ParsesUnitsAndShares) {
  EXPECT_EQ(*ParseByteSize("1048576"), 1048576);
  EXPECT_EQ(*ParseByteSize("512MB"), 512'000'000);
  EXPECT_EQ(*ParseByteSize("4GiB"), int64_t{4} << 30);
  EXPECT_EQ(*ParseByteSize(" 1.5 KiB "), 1536);
  EXPECT_EQ(*ParseByteSize("50%"), PhysicalMemoryBytes() / 2);
  EXPECT_FALSE(ParseByteSize("").ok());
  EXPECT_FALSE(ParseByteSize("12 parsecs").ok());
  EXPECT_FALSE(ParseByteSize("150%").ok());
  EXPECT_FALSE(ParseByteSize("99999999999TiB").ok());
}

}  // namespace
}  // namespace floe
