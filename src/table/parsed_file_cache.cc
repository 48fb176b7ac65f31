#include "table/parsed_file_cache.h"

#include <cstring>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "io/file_system.h"
#include "table/manifest_reader.h"

namespace floe::table {
namespace {

// A 64-bit hash of the bytes, 8 at a time: it only tells apart two versions of one file of
// one size, so it needs to spread bits, not resist attack.
uint64_t HashBytes(std::string_view bytes) {
  constexpr uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;
  uint64_t hash = bytes.size() * kMultiplier;
  size_t offset = 0;
  for (; offset + 8 <= bytes.size(); offset += 8) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + offset, 8);
    hash = (hash ^ word) * kMultiplier;
    hash ^= hash >> 29;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, bytes.data() + offset, bytes.size() - offset);
  hash = (hash ^ tail) * kMultiplier;
  return hash ^ (hash >> 32);
}

std::string ContentKey(char kind, std::string_view path, std::string_view bytes) {
  return fmt::format("{}{}\n{}:{:016x}", kind, path, bytes.size(), HashBytes(bytes));
}

int64_t EstimateBytes(const DataFile& file) {
  int64_t bytes = static_cast<int64_t>(sizeof(ManifestEntry) + file.file_path.size());
  bytes += static_cast<int64_t>(file.partition.size() * sizeof(types::Value));
  for (const ColumnCounts* counts :
       {&file.column_sizes, &file.value_counts, &file.null_value_counts, &file.nan_value_counts}) {
    bytes += static_cast<int64_t>(counts->size() * sizeof(std::pair<int32_t, int64_t>));
  }
  for (const ColumnBounds* bounds : {&file.lower_bounds, &file.upper_bounds}) {
    for (const auto& [id, value] : *bounds) {
      bytes += static_cast<int64_t>(sizeof(std::pair<int32_t, std::string>) + value.size());
    }
  }
  return bytes + static_cast<int64_t>(file.split_offsets.size() * sizeof(int64_t));
}

}  // namespace

struct ParsedFileCache::State {
  struct Entry {
    std::shared_ptr<const void> value;
    int64_t charge = 0;
    std::list<std::string>::iterator position;
  };

  explicit State(int64_t capacity_bytes) : capacity(capacity_bytes) {}

  std::shared_ptr<const void> Find(const std::string& key) {
    std::lock_guard lock(mutex);
    auto found = entries.find(key);
    if (found == entries.end()) {
      ++counters.misses;
      return nullptr;
    }
    ++counters.hits;
    recency.splice(recency.begin(), recency, found->second.position);
    return found->second.value;
  }

  void Insert(const std::string& key, std::shared_ptr<const void> value, int64_t charge) {
    if (charge > capacity) {
      return;
    }
    std::lock_guard lock(mutex);
    if (entries.count(key) > 0) {
      return;  // Another thread parsed the same file meanwhile.
    }
    recency.push_front(key);
    entries.emplace(key, Entry{std::move(value), charge, recency.begin()});
    counters.bytes += charge;
    while (counters.bytes > capacity && !recency.empty()) {
      auto victim = entries.find(recency.back());
      counters.bytes -= victim->second.charge;
      ++counters.evictions;
      entries.erase(victim);
      recency.pop_back();
    }
  }

  // Returns the cached value under the content key of `path`, or parses the bytes with
  // `parse` (which returns Result<T>) and keeps the result.
  // `read` returns the file's bytes.
  template <typename T, typename Read, typename Parse, typename Charge>
  Result<std::shared_ptr<const T>> Lookup(Read read, char kind, std::string_view path,
                                          std::string_view key_suffix, Parse parse,
                                          Charge charge_of) {
    FLOE_ASSIGN_OR_RETURN(std::string bytes, read());
    std::string key = ContentKey(kind, path, bytes);
    key.append(key_suffix);
    if (std::shared_ptr<const void> found = Find(key)) {
      return std::static_pointer_cast<const T>(found);
    }
    const int64_t file_size = static_cast<int64_t>(bytes.size());
    FLOE_ASSIGN_OR_RETURN(T parsed, parse(std::move(bytes)));
    auto value = std::make_shared<const T>(std::move(parsed));
    Insert(key, value, file_size + charge_of(*value));
    return value;
  }

