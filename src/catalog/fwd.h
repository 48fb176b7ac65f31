#pragma once

namespace floe::catalog {

struct TableIdentifier;
struct PageRequest;
struct PropertiesUpdate;
struct TableEntry;
struct ViewDefinition;
struct ViewEntry;
struct MetastoreOptions;
class Metastore;
struct Migration;
struct ComponentMigrations;
struct AppliedMigration;
class MigrationRegistry;
class SqlConnection;
class ConnectionPool;

}  // namespace floe::catalog
