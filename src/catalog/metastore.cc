#include "catalog/metastore.h"

#include <chrono>

#include "catalog/connection_pool.h"
#include "catalog/postgres/postgres_connection.h"
#include "catalog/sql_metastore.h"
#include "catalog/sqlite/sqlite_connection.h"
#include "common/logging.h"

namespace floe::catalog {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";
constexpr std::string_view kSqliteMemory = ":memory:";
// Long enough for a burst of requests to queue behind the pool, short enough to report a
// database that stopped answering.
constexpr std::chrono::seconds kAcquireTimeout{60};

bool IsPostgresUri(std::string_view uri) {
  return uri.starts_with("postgresql://") || uri.starts_with("postgres://");
}

Result<std::unique_ptr<ConnectionPool>> MakePool(std::string_view uri,
                                                 const MetastoreOptions& options) {
  if (uri.starts_with(kSqliteScheme)) {
    std::string path(uri.substr(kSqliteScheme.size()));
    if (path.empty()) {
      return Status::InvalidArgument("metastore URI {} names no file", uri);
    }
    // Every connection to ":memory:" would open a database of its own: keep exactly one.
    int max_connections = path == kSqliteMemory ? 1 : options.max_connections;
    return std::make_unique<ConnectionPool>([path] { return OpenSqliteConnection(path); },
                                            max_connections, kAcquireTimeout);
  }
  if (IsPostgresUri(uri)) {
    return std::make_unique<ConnectionPool>(
        [text = std::string(uri)] { return OpenPostgresConnection(text); }, options.max_connections,
        kAcquireTimeout);
  }
  return Status::InvalidArgument(
      "unsupported metastore URI {}: expected sqlite:PATH, sqlite::memory: or postgresql://...",
      RedactMetastoreUri(uri));
}

}  // namespace

Result<std::unique_ptr<ConnectionPool>> OpenMigratedPool(std::string_view uri,
                                                         const MetastoreOptions& options) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<ConnectionPool> pool, MakePool(uri, options));
  {
    FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool->Acquire());
    FLOE_ASSIGN_OR_RETURN(std::vector<AppliedMigration> applied,
                          ApplyMigrations(*connection, options.migrations));
    for (const AppliedMigration& migration : applied) {
      FLOE_LOG_INFO("applied metastore migration", {"component", migration.component},
                    {"version", migration.version}, {"description", migration.description},
                    {"metastore", RedactMetastoreUri(uri)});
    }
  }
  return pool;
}

Result<std::unique_ptr<Metastore>> OpenMetastore(std::string_view uri,
                                                 const MetastoreOptions& options) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<ConnectionPool> pool, OpenMigratedPool(uri, options));
  return MakeSqlMetastore(std::move(pool));
}

std::string RedactMetastoreUri(std::string_view uri) {
  std::string redacted(uri);
  size_t scheme_end = redacted.find("://");
  if (scheme_end != std::string::npos) {
    size_t authority = scheme_end + 3;
    size_t authority_end = redacted.find_first_of("/?", authority);
    size_t at = redacted.rfind('@', authority_end);
    size_t colon = redacted.find(':', authority);
    if (at != std::string::npos && at >= authority && colon != std::string::npos && colon < at) {
      redacted.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // libpq also takes the password as a query parameter.
  for (size_t key = redacted.find("password="); key != std::string::npos;
       key = redacted.find("password=", key + 1)) {
    size_t value = key + std::string_view("password=").size();
    size_t end = redacted.find_first_of("& ", value);
    redacted.replace(value, (end == std::string::npos ? redacted.size() : end) - value, "***");
  }
  return redacted;
}

}  // namespace floe::catalog
