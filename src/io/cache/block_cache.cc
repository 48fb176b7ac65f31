#include "io/cache/block_cache.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include <fcntl.h>

#include "common/logging.h"
#include "io/file_system.h"
#include "io/local/file_descriptor.h"

namespace floe::io {
namespace {

// Version 2 added the object's version to the key; files of version 1 are dropped at start.
constexpr std::string_view kMagic = "FLOEBLK2";
// No location comes near this; a longer key length in a header means a damaged file.
constexpr uint64_t kMaxKeyLength = 64 * 1024;
constexpr std::string_view kBlockSuffix = ".block";

uint64_t Fnv1a(std::string_view bytes, uint64_t hash = 14695981039346656037ULL) {
  for (char character : bytes) {
    hash ^= static_cast<unsigned char>(character);
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string KeyText(const BlockKey& key) {
  return fmt::format("{}\n{}\n{}\n{}", key.location, key.object_size, key.version, key.block_index);
}

std::optional<int64_t> ParseNumber(std::string_view text) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::strtoll(std::string(text).c_str(), nullptr, 10);
}

// Parses KeyText from its end: a location may hold any byte, the other fields no newline.
std::optional<BlockKey> ParseKeyText(std::string_view text) {
  size_t index_start = text.rfind('\n');
  if (index_start == std::string_view::npos || index_start == 0) {
    return std::nullopt;
  }
  size_t version_start = text.rfind('\n', index_start - 1);
  if (version_start == std::string_view::npos || version_start == 0) {
    return std::nullopt;
  }
  size_t size_start = text.rfind('\n', version_start - 1);
  if (size_start == std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<int64_t> size =
      ParseNumber(text.substr(size_start + 1, version_start - size_start - 1));
  std::optional<int64_t> index = ParseNumber(text.substr(index_start + 1));
  if (!size.has_value() || !index.has_value()) {
    return std::nullopt;
  }
  return BlockKey{std::string(text.substr(0, size_start)), *size,
                  std::string(text.substr(version_start + 1, index_start - version_start - 1)),
                  *index};
}

void AppendNumber(std::string& out, uint64_t value) {
  char bytes[8];
  std::memcpy(bytes, &value, sizeof(bytes));
  out.append(bytes, sizeof(bytes));
}

uint64_t ReadNumber(std::string_view bytes) {
  uint64_t value = 0;
  std::memcpy(&value, bytes.data(), sizeof(value));
  return value;
}

// Layout: magic, key length, key, payload length, payload checksum, payload.
std::string Encode(const BlockKey& key, std::string_view payload) {
  std::string key_text = KeyText(key);
  std::string file;
  file.reserve(kMagic.size() + 24 + key_text.size() + payload.size());
  file.append(kMagic);
  AppendNumber(file, key_text.size());
  file.append(key_text);
  AppendNumber(file, payload.size());
  AppendNumber(file, Fnv1a(payload));
  file.append(payload);
  return file;
}

// Returns the payload of a block file, or nothing when the file is damaged or for another key.
std::optional<std::string> Decode(const BlockKey& key, std::string file) {
  std::string key_text = KeyText(key);
  size_t header = kMagic.size() + 8 + key_text.size() + 16;
  if (file.size() < header || std::string_view(file).substr(0, kMagic.size()) != kMagic ||
      ReadNumber(std::string_view(file).substr(8)) != key_text.size() ||
      std::string_view(file).substr(16, key_text.size()) != key_text) {
    return std::nullopt;
  }
  uint64_t length = ReadNumber(std::string_view(file).substr(16 + key_text.size()));
  uint64_t checksum = ReadNumber(std::string_view(file).substr(24 + key_text.size()));
  if (length != file.size() - header) {
    return std::nullopt;
  }
  file.erase(0, header);
  if (Fnv1a(file) != checksum) {
    return std::nullopt;
  }
  return file;
}

// Returns the key and payload length that the header of the block file at `path` names, or
// nothing when the header is unreadable or the file's length disagrees with it.
std::optional<std::pair<BlockKey, int64_t>> ReadHeader(const std::string& path) {
  Result<FileDescriptor> file = FileDescriptor::Open(path, O_RDONLY);
  if (!file.ok()) {
    return std::nullopt;
  }
  Result<struct stat> info = file->Stat();
  auto read = [&](uint64_t offset, uint64_t length) -> std::optional<std::string> {
    if (!info.ok() || offset + length > static_cast<uint64_t>(info->st_size)) {
      return std::nullopt;
    }
    std::string bytes(length, '\0');
    if (!file->ReadAt(static_cast<int64_t>(offset),
                      std::as_writable_bytes(std::span<char>(bytes.data(), bytes.size())))
             .ok()) {
      return std::nullopt;
    }
    return bytes;
  };
  std::optional<std::string> start = read(0, kMagic.size() + 8);
  if (!start.has_value() || std::string_view(*start).substr(0, kMagic.size()) != kMagic) {
    return std::nullopt;
  }
  uint64_t key_length = ReadNumber(std::string_view(*start).substr(kMagic.size()));
  if (key_length > kMaxKeyLength) {
    return std::nullopt;
  }
  std::optional<std::string> rest = read(kMagic.size() + 8, key_length + 16);
  if (!rest.has_value()) {
    return std::nullopt;
  }
  std::optional<BlockKey> key = ParseKeyText(std::string_view(*rest).substr(0, key_length));
  uint64_t payload_length = ReadNumber(std::string_view(*rest).substr(key_length));
  uint64_t header_length = kMagic.size() + 8 + key_length + 16;
  if (!key.has_value() || payload_length != static_cast<uint64_t>(info->st_size) - header_length) {
    return std::nullopt;
  }
  return std::pair{std::move(*key), static_cast<int64_t>(payload_length)};
}

Result<std::string> ReadWholeFile(const std::string& path) {
  FLOE_ASSIGN_OR_RETURN(FileDescriptor file, FileDescriptor::Open(path, O_RDONLY));
  FLOE_ASSIGN_OR_RETURN(struct stat info, file.Stat());
  std::string bytes(static_cast<size_t>(info.st_size), '\0');
  FLOE_RETURN_NOT_OK(
      file.ReadAt(0, std::as_writable_bytes(std::span<char>(bytes.data(), bytes.size()))));
  return bytes;
}

// Writes `bytes` under a temporary name and renames it into place, so that a reader sees the
// whole file or none.
Status WriteFileAtomically(const std::string& path, const std::string& temporary,
                           std::string_view bytes) {
  {
    FLOE_ASSIGN_OR_RETURN(FileDescriptor file,
                          FileDescriptor::Open(temporary, O_WRONLY | O_CREAT | O_TRUNC));
    FLOE_RETURN_NOT_OK(file.WriteAll(AsBytes(bytes)));
    FLOE_RETURN_NOT_OK(file.Close());
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    return Status::IOError("cannot move cache block into {}: {}", path, error.message());
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<BlockCache>> BlockCache::Make(std::string directory, int64_t capacity_bytes,
                                                     bool is_persistent) {
  if (capacity_bytes < 1) {
    return Status::InvalidArgument("cache capacity must be positive: {}", capacity_bytes);
  }
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return Status::IOError("cannot create cache folder {}: {}", directory, error.message());
  }
  if (is_persistent) {
    std::unique_ptr<BlockCache> cache(new BlockCache(std::move(directory), capacity_bytes));
    FLOE_RETURN_NOT_OK(cache->Reload());
    return cache;
  }
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(kBlockSuffix) || name.find(".block.tmp-") != std::string::npos) {
      std::filesystem::remove(entry.path(), error);
    }
  }
  if (error) {
    return Status::IOError("cannot empty cache folder {}: {}", directory, error.message());
  }
  return std::unique_ptr<BlockCache>(new BlockCache(std::move(directory), capacity_bytes));
}

BlockCache::BlockCache(std::string directory, int64_t capacity_bytes)
    : directory_(std::move(directory)), capacity_bytes_(capacity_bytes) {}

BlockCache::~BlockCache() = default;

Status BlockCache::Reload() {
  struct Found {
    std::filesystem::file_time_type time;
    BlockKey key;
    int64_t bytes = 0;
  };
  std::vector<Found> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory_, error)) {
    std::string name = entry.path().filename().string();
    if (name.find(".block.tmp-") != std::string::npos) {
      // Left by a process that stopped while writing a block.
      std::filesystem::remove(entry.path(), error);
      continue;
    }
    if (!name.ends_with(kBlockSuffix)) {
      continue;
    }
    std::optional<std::pair<BlockKey, int64_t>> header = ReadHeader(entry.path().string());
    std::error_code time_error;
    auto time = entry.last_write_time(time_error);
    if (!header.has_value() || time_error ||
        std::filesystem::path(FileOf(header->first)).filename() != entry.path().filename()) {
      std::filesystem::remove(entry.path(), error);
      continue;
    }
    found.push_back(Found{time, std::move(header->first), header->second});
  }
  if (error) {
    return Status::IOError("cannot reload cache folder {}: {}", directory_, error.message());
  }
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.time < b.time; });
  std::lock_guard lock(mutex_);
  for (Found& block : found) {
    InsertLocked(block.key, block.bytes);
  }
  reloaded_blocks_ = static_cast<int64_t>(found.size());
  // The capacity may have shrunk since the blocks were written.
  while (cached_bytes_ > capacity_bytes_ && !recency_.empty()) {
    ++evictions_;
    EraseLocked(entries_.find(recency_.back()));
  }
  return Status::OK();
}

