#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "io/cache/block_cache.h"
#include "io/file_system.h"

namespace floe::io {

/// Where and how much CachingFileSystem keeps on local disk.
struct CacheOptions {
  /// A folder for the cache alone, used by one process at a time.
  std::string directory;
  /// Whether blocks written by a previous process are kept (see BlockCache); otherwise block
  /// files in the folder are deleted when the cache starts.
  bool is_persistent = false;
  /// The most bytes of object data kept; least recently used blocks go first.
  int64_t capacity_bytes = int64_t{10} << 30;
  /// Objects are cached in blocks of this many bytes (the last block of an object is shorter).
  int64_t block_size = int64_t{1} << 20;
};

/// Serves reads of object storage from a local disk cache.
///
/// Lakehouse files are immutable once written: Iceberg never rewrites a data file, manifest or
/// metadata file in place, it writes new ones under new names. So bytes read once stay right,
/// and the cache keys them by location and object size (a different size is certainly another
/// object). Reads are cut into fixed-size blocks rather than cached as the ranges asked for:
/// the footer, page index and column chunk reads of a Parquet file overlap and differ from
/// query to query, and blocks let them share cached bytes; blocks also keep every cache file
/// and eviction step the same size. A miss fetches the whole block, so a 1 KiB read may cost a
/// 1 MiB request: the price of reuse, small next to the tens of milliseconds of a round trip.
///
/// Which object a block belongs to depends on how the file was opened:
/// - OpenInputFileOfSize (Iceberg data files, delete files, manifests): by location and the
///   size that table metadata records. The open makes no request, and the wrapped file is
///   opened only when a block is missing, so a fully cached read touches no network. Iceberg
///   never reuses a file's name, so location and recorded size name one object for good.
/// - OpenInputFile: the wrapped file is opened (S3: a HEAD), and blocks are keyed by location,
///   size and the object's version (the ETag), so an object replaced under the same key by
///   another writer is never served from blocks of the old one, even of the same size.
/// The two kinds of open do not share blocks. Writes, CreateExclusive and deletes through this
/// file system invalidate the path. Everything but reads passes straight to the wrapped file
/// system, errors included. Thread-safe.
class CachingFileSystem final : public FileSystem {
 public:
  /// Wraps `inner`; IOError when the cache folder cannot be prepared, InvalidArgument for a
  /// capacity or block size below 1.
  static Result<std::unique_ptr<CachingFileSystem>> Make(std::shared_ptr<FileSystem> inner,
                                                         const CacheOptions& options);
  ~CachingFileSystem() override;

  Result<std::unique_ptr<RandomAccessFile>> OpenInputFile(std::string_view path) override;
  /// Makes no request; see the class comment.
  Result<std::unique_ptr<RandomAccessFile>> OpenInputFileOfSize(std::string_view path,
                                                                int64_t size) override;
  /// Reads the object's blocks, cached or fetched, as OpenInputFileOfSize does.
  Result<std::string> ReadAllOfSize(std::string_view path, int64_t size) override;
  Result<std::unique_ptr<OutputStream>> OpenOutputStream(std::string_view path) override;
  Status CreateExclusive(std::string_view path, std::string_view bytes) override;
  Result<FileInfo> Stat(std::string_view path) override;
  Result<std::vector<FileInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view path) override;
  Status DeleteFiles(std::span<const std::string> paths) override;

  /// Returns hits, misses, evictions, damaged blocks and bytes held, for metrics.
  CacheStatistics statistics() const { return cache_->statistics(); }
  /// Returns the cache, for tests and tools.
  BlockCache& cache() { return *cache_; }

 private:
  CachingFileSystem(std::shared_ptr<FileSystem> inner, std::shared_ptr<BlockCache> cache,
                    int64_t block_size);

  const std::shared_ptr<FileSystem> inner_;
  const std::shared_ptr<BlockCache> cache_;
  const int64_t block_size_;
};

}  // namespace floe::io
