#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/identifier.h"
#include "catalog/migration.h"
#include "common/result.h"

namespace floe::catalog {

/// String properties of a namespace, sorted by key.
using Properties = std::map<std::string, std::string>;

/// Asks for one page of a listing. `page_token` is empty for the first page, else the
/// `next_page_token` of the previous page; `page_size` 0 means all remaining items.
struct PageRequest {
  std::string page_token{};
  int page_size = 0;
};

/// One page of a listing, in bytewise order of names; `next_page_token` is empty on the last.
template <typename T>
struct Page {
  std::vector<T> items{};
  std::string next_page_token{};
};

/// The outcome of UpdateNamespaceProperties, each list sorted by key.
struct PropertiesUpdate {
  std::vector<std::string> updated{};
  std::vector<std::string> removed{};
  std::vector<std::string> missing{};  // Keys asked to be removed that were not set.
};

/// A table's row in the catalog: where its current Iceberg metadata.json lives, and the one
/// before it (empty for a new or registered table).
struct TableEntry {
  TableIdentifier identifier{};
  std::string metadata_location{};
  std::string previous_metadata_location{};
};

/// What a view is: an Iceberg view metadata location, or SQL text with its schema as JSON (or
/// both). At least one of `metadata_location` and `sql` is set.
struct ViewDefinition {
  std::string metadata_location{};
  std::string sql{};
  std::string schema_json{};

  friend bool operator==(const ViewDefinition&, const ViewDefinition&) = default;
};

struct ViewEntry {
  TableIdentifier identifier{};
  ViewDefinition definition{};
};

/// The platform's catalog of record: namespaces, tables and views, and (through the migration
/// registry) every later layer's state, in SQLite or PostgreSQL. Thread-safe; every method
/// is atomic, and commits are atomic across processes sharing the database.
///
/// Errors name the object: NotFound ("table sales.eu.orders does not exist"), AlreadyExists,
/// Conflict (a lost compare-and-swap), InvalidArgument (a malformed name or request),
/// Unavailable (the database is down or stayed locked; retrying later may help).
/// Tables and views share one name space within a namespace.
class Metastore {
 public:
  Metastore() = default;
  Metastore(const Metastore&) = delete;
  Metastore& operator=(const Metastore&) = delete;
  virtual ~Metastore() = default;

  // Namespaces. A namespace's parent ({"sales"} for {"sales", "eu"}) must exist.

  virtual Status CreateNamespace(const Namespace& namespace_name, const Properties& properties) = 0;
  /// Returns the namespace's properties.
  virtual Result<Properties> LoadNamespace(const Namespace& namespace_name) = 0;
  virtual Result<bool> NamespaceExists(const Namespace& namespace_name) = 0;
  /// Lists the direct children of `parent`; the empty parent lists the top level.
  virtual Result<Page<Namespace>> ListNamespaces(const Namespace& parent,
                                                 const PageRequest& page) = 0;
  /// Drops an empty namespace; InvalidArgument naming what it still holds otherwise.
  virtual Status DropNamespace(const Namespace& namespace_name) = 0;
  /// Removes `removals` and sets `updates` at once. InvalidArgument when a key is in both.
  virtual Result<PropertiesUpdate> UpdateNamespaceProperties(
      const Namespace& namespace_name, const std::vector<std::string>& removals,
      const Properties& updates) = 0;

  // Tables.

  /// Adds a table whose metadata was just written at `metadata_location`.
  virtual Status CreateTable(const TableIdentifier& identifier,
                             std::string_view metadata_location) = 0;
  /// Adds a table whose metadata already exists, written by another catalog or a backup.
  virtual Status RegisterTable(const TableIdentifier& identifier,
                               std::string_view metadata_location) = 0;
  virtual Result<TableEntry> LoadTable(const TableIdentifier& identifier) = 0;
  virtual Result<bool> TableExists(const TableIdentifier& identifier) = 0;
  virtual Result<Page<TableIdentifier>> ListTables(const Namespace& namespace_name,
                                                   const PageRequest& page) = 0;
  /// Moves a table, possibly to another namespace. NotFound when `from` or the target
  /// namespace is missing; AlreadyExists when `to` names a table or view.
  virtual Status RenameTable(const TableIdentifier& from, const TableIdentifier& to) = 0;
  /// Removes the table from the catalog (its files stay) and returns its last entry.
  virtual Result<TableEntry> DropTable(const TableIdentifier& identifier) = 0;
  /// Swaps the table's metadata location from `expected_location` to `new_location`, keeping
  /// the old one as the previous location. Conflict, changing nothing, when the current
  /// location is not `expected_location`: another commit won, so re-read and retry. Atomic
  /// across threads and processes.
  virtual Status CommitTable(const TableIdentifier& identifier, std::string_view expected_location,
                             std::string_view new_location) = 0;

  // Views.

  virtual Status CreateView(const TableIdentifier& identifier,
                            const ViewDefinition& definition) = 0;
  /// Replaces a view's definition, creating the view when missing (CREATE OR REPLACE VIEW).
  virtual Status ReplaceView(const TableIdentifier& identifier,
                             const ViewDefinition& definition) = 0;
  virtual Result<ViewEntry> LoadView(const TableIdentifier& identifier) = 0;
  virtual Result<Page<TableIdentifier>> ListViews(const Namespace& namespace_name,
                                                  const PageRequest& page) = 0;
  virtual Status RenameView(const TableIdentifier& from, const TableIdentifier& to) = 0;
  /// Swaps the view's metadata location from `expected_location` (empty: the view has none,
  /// being SQL text only) to `new_location`, dropping any SQL text and schema: the new
  /// metadata file is the whole definition. Conflict, changing nothing, when the current
  /// location differs (another commit won); NotFound when the view is missing.
  virtual Status CommitView(const TableIdentifier& identifier, std::string_view expected_location,
                            std::string_view new_location) = 0;
  virtual Status DropView(const TableIdentifier& identifier) = 0;

  // Operations.

  /// Returns OK when the database answers a trivial query; for health endpoints.
  virtual Status CheckHealth() = 0;
  /// Returns every schema migration applied to the database.
  virtual Result<std::vector<AppliedMigration>> AppliedMigrations() = 0;
};

/// How to open a metastore.
struct MetastoreOptions {
  /// The schema to bring the database to on open.
  MigrationRegistry migrations = DefaultMigrations();
  /// The most connections one handle keeps to PostgreSQL (a SQLite file gets as many).
  int max_connections = 4;
};

/// Opens the metastore at `uri` and migrates its schema:
///   "sqlite:PATH"             a SQLite file, created with its folders when missing;
///   "sqlite::memory:"         a private in-memory database (tests);
///   "postgresql://..." or "postgres://..."  a PostgreSQL database, in libpq's URI syntax.
/// Returns InvalidArgument for another scheme, Unavailable when the database cannot be reached,
/// NotSupported when its schema is newer than this process. No message shows a password.
Result<std::unique_ptr<Metastore>> OpenMetastore(std::string_view uri,
                                                 const MetastoreOptions& options = {});

class ConnectionPool;

/// Opens a connection pool on the metastore database at `uri` (the schemes OpenMetastore
/// takes) and applies `options.migrations`, logging each one applied. For the stores of
/// platform state that keep their own tables in the metastore database.
Result<std::unique_ptr<ConnectionPool>> OpenMigratedPool(std::string_view uri,
                                                         const MetastoreOptions& options);

/// Returns `uri` with any password replaced by "***", for logs and messages.
std::string RedactMetastoreUri(std::string_view uri);

}  // namespace floe::catalog
