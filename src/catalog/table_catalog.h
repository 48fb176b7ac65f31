#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "catalog/identifier.h"
#include "catalog/metastore.h"
#include "common/result.h"
#include "io/fwd.h"
#include "table/new_table.h"
#include "table/table.h"
#include "table/table_change.h"

namespace floe::catalog {

/// Iceberg tables of a metastore: creates them under a warehouse folder, loads them, and
/// commits changes with optimistic concurrency (docs/metastore.md, "Tables and commits").
///
/// A commit applies the change to the version it loaded, writes the new metadata file, and
/// swaps the table's pointer with Metastore::CommitTable. When another commit won, it deletes
/// the files of its attempt, waits (exponential backoff with jitter, between the table's
/// `commit.retry.min-wait-ms` (100) and `commit.retry.max-wait-ms` (60000)), reloads, asks the
/// change to re-validate against what was committed meanwhile (appends always pass;
/// overwrites and deletes fail with Conflict when what they read changed) and tries again, up
/// to `commit.retry.num-retries` (4) retries. A failure before the swap leaves the table at
/// its previous version and deletes the attempt's files; when the swap's outcome is unknown
/// (the metastore failed), the table is reloaded to learn it, and files are kept unless the
/// table is known not to use them. Thread-safe; several threads and processes may commit to
/// one table at once.
class TableCatalog {
 public:
  /// `metastore` must outlive the catalog. Tables are created at
  /// "<warehouse>/<namespace levels joined by '/'>/<table name>".
  TableCatalog(Metastore& metastore, std::shared_ptr<io::FileSystem> file_system,
               std::string warehouse);

  /// Returns where a new table with this identifier is created.
  std::string DefaultLocation(const TableIdentifier& identifier) const;

  /// Creates a table (format version 2 by default, fresh ids, see MakeNewTableMetadata) at
  /// `options.location`, or at DefaultLocation when that is empty. Errors: AlreadyExists,
  /// NotFound for a missing namespace, InvalidArgument for specs that do not fit the schema.
  Result<table::Table> CreateTable(const TableIdentifier& identifier,
                                   table::NewTableOptions options);

  /// Adds an existing table to the metastore by its metadata file (written by another
  /// catalog, a backup, or a table dropped from this one), for the REST catalog's `register`
  /// and SQL's `CALL system.register_table`. The file must lie under the warehouse, since
  /// commits write beside it through the warehouse's storage, and must parse. Errors:
  /// InvalidArgument for a bad name or unreadable metadata (naming the location),
  /// PermissionDenied for a location outside the warehouse, NotFound for a missing namespace,
  /// AlreadyExists when a table or view has the name.
  Result<table::Table> RegisterTable(const TableIdentifier& identifier,
                                     std::string_view metadata_location);

  /// Loads the table's current metadata. Errors: NotFound, and those of reading metadata.
  Result<table::Table> LoadTable(const TableIdentifier& identifier);

  /// Commits `change` to the table's current version (loaded now) and returns the committed
  /// version. Errors: Conflict when the change no longer holds or the retries ran out, and any
  /// error of the change, storage or the metastore.
  Result<table::Table> Commit(const TableIdentifier& identifier, table::TableChange& change);
  /// Commits `change`, made against `start` (the version a query read), validating it against
  /// every version committed since.
  Result<table::Table> Commit(const TableIdentifier& identifier, const table::Table& start,
                              table::TableChange& change);

 private:
  Metastore& metastore_;
  std::shared_ptr<io::FileSystem> file_system_;
  std::string warehouse_;
};

/// Checks that `location` lies strictly under `warehouse` without `.` or `..` segments; else
/// PermissionDenied naming both.
Status CheckLocationInWarehouse(std::string_view location, std::string_view warehouse);

}  // namespace floe::catalog
