#include "catalog/migration.h"

#include <charconv>
#include <chrono>
#include <map>
#include <optional>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace floe::catalog {
namespace {

constexpr std::string_view kCreateMigrationTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " component TEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " description TEXT NOT NULL,"
    " applied_at TEXT NOT NULL,"
    " PRIMARY KEY (component, version))";

// An arbitrary constant naming the lock that serializes migrations across PostgreSQL connections;
// SQLite needs none because BEGIN IMMEDIATE already takes the database's write lock.
constexpr std::string_view kLockPostgres = "SELECT pg_advisory_xact_lock(4611686018427387903)";

Status LockForMigration(SqlConnection& connection) {
  if (connection.dialect() != SqlDialect::kPostgres) {
    return Status::OK();
  }
  return connection.Query(kLockPostgres, {}).status();
}

std::string UtcNow() {
  auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", now);
}

Result<int64_t> ParseVersion(const SqlValue& value) {
  if (!value) {
    return Status::Corruption("schema_migrations holds a NULL version");
  }
  int64_t version = 0;
  auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), version);
  if (error != std::errc() || end != value->data() + value->size()) {
    return Status::Corruption("schema_migrations holds a malformed version: {}", *value);
  }
  return version;
}

using Versions = std::map<std::string, int64_t, std::less<>>;

Result<Versions> CurrentVersions(SqlConnection& connection) {
  FLOE_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      connection.Query("SELECT component, MAX(version) FROM schema_migrations GROUP BY component",
                       {}));
  Versions versions;
  for (const SqlRow& row : rows) {
    FLOE_ASSIGN_OR_RETURN(versions[row[0].value_or("")], ParseVersion(row[1]));
  }
  return versions;
}

Status RefuseNewerSchema(const Versions& versions, const MigrationRegistry& registry) {
  for (const ComponentMigrations& component : registry.components()) {
    auto found = versions.find(component.component);
    int64_t known = static_cast<int64_t>(component.migrations.size());
    if (found != versions.end() && found->second > known) {
      return Status::NotSupported(
          "the metastore schema of component {} is at version {}, newer than the latest this "
          "floe knows ({}): upgrade floe before opening this metastore",
          component.component, found->second, known);
    }
  }
  return Status::OK();
}

// Applies one migration unless another process did first; returns its record when this call did.
Result<std::optional<AppliedMigration>> ApplyOne(SqlConnection& connection,
                                                 const std::string& component,
                                                 const Migration& migration) {
  std::optional<AppliedMigration> applied;
  FLOE_RETURN_NOT_OK(RunInTransaction(connection, TransactionMode::kWrite, [&]() -> Status {
    FLOE_RETURN_NOT_OK(LockForMigration(connection));
    FLOE_ASSIGN_OR_RETURN(Versions versions, CurrentVersions(connection));
    auto found = versions.find(component);
    if (found != versions.end() && found->second >= migration.version) {
      return Status::OK();
    }
    bool is_postgres = connection.dialect() == SqlDialect::kPostgres;
    const std::string& sql =
        is_postgres && !migration.postgres_sql.empty() ? migration.postgres_sql : migration.sql;
    Status status = connection.ExecuteScript(sql);
    if (!status.ok()) {
      return status.WithContext(fmt::format("migration {} version {} ({})", component,
                                            migration.version, migration.description));
    }
    AppliedMigration record{component, migration.version, migration.description, UtcNow()};
    SqlValue parameters[] = {record.component, std::to_string(record.version), record.description,
                             record.applied_at};
    FLOE_RETURN_NOT_OK(connection
                           .Execute("INSERT INTO schema_migrations"
                                    " (component, version, description, applied_at)"
                                    " VALUES ($1, $2, $3, $4)",
                                    parameters)
                           .status());
    applied = std::move(record);
    return Status::OK();
  }));
  return applied;
}

}  // namespace

Status MigrationRegistry::Add(ComponentMigrations component) {
  if (component.component.empty()) {
    return Status::InvalidArgument("a migration component needs a name");
  }
  for (const ComponentMigrations& existing : components_) {
    if (existing.component == component.component) {
      return Status::InvalidArgument("migration component {} is already registered",
                                     component.component);
    }
  }
  for (size_t index = 0; index < component.migrations.size(); ++index) {
    int64_t expected = static_cast<int64_t>(index) + 1;
    if (component.migrations[index].version != expected) {
      return Status::InvalidArgument(
          "migration component {} must number its versions 1, 2, 3...: found {} where {} "
          "belongs",
          component.component, component.migrations[index].version, expected);
    }
  }
  components_.push_back(std::move(component));
  return Status::OK();
}

Result<std::vector<AppliedMigration>> ApplyMigrations(SqlConnection& connection,
                                                      const MigrationRegistry& registry) {
  FLOE_RETURN_NOT_OK(RunInTransaction(connection, TransactionMode::kWrite, [&]() -> Status {
    FLOE_RETURN_NOT_OK(LockForMigration(connection));
    return connection.ExecuteScript(kCreateMigrationTable);
  }));
  FLOE_ASSIGN_OR_RETURN(Versions versions, CurrentVersions(connection));
  FLOE_RETURN_NOT_OK(RefuseNewerSchema(versions, registry));
  std::vector<AppliedMigration> applied;
  for (const ComponentMigrations& component : registry.components()) {
    for (const Migration& migration : component.migrations) {
      auto found = versions.find(component.component);
      if (found != versions.end() && found->second >= migration.version) {
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(std::optional<AppliedMigration> record,
                            ApplyOne(connection, component.component, migration));
      if (record) {
        applied.push_back(std::move(*record));
      }
    }
  }
  return applied;
}

Result<std::vector<AppliedMigration>> ListAppliedMigrations(SqlConnection& connection) {
  FLOE_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        connection.Query("SELECT component, version, description, applied_at"
                                         " FROM schema_migrations ORDER BY component, version",
                                         {}));
  std::vector<AppliedMigration> migrations;
  for (SqlRow& row : rows) {
    FLOE_ASSIGN_OR_RETURN(int64_t version, ParseVersion(row[1]));
    migrations.push_back({row[0].value_or(""), version, row[2].value_or(""), row[3].value_or("")});
  }
  return migrations;
}

}  // namespace floe::catalog
