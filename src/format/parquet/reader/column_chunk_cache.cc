#include "format/parquet/reader/column_chunk_cache.h"

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include <fmt/format.h>

namespace floe::format::parquet {
namespace {

// Identities are paths, which never hold the unit separator.
std::string ChunkKey(std::string_view identity, int row_group, int32_t leaf) {
  return fmt::format("{}\x1f{}\x1f{}", identity, row_group, leaf);
}

std::string FooterKey(std::string_view identity) {
  return fmt::format("{}\x1f{}", identity, "footer");
}

void AddBuffer(const std::shared_ptr<vector::Buffer>& buffer,
               std::unordered_set<const vector::Buffer*>& seen, int64_t& total) {
  if (buffer != nullptr && seen.insert(buffer.get()).second) {
    total += buffer->capacity();
  }
}

void AddVector(const vector::Vector& vector, std::unordered_set<const vector::Buffer*>& seen,
               int64_t& total) {
  AddBuffer(vector.validity_buffer(), seen, total);
  AddBuffer(vector.values_buffer(), seen, total);
  AddBuffer(vector.data_buffer(), seen, total);
  if (vector.is_flat()) {
    for (int64_t i = 0; i < vector.num_children(); ++i) {
      AddVector(vector.child(i), seen, total);
    }
  } else {
    AddVector(vector.dictionary(), seen, total);
  }
}

}  // namespace

ColumnChunkCache::ColumnChunkCache(int64_t capacity_bytes)
    : capacity_bytes_(std::max<int64_t>(capacity_bytes, 0)) {
  stats_.capacity_bytes = capacity_bytes_;
}

ColumnChunkCache::~ColumnChunkCache() = default;

int64_t ColumnChunkCache::MemoryBytes(const vector::Vector& vector) {
  std::unordered_set<const vector::Buffer*> seen;
  int64_t total = 0;
  AddVector(vector, seen, total);
  return total;
}

ColumnChunkCache::Chunk ColumnChunkCache::Find(std::string_view identity, int row_group,
                                               int32_t leaf) {
  std::string key = ChunkKey(identity, row_group, leaf);
  std::lock_guard lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end()) {
    ++stats_.chunk_misses;
    return nullptr;
  }
  ++stats_.chunk_hits;
  Touch(key, found->second);
  return found->second.chunk;
}

Result<ColumnChunkCache::Chunk> ColumnChunkCache::FindOrDecode(std::string_view identity,
                                                               int row_group, int32_t leaf,
                                                               const Decoder& decode) {
  std::string key = ChunkKey(identity, row_group, leaf);
  std::promise<Result<Chunk>> promise;
  {
    std::unique_lock lock(mutex_);
    auto found = entries_.find(key);
    if (found != entries_.end()) {
      Touch(key, found->second);
      return found->second.chunk;
    }
    auto flight = flights_.find(key);
    if (flight != flights_.end()) {
      Flight pending = flight->second;
      lock.unlock();
      return pending.get();
    }
    flights_.emplace(key, promise.get_future().share());
  }
  auto start = std::chrono::steady_clock::now();
  Result<vector::Vector> decoded = decode();
  auto nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count();
  Result<Chunk> result =
      decoded.ok()
          ? Result<Chunk>(std::make_shared<const vector::Vector>(std::move(decoded).value()))
          : Result<Chunk>(decoded.status());
  {
    std::lock_guard lock(mutex_);
    flights_.erase(key);
    if (result.ok()) {
      Entry entry;
      entry.chunk = *result;
      entry.bytes = MemoryBytes(**result);
      entry.cost_per_byte =
          static_cast<double>(nanos) / static_cast<double>(std::max<int64_t>(entry.bytes, 1));
      // One chunk taking more than a quarter of the budget would evict most of what is kept,
      // and is rarely read often enough to pay for that.
      if (entry.bytes <= capacity_bytes_ / 4) {
        Insert(key, std::move(entry));
      } else {
        ++stats_.rejected;
      }
    }
  }
  promise.set_value(result);
  return result;
}

std::shared_ptr<const FileMetaData> ColumnChunkCache::FindFooter(std::string_view identity) {
  std::string key = FooterKey(identity);
  std::lock_guard lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end()) {
    ++stats_.footer_misses;
    return nullptr;
  }
  ++stats_.footer_hits;
  Touch(key, found->second);
  return found->second.footer;
}

void ColumnChunkCache::InsertFooter(std::string_view identity,
                                    std::shared_ptr<const FileMetaData> footer, int64_t bytes,
                                    int64_t cost_nanos) {
  Entry entry;
  entry.footer = std::move(footer);
  entry.bytes = std::max<int64_t>(bytes, 1);
  entry.cost_per_byte = static_cast<double>(cost_nanos) / static_cast<double>(entry.bytes);
  std::lock_guard lock(mutex_);
  if (entry.bytes > capacity_bytes_ / 4) {
    ++stats_.rejected;
    return;
  }
  Insert(FooterKey(identity), std::move(entry));
}

void ColumnChunkCache::Clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  order_.clear();
  stats_.bytes = 0;
  stats_.entries = 0;
}

ColumnChunkCacheStats ColumnChunkCache::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void ColumnChunkCache::Insert(const std::string& key, Entry entry) {
  if (entries_.contains(key)) {
    return;  // A concurrent reader kept the same bytes first.
  }
  EvictUntilFits(entry.bytes);
  entry.priority = clock_ + entry.cost_per_byte;
  order_.emplace(entry.priority, key);
  stats_.bytes += entry.bytes;
  ++stats_.entries;
  entries_.emplace(key, std::move(entry));
}

void ColumnChunkCache::Touch(const std::string& key, Entry& entry) {
  double renewed = clock_ + entry.cost_per_byte;
  if (renewed == entry.priority) {
    return;
  }
  order_.erase({entry.priority, key});
  entry.priority = renewed;
  order_.emplace(entry.priority, key);
}

void ColumnChunkCache::EvictUntilFits(int64_t incoming) {
  while (!order_.empty() && stats_.bytes + incoming > capacity_bytes_) {
    auto lowest = order_.begin();
    clock_ = std::max(clock_, lowest->first);
    auto found = entries_.find(lowest->second);
    stats_.bytes -= found->second.bytes;
    --stats_.entries;
    ++stats_.evictions;
    entries_.erase(found);
    order_.erase(lowest);
  }
}

}  // namespace floe::format::parquet
