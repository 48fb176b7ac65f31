#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "common/result.h"
#include "server/http/async_queries.h"
#include "server/http/http_server.h"
#include "server/http/sql_request.h"

namespace floe::catalog {
class UserStore;
}  // namespace floe::catalog

namespace floe::server {
class ServerMetrics;
class SqlService;
class SqlSession;
}  // namespace floe::server

namespace floe::server::http {

struct SqlApiOptions {
  /// Lets requests from loopback without credentials run as `trust_user`.
  bool trust_loopback = false;
  std::string trust_user = "floe";
  std::string database = "floe";
  /// How long a checked Basic credential is remembered, sparing an argon2id hash per request.
  std::chrono::seconds credential_cache_ttl{60};
  /// Limits of asynchronous queries.
  AsyncQueryOptions async{};
};

/// The HTTP SQL API and the operational endpoints (docs/protocols/http.md):
///   POST /api/v1/sql    {"sql": "...", "parameters": [...]} -> JSON, CSV or Arrow IPC rows,
///                       streamed; with "async": true, 202 and a query to poll instead
///   GET  /api/v1/queries/{id}          an asynchronous query's state
///   GET  /api/v1/queries/{id}/results  a page of its rows (?offset=&limit=)
///   DELETE /api/v1/queries/{id}        cancels it, or frees its result
///   GET  /health        liveness
///   GET  /health/ready  readiness: the metastore and the warehouse answer
///   GET  /metrics       Prometheus text format
/// Thread-safe. `service`, `users` (may be null) and `metrics` must outlive it.
class SqlApi {
 public:
  SqlApi(SqlApiOptions options, SqlService& service, catalog::UserStore* users,
         ServerMetrics& metrics);
  SqlApi(const SqlApi&) = delete;
  SqlApi& operator=(const SqlApi&) = delete;
  ~SqlApi() = default;

  /// Prepares asynchronous queries (AsyncQueries::Open): their result folder, their records in
  /// the metastore, and what a restart left. Requests do it when it was not done; calling it
  /// at start-up reports errors early.
  Status Open() { return async_.Open(); }
  /// Adds the routes to `router`; this object must outlive the server using it.
  void AddRoutes(HttpRouter& router);

 private:
  void HandleSql(const HttpRequest& request, HttpResponse& response, const RequestContext& context);
  void SubmitAsync(const std::string& user, std::unique_ptr<SqlSession> session, SqlRequest request,
                   HttpResponse& response);
  void HandleQueries(const HttpRequest& request, HttpResponse& response,
                     const RequestContext& context);
  void SendResultPage(const HttpRequest& request, HttpResponse& response, const std::string& id,
                      const std::string& user);
  void HandleReady(HttpResponse& response);
  /// Returns the user a request runs as, or Unauthenticated.
  Result<std::string> Authenticate(const HttpRequest& request, const RequestContext& context);

  SqlApiOptions options_;
  SqlService& service_;
  catalog::UserStore* users_;
  ServerMetrics& metrics_;
  std::array<uint8_t, 32> cache_key_{};
  std::mutex mutex_;
  /// HMAC of "user\0password" -> when it stops being trusted. Guarded by mutex_.
  std::map<std::string, std::chrono::steady_clock::time_point> verified_;
  /// Last, so that it is destroyed first: running queries are cancelled and waited for while
  /// everything they use still exists.
  AsyncQueries async_;
};

}  // namespace floe::server::http
