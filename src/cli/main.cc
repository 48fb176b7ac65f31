// The `floe` binary: global configuration flags, then one subcommand.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <string>

#include "cli/command.h"
#include "common/config.h"
#include "common/logging.h"
#include "common/version.h"

namespace {

using floe::cli::CommandContext;
using floe::cli::CommandRunner;

// Registers one flag per setting; values are kept as text and validated by Config::Load so
// that flags, the environment and the file share one parser and one set of messages.
void AddSettingFlags(CLI::App& app, std::map<std::string, std::string>& values) {
  for (const floe::SettingInfo& setting : floe::Config::AllSettings()) {
    std::string name(setting.name);
    std::string help = std::string(setting.help) + " [" +
                       floe::Config::EnvironmentVariableOf(setting.name) + "]";
    app.add_option(floe::Config::FlagOf(setting.name), values[name], help)
        ->group("Configuration")
        ->type_name("VALUE");
  }
}

void ConfigureLogging(const floe::Settings& settings) {
  floe::LogLevel level = floe::LogLevel::kInfo;
  floe::Logger::ParseLevel(settings.log_level, &level);
  floe::Logger::Configure(level, settings.log_format == "json" ? floe::LogFormat::kJson
                                                               : floe::LogFormat::kText);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Floe: an open lakehouse for AI and analytics", "floe");
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("floe ") + floe::kVersion + " (" +
                                        floe::kGitRevision + ")");
  std::string config_file;
  app.add_option("--config", config_file, "TOML configuration file [FLOE_CONFIG]")
      ->type_name("PATH");
  std::map<std::string, std::string> flag_values;
  AddSettingFlags(app, flag_values);

  CommandRunner runner;
  floe::cli::RegisterConfigCommand(app, runner);
  floe::cli::RegisterTpchCommand(app, runner);
  floe::cli::RegisterParquetCommand(app, runner);
  floe::cli::RegisterSqlCommand(app, runner);
  floe::cli::RegisterServerCommand(app, runner);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  if (!runner) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  }

  floe::ConfigSources sources = floe::ConfigSources::FromProcessEnvironment();
  if (!config_file.empty()) {
    sources.file = config_file;
  }
  for (const auto& [name, value] : flag_values) {
    if (app.count(floe::Config::FlagOf(name)) > 0) {
      sources.flags.emplace_back(name, value);
    }
  }
  floe::Result<floe::Config> config = floe::Config::Load(sources);
  if (!config.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  ConfigureLogging(config->settings());
  return runner(CommandContext{std::move(*config)});
}