void BlockCache::InsertLocked(const BlockKey& key, int64_t bytes) {
  auto found = entries_.find(key);
  if (found != entries_.end()) {
    cached_bytes_ -= found->second.bytes;
    found->second.bytes = bytes;
    recency_.splice(recency_.begin(), recency_, found->second.recency);
  } else {
    recency_.push_front(key);
    entries_.emplace(key, Entry{bytes, recency_.begin()});
  }
  cached_bytes_ += bytes;
}

std::string BlockCache::FileOf(const BlockKey& key) const {
  return fmt::format("{}/{:016x}{}", directory_, Fnv1a(KeyText(key)), kBlockSuffix);
}

Result<std::string> BlockCache::Get(const BlockKey& key) {
  {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end()) {
      ++misses_;
      return Status::NotFound("block {} of {} is not cached", key.block_index, key.location);
    }
    recency_.splice(recency_.begin(), recency_, found->second.recency);
  }
  std::string path = FileOf(key);
  Result<std::string> file = ReadWholeFile(path);
  if (!file.ok()) {
    // Evicted by another thread between the lookup and the read.
    ++misses_;
    Forget(key);
    return Status::NotFound("block {} of {} was evicted", key.block_index, key.location);
  }
  std::optional<std::string> payload = Decode(key, std::move(file).value());
  if (!payload.has_value()) {
    ++corruptions_;
    ++misses_;
    Forget(key);
    return Status::NotFound("cached block {} of {} is damaged", key.block_index, key.location);
  }
  ++hits_;
  // The modification time orders blocks by recency when a persistent cache restarts.
  std::error_code error;
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now(), error);
  return std::move(payload).value();
}

