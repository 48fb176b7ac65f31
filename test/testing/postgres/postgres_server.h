#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "common/result.h"

namespace floe::test {

/// A throwaway PostgreSQL server for tests: a fresh cluster in a temporary folder, trusting
/// connections from loopback, listening on a free port of 127.0.0.1, as user `floe`. When the
/// process runs as root the server runs as the `postgres` system user, since PostgreSQL
/// refuses root. The destructor stops the server and removes its folder; if the test process
/// dies first, the server gets SIGQUIT and stops at once. It runs without fsync: its data
/// survives a restart, not a power loss.
///
/// The server's binaries are found through FLOE_POSTGRES_BIN, then `pg_config --bindir`, then
/// the newest installed version. Not thread-safe.
class PostgresServer {
 public:
  /// Creates and starts a server. Returns NotFound when no PostgreSQL server is installed (so
  /// that a test can skip) and Unavailable, with the server's log, when it fails to start.
  static Result<std::unique_ptr<PostgresServer>> Start();

  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  ~PostgresServer();

  /// Creates an empty database and returns its URI.
  Result<std::string> CreateDatabase(std::string_view name);
  /// Returns "postgresql://floe@127.0.0.1:<port>/<database>".
  std::string UriOf(std::string_view database) const;
  int port() const { return port_; }

  /// Stops the server, keeping its data: clients then see a server that is down.
  Status Stop();
  /// Starts the stopped server again on the same port.
  Status Restart();

 private:
  PostgresServer(std::string bin_directory, std::string root);

  Status Initialize();
  Status Launch();
  Status WaitUntilReady();
  std::string PathOf(std::string_view name) const;

  std::string bin_directory_;
  std::string root_;
  int port_ = 0;
  pid_t server_pid_ = -1;
};

}  // namespace floe::test
