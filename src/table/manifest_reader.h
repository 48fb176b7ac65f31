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
#include "table/manifest_entry.h"
#include "table/manifest_list.h"

namespace floe::table {

/// Reads a manifest (v1, v2, or v3 with its extra fields kept) in chunks of entries, resolving
/// fields by their ids so that files from any Iceberg writer read alike.
///
/// Partition values are typed from the manifest's own Avro schema (int/date -> DATE,
/// long/timestamp-micros -> TIMESTAMP or TIMESTAMPTZ by "adjust-to-utc", fixed/decimal ->
/// DECIMAL, fixed/uuid -> UUID, ...). When opened with the manifest's list entry, entries
/// inherit (spec: "Sequence Number Inheritance"): a null snapshot id takes the manifest's
/// added_snapshot_id, and null sequence numbers of ADDED entries take the manifest's sequence
/// number. Files without sequence number columns (v1) read 0 where nothing is inherited.
/// Errors: NotFound and IOError from storage, Corruption for malformed files or missing
/// required fields. Not thread-safe; not copyable.
/// Returns the bytes of the manifest a manifest list entry names, read with the length the
/// entry records (which spares object storage a request; see io::ReadRecordedFile).
Result<std::string> ReadManifestBytes(io::FileSystem& file_system, const ManifestFile& manifest);

class ManifestReader {
 public:
  /// Opens the manifest a manifest list entry names, inheriting from that entry.
  static Result<std::unique_ptr<ManifestReader>> Open(io::FileSystem& file_system,
                                                      const ManifestFile& manifest);
  /// Opens a manifest by path; nothing is inherited.
  static Result<std::unique_ptr<ManifestReader>> Open(io::FileSystem& file_system,
                                                      std::string_view path);
  /// Reads a manifest from its bytes; `manifest` (may be null) is what entries inherit from.
  static Result<std::unique_ptr<ManifestReader>> OpenBytes(std::string bytes,
                                                           const ManifestFile* manifest);

  ManifestReader(const ManifestReader&) = delete;
  ManifestReader& operator=(const ManifestReader&) = delete;
  ~ManifestReader();

  /// The "format-version" header value; files without it are v1 unless they carry sequence
  /// numbers.
  int format_version() const;
  /// The "content" header value (v1: data).
  ManifestContent content() const;
  /// The "partition-spec-id" header value, when present.
  std::optional<int32_t> partition_spec_id() const;
  /// Returns the header value for `key` ("schema", "partition-spec"...), or nullptr.
  const std::string* FindMetadata(std::string_view key) const;

  /// Replaces `entries` with the next chunk (one Avro block); returns false at the end.
  Result<bool> Next(std::vector<ManifestEntry>& entries);
  /// Reads every remaining entry.
  Result<std::vector<ManifestEntry>> ReadAll();

 private:
  struct State;
  explicit ManifestReader(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace floe::table
