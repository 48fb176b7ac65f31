// `floe server`: serves the warehouse over the PostgreSQL wire protocol and HTTP until SIGTERM
// or SIGINT, then drains (docs/server.md).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <pthread.h>
#include <signal.h>

#include "cli/command.h"
#include "common/logging.h"
#include "server/floe_server.h"

namespace floe::cli {
namespace {

struct ServerFlags {
  std::string auth = "auto";
  int grace_seconds = 30;
  int idle_timeout_seconds = 0;
  int max_connections = 256;
};

Result<server::AuthMode> ParseAuthMode(const std::string& text) {
  if (text == "auto") {
    return server::AuthMode::kAuto;
  }
  if (text == "trust") {
    return server::AuthMode::kTrustLoopback;
  }
  if (text == "password") {
    return server::AuthMode::kPassword;
  }
  return Status::InvalidArgument("--auth must be auto, trust or password: {}", text);
}

std::string EnvironmentOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::string(value);
}

int RunServer(const ServerFlags& flags, const CommandContext& context) {
  // Every thread started from here on inherits the mask, so that only sigwait() below sees
  // SIGTERM and SIGINT.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Result<server::AuthMode> auth = ParseAuthMode(flags.auth);
  if (!auth.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(auth.status().message()).c_str());
    return 2;
  }
  server::FloeServerOptions options;
  options.auth = *auth;
  options.admin_user = EnvironmentOr("FLOE_ADMIN_USER", "");
  options.admin_password = EnvironmentOr("FLOE_ADMIN_PASSWORD", "");
  options.max_connections = flags.max_connections;
  options.idle_timeout = std::chrono::seconds(flags.idle_timeout_seconds);
  Result<std::unique_ptr<server::FloeServer>> started =
      server::FloeServer::Start(context.config.settings(), options);
  if (!started.ok()) {
    FLOE_LOG_ERROR("floe server failed to start", {"error", started.status().ToString()});
    std::fprintf(stderr, "error: %s\n", started.status().ToString().c_str());
    return 1;
  }
  int received = 0;
  sigwait(&signals, &received);
  FLOE_LOG_INFO("shutting down", {"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"},
                {"grace_seconds", flags.grace_seconds});
  (*started)->Shutdown(std::chrono::seconds(flags.grace_seconds));
  started->reset();
  FLOE_LOG_INFO("floe server stopped", {"signal", received});
  return 0;
}

}  // namespace

void RegisterServerCommand(CLI::App& app, CommandRunner& runner) {
  CLI::App* command = app.add_subcommand(
      "server", "Serve SQL over the PostgreSQL wire protocol (--pg-port) and HTTP (--http-port)");
  auto flags = std::make_shared<ServerFlags>();
  command
      ->add_option("--auth", flags->auth,
                   "auto (trust loopback while no users exist), trust (loopback), password")
      ->capture_default_str();
  command
      ->add_option("--grace-period", flags->grace_seconds,
                   "Seconds running statements get to finish at shutdown before cancellation")
      ->capture_default_str();
  command
      ->add_option("--idle-timeout", flags->idle_timeout_seconds,
                   "Seconds a wire-protocol connection may stay idle; 0 for no limit")
      ->capture_default_str();
  command
      ->add_option("--max-connections", flags->max_connections,
                   "Connections per listener; more are refused")
      ->capture_default_str();
  command->callback([&runner, flags] {
    runner = [flags](const CommandContext& context) { return RunServer(*flags, context); };
  });
}

}  // namespace floe::cli
