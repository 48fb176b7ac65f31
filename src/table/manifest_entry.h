#pragma once

#include <cstdint>
#include <optional>

#include "table/data_file.h"

namespace floe::table {

/// Whether an entry adds, keeps or removes its file (spec: manifest_entry field 0 "status").
enum class ManifestEntryStatus : int32_t {
  kExisting = 0,
  kAdded = 1,
  kDeleted = 2,
};

/// One row of a manifest: a file and how the snapshot that wrote the manifest changed it.
///
/// Written as given: a new file's snapshot id and sequence numbers are left null so that they
/// are inherited from the manifest list (spec: "Sequence Number Inheritance"). Read with the
/// inherited values filled in where the reader knows the manifest's list entry.
struct ManifestEntry {
  ManifestEntryStatus status = ManifestEntryStatus::kAdded;
  std::optional<int64_t> snapshot_id;
  /// The data sequence number.
  std::optional<int64_t> sequence_number;
  std::optional<int64_t> file_sequence_number;
  DataFile data_file;

  friend bool operator==(const ManifestEntry&, const ManifestEntry&) = default;
};

}  // namespace floe::table
