#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/table_catalog.h"
#include "common/result.h"
#include "server/http/http_server.h"

namespace floe::catalog {
class Metastore;
class UserStore;
}  // namespace floe::catalog

namespace floe::server {
class ServerMetrics;
class SqlService;
}  // namespace floe::server

namespace floe::server::http {

struct IcebergRestOptions {
  /// Lets requests from loopback without a token act as `trust_user`.
  bool trust_loopback = false;
  std::string trust_user = "floe";
  /// How long a token from POST /v1/oauth/tokens is accepted.
  std::chrono::seconds token_lifetime{3600};
  /// The SQL engine, to describe the result columns of views made by SQL CREATE VIEW when a
  /// client loads them (null: such views cannot be loaded over REST); must outlive the catalog.
  SqlService* sql_service = nullptr;
  /// The database those sessions connect to.
  std::string database = "floe";
};

/// The Iceberg REST catalog (docs/protocols/iceberg-rest.md) over a metastore: configuration,
/// namespaces, tables, commits with requirements, renames, registration, multi-table
/// transactions, views and OAuth2 tokens (client credentials and token exchange), all under
/// /v1/ (with or without a prefix segment). Tables live where catalog::TableCatalog puts them,
/// so SQL sees them.
/// Thread-safe. `metastore`, `users` (may be null) and `metrics` must outlive it.
class IcebergRestCatalog {
 public:
  IcebergRestCatalog(IcebergRestOptions options, catalog::Metastore& metastore,
                     std::shared_ptr<io::FileSystem> file_system, std::string warehouse,
                     catalog::UserStore* users, ServerMetrics& metrics);
  IcebergRestCatalog(const IcebergRestCatalog&) = delete;
  IcebergRestCatalog& operator=(const IcebergRestCatalog&) = delete;
  ~IcebergRestCatalog() = default;

  /// Adds the /v1/ routes to `router`; this object must outlive the server using it.
  void AddRoutes(HttpRouter& router);

  /// Returns a signed bearer token for `user` that expires after the token lifetime.
  std::string IssueToken(const std::string& user) const;
  /// Returns the user of a valid, unexpired token; Unauthenticated otherwise.
  Result<std::string> VerifyToken(std::string_view token) const;

 private:
  void Handle(const HttpRequest& request, HttpResponse& response, const RequestContext& context);
  void HandleToken(const HttpRequest& request, HttpResponse& response);
  void GrantClientCredentials(const HttpRequest& request, std::map<std::string, std::string>& form,
                              HttpResponse& response);
  void ExchangeToken(const std::map<std::string, std::string>& form, HttpResponse& response);
  void SendTokenResponse(HttpResponse& response, const std::string& user) const;
  Result<std::string> Authenticate(const HttpRequest& request, const RequestContext& context);
  std::string Sign(std::string_view payload) const;

  IcebergRestOptions options_;
  catalog::Metastore& metastore_;
  catalog::TableCatalog tables_;
  std::shared_ptr<io::FileSystem> file_system_;
  std::string warehouse_;
  catalog::UserStore* users_;
  ServerMetrics& metrics_;
  std::array<uint8_t, 32> token_key_{};
};

}  // namespace floe::server::http
