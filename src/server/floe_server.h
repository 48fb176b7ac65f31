#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/config.h"
#include "common/result.h"

namespace floe::catalog {
class UserStore;
}  // namespace floe::catalog

namespace floe::sql::engine {
class Database;
}  // namespace floe::sql::engine

namespace floe::format::parquet {
struct ColumnChunkCacheStats;
}  // namespace floe::format::parquet

namespace floe::server {

/// Appends the analytics cache's counters and gauges (floe_analytics_cache_*) to a /metrics
/// text in the Prometheus format: hits and misses by kind (chunk, footer), evictions,
/// rejections, bytes and entries held, and the budget.
void RenderColumnChunkCacheMetrics(const format::parquet::ColumnChunkCacheStats& stats,
                                   std::string& out);

class ServerMetrics;
class SqlService;
namespace pgwire {
class PgServer;
}  // namespace pgwire
namespace http {
class HttpServer;
class IcebergRestCatalog;
class SqlApi;
}  // namespace http

/// How clients prove who they are.
enum class AuthMode : uint8_t {
  /// Trust loopback clients while the metastore holds no users and the servers listen on
  /// loopback only; passwords otherwise.
  kAuto,
  /// Trust every client connecting over loopback.
  kTrustLoopback,
  /// Passwords for every client: SCRAM-SHA-256 on the wire protocol, Basic over HTTP.
  kPassword,
};

struct FloeServerOptions {
  AuthMode auth = AuthMode::kAuto;
  /// Created as a superuser at start when set and missing (FLOE_ADMIN_USER/PASSWORD).
  std::string admin_user{};
  std::string admin_password{};
  int max_connections = 256;
  std::chrono::milliseconds idle_timeout{0};
};

/// `floe server`: the SQL engine, the user store, the PostgreSQL wire protocol listener and
/// the HTTP listener, started from the settings (listen, pg_port, http_port, tls_cert,
/// tls_key, warehouse, metastore) and stopped gracefully.
class FloeServer {
 public:
  static Result<std::unique_ptr<FloeServer>> Start(const Settings& settings,
                                                   const FloeServerOptions& options);
  FloeServer(const FloeServer&) = delete;
  FloeServer& operator=(const FloeServer&) = delete;
  ~FloeServer();

  int pg_port() const;
  int http_port() const;
  /// Stops accepting on both listeners, lets running statements finish within `grace`, then
  /// cancels them and closes every connection.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  FloeServer();

  std::shared_ptr<sql::engine::Database> database_{};
  std::unique_ptr<catalog::UserStore> users_;
  std::unique_ptr<ServerMetrics> metrics_;
  std::unique_ptr<SqlService> service_;
  std::unique_ptr<http::SqlApi> sql_api_;
  std::unique_ptr<http::IcebergRestCatalog> iceberg_rest_;
  std::unique_ptr<pgwire::PgServer> pgwire_;
  std::unique_ptr<http::HttpServer> http_;
};

}  // namespace floe::server
