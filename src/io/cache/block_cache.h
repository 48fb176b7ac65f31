#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "common/result.h"

namespace floe::io {

/// What a BlockCache has done since it was made, for metrics.
struct CacheStatistics {
  int64_t hits = 0;
  int64_t misses = 0;
  int64_t evictions = 0;
  /// Cached blocks found damaged (truncated, overwritten) and fetched again.
  int64_t corruptions = 0;
  /// Bytes the cache holds now.
  int64_t cached_bytes = 0;
  /// Blocks the cache holds now.
  int64_t cached_blocks = 0;
  /// Blocks found in the folder at start, kept from a previous process.
  int64_t reloaded_blocks = 0;
  /// Bytes read from the wrapped storage to fill missed blocks.
  int64_t fetched_bytes = 0;
};

/// Names one block: the object's location, its size, the version of the object the block was
/// read from when known (an S3 ETag; "" when the size was known from table metadata and no
/// request asked), and the block's index within it.
struct BlockKey {
  std::string location;
  int64_t object_size = 0;
  std::string version;
  int64_t block_index = 0;

  friend auto operator<=>(const BlockKey&, const BlockKey&) = default;
};

/// Keeps blocks of immutable objects as files in a local folder, up to a byte capacity, evicting
/// the least recently used block first.
///
/// Each block file holds a header (a magic number, the key, the payload length and an FNV-1a
/// checksum) before the bytes, so a file that was truncated, overwritten or belongs to another
/// key is detected on lookup (every hit verifies the checksum), removed and reported as a miss.
///
/// A persistent cache rebuilds its index at start from the block files it finds: each file's
/// header names its key, so a file whose header is unreadable, whose length disagrees with the
/// header or whose name is not its key's is deleted, and the rest are kept (payload checksums
/// are verified at each hit rather than at start, which would read the whole cache). Blocks
/// kept are ordered by their files' modification times, which hits refresh, and the least
/// recent are evicted until the capacity holds. A cache that is not persistent empties the
/// folder of block files at start. One process at a time may use a folder. Thread-safe; two
/// threads missing the same block both fill it, harmlessly.
class BlockCache {
 public:
  /// Uses `directory` (created if missing) for at most `capacity_bytes` of block payloads,
  /// keeping the blocks found there when `is_persistent`. IOError when the folder cannot be
  /// made or emptied; InvalidArgument for a capacity below 1.
  static Result<std::unique_ptr<BlockCache>> Make(std::string directory, int64_t capacity_bytes,
                                                  bool is_persistent = false);
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;
  ~BlockCache();

  /// Returns the cached bytes of `key`, or NotFound when they are not cached (or were damaged).
  Result<std::string> Get(const BlockKey& key);
  /// Stores `bytes` for `key` and evicts until the capacity holds; a block larger than the whole
  /// capacity is not stored. IOError when the block file cannot be written.
  Status Put(const BlockKey& key, std::string_view bytes);
  /// Forgets every block of `location`, whatever its size.
  void Invalidate(std::string_view location);

  /// Counts `bytes` read from storage to fill a missed block.
  void RecordFetch(int64_t bytes) { fetched_bytes_ += bytes; }

  CacheStatistics statistics() const;
  int64_t capacity_bytes() const { return capacity_bytes_; }
  /// Returns the file that holds `key` (whether or not it is cached), for tests and tools.
  std::string FileOf(const BlockKey& key) const;

 private:
  struct Entry {
    int64_t bytes = 0;
    std::list<BlockKey>::iterator recency;  // Position in recency_, most recent first.
  };

  BlockCache(std::string directory, int64_t capacity_bytes);
  Status Reload();
  void InsertLocked(const BlockKey& key, int64_t bytes);
  void EraseLocked(std::map<BlockKey, Entry>::iterator entry);
  void EvictLocked(const BlockKey& keep);
  void Forget(const BlockKey& key);

  const std::string directory_;
  const int64_t capacity_bytes_;
  mutable std::mutex mutex_;
  std::map<BlockKey, Entry> entries_;  // Guarded by mutex_.
  std::list<BlockKey> recency_;        // Guarded by mutex_.
  int64_t cached_bytes_ = 0;           // Guarded by mutex_.
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
  std::atomic<int64_t> evictions_{0};
  std::atomic<int64_t> corruptions_{0};
  std::atomic<int64_t> fetched_bytes_{0};
  int64_t reloaded_blocks_ = 0;  // Set once by Reload, before the cache is shared.
  std::atomic<uint64_t> next_temporary_{0};
};

}  // namespace floe::io
