#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/sql_connection.h"
#include "common/result.h"

namespace floe::catalog {

/// One step of a component's schema. `sql` runs on both dialects unless `postgres_sql` is set,
/// which replaces it on PostgreSQL; statements are separated by semicolons. A migration never
/// changes once released: later changes are new migrations.
struct Migration {
  int64_t version = 0;  // 1, 2, 3... within the component.
  std::string description{};
  std::string sql{};
  std::string postgres_sql{};
};

/// The schema of one component of the platform ("catalog", "security", "jobs"...).
struct ComponentMigrations {
  std::string component{};
  std::vector<Migration> migrations{};
};

/// One applied migration, as recorded in the `schema_migrations` table.
struct AppliedMigration {
  std::string component{};
  int64_t version = 0;
  std::string description{};
  std::string applied_at{};  // UTC, ISO 8601.

  friend bool operator==(const AppliedMigration&, const AppliedMigration&) = default;
};

/// The migrations a process knows, by component, in the order they apply.
///
/// This is where layers above the catalog put their own tables: a layer exposes a function
/// returning its ComponentMigrations (say `security::SecurityMigrations()` with users' roles and
/// grants), and the process that opens the metastore (`floe server`, the CLI) adds it to the
/// registry it passes to OpenMetastore, after the components whose tables it refers to:
///
///   MigrationRegistry registry = DefaultMigrations();
///   FLOE_RETURN_NOT_OK(registry.Add(security::SecurityMigrations()));
///   FLOE_ASSIGN_OR_RETURN(auto metastore, OpenMetastore(uri, {.migrations = registry}));
class MigrationRegistry {
 public:
  /// Appends a component. Returns InvalidArgument when its name is empty or taken, or when its
  /// versions do not count up from 1 without gaps.
  Status Add(ComponentMigrations component);

  const std::vector<ComponentMigrations>& components() const { return components_; }

 private:
  std::vector<ComponentMigrations> components_;
};

/// Returns the registry holding the catalog's own component: namespaces, tables, views and
/// the platform's users.
MigrationRegistry DefaultMigrations();

/// Brings the database up to every registered component's latest version: creates
/// `schema_migrations` when missing, then applies each missing migration in order, each in
/// its own transaction together with its record, so that a failure leaves the previous
/// version. Processes opening one database at once apply each migration once.
/// Returns NotSupported, before changing anything, when the database holds a registered
/// component at a version newer than this process knows: an older binary must not write a
/// schema it does not understand. Components the process does not register are left alone.
/// Returns the migrations this call applied.
Result<std::vector<AppliedMigration>> ApplyMigrations(SqlConnection& connection,
                                                      const MigrationRegistry& registry);

/// Returns every applied migration, by component and version.
Result<std::vector<AppliedMigration>> ListAppliedMigrations(SqlConnection& connection);

}  // namespace floe::catalog
