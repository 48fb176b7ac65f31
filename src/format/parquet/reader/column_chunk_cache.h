#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "format/parquet/metadata.h"
#include "vector/vector.h"

namespace floe::format::parquet {

/// What a ColumnChunkCache has done since it was made; a consistent snapshot.
struct ColumnChunkCacheStats {
  int64_t capacity_bytes = 0;
  /// Bytes and entries (column chunks and footers) held now.
  int64_t bytes = 0;
  int64_t entries = 0;
  int64_t chunk_hits = 0;
  int64_t chunk_misses = 0;
  int64_t footer_hits = 0;
  int64_t footer_misses = 0;
  /// Entries dropped to make room.
  int64_t evictions = 0;
  /// Decoded chunks not kept because they alone would take too large a share of the budget.
  int64_t rejected = 0;
};

/// Decoded column chunks and parsed footers of immutable Parquet files, kept in memory within a
/// byte budget and shared by every reader given the cache (docs/formats/parquet.md, "Column
/// chunk cache").
///
/// A file is named by an identity string its caller vouches for: the same identity must always
/// mean the same bytes (an Iceberg data file's path and size: Iceberg never rewrites a path). A
/// chunk is the whole decoded column (every page, a dictionary vector when the reader gives one)
/// of one leaf of one row group, held as a shared_ptr to const: readers slice it without copying
/// and several queries read it at once. The bytes held are charged to no query.
///
/// Eviction is GreedyDual-Size: each entry's priority is the cache's clock plus its cost per
/// byte (the nanoseconds its decoding took, divided by its bytes), renewed on every hit; the
/// lowest priority goes first and the clock rises to it. So recently used entries stay, and of
/// two entries used alike the one that is cheaper to rebuild per byte goes first.
///
/// Thread-safe. One mutex guards the index; it is held for a hash lookup and a few set
/// operations per column chunk (about a million rows at a time), never while decoding, so
/// parallel scans do not queue on it. Concurrent misses of one chunk decode it once (the others
/// wait for that result).
class ColumnChunkCache {
 public:
  /// Makes a cache holding at most `capacity_bytes`; 0 keeps nothing.
  explicit ColumnChunkCache(int64_t capacity_bytes);
  ColumnChunkCache(const ColumnChunkCache&) = delete;
  ColumnChunkCache& operator=(const ColumnChunkCache&) = delete;
  ~ColumnChunkCache();

  using Chunk = std::shared_ptr<const vector::Vector>;
  using Decoder = std::function<Result<vector::Vector>()>;

  /// Returns the cached chunk of leaf `leaf` of row group `row_group` of file `identity`, or
  /// nullptr (counted as a hit or a miss).
  Chunk Find(std::string_view identity, int row_group, int32_t leaf);
  /// Returns the cached chunk, or calls `decode` and keeps what it returns unless it is larger
  /// than a quarter of the budget. When another caller is decoding the same chunk, waits for
  /// its result instead. `decode` must allocate with no MemoryTracker (the chunk may outlive any
  /// query). Errors: those of `decode`, which are not kept.
  Result<Chunk> FindOrDecode(std::string_view identity, int row_group, int32_t leaf,
                             const Decoder& decode);

  /// Returns the cached footer of `identity`, or nullptr (counted as a hit or a miss).
  std::shared_ptr<const FileMetaData> FindFooter(std::string_view identity);
  /// Keeps a footer that was read and parsed in `cost_nanos`, taking about `bytes` of memory.
  void InsertFooter(std::string_view identity, std::shared_ptr<const FileMetaData> footer,
                    int64_t bytes, int64_t cost_nanos);

  /// Drops every entry (readers holding chunks keep them alive until they let go).
  void Clear();
  ColumnChunkCacheStats stats() const;
  int64_t capacity_bytes() const { return capacity_bytes_; }

  /// Returns the bytes of the distinct buffers behind `vector` (capacities, children and a
  /// dictionary included): what keeping it costs.
  static int64_t MemoryBytes(const vector::Vector& vector);

 private:
  struct Entry {
    Chunk chunk;
    std::shared_ptr<const FileMetaData> footer;
    int64_t bytes = 0;
    double cost_per_byte = 0;
    double priority = 0;
  };
  using Flight = std::shared_future<Result<Chunk>>;

  void Insert(const std::string& key, Entry entry) FLOE_REQUIRES(mutex_);
  void Touch(const std::string& key, Entry& entry) FLOE_REQUIRES(mutex_);
  void EvictUntilFits(int64_t incoming) FLOE_REQUIRES(mutex_);

  const int64_t capacity_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_ FLOE_GUARDED_BY(mutex_);
  // (priority, key) of every entry, lowest first: the eviction order.
  std::set<std::pair<double, std::string>> order_ FLOE_GUARDED_BY(mutex_);
  std::unordered_map<std::string, Flight> flights_ FLOE_GUARDED_BY(mutex_);
  double clock_ FLOE_GUARDED_BY(mutex_) = 0;
  ColumnChunkCacheStats stats_ FLOE_GUARDED_BY(mutex_);
};

}  // namespace floe::format::parquet
