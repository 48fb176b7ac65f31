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
  /// A folder for the cache alone: block files in it are deleted when the cache starts.
  std::string directory;
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
/// An object overwritten with one of the same size by another process is not noticed; writes,
/// CreateExclusive and deletes through this file system invalidate the path. Everything but
/// reads passes straight to the wrapped file system, errors included. Thread-safe.
class CachingFileSystem final : public FileSystem {
 public:
  /// Wraps `inner`; IOError when the cache folder cannot be prepared, InvalidArgument for a
  /// capacity or block size below 1.
  static Result<std::unique_ptr<CachingFileSystem>> Make(std::shared_ptr<FileSystem> inner,
                                                         const CacheOptions& options);
  ~CachingFileSystem() override;

  Result<std::unique_ptr<RandomAccessFile>> OpenInputFile(std::string_view path) override;
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