  const int64_t capacity;
  mutable std::mutex mutex;
  std::list<std::string> recency;  // Most recently used first.
  std::unordered_map<std::string, Entry> entries;
  Counters counters;
};

ParsedFileCache::ParsedFileCache(int64_t capacity_bytes)
    : state_(std::make_unique<State>(capacity_bytes)) {}

ParsedFileCache::~ParsedFileCache() = default;

ParsedFileCache& ParsedFileCache::Shared() {
  static ParsedFileCache cache(int64_t{128} << 20);
  return cache;
}

Result<std::shared_ptr<const TableMetadata>> ParsedFileCache::Metadata(
    io::FileSystem& file_system, std::string_view location) {
  std::string_view name = location;
  if (size_t slash = name.rfind('/'); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  // The parsed form of metadata JSON takes a few times the text's size.
  return state_->Lookup<TableMetadata>(
      [&] { return file_system.ReadAll(location); }, 'J', location, "",
      [name](std::string bytes) { return ParseMetadataFile(name, bytes); },
      [](const TableMetadata& metadata) {
        return static_cast<int64_t>(metadata.snapshots.size() * 512 + 4096);
      });
}

Result<std::shared_ptr<const std::vector<ManifestFile>>> ParsedFileCache::ManifestList(
    io::FileSystem& file_system, std::string_view path) {
  return state_->Lookup<std::vector<ManifestFile>>(
      [&] { return file_system.ReadAll(path); }, 'L', path, "",
      [path](std::string bytes) -> Result<std::vector<ManifestFile>> {
        auto list = ReadManifestListBytes(std::move(bytes));
        return list.ok() ? std::move(list) : list.status().WithContext(path);
      },
      [](const std::vector<ManifestFile>& list) {
        int64_t bytes = 0;
        for (const ManifestFile& manifest : list) {
          bytes += static_cast<int64_t>(sizeof(ManifestFile) + manifest.manifest_path.size() +
                                        manifest.partitions.size() * 64);
        }
        return bytes;
      });
}

Result<std::shared_ptr<const ParsedManifest>> ParsedFileCache::Manifest(
    io::FileSystem& file_system, const ManifestFile& manifest) {
  const bool inherits = manifest.partition_spec_id >= 0;
  // What entries inherit is part of what they are.
  const std::string inherited =
      inherits ? fmt::format("\n{}:{}", manifest.added_snapshot_id, manifest.sequence_number) : "";
  const std::string_view path = manifest.manifest_path;
  return state_->Lookup<ParsedManifest>(
      [&] { return ReadManifestBytes(file_system, manifest); }, 'M', path, inherited,
      [&](std::string bytes) -> Result<ParsedManifest> {
        auto reader = ManifestReader::OpenBytes(std::move(bytes), inherits ? &manifest : nullptr);
        if (!reader.ok()) {
          return reader.status().WithContext(path);
        }
        ParsedManifest parsed;
        parsed.partition_spec_id = (*reader)->partition_spec_id();
        auto entries = (*reader)->ReadAll();
        if (!entries.ok()) {
          return entries.status().WithContext(path);
        }
        parsed.entries = std::move(*entries);
        return parsed;
      },
      [](const ParsedManifest& parsed) {
        int64_t bytes = 0;
        for (const ManifestEntry& entry : parsed.entries) {
          bytes += EstimateBytes(entry.data_file);
        }
        return bytes;
      });
}

ParsedFileCache::Counters ParsedFileCache::counters() const {
  std::lock_guard lock(state_->mutex);
  return state_->counters;
}

}  // namespace floe::table
