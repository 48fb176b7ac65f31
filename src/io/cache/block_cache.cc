#include "io/cache/block_cache.h"

#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

#include <fcntl.h>

#include "common/logging.h"
#include "io/file_system.h"
#include "io/local/file_descriptor.h"

namespace floe::io {
namespace {

constexpr std::string_view kMagic = "FLOEBLK1";
constexpr std::string_view kBlockSuffix = ".block";

uint64_t Fnv1a(std::string_view bytes, uint64_t hash = 14695981039346656037ULL) {
  for (char character : bytes) {
    hash ^= static_cast<unsigned char>(character);
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string KeyText(const BlockKey& key) {
  return fmt::format("{}\n{}\n{}", key.location, key.object_size, key.block_index);
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

Result<std::unique_ptr<BlockCache>> BlockCache::Make(std::string directory,
                                                     int64_t capacity_bytes) {
  if (capacity_bytes < 1) {
    return Status::InvalidArgument("cache capacity must be positive: {}", capacity_bytes);
  }
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return Status::IOError("cannot create cache folder {}: {}", directory, error.message());
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
  Result<std::string> file = ReadWholeFile(FileOf(key));
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
  auto found = entries_.find(key);
  if (found != entries_.end()) {
    cached_bytes_ -= found->second.bytes;
    found->second.bytes = size;
    recency_.splice(recency_.begin(), recency_, found->second.recency);
  } else {
    recency_.push_front(key);
    entries_.emplace(key, Entry{size, recency_.begin()});
  }
  cached_bytes_ += size;
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
  auto entry = entries_.lower_bound(BlockKey{std::string(location), INT64_MIN, INT64_MIN});
  while (entry != entries_.end() && entry->first.location == location) {
    EraseLocked(entry++);
  }
}

CacheStatistics BlockCache::statistics() const {
  std::lock_guard lock(mutex_);
  return CacheStatistics{hits_.load(), misses_.load(), evictions_.load(), corruptions_.load(),
                         cached_bytes_};
}

}  // namespace floe::io
