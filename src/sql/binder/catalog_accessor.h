#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "table/table.h"
#include "types/logical_type.h"
#include "types/value.h"

namespace floe::sql::binder {

/// A column of a relation found in the catalog or in a file's footer.
struct SourceColumn {
  std::string name;
  types::LogicalType type;
};

/// Parquet files read as one relation: read_parquet('dir/*.parquet'), or (later) the data files
/// of an Iceberg table.
struct ParquetSource {
  std::vector<std::string> files;
  std::vector<SourceColumn> columns;  // From the first file's footer.
  int64_t row_count = 0;              // Sum of the footers' row counts.
  /// Per column: at most this many distinct non-NULL values, as the footers' statistics show
  /// (max - min + 1 of an integer column, at most the rows); 0 when they do not tell.
  std::vector<double> distinct_counts;
};

/// What a name in FROM refers to.
struct RelationInfo {
  enum class Kind : uint8_t { kTable, kView };
  Kind kind = Kind::kTable;
  std::string display_name;  // "public.orders".
  std::vector<SourceColumn> columns;
  /// kView: the stored query text, bound anew at each use.
  std::string view_sql;
  std::vector<std::string> view_column_names;  // CREATE VIEW v (a, b): renames, may be empty.
  /// kTable: the files to read (empty for a table without snapshots).
  std::optional<ParquetSource> parquet;
  /// kTable: an Iceberg table (read at its current snapshot), the field id of each column and
  /// its row count; null when `parquet` describes the table instead.
  std::shared_ptr<const table::Table> iceberg_table;
  std::vector<int32_t> field_ids;
  int64_t row_count = 0;
  /// kTable: rows computed when the name was resolved (the system catalogs), read instead of
  /// files when set.
  std::optional<std::vector<std::vector<types::Value>>> rows;
  /// kTable, metadata tables ("t$files"): the Iceberg table they describe, whose snapshots
  /// FOR VERSION/TIMESTAMP AS OF choose from, and for those that show one snapshot what
  /// replaces `columns` and `rows` with those at another snapshot of it (empty for those that
  /// span the whole history, on which time travel is NotSupported).
  std::shared_ptr<const table::Table> described_table;
  std::function<Status(int64_t snapshot_id, RelationInfo& relation)> rows_at_snapshot;
};

/// An object a reg* type names (regclass, regnamespace, regrole): its OID, where it lives and
/// the text the type prints for it.
struct RegObject {
  int32_t oid = 0;
  std::string schema;  // regclass: the relation's schema; empty for the others.
  std::string name;
  /// regclass prints a relation the search path does not reach by its bare name qualified.
  std::string printed;
};

/// Gives the binder what it needs from the catalog and storage. Implemented by the engine.
class CatalogAccessor {
 public:
  CatalogAccessor() = default;
  CatalogAccessor(const CatalogAccessor&) = delete;
  CatalogAccessor& operator=(const CatalogAccessor&) = delete;
  virtual ~CatalogAccessor() = default;

  /// Looks up a table or view by its (possibly qualified) name along the search path. Returns
  /// nullopt when nothing has that name; other errors come from the metastore or storage.
  virtual Result<std::optional<RelationInfo>> FindRelation(
      const std::vector<std::string>& name) = 0;
  /// Lists the Parquet files a path or glob names and reads the first footer's schema. NotFound
  /// when no file matches.
  virtual Result<ParquetSource> OpenParquet(std::string_view path) = 0;
  /// Opens the Iceberg table a location names without the catalog, for iceberg_scan(): a
  /// metadata file or a table folder (table::OpenTableLocation; `relocate` reads paths under
  /// the recorded location from where the table lies). The relation reads the current
  /// snapshot. Errors: NotFound (58P01) for a missing file or folder, Corruption for metadata
  /// that does not parse, NotSupported for what the reader cannot honour.
  virtual Result<RelationInfo> OpenIcebergLocation(std::string_view location, bool relocate) {
    (void)relocate;
    return Status::NotSupported("iceberg_scan({}) needs an engine with storage", location);
  }
  /// The session's user, for current_user.
  virtual std::string CurrentUser() const = 0;
  /// The first schema of the search path, for current_schema.
  virtual std::string CurrentSchema() const = 0;
  /// Returns the query text of every view by the OID pg_catalog.pg_class gives it, for
  /// pg_get_viewdef.
  virtual Result<std::vector<std::pair<int32_t, std::string>>> ViewDefinitions() {
    return std::vector<std::pair<int32_t, std::string>>{};
  }
  /// Returns the schemas of the search path that exist, in order, for current_schemas.
  virtual Result<std::vector<std::string>> ExistingSearchPath() {
    return std::vector<std::string>{CurrentSchema()};
  }
  /// Returns the pg_class OID of every relation and whether the session's search path reaches
  /// it by its unqualified name, for pg_table_is_visible.
  virtual Result<std::vector<std::pair<int32_t, bool>>> RelationVisibility() {
    return std::vector<std::pair<int32_t, bool>>{};
  }
  /// Returns the objects a reg* type (`regclass`, `regnamespace` or `regrole`) names, for casts
  /// between them and OIDs.
  virtual Result<std::vector<RegObject>> RegObjects(std::string_view type) {
    (void)type;
    return std::vector<RegObject>{};
  }
  /// Returns the size in bytes of each table's data files (its current snapshot's), by
  /// pg_class OID, for pg_table_size; views and system relations take none.
  virtual Result<std::vector<std::pair<int32_t, int64_t>>> RelationSizes() {
    return std::vector<std::pair<int32_t, int64_t>>{};
  }
};

}  // namespace floe::sql::binder
