#pragma once

#include <optional>
#include <string>

#include "catalog/metastore.h"
#include "common/result.h"
#include "io/file_system_registry.h"
#include "sql/binder/catalog_accessor.h"

namespace floe::sql {

/// Resolves the metadata table `object` ("t$files") of an Iceberg table in `schema`, with the
/// columns Spark's Iceberg metadata tables have (see docs/sql.md): $snapshots, $history,
/// $refs, $manifests, $files, $data_files, $delete_files, $entries and $partitions, the
/// manifest-based ones for the current snapshot. The rows are computed now, from the table's
/// metadata and the manifests of its current snapshot. Returns nullopt when `object` has no
/// '$' or the part before the last '$' names no table; NotFound with SQLSTATE 42P01 naming
/// the supported suffixes when the table exists but the suffix names no metadata table; other
/// errors from the metastore, storage and manifest parsing.
Result<std::optional<binder::RelationInfo>> FindIcebergMetadataTable(
    catalog::Metastore& metastore, io::FileSystemRegistry& file_systems,
    const catalog::Namespace& schema, const std::string& object);

}  // namespace floe::sql
