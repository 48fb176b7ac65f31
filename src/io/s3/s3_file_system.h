#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "io/file_system.h"
#include "io/s3/s3_options.h"

namespace floe::io {

class FileSystemRegistry;
class S3Client;

/// Stores objects in S3 or an S3-compatible service (MinIO, Ceph, s3rver...) over its REST API.
///
/// Locations are "s3://bucket/key"; "s3a://" and "s3n://" are accepted as synonyms, and paths
/// come back from List in the form of the prefix. Reads are ranged GETs of the version whose
/// ETag the opening HEAD saw (If-Match): a reader never mixes two versions, and reading an
/// object replaced since it was opened fails with Conflict. A file opened with a known size
/// (OpenInputFileOfSize) sends no HEAD; it takes the ETag from its first GET instead. Writes buffer
/// up to S3Options::part_size bytes; a stream that ends smaller is one PUT, a larger one a
/// multipart upload that is aborted by Abort, by a failed Close or by destruction.
///
/// CreateExclusive is a PUT with "If-None-Match: *", which AWS S3 (since 2024), MinIO and Ceph
/// answer with 412 when the key exists; that gives the "exactly one writer wins" promise of
/// FileSystem. A server that ignores the header (s3rver does) silently overwrites: then the
/// promise does not hold, and nothing here pretends otherwise. Iceberg commits stay safe even
/// so, because a commit becomes visible only through the metastore's compare-and-swap of the
/// table's metadata pointer, never by the object write alone; a lost race there leaves at worst
/// an orphaned metadata file.
///
/// Errors: NotFound, PermissionDenied (403, bad credentials), AlreadyExists, Conflict, Timeout,
/// Unavailable (connection failures after retries) and IOError with the S3 error code, message
/// and request id. Thread-safe; files and streams may outlive the file system.
class S3FileSystem final : public FileSystem {
 public:
  /// Returns a file system for `options`; InvalidArgument when they are out of range. Makes no
  /// request: bad credentials or endpoints show up on first use.
  static Result<std::unique_ptr<S3FileSystem>> Make(S3Options options);
  ~S3FileSystem() override;

  Result<std::unique_ptr<RandomAccessFile>> OpenInputFile(std::string_view path) override;
  /// Makes no request: the first read is the first GET, and it checks the size (see
  /// FileSystem::OpenInputFileOfSize).
  Result<std::unique_ptr<RandomAccessFile>> OpenInputFileOfSize(std::string_view path,
                                                                int64_t size) override;
  Result<std::unique_ptr<OutputStream>> OpenOutputStream(std::string_view path) override;
  Status CreateExclusive(std::string_view path, std::string_view bytes) override;
  /// Reads the object with one GET, without the HEAD that OpenInputFile needs.
  Result<std::string> ReadAll(std::string_view path) override;
  /// Reads the object with one GET and checks its size.
  Result<std::string> ReadAllOfSize(std::string_view path, int64_t size) override;
  Result<FileInfo> Stat(std::string_view path) override;
  Result<std::vector<FileInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view path) override;
  /// Deletes with DeleteObjects requests of up to 1000 keys per bucket; per-key errors are
  /// reported as FileSystem::DeleteFiles describes.
  Status DeleteFiles(std::span<const std::string> paths) override;

  const S3Options& options() const;

 private:
  explicit S3FileSystem(std::shared_ptr<const S3Client> client);

  std::shared_ptr<const S3Client> client_;
};

/// Serves "s3://", "s3a://" and "s3n://" locations of `registry` from `file_system` (an
/// S3FileSystem, possibly wrapped in a cache).
void RegisterS3FileSystem(FileSystemRegistry& registry, std::shared_ptr<FileSystem> file_system);
/// Makes an S3FileSystem for `options` and registers it as above; InvalidArgument for bad
/// options.
Status RegisterS3FileSystem(FileSystemRegistry& registry, S3Options options);

}  // namespace floe::io
