#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/binder/catalog_accessor.h"
#include "sql/engine/database.h"
#include "sql/engine/session_settings.h"

namespace floe::sql::engine {

/// Resolves names for the binder against a database's metastore along a session's
/// search_path, and opens Parquet files named in read_parquet().
class EngineCatalog final : public binder::CatalogAccessor {
 public:
  EngineCatalog(Database& database, const SessionContext& session)
      : database_(database), session_(session) {}

  Result<std::optional<binder::RelationInfo>> FindRelation(
      const std::vector<std::string>& name) override;
  Result<binder::ParquetSource> OpenParquet(std::string_view path) override;
  Result<binder::RelationInfo> OpenIcebergLocation(std::string_view location,
                                                   bool relocate) override;
  std::string CurrentUser() const override { return session_.user; }
  std::string CurrentSchema() const override;
  Result<std::vector<std::pair<int32_t, std::string>>> ViewDefinitions() override;
  Result<std::vector<std::pair<int32_t, bool>>> RelationVisibility() override;
  Result<std::vector<binder::RegObject>> RegObjects(std::string_view type) override;
  Result<std::vector<std::pair<int32_t, int64_t>>> RelationSizes() override;
  Result<std::vector<std::string>> ExistingSearchPath() override;

  /// Returns the namespaces an unqualified name is looked up in, or the one a qualified name
  /// names, and the object name.
  std::pair<std::vector<catalog::Namespace>, std::string> Candidates(
      const std::vector<std::string>& name) const;

 private:
  Result<std::optional<binder::RelationInfo>> LoadIcebergTable(
      const catalog::TableIdentifier& identifier, const catalog::TableEntry& entry);

  Database& database_;
  const SessionContext& session_;
};

/// Lists the files a path or glob ("dir/*.parquet", "data/part-?.parquet") names, sorted.
Result<std::vector<std::string>> ExpandGlob(io::FileSystemRegistry& file_systems,
                                            std::string_view pattern);

}  // namespace floe::sql::engine
