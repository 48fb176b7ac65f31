#include "sql/engine/iceberg_metadata_tables.h"

#include <utility>
#include <vector>

#include <fmt/format.h>

#include "catalog/identifier.h"
#include "common/json_text.h"
#include "io/file_system.h"
#include "table/table.h"

namespace floe::sql {
namespace {

constexpr std::string_view kSnapshotsSuffix = "$snapshots";

// The summary as a JSON object: a map would be closer to Trino's, but text prints and compares
// the same in every client.
std::string SummaryJson(const std::map<std::string, std::string>& summary) {
  std::string out = "{";
  for (const auto& [key, value] : summary) {
    out += (out.size() > 1 ? ", " : "") + floe::JsonString(key) + ": " + floe::JsonString(value);
  }
  return out + "}";
}

binder::RelationInfo SnapshotsRelation(const table::TableMetadata& metadata,
                                       std::string display_name) {
  binder::RelationInfo info;
  info.kind = binder::RelationInfo::Kind::kTable;
  info.display_name = std::move(display_name);
  info.columns = {{"snapshot_id", types::LogicalType::BigInt()},
                  {"parent_id", types::LogicalType::BigInt()},
                  {"committed_at", types::LogicalType::TimestampTz()},
                  {"operation", types::LogicalType::Varchar()},
                  {"summary", types::LogicalType::Varchar()}};
  std::vector<std::vector<types::Value>> rows;
  for (const table::Snapshot& snapshot : metadata.snapshots) {
    rows.push_back({types::Value::BigInt(snapshot.snapshot_id),
                    snapshot.parent_snapshot_id.has_value()
                        ? types::Value::BigInt(*snapshot.parent_snapshot_id)
                        : types::Value::Null(types::LogicalType::BigInt()),
                    types::Value::TimestampTz(snapshot.timestamp_ms * 1000),
                    types::Value::Varchar(snapshot.operation()),
                    types::Value::Varchar(SummaryJson(snapshot.summary))});
  }
  info.rows = std::move(rows);
  return info;
}

}  // namespace

Result<std::optional<binder::RelationInfo>> FindIcebergMetadataTable(
    catalog::Metastore& metastore, io::FileSystemRegistry& file_systems,
    const catalog::Namespace& schema, const std::string& object) {
  if (object.size() <= kSnapshotsSuffix.size() || !object.ends_with(kSnapshotsSuffix)) {
    return std::optional<binder::RelationInfo>();
  }
  catalog::TableIdentifier base{schema, object.substr(0, object.size() - kSnapshotsSuffix.size())};
  Result<catalog::TableEntry> entry = metastore.LoadTable(base);
  if (!entry.ok()) {
    if (entry.status().code() == StatusCode::kNotFound) {
      return std::optional<binder::RelationInfo>();
    }
    return entry.status();
  }
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system,
                        file_systems.Resolve(entry->metadata_location));
  FLOE_ASSIGN_OR_RETURN(table::Table loaded,
                        table::LoadTable(std::move(file_system), entry->metadata_location));
  return std::optional<binder::RelationInfo>(
      SnapshotsRelation(*loaded.metadata, catalog::IdentifierToString(base) + "$snapshots"));
}

}  // namespace floe::sql
