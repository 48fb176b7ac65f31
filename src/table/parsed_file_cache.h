#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "io/fwd.h"
#include "table/manifest_entry.h"
#include "table/manifest_list.h"
#include "table/table_metadata.h"

namespace floe::table {

/// The entries of one manifest, as a scan reads them.
struct ParsedManifest {
  /// The "partition-spec-id" header value, when present.
  std::optional<int32_t> partition_spec_id;
  std::vector<ManifestEntry> entries;
};

/// Parsed copies of the files Iceberg writes once and never changes — table metadata, manifest
/// lists and manifests — shared by every scan and catalog of the process, so that a query does
/// not parse JSON and decode Avro again for files an earlier query parsed.
///
/// The bytes are still read on every lookup (the object-storage read cache keeps them local);
/// an entry is found by the file's path, size and a 64-bit hash of its bytes, so a file
/// rewritten under the same name (which Iceberg forbids but storage allows) is parsed afresh
/// rather than served stale. Entries are charged an estimate of their parsed size and evicted
/// least recently used first once the capacity is reached. Errors are those of reading and
/// parsing, and are not cached. Thread-safe.
class ParsedFileCache {
 public:
  explicit ParsedFileCache(int64_t capacity_bytes);
  ParsedFileCache(const ParsedFileCache&) = delete;
  ParsedFileCache& operator=(const ParsedFileCache&) = delete;
  ~ParsedFileCache();

  /// The process's cache (128 MiB).
  static ParsedFileCache& Shared();

  /// Returns the table metadata in the file at `location` (gzip when named so).
  Result<std::shared_ptr<const TableMetadata>> Metadata(io::FileSystem& file_system,
                                                        std::string_view location);
  /// Returns the entries of the manifest list at `path`.
  Result<std::shared_ptr<const std::vector<ManifestFile>>> ManifestList(io::FileSystem& file_system,
                                                                        std::string_view path);
  /// Returns the entries of the manifest a list entry names, inheriting from that entry as
  /// ManifestReader::Open does; a negative `partition_spec_id` (a v1 snapshot listing manifest
  /// paths) reads the manifest by path, inheriting nothing.
  Result<std::shared_ptr<const ParsedManifest>> Manifest(io::FileSystem& file_system,
                                                         const ManifestFile& manifest);

  struct Counters {
    int64_t hits = 0;
    int64_t misses = 0;
    int64_t evictions = 0;
    int64_t bytes = 0;  // Estimated size of what is held now.
  };
  Counters counters() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace floe::table
