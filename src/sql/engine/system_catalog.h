#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/binder/catalog_accessor.h"
#include "sql/engine/database.h"
#include "sql/engine/session_settings.h"

namespace floe::sql::engine {

/// Answers the relations of the `pg_catalog` and `information_schema` schemas that SQL tools
/// and drivers query (docs/sql.md, "Catalog views"). Their rows are computed from the
/// metastore each time a statement names them, so they always show the current namespaces,
/// tables and views; column types of tables and views come from binding `SELECT *` over them
/// through `resolver`. Not thread-safe: one per statement, like the binder that calls it.
class SystemCatalog {
 public:
  SystemCatalog(Database& database, const SessionContext& session,
                binder::CatalogAccessor& resolver)
      : database_(database), session_(session), resolver_(resolver) {}
  SystemCatalog(const SystemCatalog&) = delete;
  SystemCatalog& operator=(const SystemCatalog&) = delete;

  /// True for `pg_catalog` and `information_schema`.
  static bool IsSystemSchema(std::string_view schema);

  /// Returns the relation `name` of system schema `schema` with its rows, or nullopt when the
  /// schema has no relation of that name. Errors come from the metastore.
  Result<std::optional<binder::RelationInfo>> Find(std::string_view schema, std::string_view name);
  /// Returns the query text of every view of the metastore by its pg_class OID.
  Result<std::vector<std::pair<int32_t, std::string>>> ViewDefinitions();
  /// Returns every relation's pg_class OID and whether pg_catalog and then the session's
  /// search_path reach it by its bare name (no relation of that name comes before it).
  Result<std::vector<std::pair<int32_t, bool>>> RelationVisibility();
  /// Returns the relations (`regclass`), schemas (`regnamespace`) or roles (`regrole`) with
  /// their OIDs and the names the reg* type prints; empty for another type.
  Result<std::vector<binder::RegObject>> RegObjects(std::string_view type);
  /// Returns each Iceberg table's pg_class OID and the bytes of its current snapshot's data
  /// files (the snapshot summary's total-files-size).
  Result<std::vector<std::pair<int32_t, int64_t>>> RelationSizes();

 private:
  Database& database_;
  const SessionContext& session_;
  binder::CatalogAccessor& resolver_;
};

}  // namespace floe::sql::engine
