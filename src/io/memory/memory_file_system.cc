#include "io/memory/memory_file_system.h"

#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <utility>

#include "io/uri.h"

namespace floe::io {
namespace {

constexpr std::string_view kMemoryScheme = "memory://";

struct Object {
  std::string bytes;
  std::chrono::system_clock::time_point modification_time;
};

using ObjectPointer = std::shared_ptr<const Object>;

// Returns the key that `path` names, or InvalidArgument when it belongs to another scheme.
Result<std::string_view> KeyOf(std::string_view path) {
  std::string scheme = SchemeOf(path);
  if (scheme.empty()) {
    return path;
  }
  if (scheme != "memory") {
    return Status::InvalidArgument("memory file system cannot access {}", path);
  }
  return path.substr(kMemoryScheme.size());
}

Result<std::string_view> ObjectKeyOf(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::string_view key, KeyOf(path));
  FLOE_RETURN_NOT_OK(CheckObjectPath(key).WithContext(path));
  return key;
}

}  // namespace

class MemoryFileSystem::Store {
 public:
  Result<ObjectPointer> Get(std::string_view key, std::string_view path) const {
    std::lock_guard lock(mutex_);
    auto found = objects_.find(key);
    if (found == objects_.end()) {
      return Status::NotFound("no object at {}", path);
    }
    return found->second;
  }

  // Stores `object` at `key`; when `is_exclusive`, only if no object is there yet.
  bool Put(std::string_view key, ObjectPointer object, bool is_exclusive) {
    std::lock_guard lock(mutex_);
    auto found = objects_.find(key);
    if (found == objects_.end()) {
      objects_.emplace(std::string(key), std::move(object));
      return true;
    }
    if (is_exclusive) {
      return false;
    }
    found->second = std::move(object);
    return true;
  }

  void Erase(std::string_view key) {
    std::lock_guard lock(mutex_);
    auto found = objects_.find(key);
    if (found != objects_.end()) {
      objects_.erase(found);
    }
  }

  // Returns (key, object) for every key starting with `key_prefix`, in key order.
  std::vector<std::pair<std::string, ObjectPointer>> WithPrefix(std::string_view key_prefix) const {
    std::vector<std::pair<std::string, ObjectPointer>> matches;
    std::lock_guard lock(mutex_);
    for (auto it = objects_.lower_bound(key_prefix);
         it != objects_.end() && it->first.starts_with(key_prefix); ++it) {
      matches.emplace_back(it->first, it->second);
    }
    return matches;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, ObjectPointer, std::less<>> objects_;  // Guarded by mutex_.
};

namespace {

class MemoryRandomAccessFile final : public RandomAccessFile {
 public:
  MemoryRandomAccessFile(std::string path, ObjectPointer object)
      : RandomAccessFile(std::move(path), static_cast<int64_t>(object->bytes.size())),
        object_(std::move(object)) {}

 protected:
  Status ReadWithinBounds(int64_t offset, std::span<std::byte> buffer) const override {
    std::memcpy(buffer.data(), object_->bytes.data() + offset, buffer.size());
    return Status::OK();
  }

 private:
  const ObjectPointer object_;
};

class MemoryOutputStream final : public OutputStream {
 public:
  MemoryOutputStream(std::string path, std::string key,
                     std::shared_ptr<MemoryFileSystem::Store> store)
      : OutputStream(std::move(path)), key_(std::move(key)), store_(std::move(store)) {}

  Status Write(std::span<const std::byte> bytes) override {
    if (state_ != State::kOpen) {
      return Status::InvalidArgument("write to a finished stream for {}", path());
    }
    bytes_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return Status::OK();
  }

  int64_t Tell() const override { return static_cast<int64_t>(bytes_.size()); }

  Status Close() override {
    if (state_ == State::kAborted) {
      return Status::InvalidArgument("close of an aborted stream for {}", path());
    }
    if (state_ == State::kOpen) {
      auto object = std::make_shared<const Object>(
          Object{std::move(bytes_), std::chrono::system_clock::now()});
      store_->Put(key_, std::move(object), /*is_exclusive=*/false);
      state_ = State::kClosed;
    }
    return Status::OK();
  }

  Status Abort() override {
    if (state_ == State::kOpen) {
      bytes_.clear();
      state_ = State::kAborted;
    }
    return Status::OK();
  }

 private:
  enum class State { kOpen, kClosed, kAborted };

  const std::string key_;
  const std::shared_ptr<MemoryFileSystem::Store> store_;
  std::string bytes_;
  State state_ = State::kOpen;
};

}  // namespace

MemoryFileSystem::MemoryFileSystem() : store_(std::make_shared<Store>()) {}

MemoryFileSystem::~MemoryFileSystem() = default;

Result<std::unique_ptr<RandomAccessFile>> MemoryFileSystem::OpenInputFile(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::string_view key, KeyOf(path));
  FLOE_ASSIGN_OR_RETURN(ObjectPointer object, store_->Get(key, path));
  return std::unique_ptr<RandomAccessFile>(
      std::make_unique<MemoryRandomAccessFile>(std::string(path), std::move(object)));
}

Result<std::unique_ptr<OutputStream>> MemoryFileSystem::OpenOutputStream(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::string_view key, ObjectKeyOf(path));
  return std::unique_ptr<OutputStream>(
      std::make_unique<MemoryOutputStream>(std::string(path), std::string(key), store_));
}

Status MemoryFileSystem::CreateExclusive(std::string_view path, std::string_view bytes) {
  FLOE_ASSIGN_OR_RETURN(std::string_view key, ObjectKeyOf(path));
  auto object =
      std::make_shared<const Object>(Object{std::string(bytes), std::chrono::system_clock::now()});
  if (!store_->Put(key, std::move(object), /*is_exclusive=*/true)) {
    return Status::AlreadyExists("object already exists at {}", path);
  }
  return Status::OK();
}

Result<FileInfo> MemoryFileSystem::Stat(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::string_view key, KeyOf(path));
  FLOE_ASSIGN_OR_RETURN(ObjectPointer object, store_->Get(key, path));
  return FileInfo{std::string(path), static_cast<int64_t>(object->bytes.size()),
                  object->modification_time};
}

Result<std::vector<FileInfo>> MemoryFileSystem::List(std::string_view prefix) {
  FLOE_ASSIGN_OR_RETURN(std::string_view key_prefix, KeyOf(prefix));
  // Paths keep the caller's form: the prefix as given followed by the rest of the key.
  std::vector<FileInfo> infos;
  for (const auto& [key, object] : store_->WithPrefix(key_prefix)) {
    std::string path(prefix);
    path.append(key, key_prefix.size());
    infos.push_back(FileInfo{std::move(path), static_cast<int64_t>(object->bytes.size()),
                             object->modification_time});
  }
  return infos;
}

Status MemoryFileSystem::Delete(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::string_view key, ObjectKeyOf(path));
  store_->Erase(key);
  return Status::OK();
}

}  // namespace floe::io
