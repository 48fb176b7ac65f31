#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/command.h"

namespace floe::cli {

void RegisterConfigCommand(CLI::App& app, CommandRunner& runner) {
  CLI::App* command = app.add_subcommand(
      "config", "Print the effective configuration as TOML, each value with its source");
  command->callback([&runner] {
    runner = [](const CommandContext& context) {
      std::fputs(context.config.ToToml().c_str(), stdout);
      return 0;
    };
  });
}

}  // namespace floe::cli
