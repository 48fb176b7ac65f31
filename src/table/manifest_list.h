#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "format/avro/avro_file.h"
#include "io/fwd.h"

namespace floe::table {

/// A sequence number not yet assigned: manifests written for a commit carry it until the
/// manifest list of the commit's snapshot replaces it with the snapshot's sequence number.
inline constexpr int64_t kUnassignedSequenceNumber = -1;

/// What a manifest tracks (spec: manifest_file field 517 "content").
enum class ManifestContent : int32_t {
  kData = 0,
  kDeletes = 1,
};

/// Summary of one partition field over a manifest's files (spec: field_summary, 508).
struct PartitionFieldSummary {
  bool contains_null = false;
  std::optional<bool> contains_nan;
  /// Bounds in the single-value serialization of Appendix D, absent when all values are null.
  std::optional<std::string> lower_bound;
  std::optional<std::string> upper_bound;

  friend bool operator==(const PartitionFieldSummary&, const PartitionFieldSummary&) = default;
};

/// One entry of a manifest list: a manifest and what it holds (spec: "Manifest Lists").
///
/// File counts are optional in v1 lists (null means "not zero"); v2 requires them. v1 lists
/// read with content kData and sequence numbers 0, as the spec directs.
struct ManifestFile {
  std::string manifest_path;
  int64_t manifest_length = 0;
  int32_t partition_spec_id = 0;
  ManifestContent content = ManifestContent::kData;
  int64_t sequence_number = 0;
  int64_t min_sequence_number = 0;
  int64_t added_snapshot_id = 0;
  std::optional<int32_t> added_files_count;
  std::optional<int32_t> existing_files_count;
  std::optional<int32_t> deleted_files_count;
  std::optional<int64_t> added_rows_count;
  std::optional<int64_t> existing_rows_count;
  std::optional<int64_t> deleted_rows_count;
  std::vector<PartitionFieldSummary> partitions;
  std::optional<std::string> key_metadata;
  std::optional<int64_t> first_row_id;  // v3, read and kept.

  friend bool operator==(const ManifestFile&, const ManifestFile&) = default;
};

/// Describes the snapshot a manifest list belongs to; stored in the file header as Iceberg
/// writers do ("snapshot-id", "parent-snapshot-id", "sequence-number", "format-version").
struct ManifestListOptions {
  int format_version = 2;
  int64_t snapshot_id = 0;
  std::optional<int64_t> parent_snapshot_id = {};
  /// The snapshot's sequence number: replaces kUnassignedSequenceNumber in added manifests.
  int64_t sequence_number = 0;
  format::avro::AvroWriterOptions avro = {};
};

/// Writes a manifest list, one manifest at a time. Not thread-safe; not copyable.
class ManifestListWriter {
 public:
  /// Opens `path` on `file_system`. InvalidArgument for format versions other than 1 and 2.
  static Result<std::unique_ptr<ManifestListWriter>> Open(io::FileSystem& file_system,
                                                          std::string_view path,
                                                          ManifestListOptions options);

  ManifestListWriter(const ManifestListWriter&) = delete;
  ManifestListWriter& operator=(const ManifestListWriter&) = delete;
  ~ManifestListWriter() = default;

  /// Appends a manifest. In v2, unassigned sequence numbers take the snapshot's; a delete
  /// manifest in a v1 list is InvalidArgument.
  Status Add(const ManifestFile& manifest);
  /// Finishes the file; returns its length in bytes.
  Result<int64_t> Close();

 private:
  ManifestListWriter(std::unique_ptr<format::avro::AvroFileWriter> writer,
                     ManifestListOptions options)
      : writer_(std::move(writer)), options_(options) {}

  std::unique_ptr<format::avro::AvroFileWriter> writer_;
  ManifestListOptions options_;
};

/// Reads every entry of a manifest list (v1 or v2; v3 fields are kept), resolving fields by
/// their ids. Errors: NotFound and IOError from storage, Corruption for malformed files or
/// missing required fields.
Result<std::vector<ManifestFile>> ReadManifestList(io::FileSystem& file_system,
                                                   std::string_view path);
/// Reads a manifest list from its bytes.
Result<std::vector<ManifestFile>> ReadManifestListBytes(std::string bytes);

}  // namespace floe::table
