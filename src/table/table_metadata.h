#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "table/partition_spec.h"
#include "table/schema.h"
#include "table/sort_order.h"

namespace floe::table {

/// The newest table format version Floe parses. Version 3 metadata is parsed and kept, and
/// CheckReadable() names the v3 features a reader cannot handle yet.
inline constexpr int kMaxFormatVersion = 3;

/// One snapshot of a table (spec "Snapshots").
struct Snapshot {
  int64_t snapshot_id = 0;
  std::optional<int64_t> parent_snapshot_id;
  int64_t sequence_number = 0;  // 0 for v1 snapshots (Appendix E).
  int64_t timestamp_ms = 0;
  std::string manifest_list;           // Empty for v1 snapshots that list `manifests`.
  std::vector<std::string> manifests;  // v1 only.
  /// The summary, including "operation" (append, replace, overwrite, delete).
  std::map<std::string, std::string> summary;
  std::optional<int32_t> schema_id;
  std::optional<int64_t> first_row_id;  // v3 row lineage.
  std::optional<int64_t> added_rows;    // v3 row lineage.
  std::optional<std::string> key_id;    // v3 encryption.

  /// Returns summary["operation"], empty when absent.
  std::string operation() const;
  friend bool operator==(const Snapshot& a, const Snapshot& b) = default;
};

enum class SnapshotRefType : uint8_t { kBranch, kTag };

/// A named reference to a snapshot with its retention settings (spec "Snapshot References").
struct SnapshotRef {
  int64_t snapshot_id = 0;
  SnapshotRefType type = SnapshotRefType::kBranch;
  std::optional<int32_t> min_snapshots_to_keep;  // Branches only.
  std::optional<int64_t> max_snapshot_age_ms;    // Branches only.
  std::optional<int64_t> max_ref_age_ms;

  friend bool operator==(const SnapshotRef& a, const SnapshotRef& b) = default;
};

struct SnapshotLogEntry {
  int64_t timestamp_ms = 0;
  int64_t snapshot_id = 0;
  friend bool operator==(const SnapshotLogEntry& a, const SnapshotLogEntry& b) = default;
};

struct MetadataLogEntry {
  int64_t timestamp_ms = 0;
  std::string metadata_file;
  friend bool operator==(const MetadataLogEntry& a, const MetadataLogEntry& b) = default;
};

/// One blob of a Puffin statistics file (spec "Table Statistics").
struct BlobMetadata {
  std::string type;
  int64_t snapshot_id = 0;
  int64_t sequence_number = 0;
  std::vector<int32_t> fields;
  std::map<std::string, std::string> properties;
  friend bool operator==(const BlobMetadata& a, const BlobMetadata& b) = default;
};

struct StatisticsFile {
  int64_t snapshot_id = 0;
  std::string statistics_path;
  int64_t file_size_in_bytes = 0;
  int64_t file_footer_size_in_bytes = 0;
  std::optional<std::string> key_metadata;
  std::vector<BlobMetadata> blob_metadata;
  friend bool operator==(const StatisticsFile& a, const StatisticsFile& b) = default;
};

struct PartitionStatisticsFile {
  int64_t snapshot_id = 0;
  std::string statistics_path;
  int64_t file_size_in_bytes = 0;
  friend bool operator==(const PartitionStatisticsFile& a,
                         const PartitionStatisticsFile& b) = default;
};

/// A v3 table encryption key entry.
struct EncryptionKey {
  std::string key_id;
  std::string encrypted_key_metadata;
  std::optional<std::string> encrypted_by_id;
  std::map<std::string, std::string> properties;
  friend bool operator==(const EncryptionKey& a, const EncryptionKey& b) = default;
};

/// The content of a table metadata file (spec "Table Metadata", Appendix C). v1 files are
/// read into the same shape with the v1 -> v2 defaults of Appendix E.
struct TableMetadata {
  int format_version = 2;
  std::string table_uuid;  // May be empty in v1 files.
  std::string location;
  int64_t last_sequence_number = 0;
  int64_t last_updated_ms = 0;
  int32_t last_column_id = 0;
  std::vector<Schema> schemas;
  int32_t current_schema_id = 0;
  std::vector<PartitionSpec> partition_specs;
  int32_t default_spec_id = 0;
  int32_t last_partition_id = kNoPartitionFieldId;
  std::map<std::string, std::string> properties;
  std::optional<int64_t> current_snapshot_id;  // -1 in a file means none.
  std::vector<Snapshot> snapshots;
  std::vector<SnapshotLogEntry> snapshot_log;
  std::vector<MetadataLogEntry> metadata_log;
  std::vector<SortOrder> sort_orders;
  int32_t default_sort_order_id = 0;
  std::map<std::string, SnapshotRef> refs;
  std::vector<StatisticsFile> statistics;
  std::vector<PartitionStatisticsFile> partition_statistics;
  std::optional<int64_t> next_row_id;  // v3 row lineage.
  std::vector<EncryptionKey> encryption_keys;

  /// Return the current schema, default spec, default sort order and current snapshot, or
  /// nullptr when absent (Validate() guarantees the first three exist).
  const Schema* CurrentSchema() const;
  const PartitionSpec* DefaultSpec() const;
  const SortOrder* DefaultSortOrder() const;
  const Snapshot* CurrentSnapshot() const;
  const Schema* FindSchema(int32_t schema_id) const;
  const Snapshot* FindSnapshot(int64_t snapshot_id) const;

  /// Checks the invariants of the spec: referenced ids exist (current schema, default spec
  /// and sort order, current snapshot, refs), ids are unique, last-column-id and
  /// last-partition-id cover every assigned id, sequence numbers do not exceed
  /// last-sequence-number and grow from parent to child. Errors: Corruption naming the field.
  Status Validate() const;

  /// Checks that Floe can read the table's data: NotSupported naming the feature for format
  /// versions above 3 and for v3 features not implemented (nanosecond timestamps, variant,
  /// unknown types, encryption keys).
  Status CheckReadable() const;

  friend bool operator==(const TableMetadata& a, const TableMetadata& b) = default;
};

/// Parses a metadata JSON document of format version 1, 2 or 3 and validates it.
/// Errors: Corruption naming the field for malformed or inconsistent metadata, NotSupported for
/// a format version above 3 or a type Floe cannot parse.
Result<TableMetadata> TableMetadataFromJson(std::string_view json);

/// Writes metadata JSON for the table's format version (v1 files also get the deprecated
/// `schema` and `partition-spec`); TableMetadataFromJson reads it back equal.
std::string TableMetadataToJson(const TableMetadata& metadata);

/// Parses the contents of a metadata file named `file_name`: files ending in
/// ".gz.metadata.json" are gzip-decompressed first. Errors: as TableMetadataFromJson, and
/// Corruption when decompression fails.
Result<TableMetadata> ParseMetadataFile(std::string_view file_name, std::string_view bytes);

/// Returns the metadata file name of `version` ("00001-<uuid>.metadata.json").
std::string MetadataFileName(int64_t version, std::string_view uuid);
/// Returns the version of a metadata file name ("00001-<uuid>.metadata.json" or
/// "v3.metadata.json", with or without ".gz"), or InvalidArgument naming it.
Result<int64_t> ParseMetadataFileVersion(std::string_view file_name);

}  // namespace floe::table
