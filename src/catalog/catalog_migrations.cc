#include <fmt/format.h>

#include "catalog/migration.h"
#include "common/check.h"

namespace floe::catalog {
namespace {

// Names sort bytewise on both backends ({key} is TEXT COLLATE "C" on PostgreSQL), so that
// listings page in the same order everywhere and a page token compares like the index.
// Namespaces are stored with their levels joined by 0x1f; the root's children have parent ''.
constexpr std::string_view kCatalogTables = R"sql(
CREATE TABLE catalog_namespaces (
  namespace_name {key} NOT NULL PRIMARY KEY,
  parent_name {key} NOT NULL,
  level_name {key} NOT NULL
);
CREATE UNIQUE INDEX catalog_namespaces_by_parent ON catalog_namespaces (parent_name, level_name);
CREATE TABLE catalog_namespace_properties (
  namespace_name {key} NOT NULL,
  property_key {key} NOT NULL,
  property_value TEXT NOT NULL,
  PRIMARY KEY (namespace_name, property_key)
);
CREATE TABLE catalog_tables (
  namespace_name {key} NOT NULL,
  table_name {key} NOT NULL,
  metadata_location TEXT NOT NULL,
  previous_metadata_location TEXT,
  PRIMARY KEY (namespace_name, table_name)
);
CREATE TABLE catalog_views (
  namespace_name {key} NOT NULL,
  view_name {key} NOT NULL,
  metadata_location TEXT,
  sql_text TEXT,
  schema_json TEXT,
  PRIMARY KEY (namespace_name, view_name)
);
)sql";

// Portable types on purpose (ISO 8601 text, 0/1), so that one code path reads both backends.
constexpr std::string_view kUsers = R"sql(
CREATE TABLE users (
  name {key} NOT NULL PRIMARY KEY,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  is_superuser INTEGER NOT NULL DEFAULT 0 CHECK (is_superuser IN (0, 1))
);
)sql";

Migration MakeMigration(int64_t version, std::string description, std::string_view sql) {
  return {.version = version,
          .description = std::move(description),
          .sql = fmt::format(fmt::runtime(sql), fmt::arg("key", "TEXT")),
          .postgres_sql = fmt::format(fmt::runtime(sql), fmt::arg("key", "TEXT COLLATE \"C\""))};
}

}  // namespace

MigrationRegistry DefaultMigrations() {
  MigrationRegistry registry;
  Status status =
      registry.Add({.component = "catalog",
                    .migrations = {MakeMigration(1, "namespaces, tables and views", kCatalogTables),
                                   MakeMigration(2, "users", kUsers)}});
  FLOE_CHECK(status.ok());
  return registry;
}

}  // namespace floe::catalog
