#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "format/avro/avro_file.h"
#include "io/fwd.h"
#include "table/manifest_entry.h"
#include "table/manifest_list.h"
#include "table/partition_spec.h"
#include "table/schema.h"

namespace floe::table {

struct ManifestWriterOptions {
  /// 1 or 2.
  int format_version = 2;
  /// The table schema and the partition spec the manifest's files were written with; both are
  /// stored in the file header and the spec types the partition tuples.
  Schema schema = {};
  PartitionSpec spec = {};
  /// Data or delete files; v1 manifests hold data files only.
  ManifestContent content = ManifestContent::kData;
  /// The snapshot writing the manifest: its added_snapshot_id, and the snapshot id of v1
  /// entries given none (v1 cannot inherit it).
  int64_t snapshot_id = 0;
  format::avro::AvroWriterOptions avro = {};
};

/// Writes one manifest (spec: "Manifests"), streaming: entries are encoded as they are added
/// and written a block at a time, so memory does not grow with the number of entries.
///
/// Close returns the manifest's entry for a manifest list: counts of files and rows by status,
/// partition field summaries, and kUnassignedSequenceNumber as its sequence number (and as its
/// minimum sequence number when no live entry carries one) for the manifest list to assign.
/// Not thread-safe; not copyable. A writer destroyed before Close leaves no file.
class ManifestWriter {
 public:
  /// Opens `path`. InvalidArgument for format versions other than 1 and 2, for delete content
  /// in v1, or for a spec that does not fit the schema; NotSupported for partition types
  /// manifests cannot hold.
  static Result<std::unique_ptr<ManifestWriter>> Open(io::FileSystem& file_system,
                                                      std::string_view path,
                                                      ManifestWriterOptions options);

  ManifestWriter(const ManifestWriter&) = delete;
  ManifestWriter& operator=(const ManifestWriter&) = delete;
  ~ManifestWriter();

  /// Appends an entry. InvalidArgument when its partition tuple does not match the spec (arity
  /// or value types), or when its content does not match the manifest's.
  Status Add(const ManifestEntry& entry);

  /// Finishes the file and returns its manifest list entry.
  Result<ManifestFile> Close();

 private:
  struct State;
  explicit ManifestWriter(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace floe::table
