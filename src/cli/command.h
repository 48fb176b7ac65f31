#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/config.h"

namespace CLI {
class App;
}  // namespace CLI

namespace floe::cli {

/// What every subcommand receives: the effective configuration, already loaded from the file,
/// the environment and the global flags.
struct CommandContext {
  Config config;
};

/// A subcommand: registered on the top-level parser, run after configuration has loaded.
/// Returns the process exit status.
using CommandRunner = std::function<int(const CommandContext&)>;

/// Each subcommand file defines one of these; main.cc lists them.
void RegisterConfigCommand(CLI::App& app, CommandRunner& runner);
void RegisterTpchCommand(CLI::App& app, CommandRunner& runner);
void RegisterParquetCommand(CLI::App& app, CommandRunner& runner);
void RegisterSqlCommand(CLI::App& app, CommandRunner& runner);
void RegisterServerCommand(CLI::App& app, CommandRunner& runner);

}  // namespace floe::cli
