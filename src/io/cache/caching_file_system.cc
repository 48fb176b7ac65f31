#include "io/cache/caching_file_system.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <utility>

#include "common/logging.h"

namespace floe::io {
namespace {

// Opens the wrapped file only at the first block that is not cached, so that reading cached
// ranges of a file opened with a known size makes no request at all.
class CachedRandomAccessFile final : public RandomAccessFile {
 public:
  // Wraps `inner`, already open (an open without a known size).
  CachedRandomAccessFile(std::unique_ptr<RandomAccessFile> inner, std::shared_ptr<BlockCache> cache,
                         int64_t block_size)
      : RandomAccessFile(inner->path(), inner->Size(), inner->version()),
        cache_(std::move(cache)),
        block_size_(block_size),
        inner_(std::move(inner)) {}
  // Opens `path` of `size` through `file_system` when a block is missing.
  CachedRandomAccessFile(std::string path, int64_t size, std::shared_ptr<FileSystem> file_system,
                         std::shared_ptr<BlockCache> cache, int64_t block_size)
      : RandomAccessFile(std::move(path), size),
        cache_(std::move(cache)),
        block_size_(block_size),
        file_system_(std::move(file_system)) {}

 protected:
  Status ReadWithinBounds(int64_t offset, std::span<std::byte> buffer) const override {
    auto end = offset + static_cast<int64_t>(buffer.size());
    for (int64_t block = offset / block_size_; block * block_size_ < end; ++block) {
      FLOE_ASSIGN_OR_RETURN(std::string bytes, Block(block));
      int64_t block_start = block * block_size_;
      int64_t from = std::max(offset, block_start);
      int64_t to = std::min(end, block_start + static_cast<int64_t>(bytes.size()));
      if (to <= from) {
        return Status::IOError("cached block {} of {} is shorter than the object", block, path());
      }
      std::memcpy(buffer.data() + (from - offset), bytes.data() + (from - block_start),
                  static_cast<size_t>(to - from));
    }
    return Status::OK();
  }

 private:
  Result<std::string> Block(int64_t block) const {
    BlockKey key{path(), Size(), version(), block};
    Result<std::string> cached = cache_->Get(key);
    if (cached.ok()) {
      return cached;
    }
    int64_t start = block * block_size_;
    FLOE_ASSIGN_OR_RETURN(const RandomAccessFile* inner, Inner());
    FLOE_ASSIGN_OR_RETURN(std::string bytes,
                          inner->ReadAt(start, std::min(block_size_, Size() - start)));
    cache_->RecordFetch(static_cast<int64_t>(bytes.size()));
    Status stored = cache_->Put(key, bytes);
    if (!stored.ok()) {
      // A full or broken cache disk slows reads down but must not fail them.
      FLOE_LOG_WARN("cannot cache block", {"path", path()}, {"error", stored.ToString()});
    }
    return bytes;
  }

  Result<const RandomAccessFile*> Inner() const {
    std::lock_guard lock(mutex_);
    if (inner_ == nullptr) {
      FLOE_ASSIGN_OR_RETURN(inner_, file_system_->OpenInputFileOfSize(path(), Size()));
    }
    return inner_.get();
  }

  const std::shared_ptr<BlockCache> cache_;
  const int64_t block_size_;
  const std::shared_ptr<FileSystem> file_system_;  // Null when inner_ was opened eagerly.
  mutable std::mutex mutex_;
  mutable std::unique_ptr<RandomAccessFile> inner_;  // Guarded by mutex_.
};

// Invalidates the path again when the new object becomes visible, so that no block of the old
// object read in between survives.
class InvalidatingOutputStream final : public OutputStream {
 public:
  InvalidatingOutputStream(std::unique_ptr<OutputStream> inner, std::shared_ptr<BlockCache> cache)
      : OutputStream(inner->path()), inner_(std::move(inner)), cache_(std::move(cache)) {}

  Status Write(std::span<const std::byte> bytes) override { return inner_->Write(bytes); }
  int64_t Tell() const override { return inner_->Tell(); }
  Status Close() override {
    Status status = inner_->Close();
    cache_->Invalidate(path());
    return status;
  }
  Status Abort() override { return inner_->Abort(); }

 private:
  const std::unique_ptr<OutputStream> inner_;
  const std::shared_ptr<BlockCache> cache_;
};

}  // namespace

Result<std::unique_ptr<CachingFileSystem>> CachingFileSystem::Make(
    std::shared_ptr<FileSystem> inner, const CacheOptions& options) {
  if (options.block_size < 1) {
    return Status::InvalidArgument("cache block size must be positive: {}", options.block_size);
  }
  FLOE_ASSIGN_OR_RETURN(
      std::unique_ptr<BlockCache> cache,
      BlockCache::Make(options.directory, options.capacity_bytes, options.is_persistent));
  return std::unique_ptr<CachingFileSystem>(
      new CachingFileSystem(std::move(inner), std::move(cache), options.block_size));
}

CachingFileSystem::CachingFileSystem(std::shared_ptr<FileSystem> inner,
                                     std::shared_ptr<BlockCache> cache, int64_t block_size)
    : inner_(std::move(inner)), cache_(std::move(cache)), block_size_(block_size) {}

CachingFileSystem::~CachingFileSystem() = default;

Result<std::unique_ptr<RandomAccessFile>> CachingFileSystem::OpenInputFile(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> inner, inner_->OpenInputFile(path));
  return std::unique_ptr<RandomAccessFile>(
      std::make_unique<CachedRandomAccessFile>(std::move(inner), cache_, block_size_));
}

Result<std::unique_ptr<RandomAccessFile>> CachingFileSystem::OpenInputFileOfSize(
    std::string_view path, int64_t size) {
  if (size < 0) {
    return Status::InvalidArgument("negative size {} for {}", size, path);
  }
  FLOE_RETURN_NOT_OK(CheckObjectPath(path));
  return std::unique_ptr<RandomAccessFile>(std::make_unique<CachedRandomAccessFile>(
      std::string(path), size, inner_, cache_, block_size_));
}

Result<std::string> CachingFileSystem::ReadAllOfSize(std::string_view path, int64_t size) {
  // Reads through the blocks rather than with the inner file system's single GET.
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, OpenInputFileOfSize(path, size));
  return file->ReadAt(0, size);
}

Result<std::unique_ptr<OutputStream>> CachingFileSystem::OpenOutputStream(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<OutputStream> inner, inner_->OpenOutputStream(path));
  cache_->Invalidate(path);
  return std::unique_ptr<OutputStream>(
      std::make_unique<InvalidatingOutputStream>(std::move(inner), cache_));
}

Status CachingFileSystem::CreateExclusive(std::string_view path, std::string_view bytes) {
  Status status = inner_->CreateExclusive(path, bytes);
  if (status.ok()) {
    cache_->Invalidate(path);
  }
  return status;
}

Result<FileInfo> CachingFileSystem::Stat(std::string_view path) {
  return inner_->Stat(path);
}

Result<std::vector<FileInfo>> CachingFileSystem::List(std::string_view prefix) {
  return inner_->List(prefix);
}

Status CachingFileSystem::Delete(std::string_view path) {
  cache_->Invalidate(path);
  return inner_->Delete(path);
}

Status CachingFileSystem::DeleteFiles(std::span<const std::string> paths) {
  for (const std::string& path : paths) {
    cache_->Invalidate(path);
  }
  return inner_->DeleteFiles(paths);
}

}  // namespace floe::io
