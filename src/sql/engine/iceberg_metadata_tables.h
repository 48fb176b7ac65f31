#pragma once

#include <optional>
#include <string>

#include "catalog/metastore.h"
#include "common/result.h"
#include "io/file_system_registry.h"
#include "sql/binder/catalog_accessor.h"

namespace floe::sql {

/// Resolves the metadata table `object` of an Iceberg table in `schema`: "t$snapshots" lists
/// the snapshots of t (snapshot_id, parent_id, committed_at, operation, summary), oldest first,
/// as rows computed now. Returns nullopt when `object` names no metadata table of an existing
/// table; other errors from the metastore and storage.
Result<std::optional<binder::RelationInfo>> FindIcebergMetadataTable(
    catalog::Metastore& metastore, io::FileSystemRegistry& file_systems,
    const catalog::Namespace& schema, const std::string& object);

}  // namespace floe::sql