Status BlockCache::Put(const BlockKey& key, std::string_view bytes) {
  auto size = static_cast<int64_t>(bytes.size());
  if (size > capacity_bytes_) {
    return Status::OK();
  }
  std::string path = FileOf(key);
  std::string temporary = fmt::format("{}.tmp-{}", path, next_temporary_++);
  FLOE_RETURN_NOT_OK(WriteFileAtomically(path, temporary, Encode(key, bytes)));
  std::lock_guard lock(mutex_);
  InsertLocked(key, size);
  EvictLocked(key);
  return Status::OK();
}

void BlockCache::EvictLocked(const BlockKey& keep) {
  while (cached_bytes_ > capacity_bytes_ && !recency_.empty() && recency_.back() != keep) {
    auto victim = entries_.find(recency_.back());
    ++evictions_;
    EraseLocked(victim);
  }
}

void BlockCache::EraseLocked(std::map<BlockKey, Entry>::iterator entry) {
  std::error_code error;
  std::filesystem::remove(FileOf(entry->first), error);
  cached_bytes_ -= entry->second.bytes;
  recency_.erase(entry->second.recency);
  entries_.erase(entry);
}

void BlockCache::Forget(const BlockKey& key) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(key);
  if (found != entries_.end()) {
    EraseLocked(found);
  }
}

void BlockCache::Invalidate(std::string_view location) {
  std::lock_guard lock(mutex_);
  auto entry =
      entries_.lower_bound(BlockKey{std::string(location), INT64_MIN, std::string(), INT64_MIN});
  while (entry != entries_.end() && entry->first.location == location) {
    EraseLocked(entry++);
  }
}

CacheStatistics BlockCache::statistics() const {
  std::lock_guard lock(mutex_);
  return CacheStatistics{hits_.load(),      misses_.load(),
                         evictions_.load(), corruptions_.load(),
                         cached_bytes_,     static_cast<int64_t>(entries_.size()),
                         reloaded_blocks_,  fetched_bytes_.load()};
}

}  // namespace floe::io
