#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "table/schema.h"

namespace floe::io {
class FileSystem;
}  // namespace floe::io

namespace floe::table {

/// The view format versions Floe reads and writes (Iceberg view spec: only 1 exists).
inline constexpr int kMaxViewFormatVersion = 1;

/// One way to express a view version's query (view spec "Representations"). The spec defines
/// only the type "sql": the query text in one engine's SQL dialect.
struct ViewRepresentation {
  std::string sql;
  std::string dialect;

  friend bool operator==(const ViewRepresentation& a, const ViewRepresentation& b) = default;
};

/// One version of a view (view spec "Versions"): the query in one or more dialects, the schema
/// of its result, and the catalog and namespace its unqualified names resolve in.
struct ViewVersion {
  int32_t version_id = 0;
  int64_t timestamp_ms = 0;
  int32_t schema_id = 0;
  std::map<std::string, std::string> summary;
  std::vector<ViewRepresentation> representations;
  std::optional<std::string> default_catalog;
  std::vector<std::string> default_namespace;

  /// Returns the representation in `dialect` (compared without regard to case), or nullptr.
  const ViewRepresentation* FindDialect(std::string_view dialect) const;
  /// True when both define the same query: everything but the id and the timestamp is equal.
  bool SameDefinition(const ViewVersion& other) const;

  friend bool operator==(const ViewVersion& a, const ViewVersion& b) = default;
};

/// An entry of the version log: which version became current when.
struct ViewHistoryEntry {
  int64_t timestamp_ms = 0;
  int32_t version_id = 0;

  friend bool operator==(const ViewHistoryEntry& a, const ViewHistoryEntry& b) = default;
};

/// The content of a view metadata file (Iceberg view spec "View Metadata").
struct ViewMetadata {
  int format_version = 1;
  std::string view_uuid;
  std::string location;
  int32_t current_version_id = 0;
  std::vector<ViewVersion> versions;
  std::vector<ViewHistoryEntry> version_log;
  std::vector<Schema> schemas;
  std::map<std::string, std::string> properties;

  const ViewVersion* FindVersion(int32_t version_id) const;
  /// Returns the current version; Validate() guarantees it exists.
  const ViewVersion* CurrentVersion() const;
  const Schema* FindSchema(int32_t schema_id) const;
  /// Returns the schema of the current version, or nullptr.
  const Schema* CurrentSchema() const;

  /// Checks the spec's invariants: a supported format version, a uuid and a location, unique
  /// version and schema ids, a current version that exists, versions whose schema exists, and
  /// at most one representation per dialect in a version. Errors: Corruption naming the field,
  /// NotSupported for a format version above kMaxViewFormatVersion.
  Status Validate() const;

  friend bool operator==(const ViewMetadata& a, const ViewMetadata& b) = default;
};

/// Parses a view metadata JSON document and validates it. Errors: Corruption naming the field
/// for malformed JSON, a missing or mistyped field, an unknown representation type or
/// inconsistent metadata; NotSupported for a format version above 1.
Result<ViewMetadata> ViewMetadataFromJson(std::string_view json);
/// Writes view metadata JSON; ViewMetadataFromJson reads it back equal.
std::string ViewMetadataToJson(const ViewMetadata& metadata);

/// Parses / writes one view version object, as in a view metadata file's `versions` and in the
/// REST protocol's CreateViewRequest and add-view-version. Errors: as ViewMetadataFromJson.
Result<ViewVersion> ViewVersionFromJson(std::string_view json);
std::string ViewVersionToJson(const ViewVersion& version);

/// Writes `metadata` as the version after `base_location` (empty for a new view) at
/// "<location>/metadata/<5-digit version>-<uuid>.metadata.json", created exclusively, and
/// returns the new file's location.
Result<std::string> WriteViewMetadataFile(io::FileSystem& file_system, const ViewMetadata& metadata,
                                          std::string_view base_location);

/// Reads and parses the view metadata file at `location`.
Result<ViewMetadata> ReadViewMetadataFile(io::FileSystem& file_system, std::string_view location);

}  // namespace floe::table
