#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"
#include "server/net/tcp_server.h"

namespace floe::catalog {
class UserStore;
}  // namespace floe::catalog

namespace floe::server {
class ServerMetrics;
class SqlService;
namespace net {
class TlsContext;
}  // namespace net
}  // namespace floe::server

namespace floe::server::pgwire {

struct PgServerOptions {
  net::TcpServerOptions tcp{.name = "pgwire", .address = "127.0.0.1", .port = 5433};
  /// TLS after SSLRequest when set; SSLRequest is answered 'N' otherwise.
  std::shared_ptr<net::TlsContext> tls{};
  /// Lets clients on loopback in without a password (the embedded default with no users).
  bool trust_loopback = false;
  /// The only database name accepted; others get 3D000.
  std::string database = "floe";
  /// Larger messages end the connection with 08P01.
  int64_t max_message_size = int64_t{64} << 20;
  /// How long a connection may sit idle between statements (0: forever).
  std::chrono::milliseconds idle_timeout{0};
  /// How long the startup and authentication exchange may take, and one message's body.
  std::chrono::milliseconds message_timeout{std::chrono::seconds(60)};
  /// The server_version reported; drivers parse its leading "major.minor".
  std::string server_version{};
};

/// The PostgreSQL frontend/backend protocol 3.0 server (docs/protocols/pgwire.md): startup,
/// TLS, SCRAM-SHA-256 or trust authentication, simple and extended query, cancel requests.
/// Runs every connection on its own thread with one SqlSession. Thread-safe.
class PgServer {
 public:
  /// Starts listening. `service`, `users` (may be null: then only trust works) and `metrics`
  /// must outlive the server.
  static Result<std::unique_ptr<PgServer>> Start(PgServerOptions options, SqlService& service,
                                                 catalog::UserStore* users, ServerMetrics& metrics);
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;
  ~PgServer();

  int port() const;
  int active_connections() const;
  /// Stops accepting, closes idle connections, lets running statements finish within `grace`,
  /// then cancels them.
  void Shutdown(std::chrono::milliseconds grace);

  // For the connections this server runs.
  const PgServerOptions& options() const { return options_; }
  SqlService& service() const { return service_; }
  catalog::UserStore* users() const { return users_; }
  ServerMetrics& metrics() const { return metrics_; }
  /// Registers a running connection's cancel callback; returns its process id and secret key.
  std::pair<int32_t, int32_t> RegisterBackend(std::function<void()> cancel);
  void UnregisterBackend(int32_t process_id);
  /// Runs the cancel callback of `process_id` when `secret_key` matches; silent otherwise, as
  /// PostgreSQL is.
  void CancelBackend(int32_t process_id, int32_t secret_key);

 private:
  PgServer(PgServerOptions options, SqlService& service, catalog::UserStore* users,
           ServerMetrics& metrics)
      : options_(std::move(options)), service_(service), users_(users), metrics_(metrics) {}

  struct Backend {
    int32_t secret_key = 0;
    std::function<void()> cancel;
  };

  PgServerOptions options_;
  SqlService& service_;
  catalog::UserStore* users_;
  ServerMetrics& metrics_;
  std::unique_ptr<net::TcpServer> tcp_;
  std::mutex mutex_;
  int32_t next_process_id_ = 1000;       // Guarded by mutex_.
  std::map<int32_t, Backend> backends_;  // Guarded by mutex_.
};

/// Serves one connection until it ends; used by PgServer and by tests over a socket pair.
void ServePgConnection(PgServer& server, net::Connection& connection,
                       net::ConnectionControl& control);

}  // namespace floe::server::pgwire
