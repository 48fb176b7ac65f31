#include "server/floe_server.h"

#include <thread>

#include "catalog/user_store.h"
#include "common/logging.h"
#include "common/version.h"
#include "format/parquet/reader/column_chunk_cache.h"
#include "io/cache/caching_file_system.h"
#include "server/engine_sql_service.h"
#include "server/http/http_server.h"
#include "server/http/iceberg_rest_catalog.h"
#include "server/http/sql_api.h"
#include "server/metrics.h"
#include "server/net/tls_context.h"
#include "server/pgwire/pg_server.h"
#include "sql/engine/database.h"
#include "sql/execution/spill_file.h"

namespace floe::server {
namespace {

bool IsLoopbackAddress(std::string_view address) {
  return address == "127.0.0.1" || address == "::1" || address == "localhost" ||
         address.starts_with("127.");
}

}  // namespace

void RenderColumnChunkCacheMetrics(const format::parquet::ColumnChunkCacheStats& stats,
                                   std::string& out) {
  auto add = std::back_inserter(out);
  auto header = [&out](std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  };
  header("floe_analytics_cache_hits_total", "counter",
         "Lookups the analytics cache answered, by kind.");
  fmt::format_to(add, "floe_analytics_cache_hits_total{{kind=\"chunk\"}} {}\n", stats.chunk_hits);
  fmt::format_to(add, "floe_analytics_cache_hits_total{{kind=\"footer\"}} {}\n", stats.footer_hits);
  header("floe_analytics_cache_misses_total", "counter",
         "Lookups the analytics cache could not answer, by kind.");
  fmt::format_to(add, "floe_analytics_cache_misses_total{{kind=\"chunk\"}} {}\n",
                 stats.chunk_misses);
  fmt::format_to(add, "floe_analytics_cache_misses_total{{kind=\"footer\"}} {}\n",
                 stats.footer_misses);
  header("floe_analytics_cache_evictions_total", "counter",
         "Entries the analytics cache dropped to make room.");
  fmt::format_to(add, "floe_analytics_cache_evictions_total {}\n", stats.evictions);
  header("floe_analytics_cache_rejected_total", "counter",
         "Decoded chunks too large for the analytics cache to keep.");
  fmt::format_to(add, "floe_analytics_cache_rejected_total {}\n", stats.rejected);
  header("floe_analytics_cache_bytes", "gauge", "Bytes the analytics cache holds.");
  fmt::format_to(add, "floe_analytics_cache_bytes {}\n", stats.bytes);
  header("floe_analytics_cache_entries", "gauge", "Entries the analytics cache holds.");
  fmt::format_to(add, "floe_analytics_cache_entries {}\n", stats.entries);
  header("floe_analytics_cache_capacity_bytes", "gauge", "The analytics cache's budget.");
  fmt::format_to(add, "floe_analytics_cache_capacity_bytes {}\n", stats.capacity_bytes);
}

FloeServer::FloeServer() = default;

FloeServer::~FloeServer() {
  Shutdown(std::chrono::milliseconds(0));
}

Result<std::unique_ptr<FloeServer>> FloeServer::Start(const Settings& settings,
                                                      const FloeServerOptions& options) {
  std::unique_ptr<FloeServer> server(new FloeServer());
  FLOE_ASSIGN_OR_RETURN(server->database_, sql::engine::Database::Open(settings));
  FLOE_ASSIGN_OR_RETURN(server->users_, catalog::UserStore::Open(settings.metastore));
  if (!options.admin_user.empty()) {
    if (options.admin_password.empty()) {
      return Status::InvalidArgument("FLOE_ADMIN_USER {} is set without FLOE_ADMIN_PASSWORD",
                                     options.admin_user);
    }
    FLOE_ASSIGN_OR_RETURN(
        bool created, server->users_->BootstrapAdmin(options.admin_user, options.admin_password));
    if (created) {
      FLOE_LOG_INFO("created administrator", {"user", options.admin_user});
    }
  }
  FLOE_ASSIGN_OR_RETURN(int64_t num_users, server->users_->CountUsers());
  bool trust_loopback = false;
  switch (options.auth) {
    case AuthMode::kTrustLoopback:
      trust_loopback = true;
      break;
    case AuthMode::kPassword:
      break;
    case AuthMode::kAuto:
      trust_loopback = num_users == 0 && IsLoopbackAddress(settings.listen);
      break;
  }
  if (trust_loopback) {
    FLOE_LOG_WARN("authentication: TRUST for clients on loopback (no password asked)",
                  {"users", num_users},
                  {"hint", "set FLOE_ADMIN_USER and FLOE_ADMIN_PASSWORD to require passwords"});
  } else {
    FLOE_LOG_INFO("authentication: passwords (SCRAM-SHA-256 on pgwire, Basic over HTTP)",
                  {"users", num_users});
  }
  std::shared_ptr<net::TlsContext> tls;
  if (!settings.tls_cert.empty() || !settings.tls_key.empty()) {
    FLOE_ASSIGN_OR_RETURN(tls, net::TlsContext::Load(settings.tls_cert, settings.tls_key));
  }
  server->metrics_ = std::make_unique<ServerMetrics>();
  server->service_ = MakeEngineSqlService(server->database_);

  pgwire::PgServerOptions pg_options;
  pg_options.tcp = {.name = "pgwire",
                    .address = settings.listen,
                    .port = settings.pg_port,
                    .max_connections = options.max_connections};
  pg_options.tls = tls;
  pg_options.trust_loopback = trust_loopback;
  pg_options.idle_timeout = options.idle_timeout;
  pg_options.server_version = fmt::format("15.0 (Floe {})", kVersion);
  FLOE_ASSIGN_OR_RETURN(server->pgwire_,
                        pgwire::PgServer::Start(std::move(pg_options), *server->service_,
                                                server->users_.get(), *server->metrics_));

  http::SqlApiOptions sql_api_options{.trust_loopback = trust_loopback};
  sql_api_options.async.result_bytes = settings.http_async_result_bytes;
  sql_api_options.async.result_ttl = std::chrono::seconds(settings.http_async_result_ttl);
  sql_api_options.async.workers = settings.http_async_workers;
  sql_api_options.async.result_directory = http::AsyncResultDirectoryOf(settings);
  sql_api_options.async.metastore = settings.metastore;
  server->sql_api_ = std::make_unique<http::SqlApi>(std::move(sql_api_options), *server->service_,
                                                    server->users_.get(), *server->metrics_);
  FLOE_RETURN_NOT_OK(server->sql_api_->Open());
  http::HttpRouter router;
  server->sql_api_->AddRoutes(router);
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> warehouse_files,
                        server->database_->file_systems().Resolve(settings.warehouse));
  server->iceberg_rest_ = std::make_unique<http::IcebergRestCatalog>(
      http::IcebergRestOptions{.trust_loopback = trust_loopback,
                               .sql_service = server->service_.get()},
      server->database_->metastore(), std::move(warehouse_files), settings.warehouse,
      server->users_.get(), *server->metrics_);
  server->iceberg_rest_->AddRoutes(router);
  http::HttpServerOptions http_options;
  http_options.tcp = {.name = "http",
                      .address = settings.listen,
                      .port = settings.http_port,
                      .max_connections = options.max_connections};
  http_options.tls = tls;
  FLOE_ASSIGN_OR_RETURN(
      server->http_,
      http::HttpServer::Start(std::move(http_options), std::move(router), *server->metrics_));
  pgwire::PgServer* pg = server->pgwire_.get();
  http::HttpServer* web = server->http_.get();
  server->metrics_->AddCollector([pg, web](std::string& out) {
    out +=
        "# HELP floe_connections_active Open client connections.\n"
        "# TYPE floe_connections_active gauge\n";
    out += fmt::format("floe_connections_active{{protocol=\"pgwire\"}} {}\n",
                       pg->active_connections());
    out +=
        fmt::format("floe_connections_active{{protocol=\"http\"}} {}\n", web->active_connections());
  });
  if (format::parquet::ColumnChunkCache* cache = server->database_->column_cache()) {
    server->metrics_->AddCollector(
        [cache](std::string& out) { RenderColumnChunkCacheMetrics(cache->stats(), out); });
  }
  // The read cache wraps S3 when cache.directory is set (io::ConfigureObjectStorage).
  if (auto s3 = server->database_->file_systems().Resolve("s3://bucket/key"); s3.ok()) {
    if (auto cache = std::dynamic_pointer_cast<io::CachingFileSystem>(*s3)) {
      server->metrics_->AddCollector([cache](std::string& out) {
        RenderObjectCacheMetrics(cache->statistics(), cache->cache().capacity_bytes(), out);
      });
    }
  }
  server->metrics_->AddCollector([](std::string& out) {
    const sql::execution::SpillCounters& spilled = sql::execution::ProcessSpillCounters();
    out +=
        "# HELP floe_spilled_bytes_total Bytes queries wrote to spill files.\n"
        "# TYPE floe_spilled_bytes_total counter\n";
    out += fmt::format("floe_spilled_bytes_total {}\n", spilled.bytes.load());
    out +=
        "# HELP floe_spill_files_total Spill files queries created.\n"
        "# TYPE floe_spill_files_total counter\n";
    out += fmt::format("floe_spill_files_total {}\n", spilled.files.load());
  });
  FLOE_LOG_INFO("floe server listening", {"version", kVersion}, {"listen", settings.listen},
                {"pg_port", server->pgwire_->port()}, {"http_port", server->http_->port()},
                {"tls", tls != nullptr}, {"warehouse", settings.warehouse},
                {"metastore", catalog::RedactMetastoreUri(settings.metastore)});
  return server;
}

int FloeServer::pg_port() const {
  return pgwire_->port();
}

int FloeServer::http_port() const {
  return http_->port();
}

void FloeServer::Shutdown(std::chrono::milliseconds grace) {
  // Both listeners drain at once, so that the grace period is spent once.
  std::thread pg_thread([this, grace] {
    if (pgwire_ != nullptr) {
      pgwire_->Shutdown(grace);
    }
  });
  if (http_ != nullptr) {
    http_->Shutdown(grace);
  }
  pg_thread.join();
}

}  // namespace floe::server
