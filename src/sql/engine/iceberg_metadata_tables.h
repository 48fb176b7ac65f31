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
/// $metadata_log_entries, $refs, $manifests, $files, $data_files, $delete_files, $entries,
/// $partitions and $position_deletes, the last seven at the current snapshot, and $all_manifests,
/// $all_files, $all_data_files, $all_delete_files and $all_entries over every snapshot. The rows
/// are computed now, from the table's metadata, manifest lists, manifests and (for
/// $position_deletes) delete files. The relation's `described_table` is the table, and for the
/// tables at one snapshot `rows_at_snapshot` recomputes them at another (time travel). Returns
/// nullopt when `object` has no '$' or the part before the last '$' names no table; NotFound
/// with SQLSTATE 42P01 naming the supported suffixes when the table exists but the suffix names
/// no metadata table; other errors from the metastore, storage and file parsing.
Result<std::optional<binder::RelationInfo>> FindIcebergMetadataTable(
    catalog::Metastore& metastore, io::FileSystemRegistry& file_systems,
    const catalog::Namespace& schema, const std::string& object);

}  // namespace floe::sql
